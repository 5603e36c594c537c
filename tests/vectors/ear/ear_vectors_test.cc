// EAR examples (draft-ietf-rats-ear cddl/examples, commit 126b500b; veraison/ear arc/data and
// test JWTs, commit 961756ed) and the TEEP EAT claims example (draft-ietf-teep-protocol
// Appendix D.2), each rebuilt with the teepnet::eat model and compared claim by claim.
#include <gtest/gtest.h>

#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/eat/ear.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/eat/errc.h"
#include "teepnet/eat/jwk.h"
#include "teepnet/eat/teep_eat_claims.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"
#include "tests/vectors/ear/edn_reader.h"

namespace teepnet::eat {
namespace {

using ::teepnet::testing::HexOrDie;
using ::teepnet::testing::ReadEdn;
using ::teepnet::testing::ReadVectorFile;
using ::teepnet::testing::ReadVectorJson;

std::string Text(const std::string& path) {
  return std::string(AsChars(ReadVectorFile(path)));
}

cbor::Value Edn(const std::string& path) {
  auto v = ReadEdn(Text(path));
  EXPECT_TRUE(v.ok()) << path << ": " << (v.ok() ? "" : v.error().ToString());
  return v.ok() ? *v : cbor::Value();
}

nlohmann::json Json(const std::string& path) {
  return nlohmann::json::parse(Text(path), nullptr, /*allow_exceptions=*/false);
}

// The example EAR of ear-cbor-1.diag / ear-json-1.diag, built with the model.
Ear Example1(Bytes raw_evidence) {
  Ear e;
  e.iat = 1666529184;
  e.verifier_developer = "https://veraison-project.org";
  e.verifier_build = "vts 0.0.1";
  e.raw_evidence = std::move(raw_evidence);
  EarAppraisal a;
  a.status = attest::Tier::kContraindicated;
  a.trust.instance_identity = 2;
  a.trust.executables = 96;
  a.trust.hardware = 2;
  a.policy_ids = {"https://veraison.example/policy/1/60a0068d"};
  e.submods["PSA"] = a;
  return e;
}

void ExpectSameCbor(cbor::Value a, cbor::Value b) {
  a.SortMapsDeterministically();
  b.SortMapsDeterministically();
  EXPECT_TRUE(a == b) << "\nbuilt:    " << ToHex(cbor::Encode(a))
                      << "\nexpected: " << ToHex(cbor::Encode(b));
}

TEST(EarVectorsTest, EarCbor1IsRepresentable) {
  cbor::Value diag = Edn("ear/ear-cbor-1.diag");
  auto parsed = EarFromCbor(diag);
  TEEPNET_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->profile, kEarProfile);
  EXPECT_EQ(parsed->iat, 1666529184);
  EXPECT_EQ(parsed->submods.at("PSA").status, attest::Tier::kContraindicated);
  EXPECT_EQ(parsed->submods.at("PSA").trust.executables, 96);
  Ear built = Example1(HexOrDie("6C696665626F61746D616E"));
  ExpectSameCbor(EarToCbor(built), diag);
}

TEST(EarVectorsTest, EarJson1IsRepresentable) {
  nlohmann::json j = Json("ear/ear-json-1.diag");
  ASSERT_FALSE(j.is_discarded());
  auto parsed = EarFromJson(j);
  TEEPNET_ASSERT_OK(parsed);
  auto raw = Base64UrlDecode("NzQ3MjY5NzM2NTYzNzQK");
  TEEPNET_ASSERT_OK(raw);
  Ear built = Example1(*raw);
  EXPECT_EQ(EarToJson(built), j) << EarToJson(built).dump(2);
  EXPECT_EQ(EarToJson(*parsed), j);
}

TEST(EarVectorsTest, EarJson2WithTwoSubmodulesRoundTrips) {
  nlohmann::json j = Json("ear/ear-json-2.diag");
  auto parsed = EarFromJson(j);
  TEEPNET_ASSERT_OK(parsed);
  EXPECT_EQ(parsed->submods.size(), 2u);
  EXPECT_EQ(parsed->submods.at("CCA Realm").trust.instance_identity, 2);
  EXPECT_EQ(EarToJson(*parsed), j);
}

TEST(EarVectorsTest, ExtTeepCbor1IsRepresentable) {
  cbor::Value diag = Edn("ear/ext-teep-cbor-1.diag");
  auto parsed = EarFromCbor(diag);
  TEEPNET_ASSERT_OK(parsed);
  const EarAppraisal& a = parsed->submods.at("PSA");
  ASSERT_TRUE(a.teep.has_value());
  EXPECT_EQ(a.teep->oemid->pen, 64242);
  Ear built = Example1(HexOrDie("6C696665626F61746D616E"));
  EarAppraisal& b = built.submods["PSA"];
  b.status = attest::Tier::kNone;
  b.trust = attest::TrustVector();
  b.trust.instance_identity = 2;
  b.trust.configuration = 2;
  b.trust.executables = 2;
  b.trust.hardware = 2;
  TeepEatClaims t;
  t.nonce = HexOrDie("948f8860d13a463e");
  t.ueid = HexOrDie("0198f50a4ff6c05861c8860d13a638ea");
  t.oemid = Oemid{64242, {}};
  t.hwmodel = HexOrDie("ee80f5a66c1fb9742999a8fdab930893");
  t.hwversion = HwVersion{"1.2.5", 16384};
  b.teep = t;
  ExpectSameCbor(EarToCbor(built), diag);
}

TEST(EarVectorsTest, ExtTeepJson1IsRepresentable) {
  nlohmann::json j = Json("ear/ext-teep-json-1.diag");
  auto parsed = EarFromJson(j);
  TEEPNET_ASSERT_OK(parsed);
  const EarAppraisal& a = parsed->submods.at("PSA");
  ASSERT_TRUE(a.teep.has_value());
  EXPECT_EQ(a.teep->ueid->size(), 33u);
  EXPECT_EQ(a.teep->oemid->bytes, (Bytes{0x02, 0xff, 0x01}));
  EXPECT_EQ(a.teep->hwversion->version, "1.2.5");
  // Vector quirk: the example eat_nonce "...V6p" has non-zero bits after its last byte, so
  // it re-encodes canonically as "...V6o"; everything else is identical.
  EXPECT_EQ(a.teep->nonce->size(), 26u);
  nlohmann::json rebuilt = EarToJson(*parsed);
  EXPECT_EQ(rebuilt["submods"]["PSA"]["ear_teep_claims"]["eat_nonce"],
            "80FH7byS7VjfARIq0_KLqu6B9j-F79QtV6o");
  rebuilt["submods"]["PSA"]["ear_teep_claims"]["eat_nonce"] =
      j["submods"]["PSA"]["ear_teep_claims"]["eat_nonce"];
  EXPECT_EQ(rebuilt, j) << rebuilt.dump(2);
}

TEST(EarVectorsTest, VeraisonExtensionsAreIgnoredNotRefused) {
  auto cbor_ext = EarFromCbor(Edn("ear/ext-veraison-cbor-1.diag"));
  TEEPNET_ASSERT_OK(cbor_ext);
  EXPECT_EQ(cbor_ext->submods.at("PSA_IOT").trust.configuration, 2);
  for (const char* f : {"ear/ext-veraison-json-1.diag", "ear/ext-veraison-json-2.diag"}) {
    TEEPNET_EXPECT_OK(EarFromJson(Json(f)));
  }
}

TEST(EarLegacyVectorsTest, VeraisonJwtVerifiesWithThePublishedKey) {
  auto key = PublicKeyFromJwk(ReadVectorJson("ear/veraison-ear-legacy/pkey.json"));
  TEEPNET_ASSERT_OK(key);
  for (const char* f : {"ear/veraison-ear-legacy/test-ear-es256.jwt",
                        "ear/veraison-ear-legacy/test-ear-es256-with-jwk-header.jwt"}) {
    std::string jwt = Text(f);
    while (!jwt.empty() && (jwt.back() == '\n' || jwt.back() == '\r')) jwt.pop_back();
    auto ear = VerifyEarJwt(jwt, *key);
    TEEPNET_ASSERT_OK(ear);
    EXPECT_EQ(ear->profile, kEarLegacyProfile);
    const EarAppraisal& a = ear->submods.at("test");
    EXPECT_EQ(a.status, attest::Tier::kAffirming);
    EXPECT_EQ(a.trust.executables, 3);
    EXPECT_EQ(a.trust.sourced_data, 2);
    EXPECT_EQ(a.policy_ids, std::vector<std::string>{"https://veraison.example/policy/1/60a0068d"});
    // A Relying Party accepting legacy EARs, at a time inside the freshness window.
    RelyingPartyPolicy policy;
    policy.now = ear->iat + 60;
    TEEPNET_EXPECT_OK(AcceptEarJwt(jwt, *key, policy));
    policy.now = ear->iat + 3600;
    EXPECT_TRUE(::teepnet::testing::FailsWith(AcceptEarJwt(jwt, *key, policy), Errc::kStale));
  }
}

TEST(EarLegacyVectorsTest, VeraisonJwtFailsWithAnotherKey) {
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(other);
  std::string jwt = Text("ear/veraison-ear-legacy/test-ear-es256.jwt");
  while (!jwt.empty() && jwt.back() == '\n') jwt.pop_back();
  EXPECT_TRUE(::teepnet::testing::FailsWith(VerifyEarJwt(jwt, other->public_key()),
                                            Errc::kSignatureInvalid));
}

TEST(EarLegacyVectorsTest, ClaimSetsParse) {
  for (const char* f :
       {"ear-claims.json", "ear-claims-tv-ok.json", "ear-claims-extension-ok.json",
        "ear-claims-key-attestation-ok.json", "ear-claims-key-attestation-ko.json"}) {
    auto ear = EarFromJson(ReadVectorJson(std::string("ear/veraison-ear-legacy/") + f));
    TEEPNET_EXPECT_OK(ear) << f;
  }
}

TEST(TeepEatVectorsTest, TeepEatClaimsExampleIsRepresentable) {
  std::string text = Text("eat/teep-eat-claims.diag");
  // Vector quirk: a comment contains "application/cbor", and '/' ends an EDN comment.
  for (size_t p = text.find("application/cbor"); p != std::string::npos;
       p = text.find("application/cbor")) {
    text[p + 11] = '-';
  }
  auto diag = ReadEdn(text);
  TEEPNET_ASSERT_OK(diag);
  auto claims = TeepEatClaimsFromCbor(*diag);
  TEEPNET_ASSERT_OK(claims);
  EXPECT_EQ(*claims->cnf_kid,
            HexOrDie("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
  EXPECT_EQ(*claims->nonce, HexOrDie("948f8860d13a463e8e"));
  EXPECT_EQ(*claims->ueid, HexOrDie("0198f50a4ff6c05861c8860d13a638ea"));
  EXPECT_EQ(claims->oemid->bytes, HexOrDie("894823"));
  EXPECT_EQ(*claims->hwmodel, HexOrDie("549dcecc8b987c737b44e40f7c635ce8"));
  EXPECT_EQ(*claims->hwversion, (HwVersion{"1.3.4", 1}));
  ASSERT_TRUE(claims->manifests.has_value());
  // Re-encoded with the example's own manifests label (273) it is the same claims set.
  auto again = cbor::Decode(EncodeTeepEatClaims(*claims, eat_claim::kManifestsTeepDraft));
  TEEPNET_ASSERT_OK(again);
  ExpectSameCbor(*again, *diag);
}

}  // namespace
}  // namespace teepnet::eat
