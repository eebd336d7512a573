# `make install` (cmake --install): the binary, its man page, bash completion and the session
# format's JSON Schema, under CMAKE_INSTALL_PREFIX (and DESTDIR when set).
include(GNUInstallDirs)
install(TARGETS mixdown RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/share/mixdown.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# bash-completion loads completions/<command> on first use.
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/share/mixdown.bash-completion
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME mixdown)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/session.schema.json DESTINATION ${CMAKE_INSTALL_DATADIR}/mixdown)
