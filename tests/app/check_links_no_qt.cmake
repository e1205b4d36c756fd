# An executable that must link no Qt (distlab-sim: the headless lab runs on core/ alone).
# cmake -DEXE=... -P check_links_no_qt.cmake
execute_process(COMMAND ldd "${EXE}" OUTPUT_VARIABLE libraries RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "ldd ${EXE} failed (${rc})")
endif()
if(NOT libraries MATCHES "libc\\.so")
  message(FATAL_ERROR "ldd ${EXE} lists no C library: cannot tell what it links\n${libraries}")
endif()
string(REGEX MATCHALL "libQt[^ ]*" qt "${libraries}")
if(qt)
  message(FATAL_ERROR "${EXE} links Qt: ${qt}")
endif()
message(STATUS "${EXE} links no Qt")
