# The Verifier facade over every architecture's appraiser, and EAR issuance from its verdicts.
# Depends on every family library and on teepnet_eat (which itself depends only on
# teepnet_attest_core), so the dependency stays one-way.
teepnet_cc_library(NAME teepnet_attest_verifier
  SRCS verifier.cc verifier_config.cc verifier_ear.cc
  DEPS teepnet_attest_snp teepnet_attest_csv teepnet_attest_dcap teepnet_attest_cca_psa
       teepnet_eat teepnet_attest_core teepnet_crypto teepnet_base nlohmann_json::nlohmann_json)

teepnet_cc_test(NAME attest_verifier_test
  SRCS verifier_test.cc verifier_ear_test.cc
  DEPS teepnet_attest_verifier teepnet_testing LABELS unit)
