# distlab-sim run NAME --svg OUT.svg: exits 0 and writes an SVG drawing of the run.
# cmake -DSIM=... -DSCENARIO=... -DOUT=... -P check_sim_svg.cmake
file(REMOVE "${OUT}")
execute_process(COMMAND "${SIM}" run "${SCENARIO}" --svg "${OUT}" --svg-width 1200 RESULT_VARIABLE rc
                OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "distlab-sim exited with ${rc}")
endif()
if(NOT EXISTS "${OUT}")
  message(FATAL_ERROR "${OUT} was not written")
endif()
file(READ "${OUT}" svg)
if(NOT svg MATCHES "<svg[^>]*viewBox=\"0 0 1200 ")
  message(FATAL_ERROR "${OUT} is not a 1200 px wide SVG drawing")
endif()
if(NOT svg MATCHES "</svg>")
  message(FATAL_ERROR "${OUT} is cut short")
endif()
message(STATUS "${OUT}: an SVG drawing of ${SCENARIO}")
