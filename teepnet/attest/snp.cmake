# AMD SEV-SNP: report codec, VCEK extensions, policy, appraiser and the simulated platform.
teepnet_cc_library(NAME teepnet_attest_snp
  SRCS snp_report.cc snp_tcb.cc snp_vcek.cc snp_policy.cc snp_appraiser.cc snp_cert_builder.cc
       snp_sim_platform.cc
  DEPS teepnet_attest_core teepnet_crypto teepnet_base nlohmann_json::nlohmann_json)

teepnet_cc_test(NAME attest_snp_test
  SRCS snp_report_test.cc snp_tcb_test.cc snp_policy_test.cc snp_sim_platform_test.cc
       snp_appraiser_test.cc
  DEPS teepnet_attest_snp teepnet_testing LABELS unit)
