# Intel DCAP (SGX quote v3, TDX quote v4/v5): parser, collateral, appraiser, simulated platforms.
set(dcap_dir ${CMAKE_CURRENT_LIST_DIR})
teepnet_cc_library(NAME teepnet_attest_dcap
  SRCS ${dcap_dir}/dcap_quote.cc ${dcap_dir}/dcap_quote_writer.cc
       ${dcap_dir}/dcap_pck_extension.cc ${dcap_dir}/dcap_json_span.cc
       ${dcap_dir}/dcap_collateral.cc ${dcap_dir}/dcap_endorsements.cc
       ${dcap_dir}/dcap_policy.cc ${dcap_dir}/dcap_tcb.cc ${dcap_dir}/dcap_cache.cc
       ${dcap_dir}/dcap_appraise.cc ${dcap_dir}/dcap_sim_pki.cc ${dcap_dir}/dcap_sim_platform.cc
  DEPS teepnet_attest_core teepnet_crypto teepnet_base nlohmann_json::nlohmann_json)

teepnet_cc_test(NAME attest_dcap_test
  SRCS ${dcap_dir}/dcap_parsers_test.cc ${dcap_dir}/dcap_sim_platform_test.cc
  DEPS teepnet_attest_dcap teepnet_testing LABELS unit)
