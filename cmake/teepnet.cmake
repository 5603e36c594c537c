# House build functions. Every small library declares exactly what it depends on, so the
# dependency direction in docs/DESIGN §7 (base <- crypto, cbor <- cose <- suit ...) is
# visible in the build files and enforced by the linker.

include_guard(GLOBAL)

set(TEEPNET_WARNINGS
    -Wall -Wextra -Wpedantic -Wshadow -Wcast-qual -Wformat=2 -Wformat-security
    -Wnon-virtual-dtor -Wimplicit-fallthrough -Werror)
# GCC 12 at -O3 (the release preset, for benchmarks) reports flow-analysis warnings inside
# libstdc++ (memcmp bounds in vector comparisons, optional<vector> "maybe uninitialized",
# restrict on string concatenation) that are known false positives of that release. They stay
# visible there but do not fail the benchmark build; every other build keeps them as errors.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_BUILD_TYPE STREQUAL "Release")
  list(APPEND TEEPNET_WARNINGS -Wno-error=stringop-overread -Wno-error=maybe-uninitialized
       -Wno-error=restrict -Wno-error=array-bounds -Wno-error=stringop-overflow)
endif()

# teepnet_cc_library(NAME name SRCS a.cc ... [HDRS ...] [DEPS ...] [TESTONLY])
function(teepnet_cc_library)
  cmake_parse_arguments(A "TESTONLY" "NAME" "SRCS;HDRS;DEPS" ${ARGN})
  if(A_SRCS)
    add_library(${A_NAME} STATIC ${A_SRCS} ${A_HDRS})
    target_include_directories(${A_NAME} PUBLIC ${PROJECT_SOURCE_DIR})
    target_link_libraries(${A_NAME} PUBLIC ${A_DEPS})
    target_compile_options(${A_NAME} PRIVATE ${TEEPNET_WARNINGS})
  else()
    add_library(${A_NAME} INTERFACE)
    target_include_directories(${A_NAME} INTERFACE ${PROJECT_SOURCE_DIR})
    target_link_libraries(${A_NAME} INTERFACE ${A_DEPS})
  endif()
endfunction()

# Extra flags for test sources only (the dev preset sets -O0). Test code is mostly gtest and
# JSON templates whose optimisation took 40 % of a test file's compile time, while what a test
# exercises lives in the libraries, which keep the build's own optimisation level.
set(TEEPNET_TEST_CXX_FLAGS "" CACHE STRING "Extra compile flags for test sources only")

# teepnet_cc_test(NAME name SRCS a_test.cc ... DEPS ... LABELS unit|vectors|integration|e2e)
# Tests run from the build tree; TEEPNET_VECTORS points them at ../shared/vectors.
function(teepnet_cc_test)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} GTest::gtest_main GTest::gmock)
  target_compile_options(${A_NAME} PRIVATE ${TEEPNET_WARNINGS})
  if(TEEPNET_TEST_CXX_FLAGS)
    separate_arguments(test_flags UNIX_COMMAND "${TEEPNET_TEST_CXX_FLAGS}")
    target_compile_options(${A_NAME} PRIVATE ${test_flags})
  endif()
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${A_NAME} COMMAND ${A_NAME})
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  set_tests_properties(${A_NAME} PROPERTIES LABELS "${A_LABELS}"
    ENVIRONMENT "TEEPNET_VECTORS=${TEEPNET_VECTORS_DIR};TEEPNET_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# teepnet_cc_fuzzer(NAME name SRCS a_fuzzer.cc DEPS ...)
# With TEEPNET_FUZZ (clang, libFuzzer) this is a coverage-guided fuzzer. In every other build
# the same target links a small driver that replays the committed corpus fuzz/corpus/<name>/,
# so each ctest run (and the sanitizer run) re-checks every seed and past crash.
function(teepnet_cc_fuzzer)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  target_compile_options(${A_NAME} PRIVATE ${TEEPNET_WARNINGS})
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
  set(corpus ${PROJECT_SOURCE_DIR}/fuzz/corpus/${A_NAME})
  if(TEEPNET_FUZZ)
    target_compile_options(${A_NAME} PRIVATE -fsanitize=fuzzer)
    target_link_options(${A_NAME} PRIVATE -fsanitize=fuzzer)
  else()
    target_link_libraries(${A_NAME} PRIVATE teepnet_fuzz_replay)
  endif()
  if(TEEPNET_FUZZ)
    # libFuzzer with -runs=0 executes every corpus file once and exits.
    add_test(NAME ${A_NAME}_replays_its_corpus COMMAND ${A_NAME} -runs=0 ${corpus})
  else()
    add_test(NAME ${A_NAME}_replays_its_corpus COMMAND ${A_NAME} ${corpus})
  endif()
  set_tests_properties(${A_NAME}_replays_its_corpus PROPERTIES LABELS fuzz)
endfunction()

# teepnet_cc_binary(NAME name SRCS ... DEPS ...) -> build/bin/<name>
function(teepnet_cc_binary)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS})
  target_compile_options(${A_NAME} PRIVATE ${TEEPNET_WARNINGS})
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${TEEPNET_BIN_DIR})
endfunction()

# teepnet_cc_bench(NAME name SRCS ... DEPS ...) -> build/bench/<name>
function(teepnet_cc_bench)
  cmake_parse_arguments(A "" "NAME" "SRCS;DEPS" ${ARGN})
  if(NOT TARGET benchmark::benchmark)
    return()
  endif()
  add_executable(${A_NAME} ${A_SRCS})
  target_link_libraries(${A_NAME} PRIVATE ${A_DEPS} benchmark::benchmark)
  target_compile_options(${A_NAME} PRIVATE ${TEEPNET_WARNINGS})
  set_target_properties(${A_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/bench)
endfunction()
