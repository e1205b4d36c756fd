# distlab-sim fuzz and the counter's history: exit codes, the JSON summary, the failing seed's scenario file
# that `run` reproduces, and `run counter --history` judged by `check --model counter`.
# cmake -DSIM=... -DWORK=... -P cli_sim_fuzz.cmake
file(REMOVE_RECURSE "${WORK}")
file(MAKE_DIRECTORY "${WORK}")
function(expect rc pattern)
  execute_process(COMMAND "${SIM}" ${ARGN} WORKING_DIRECTORY "${WORK}" RESULT_VARIABLE got OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT got EQUAL rc)
    message(FATAL_ERROR "distlab-sim ${ARGN}: exit ${got}, expected ${rc}\n${out}${err}")
  endif()
  if(NOT "${out}${err}" MATCHES "${pattern}")
    message(FATAL_ERROR "distlab-sim ${ARGN}: output does not match '${pattern}':\n${out}${err}")
  endif()
endfunction()

expect(0 "\"violations\":0" fuzz counter --seeds 4 --json)
expect(0 "\"seeds\":4" fuzz counter --seeds 4 --from 100 --faults kill,restart --json)
expect(0 "\"violations\":0" fuzz counter --seeds 4 --faults kill,restart,partition,members --json)
expect(1 "\"first_failing_seed\":1.*\"open_at_ms\":[1-9]" fuzz counter --seeds 2 --break dedup --json --out dedup.json)
if(NOT EXISTS "${WORK}/dedup.json")
  message(FATAL_ERROR "fuzz --out dedup.json wrote nothing")
endif()
# It opens where the violation was proven: a moment inside the run, which its description names.
file(READ "${WORK}/dedup.json" failing)
if(NOT failing MATCHES "\"open_at_ms\": [1-9]" OR NOT failing MATCHES "where the check '[a-z-]+' fails")
  message(FATAL_ERROR "the failing scenario does not say where it opens:\n${failing}")
endif()
# A violation that only the final state shows (fencing at seed 107: counter-exact) opens at the run's end.
expect(1 "\"open_at_ms\":10000" fuzz counter --seeds 1 --from 107 --break fencing --json --out fencing.json)
# The file reproduces the violation, with the same verdict.
expect(1 "FAIL applied-once" run dedup.json)
expect(1 "seed 1 fails" fuzz counter --seeds 1 --break dedup)
expect(2 "--faults: 'smash' is not a fault.*pause, members" fuzz counter --seeds 2 --faults kill,smash)
expect(2 "--seeds N is missing" fuzz counter)
expect(2 "has no counter section" fuzz demo --seeds 2)
expect(2 "--break: 'nope' is not a switch" fuzz counter --seeds 2 --break nope)

expect(0 "PASS counter-linearizable" run counter --history counter.jsonl)
expect(0 "linearizable" check counter.jsonl --model counter)
file(READ "${WORK}/counter.jsonl" history)
if(history MATCHES "\"f\":\"vote\"" OR NOT history MATCHES "\"f\":\"incr\"")
  message(FATAL_ERROR "the counter's history holds other records than incr and read:\n${history}")
endif()
