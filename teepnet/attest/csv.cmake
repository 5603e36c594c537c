# Hygon CSV: Hygon certificate formats, report codec, policy, appraiser, simulated platform.
teepnet_cc_library(NAME teepnet_attest_csv
  SRCS csv_cert.cc csv_report.cc csv_policy.cc csv_appraiser.cc csv_sim_platform.cc
  DEPS teepnet_attest_core teepnet_crypto teepnet_base nlohmann_json::nlohmann_json)

teepnet_cc_test(NAME attest_csv_test
  SRCS csv_report_test.cc csv_policy_test.cc csv_sim_platform_test.cc
  DEPS teepnet_attest_csv teepnet_testing LABELS unit)
