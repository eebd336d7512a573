# Copies the session seeds into seeds/session at build time (cmake -P), so the
# corpus holds the sessions as they are when `make fuzz` runs:
#   cmake -DSOURCE_DIR=... -DDESTINATION=... -P stage_seeds.cmake
file(GLOB sessions ${SOURCE_DIR}/sessions/*.json ${SOURCE_DIR}/tests/sessions/bad/*.json)
file(MAKE_DIRECTORY ${DESTINATION})
file(COPY ${sessions} DESTINATION ${DESTINATION})

# Generated seeds the hand-written sessions lack, for the walks over the routing
# and the override paths: a chain of buses (deep), buses into one bus (wide),
# sidechain keys along a chain, and variant paths at and past the 64-segment limit.
set(chain_buses 600)
set(buses "")
set(keyed "")
set(wide "")
math(EXPR last "${chain_buses} - 1")
foreach(index RANGE ${last})
  math(EXPR next "${index} + 1")
  set(output "\"b${next}\"")
  if(index EQUAL last)
    set(output "\"master\"")
  endif()
  string(APPEND buses "{\"name\": \"b${index}\", \"output\": ${output}},")
  string(APPEND keyed "{\"name\": \"b${index}\", \"output\": ${output}, \"inserts\": [{\"type\": \"gate\", \"sidechain\": \"t\"}]},")
  string(APPEND wide "{\"name\": \"b${index}\", \"output\": \"sum\"},")
endforeach()
set(track "{\"name\": \"t\", \"source\": \"audio/sine.wav\", \"output\": \"b0\"}")
string(REGEX REPLACE ",$" "" buses "${buses}")
string(REGEX REPLACE ",$" "" keyed "${keyed}")
file(WRITE ${DESTINATION}/generated_deep_chain.json "{\"mixdown\": 1, \"tracks\": [${track}], \"buses\": [${buses}]}")
file(WRITE ${DESTINATION}/generated_keyed_chain.json "{\"mixdown\": 1, \"tracks\": [${track}], \"buses\": [${keyed}]}")
file(WRITE ${DESTINATION}/generated_wide_fan_in.json
     "{\"mixdown\": 1, \"tracks\": [${track}], \"buses\": [${wide}{\"name\": \"sum\"}]}")
# A chain closed into a cycle through its first bus.
string(REPLACE "{\"name\": \"b${last}\", \"output\": \"master\"}" "{\"name\": \"b${last}\", \"output\": \"b0\"}" cycle "${buses}")
file(WRITE ${DESTINATION}/generated_long_cycle.json "{\"mixdown\": 1, \"tracks\": [${track}], \"buses\": [${cycle}]}")
foreach(segments 64 65 3000)
  set(path "tracks.t")
  foreach(segment RANGE 3 ${segments})
    string(APPEND path "._")
  endforeach()
  file(WRITE ${DESTINATION}/generated_variant_path_${segments}.json
       "{\"mixdown\": 1, \"tracks\": [{\"name\": \"t\", \"source\": \"audio/sine.wav\"}], \"variants\": {\"v\": {\"set\": {\"${path}\": 1}}}}")
endforeach()
