// The PSA and CCA vectors (shared/vectors/attestation/psa and cca, see their READMEs for the
// sources: veraison/services, veraison/ccatoken, confidential-containers/trustee).
#include <gtest/gtest.h>

#include <string>

#include "teepnet/attest/cca_appraiser.h"
#include "teepnet/attest/cca_token.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/attest/psa_endorsements.h"
#include "teepnet/attest/psa_token.h"
#include "teepnet/base/hex.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::attest {
namespace {

using ::teepnet::testing::FailsWith;
using ::teepnet::testing::HexOrDie;
using ::teepnet::testing::ReadVectorFile;

// The Veraison CoRIMs are valid from 2021-12-31 to 2025-12-31; appraise inside that window.
constexpr int64_t kWhenValid = 1735689600;    // 2025-01-01T00:00:00Z
constexpr int64_t kAfterExpiry = 1767225600;  // 2026-01-01: CoRIM validity has ended

std::string Text(const Bytes& b) {
  return std::string(AsChars(b));
}

PsaEndorsements PsaE2eEndorsements() {
  PsaEndorsements e;
  EXPECT_TRUE(
      e.AddCorim(ReadVectorFile("attestation/psa/veraison-e2e-psa-endorsements.corim.cbor")).ok());
  return e;
}

CcaEndorsements TrusteeEndorsements() {
  CcaEndorsements e;
  EXPECT_TRUE(
      e.AddTrustAnchorsJson(Text(ReadVectorFile("attestation/cca/trustee-tastore.json"))).ok());
  EXPECT_TRUE(
      e.AddReferenceValuesJson(Text(ReadVectorFile("attestation/cca/trustee-rvstore.json"))).ok());
  return e;
}

CcaEndorsements VeraisonCcaEndorsements() {
  CcaEndorsements e;
  EXPECT_TRUE(
      e.AddCorim(ReadVectorFile("attestation/cca/veraison-e2e-cca-endorsements.corim.cbor")).ok());
  EXPECT_TRUE(
      e.AddCorim(ReadVectorFile("attestation/cca/veraison-e2e-cca-realm-endorsements.corim.cbor"))
          .ok());
  return e;
}

// TF-RMM ships only the CPAK PEM; bind it to the identity the token claims.
CcaEndorsements TfRmmEndorsements(const Bytes& token) {
  CcaEndorsements e;
  auto parsed = ParseCcaToken(token);
  EXPECT_TRUE(parsed.ok());
  auto key = crypto::PublicKey::FromPem(
      Text(ReadVectorFile("attestation/cca/ccatoken-tfrmm-cca_platform.pub.pem")));
  EXPECT_TRUE(key.ok());
  e.AddTrustAnchor(PsaTrustAnchor{parsed->platform_claims.implementation_id,
                                  parsed->platform_claims.instance_id, *key});
  return e;
}

TEST(PsaVectorsTest, VeraisonEvidenceAppraisesAffirmingWithItsCorim) {
  Bytes token = ReadVectorFile("attestation/psa/veraison-e2e-psa-evidence.cbor");
  PsaPolicy policy;
  policy.nonce = HexOrDie("414a7c174141b3d0e9a1d28af31520f0d42299feac4007ded89d68ae6cd92f19");
  auto a = AppraisePsa(token, PsaE2eEndorsements(), policy, kWhenValid);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kAffirming);
  EXPECT_EQ(a->trust.executables, ar4si::kAffirming);
  EXPECT_EQ(a->claims.at("lifecycle"), "secured");
  EXPECT_EQ(a->claims.at("instance_id"),
            "01ceebae7b8927a3227e5303cf5e0f1f7b34bb542ad7250ac03fbcde36ec2f1508");
  EXPECT_EQ(a->report_data, *policy.nonce);
}

TEST(PsaVectorsTest, TrailingBytesAfterTheTokenAreRefused) {
  Bytes token = ReadVectorFile("attestation/psa/veraison-e2e-psa-evidence.cbor");
  for (Bytes tail : {Bytes{0x00}, Bytes(70, 0x00), Bytes{'t', 'e', 'e', 'p'}}) {
    Bytes t = token;
    t.insert(t.end(), tail.begin(), tail.end());
    auto r = ParsePsaToken(t);
    EXPECT_TRUE(FailsWith(r, Errc::kTrailingBytes));
    EXPECT_EQ(r.error().offset(), token.size());
  }
}

TEST(PsaVectorsTest, EveryTruncationFailsWithAReason) {
  Bytes token = ReadVectorFile("attestation/psa/veraison-e2e-psa-evidence.cbor");
  for (size_t n = 0; n < token.size(); ++n) {
    auto r = ParsePsaToken(ByteView(token).first(n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.error().domain(), Domain::kAttest) << n;
  }
}

TEST(PsaVectorsTest, WrongNonceIsContraindicated) {
  Bytes token = ReadVectorFile("attestation/psa/veraison-e2e-psa-evidence.cbor");
  PsaPolicy policy;
  policy.nonce = Bytes(32, 0x11);
  auto a = AppraisePsa(token, PsaE2eEndorsements(), policy, kWhenValid);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST(PsaVectorsTest, ProvisioningHarnessCorimsParse) {
  PsaEndorsements e;
  TEEPNET_ASSERT_OK(
      e.AddCorim(ReadVectorFile("attestation/psa/veraison-corim-psa-trustanchor.cbor")));
  TEEPNET_ASSERT_OK(e.AddCorim(ReadVectorFile("attestation/psa/veraison-corim-psa-refvalue.cbor")));
  EXPECT_EQ(e.trust_anchors().size(), 2u);
  EXPECT_FALSE(e.sw_references().empty());
  // The harness registers a different key under the e2e token's instance-id (its README: "not
  // paired with a token"), so the e2e token must fail its signature check against it.
  Bytes token = ReadVectorFile("attestation/psa/veraison-e2e-psa-evidence.cbor");
  auto a = AppraisePsa(token, e, PsaPolicy(), kWhenValid);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kCryptoValidationFailed);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
}

TEST(PsaVectorsTest, EveryBitFlipInTheSignedTokenNeverAffirms) {
  Bytes token = ReadVectorFile("attestation/psa/veraison-e2e-psa-evidence.cbor");
  PsaEndorsements e = PsaE2eEndorsements();
  size_t parsed = 0;
  for (size_t bit = 0; bit < token.size() * 8; ++bit) {
    Bytes m = token;
    m[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto a = AppraisePsa(m, e, PsaPolicy(), kWhenValid);
    if (!a.ok()) continue;  // no longer parses: rejected with a reason
    ++parsed;
    EXPECT_EQ(a->Overall(), Tier::kContraindicated) << "bit " << bit;
  }
  EXPECT_GT(parsed, token.size());  // most flips land in byte strings and still parse
}

struct CcaCase {
  const char* file;
  CcaEndorsements (*endorsements)(const Bytes&);
  bool references;  // the source publishes reference values for it
  const char* realm_challenge_hex_prefix;
};

CcaEndorsements Trustee(const Bytes&) {
  return TrusteeEndorsements();
}
CcaEndorsements Veraison(const Bytes&) {
  return VeraisonCcaEndorsements();
}

const CcaCase kCcaCases[] = {
    {"attestation/cca/ccatoken-tfrmm-cca_token.cbor", TfRmmEndorsements, false, "abababab"},
    {"attestation/cca/trustee-cca-example-token.cbor", Trustee, true, "57e979ae"},
    {"attestation/cca/veraison-e2e-cca-evidence.cbor", Veraison, true, "41424142"},
};

class CcaVectorsTest : public ::testing::TestWithParam<CcaCase> {};

TEST_P(CcaVectorsTest, GenuineTokenAppraisesWithItsEndorsements) {
  Bytes token = ReadVectorFile(GetParam().file);
  CcaPolicy policy;
  policy.platform.require_reference_values = GetParam().references;
  policy.require_realm_reference_values = GetParam().references;
  auto a = AppraiseCca(token, GetParam().endorsements(token), policy, kWhenValid);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kAffirming) << ::testing::PrintToString(a->notes);
  EXPECT_EQ(a->trust.hardware, ar4si::kHardwareGenuine);
  EXPECT_EQ(a->trust.configuration, ar4si::kAffirming);
  if (GetParam().references) {
    EXPECT_EQ(a->Overall(), Tier::kAffirming) << ::testing::PrintToString(a->notes);
  } else {
    EXPECT_EQ(a->Overall(), Tier::kWarning) << ::testing::PrintToString(a->notes);
  }
  EXPECT_EQ(ToHex(a->report_data).substr(0, 8), GetParam().realm_challenge_hex_prefix);
}

TEST_P(CcaVectorsTest, EveryBitFlipInEitherSignedTokenNeverAffirms) {
  Bytes token = ReadVectorFile(GetParam().file);
  CcaEndorsements e = GetParam().endorsements(token);
  auto parsed = ParseCcaToken(token);
  ASSERT_TRUE(parsed.ok());
  // Flip bits only inside the two COSE_Sign1 structures (the signed regions and signatures).
  size_t flips = 0;
  for (ByteView region : {parsed->platform_token, parsed->realm_token}) {
    const size_t start = static_cast<size_t>(region.data() - token.data());
    for (size_t i = 0; i < region.size(); ++i) {
      // One flip per byte, the bit position rotating, keeps the suite fast (each appraisal
      // costs two ES384 verifications); every byte of both tokens is hit.
      Bytes m = token;
      m[start + i] ^= static_cast<uint8_t>(1u << (i % 8));
      auto a = AppraiseCca(m, e, CcaPolicy(), kWhenValid);
      ++flips;
      if (a.ok()) {
        EXPECT_EQ(a->Overall(), Tier::kContraindicated) << "byte " << start + i;
      }
    }
  }
  EXPECT_EQ(flips, parsed->platform_token.size() + parsed->realm_token.size());
}

TEST_P(CcaVectorsTest, AnotherChipsKeyIsContraindicated) {
  Bytes token = ReadVectorFile(GetParam().file);
  auto parsed = ParseCcaToken(token);
  ASSERT_TRUE(parsed.ok());
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kP384);
  ASSERT_TRUE(other.ok());
  CcaEndorsements e;
  e.AddTrustAnchor(PsaTrustAnchor{parsed->platform_claims.implementation_id,
                                  parsed->platform_claims.instance_id, other->public_key()});
  auto a = AppraiseCca(token, e, CcaPolicy(), kWhenValid);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kCryptoValidationFailed);
}

TEST_P(CcaVectorsTest, TrailingBytesAfterTheCollectionAreRefused) {
  Bytes token = ReadVectorFile(GetParam().file);
  token.push_back(0);
  EXPECT_TRUE(FailsWith(ParseCcaToken(token), Errc::kTrailingBytes));
}

TEST_P(CcaVectorsTest, EveryTruncationFailsWithAReason) {
  Bytes token = ReadVectorFile(GetParam().file);
  for (size_t n = 0; n < token.size(); ++n) {
    auto r = ParseCcaToken(ByteView(token).first(n));
    ASSERT_FALSE(r.ok()) << n;
    EXPECT_EQ(r.error().domain(), Domain::kAttest) << n;
  }
}

INSTANTIATE_TEST_SUITE_P(Genuine, CcaVectorsTest, ::testing::ValuesIn(kCcaCases));

TEST(CcaVectorsTest2, ExpiredCorimsNoLongerEndorseThePlatform) {
  Bytes token = ReadVectorFile("attestation/cca/veraison-e2e-cca-evidence.cbor");
  auto a = AppraiseCca(token, VeraisonCcaEndorsements(), CcaPolicy(), kAfterExpiry);
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(a->Overall(), Tier::kContraindicated);
  EXPECT_EQ(a->trust.instance_identity, ar4si::kUnrecognizedInstance);
}

TEST(CcaVectorsTest2, RealmKeyEncodingsAreBothRead) {
  auto raw = ParseCcaToken(ReadVectorFile("attestation/cca/trustee-cca-example-token.cbor"));
  auto cose = ParseCcaToken(ReadVectorFile("attestation/cca/veraison-e2e-cca-evidence.cbor"));
  ASSERT_TRUE(raw.ok() && cose.ok());
  EXPECT_EQ(raw->realm_claims.key_encoding, RealmKeyEncoding::kSec1Point);
  EXPECT_EQ(cose->realm_claims.key_encoding, RealmKeyEncoding::kCoseKey);
  EXPECT_TRUE(RealmPublicKey(raw->realm_claims).ok());
  EXPECT_TRUE(RealmPublicKey(cose->realm_claims).ok());
}

}  // namespace
}  // namespace teepnet::attest
