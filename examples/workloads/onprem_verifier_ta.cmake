# onprem_verifier_ta (included by CMakeLists.txt next to this file). The TA runs the project's
# own Verifier, so for the static build every attest family library, teepnet_eat (JWK and EAR,
# used by the PSA endorsements and the verifier) and the workload library are compiled once
# more against the static crypto clone. teepnet_attest_core needs no crypto and links as is.
if(hello_ta_static)
  set(ov_common teepnet_cbor teepnet_crypto_static_ta teepnet_base nlohmann_json::nlohmann_json)
  teepnet_static_ta_clone(teepnet_eat_static_ta teepnet_eat "\\.cc$"
                          teepnet_attest_core teepnet_cose_static_ta ${ov_common})
  teepnet_static_ta_clone(teepnet_attest_snp_static_ta teepnet_attest_snp "\\.cc$"
                          teepnet_attest_core ${ov_common})
  teepnet_static_ta_clone(teepnet_attest_csv_static_ta teepnet_attest_csv "\\.cc$"
                          teepnet_attest_core ${ov_common})
  teepnet_static_ta_clone(teepnet_attest_dcap_static_ta teepnet_attest_dcap "\\.cc$"
                          teepnet_attest_core ${ov_common})
  teepnet_static_ta_clone(teepnet_attest_cca_psa_static_ta teepnet_attest_cca_psa "\\.cc$"
                          teepnet_attest_core teepnet_eat_static_ta teepnet_cose_static_ta
                          ${ov_common})
  teepnet_static_ta_clone(teepnet_attest_verifier_static_ta teepnet_attest_verifier "\\.cc$"
                          teepnet_attest_snp_static_ta teepnet_attest_csv_static_ta
                          teepnet_attest_dcap_static_ta teepnet_attest_cca_psa_static_ta
                          teepnet_eat_static_ta teepnet_attest_core ${ov_common})
  teepnet_static_ta_clone(teepnet_workload_verifier_static_ta teepnet_workload_verifier "\\.cc$"
                          teepnet_attest_verifier_static_ta ${ov_common})
  set(ov_deps teepnet_workload_verifier_static_ta)
else()
  set(ov_deps teepnet_workload_verifier)
endif()

teepnet_workload_ta(NAME onprem_verifier_ta SRCS onprem_verifier_ta.cc DEPS ${ov_deps})
