# Real attester backends (configfs-tsm, /dev/sev-guest, /dev/tdx_guest) behind attest::Platform,
# with the name-based factory and probe. Evidence measurements are read with the SNP, DCAP and
# CCA parsers, so the backends depend on those families.
teepnet_cc_library(NAME teepnet_attest_real
  SRCS real_platform_evidence.cc configfs_tsm_platform.cc sev_guest_certs.cc
       sev_guest_platform.cc tdx_guest_platform.cc real_platform.cc
  DEPS teepnet_attest_core teepnet_attest_snp teepnet_attest_dcap teepnet_attest_cca_psa
       teepnet_crypto teepnet_base)

teepnet_cc_test(NAME attest_real_test
  SRCS configfs_tsm_fake_kernel.cc configfs_tsm_platform_test.cc sev_guest_platform_test.cc
       tdx_guest_platform_test.cc real_platform_test.cc
  DEPS teepnet_attest_real teepnet_attest_snp teepnet_attest_dcap teepnet_attest_cca_psa
       teepnet_testing LABELS unit)
