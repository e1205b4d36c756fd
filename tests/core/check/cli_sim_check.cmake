# distlab-sim check: exit 0 linearizable, 1 not (with the explanation), 2 malformed (with the line), 3 unknown.
# cmake -DSIM=... -DWORK=... -P cli_sim_check.cmake
file(MAKE_DIRECTORY "${WORK}")
function(write name)
  string(REPLACE ";" "\n" text "${ARGN}")
  file(WRITE "${WORK}/${name}" "${text}\n")
endfunction()
function(expect rc pattern)
  execute_process(COMMAND "${SIM}" check ${ARGN} RESULT_VARIABLE got OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT got EQUAL rc)
    message(FATAL_ERROR "distlab-sim check ${ARGN}: exit ${got}, expected ${rc}\n${out}${err}")
  endif()
  if(NOT "${out}${err}" MATCHES "${pattern}")
    message(FATAL_ERROR "distlab-sim check ${ARGN}: output does not match '${pattern}':\n${out}${err}")
  endif()
endfunction()

write(ok.jsonl
  [=[{"process": 0, "type": "invoke", "f": "incr", "key": "k1", "value": 1}]=]
  [=[{"process": 1, "type": "invoke", "f": "read", "key": "k1", "value": null}]=]
  [=[{"process": 0, "type": "ok", "f": "incr", "key": "k1", "value": 1}]=]
  [=[{"process": 1, "type": "ok", "f": "read", "key": "k1", "value": 1}]=])
write(lost.jsonl
  [=[{"process": 0, "type": "invoke", "f": "incr", "key": "k1", "value": 1}]=]
  [=[{"process": 0, "type": "ok", "f": "incr", "key": "k1", "value": 1}]=]
  [=[{"process": 1, "type": "invoke", "f": "read", "key": "k1", "value": null}]=]
  [=[{"process": 1, "type": "ok", "f": "read", "key": "k1", "value": 0}]=])
write(bad.jsonl
  [=[{"process": 0, "type": "invoke", "f": "incr", "key": "k1", "value": 1}]=]
  [=[{"process": 0, "type": "ok", "f": "incr", "key": "k1", "value": 1]=])

# Forty appends of distinct letters, all concurrent, and a get no order explains: far more than 1 ms of search.
set(hard "")
foreach(i RANGE 1 40)
  list(APPEND hard "{\"process\": ${i}, \"type\": \"invoke\", \"f\": \"append\", \"value\": \"x${i}\"}")
endforeach()
list(APPEND hard [=[{"process": 0, "type": "invoke", "f": "get", "value": null}]=])
list(APPEND hard [=[{"process": 0, "type": "ok", "f": "get", "value": "nothing like it"}]=])
foreach(i RANGE 1 40)
  list(APPEND hard "{\"process\": ${i}, \"type\": \"ok\", \"f\": \"append\", \"value\": \"x${i}\"}")
endforeach()
write(hard.jsonl ${hard})

expect(0 "linearizable \\(2 operations" "${WORK}/ok.jsonl" --model counter)
expect(1 "not linearizable.*lost" "${WORK}/lost.jsonl" --model counter)
expect(1 "\"verdict\":\"not linearizable\"" "${WORK}/lost.jsonl" --model counter --json)
expect(2 "bad.jsonl: line 2: not JSON" "${WORK}/bad.jsonl" --model counter)
expect(2 "--model kvv: unknown" "${WORK}/ok.jsonl" --model kvv)
expect(2 "--model is missing" "${WORK}/ok.jsonl")
expect(2 "cannot open" "${WORK}/missing.jsonl" --model counter)
expect(2 "the kv model knows get, put and append" "${WORK}/ok.jsonl" --model kv)
expect(3 "ran out of time" "${WORK}/hard.jsonl" --model kv --timeout 0.001)
# A run's client operations, exported and checked: the demo store's puts and gets, per key.
execute_process(COMMAND "${SIM}" run flaky-network --history "${WORK}/flaky.jsonl" RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "distlab-sim run flaky-network --history exited with ${rc}")
endif()
expect(0 "linearizable \\([0-9]+ operations, [1-9][0-9]* unknown, [0-9]+ keys, model kv" "${WORK}/flaky.jsonl" --model kv)
message(STATUS "distlab-sim check: exit codes 0, 1, 2 and 3 as documented")
