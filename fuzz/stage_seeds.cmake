# Copies the session seeds into seeds/session at build time (cmake -P), so the
# corpus holds the sessions as they are when `make fuzz` runs:
#   cmake -DSOURCE_DIR=... -DDESTINATION=... -P stage_seeds.cmake
file(GLOB sessions ${SOURCE_DIR}/sessions/*.json ${SOURCE_DIR}/tests/sessions/bad/*.json)
file(MAKE_DIRECTORY ${DESTINATION})
file(COPY ${sessions} DESTINATION ${DESTINATION})
