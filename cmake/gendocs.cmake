# Writes the manual pages and the bash completion with the built binary:
#   cmake -DCONTRACTS=path/to/contracts -DOUT=folder -P gendocs.cmake
# gives OUT/man1/contracts.1, OUT/man1/contracts-COMMAND.1 for every command
# the binary lists (so a new command gets its page) and
# OUT/completion/contracts.
foreach(_v CONTRACTS OUT)
  if(NOT DEFINED ${_v})
    message(FATAL_ERROR "gendocs.cmake: ${_v} is not set")
  endif()
endforeach()

function(_ct_run out)
  execute_process(COMMAND ${CONTRACTS} ${ARGN} OUTPUT_FILE ${out}
    RESULT_VARIABLE _rc ERROR_VARIABLE _err)
  if(NOT _rc EQUAL 0)
    message(FATAL_ERROR "gendocs.cmake: 'contracts ${ARGN}' failed (${_rc}): ${_err}")
  endif()
endfunction()

file(REMOVE_RECURSE ${OUT}/man1 ${OUT}/completion)
file(MAKE_DIRECTORY ${OUT}/man1 ${OUT}/completion)
execute_process(COMMAND ${CONTRACTS} help --commands OUTPUT_VARIABLE _cmds
  RESULT_VARIABLE _rc)
if(NOT _rc EQUAL 0 OR _cmds STREQUAL "")
  message(FATAL_ERROR "gendocs.cmake: 'contracts help --commands' failed (${_rc})")
endif()
string(REGEX REPLACE "\n$" "" _cmds "${_cmds}")
string(REPLACE "\n" ";" _cmds "${_cmds}")
_ct_run(${OUT}/man1/contracts.1 help --man)
foreach(_c ${_cmds})
  _ct_run(${OUT}/man1/contracts-${_c}.1 help --man ${_c})
endforeach()
_ct_run(${OUT}/completion/contracts help --completion)
