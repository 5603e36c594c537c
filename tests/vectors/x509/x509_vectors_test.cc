// X.509 chain validation over genuine vendor certificates (shared/vectors/attestation, see
// the README.md beside each set for provenance and the facts checked here).
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/x509.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::crypto {
namespace {

using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;
using ::teepnet::testing::ReadVectorFile;
using ::teepnet::testing::ReadVectorJson;

constexpr int64_t k2025 = 1735689600;  // 2025-01-01: inside every chain's validity
constexpr int64_t k2050 = 2524608000;  // 2050-01-01: after every certificate here expired

std::vector<Certificate> Bundle(const std::string& path) {
  Bytes pem = ReadVectorFile(path);
  auto certs = Certificate::ParsePemBundle(AsChars(pem));
  EXPECT_TRUE(certs.ok()) << path;
  return certs.ok() ? *certs : std::vector<Certificate>{};
}

Certificate Der(const std::string& path) {
  auto cert = Certificate::FromDer(ReadVectorFile(path));
  if (!cert.ok()) ADD_FAILURE() << path << ": " << cert.error().ToString();
  return *cert;
}

ChainOptions At(int64_t t) {
  ChainOptions o;
  o.at_unix_time = t;
  return o;
}

struct AmdChain {
  const char* name;
  const char* ask_ark;
  const char* vcek;
};

// README (sev-snp): the ask_ark files hold the ASK first, then the self-signed ARK; each VCEK
// chains VCEK → ASK → ARK with RSASSA-PSS/SHA-384.
const AmdChain kAmdChains[] = {
    {"milan-gosevguest", "attestation/sev-snp/gosevguest-ask_ark_milan.pem",
     "attestation/sev-snp/gosevguest-vcek.der"},
    {"milan-trustee", "attestation/sev-snp/gosevguest-ask_ark_milan.pem",
     "attestation/sev-snp/trustee-test-vcek.der"},
    {"milan-virtee", "attestation/sev-snp/gosevguest-ask_ark_milan.pem",
     "attestation/sev-snp/virtee-vcek_milan.der"},
    {"turin-virtee", "attestation/sev-snp/virtee-cert_chain_turin.pem",
     "attestation/sev-snp/virtee-vcek_turin.der"},
};

class AmdChainTest : public ::testing::TestWithParam<AmdChain> {};

TEST_P(AmdChainTest, VcekChainsToArkInsideValidity) {
  std::vector<Certificate> ask_ark = Bundle(GetParam().ask_ark);
  ASSERT_EQ(ask_ark.size(), 2u);
  Certificate vcek = Der(GetParam().vcek);
  TEEPNET_EXPECT_OK(VerifyChain(vcek, {ask_ark[0]}, {ask_ark[1]}, At(k2025)));
  EXPECT_TRUE(ask_ark[1].is_ca());
  EXPECT_FALSE(vcek.is_ca());
  auto key = vcek.public_key();
  TEEPNET_ASSERT_OK(key);
  EXPECT_EQ(key->type(), KeyType::kP384);
  auto ark_key = ask_ark[1].public_key();
  TEEPNET_ASSERT_OK(ark_key);
  EXPECT_EQ(ark_key->type(), KeyType::kRsa);
}

TEST_P(AmdChainTest, VcekChainFailsAfterExpiry) {
  std::vector<Certificate> ask_ark = Bundle(GetParam().ask_ark);
  ASSERT_EQ(ask_ark.size(), 2u);
  EXPECT_TRUE(FailsWith(VerifyChain(Der(GetParam().vcek), {ask_ark[0]}, {ask_ark[1]}, At(k2050)),
                        Errc::kCertificateExpired));
}

TEST_P(AmdChainTest, TamperedVcekSignatureFails) {
  std::vector<Certificate> ask_ark = Bundle(GetParam().ask_ark);
  ASSERT_EQ(ask_ark.size(), 2u);
  Bytes der = ReadVectorFile(GetParam().vcek);
  der[der.size() - 5] ^= 0x01;  // inside the signature's INTEGER s
  auto tampered = Certificate::FromDer(der);
  TEEPNET_ASSERT_OK(tampered);
  EXPECT_TRUE(FailsWith(VerifyChain(*tampered, {ask_ark[0]}, {ask_ark[1]}, At(k2025)),
                        Errc::kCertificateInvalid));
}

INSTANTIATE_TEST_SUITE_P(Genuine, AmdChainTest, ::testing::ValuesIn(kAmdChains),
                         [](const ::testing::TestParamInfo<AmdChain>& param_info) {
                           std::string name = param_info.param.name;
                           for (char& c : name) {
                             if (c == '-') c = '_';
                           }
                           return name;
                         });

TEST(AmdChainTest, VcekCarriesTheTcbExtensionsTheReadmeLists) {
  // README (sev-snp): trustee VCEK blSPL=3, teeSPL=0, snpSPL=8, ucodeSPL=0x73, each a DER
  // INTEGER under 1.3.6.1.4.1.3704.1.3.x; hwID (1.3.6.1.4.1.3704.1.4) is the 64-byte chip ID.
  Certificate vcek = Der("attestation/sev-snp/trustee-test-vcek.der");
  EXPECT_EQ(vcek.Extension("1.3.6.1.4.1.3704.1.3.1"), Bytes({0x02, 0x01, 0x03}));
  EXPECT_EQ(vcek.Extension("1.3.6.1.4.1.3704.1.3.2"), Bytes({0x02, 0x01, 0x00}));
  EXPECT_EQ(vcek.Extension("1.3.6.1.4.1.3704.1.3.3"), Bytes({0x02, 0x01, 0x08}));
  EXPECT_EQ(vcek.Extension("1.3.6.1.4.1.3704.1.3.8"), Bytes({0x02, 0x01, 0x73}));
  auto hwid = vcek.Extension("1.3.6.1.4.1.3704.1.4");
  ASSERT_TRUE(hwid.has_value());
  // AMD stores the 64 chip-ID bytes directly as the extension value (no inner OCTET STRING).
  EXPECT_EQ(hwid->size(), 64u);
}

TEST(AmdChainTest, WrongArkFails) {
  std::vector<Certificate> milan = Bundle("attestation/sev-snp/gosevguest-ask_ark_milan.pem");
  std::vector<Certificate> genoa = Bundle("attestation/sev-snp/gosevguest-ask_ark_genoa.pem");
  ASSERT_EQ(milan.size(), 2u);
  ASSERT_EQ(genoa.size(), 2u);
  Certificate vcek = Der("attestation/sev-snp/gosevguest-vcek.der");
  EXPECT_TRUE(
      FailsWith(VerifyChain(vcek, {milan[0]}, {genoa[1]}, At(k2025)), Errc::kChainUntrusted));
  // The Milan ASK cannot stand in for the root either.
  EXPECT_TRUE(
      FailsWith(VerifyChain(vcek, {}, {genoa[0], genoa[1]}, At(k2025)), Errc::kChainUntrusted));
  // ASK → ARK for Genoa on its own is fine.
  TEEPNET_EXPECT_OK(VerifyChain(genoa[0], {}, {genoa[1]}, At(k2025)));
}

TEST(AmdChainTest, ArkFingerprintMatchesReadme) {
  std::vector<Certificate> milan = Bundle("attestation/sev-snp/gosevguest-ask_ark_milan.pem");
  ASSERT_EQ(milan.size(), 2u);
  EXPECT_EQ(ToHex(Sha256(milan[1].der())),
            "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd");
}

// ---- Intel -----------------------------------------------------------------------------

Certificate IntelRoot() {
  return Der("attestation/sgx/intel-sgx-root-ca.der");
}

TEST(IntelRootTest, PemAndDerCopiesAreTheSameSelfSignedRoot) {
  std::vector<Certificate> pem = Bundle("attestation/tdx/intel-sgx-root-ca.pem");
  ASSERT_EQ(pem.size(), 1u);
  Certificate root = IntelRoot();
  EXPECT_EQ(pem[0].der(), root.der());
  EXPECT_EQ(ToHex(Sha256(root.der())),
            "44a0196b2b99f889b8e149e95b807a350e7424964399e885a7cbb8ccfab674d3");
  TEEPNET_EXPECT_OK(VerifyChain(root, {}, {root}, At(k2025)));
  EXPECT_TRUE(FailsWith(VerifyChain(root, {}, {root}, At(k2050)), Errc::kCertificateExpired));
}

// The PCK chain embedded (PEM, certification data type 5) in a DCAP quote.
std::vector<Certificate> QuotePckChain(const std::string& path) {
  Bytes quote = ReadVectorFile(path);
  std::string_view text = AsChars(quote);
  size_t begin = text.find("-----BEGIN CERTIFICATE-----");
  size_t end = text.rfind("-----END CERTIFICATE-----");
  if (begin == std::string_view::npos || end == std::string_view::npos) {
    ADD_FAILURE() << "no PEM chain in " << path;
    return {};
  }
  auto certs = Certificate::ParsePemBundle(
      text.substr(begin, end + std::string_view("-----END CERTIFICATE-----").size() - begin));
  if (!certs.ok()) {
    ADD_FAILURE() << certs.error().ToString();
    return {};
  }
  return *certs;
}

class IntelPckChainTest : public ::testing::TestWithParam<const char*> {};

TEST_P(IntelPckChainTest, PckLeafChainsToIntelRoot) {
  std::vector<Certificate> chain = QuotePckChain(GetParam());
  ASSERT_EQ(chain.size(), 3u);  // leaf, PCK Platform/Processor CA, root
  EXPECT_EQ(chain[2].der(), IntelRoot().der());
  int64_t t = std::max(chain[0].not_before(), k2025 - 365 * 86400);
  TEEPNET_EXPECT_OK(VerifyChain(chain[0], {chain[1]}, {IntelRoot()}, At(t)));
  EXPECT_TRUE(FailsWith(VerifyChain(chain[0], {chain[1]}, {IntelRoot()}, At(k2050)),
                        Errc::kCertificateExpired));
  // SGX PCK extension (1.2.840.113741.1.13.1) is present on every PCK leaf.
  EXPECT_TRUE(chain[0].Extension("1.2.840.113741.1.13.1").has_value());
  // An AMD root is no anchor for it.
  std::vector<Certificate> amd = Bundle("attestation/sev-snp/gosevguest-ask_ark_milan.pem");
  ASSERT_EQ(amd.size(), 2u);
  EXPECT_TRUE(FailsWith(VerifyChain(chain[0], {chain[1]}, {amd[1]}, At(t)), Errc::kChainUntrusted));
}

INSTANTIATE_TEST_SUITE_P(Genuine, IntelPckChainTest,
                         ::testing::Values("attestation/tdx/dcapqvl-tdx_quote.bin",
                                           "attestation/tdx/trustee-tdx_quote_4.dat",
                                           "attestation/tdx/gotdxguest-quote_v5_sample.dat",
                                           "attestation/sgx/dcapqvl-sgx_quote.bin"));

TEST(IntelCollateralTest, SigningChainsFromCollateralVerify) {
  for (const char* file : {"attestation/tdx/dcapqvl-tdx_quote_collateral.json",
                           "attestation/sgx/dcapqvl-sgx_quote_collateral.json"}) {
    SCOPED_TRACE(file);
    nlohmann::json c = ReadVectorJson(file);
    for (const char* field :
         {"tcb_info_issuer_chain", "qe_identity_issuer_chain", "pck_crl_issuer_chain"}) {
      auto chain = Certificate::ParsePemBundle(c[field].get<std::string>());
      TEEPNET_ASSERT_OK(chain);
      ASSERT_EQ(chain->size(), 2u) << field;
      // Signing certificates are short-lived; evaluate a day into the leaf's validity.
      int64_t t = (*chain)[0].not_before() + 86400;
      TEEPNET_EXPECT_OK(VerifyChain((*chain)[0], {}, {IntelRoot()}, At(t))) << field;
      EXPECT_TRUE(
          FailsWith(VerifyChain((*chain)[0], {}, {IntelRoot()}, At((*chain)[0].not_after() + 1)),
                    Errc::kCertificateExpired));
    }
  }
}

TEST(IntelCrlTest, GenuineCrlsParseAndNameTheirIssuers) {
  auto root_crl = Crl::FromDer(ReadVectorFile("attestation/tdx/gotdxguest-rootcrl.der"));
  TEEPNET_ASSERT_OK(root_crl);
  EXPECT_EQ(root_crl->issuer(), IntelRoot().subject());
  EXPECT_EQ(root_crl->this_update(), 1680517371);  // 2023-04-03 10:22:51 UTC
  EXPECT_EQ(root_crl->next_update(), 1712053371);  // 2024-04-02 10:22:51 UTC
  auto pck_crl = Crl::FromDer(ReadVectorFile("attestation/tdx/gotdxguest-pckcrl.der"));
  TEEPNET_ASSERT_OK(pck_crl);
  EXPECT_NE(pck_crl->issuer().find("CN=Intel SGX PCK Platform CA"), std::string::npos);
  EXPECT_EQ(pck_crl->this_update(), 1686209272);  // 2023-06-08 07:27:52 UTC
}

TEST(IntelCrlTest, TdxPckChainPassesWithCollateralCrls) {
  nlohmann::json c = ReadVectorJson("attestation/tdx/dcapqvl-tdx_quote_collateral.json");
  auto pck_crl = Crl::FromDer(HexOrDie(c["pck_crl"].get<std::string>()));
  auto root_crl = Crl::FromDer(HexOrDie(c["root_ca_crl"].get<std::string>()));
  TEEPNET_ASSERT_OK(pck_crl);
  TEEPNET_ASSERT_OK(root_crl);
  std::vector<Certificate> chain = QuotePckChain("attestation/tdx/dcapqvl-tdx_quote.bin");
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_FALSE(pck_crl->IsRevoked(chain[0]));
  EXPECT_FALSE(root_crl->IsRevoked(chain[1]));
  ChainOptions options = At(std::max(chain[0].not_before(), pck_crl->this_update()));
  options.crls = {*pck_crl, *root_crl};
  options.require_crls = true;
  TEEPNET_EXPECT_OK(VerifyChain(chain[0], {chain[1]}, {IntelRoot()}, options));
  // Without the PCK CRL the requirement is not met.
  options.crls = {*root_crl};
  EXPECT_TRUE(
      FailsWith(VerifyChain(chain[0], {chain[1]}, {IntelRoot()}, options), Errc::kChainUntrusted));
}

}  // namespace
}  // namespace teepnet::crypto
