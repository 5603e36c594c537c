# Arm CCA and PSA attestation tokens: claims, tokens, CoRIM / JSON endorsements, policies,
# appraisers and the simulated TrustZone / CCA platforms.
teepnet_cc_library(NAME teepnet_attest_cca_psa
  SRCS psa_claim_reader.cc psa_claims.cc psa_token.cc cca_token.cc psa_endorsements.cc
       psa_policy.cc psa_appraiser.cc cca_appraiser.cc sim_state.cc psa_sim_platform.cc
       cca_sim_platform.cc
  DEPS teepnet_attest_core teepnet_cose teepnet_cbor teepnet_crypto teepnet_eat teepnet_base
       nlohmann_json::nlohmann_json)


teepnet_cc_test(NAME attest_cca_psa_test
  SRCS psa_claims_test.cc cca_token_test.cc psa_policy_test.cc psa_sim_platform_test.cc
       cca_sim_platform_test.cc
  DEPS teepnet_attest_cca_psa teepnet_testing LABELS unit)

