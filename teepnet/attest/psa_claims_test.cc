#include "teepnet/attest/psa_claims.h"

#include <gtest/gtest.h>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/cbor/value.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::attest {
namespace {

using ::teepnet::testing::FailsWith;

PsaClaims ValidClaims() {
  PsaClaims c;
  c.profile = kPsaProfile2;
  c.nonce = Bytes(32, 0xaa);
  c.instance_id = Bytes(33, 0x02);
  c.instance_id[0] = 0x01;
  c.client_id = 1;
  c.lifecycle = 0x3000;
  c.implementation_id = Bytes(32, 0x07);
  c.boot_seed = Bytes(32, 0x09);
  c.sw_components = SimFirmware("test");
  return c;
}

// Re-encodes `claims` with claim `key` replaced by `value` (or removed when value is null).
Bytes WithClaim(const PsaClaims& claims, int64_t key, std::optional<cbor::Value> value) {
  auto v = cbor::Decode(EncodePsaClaims(claims, PsaClaimsKind::kPsa));
  EXPECT_TRUE(v.ok());
  std::vector<cbor::Value::MapEntry> out;
  for (auto& [k, val] : v->map()) {
    if (k == cbor::Value::Int(key)) continue;
    out.emplace_back(k, val);
  }
  if (value) out.emplace_back(cbor::Value::Int(key), *value);
  return cbor::Encode(cbor::Value::Map(std::move(out)));
}

TEST(PsaClaimsTest, EncodeThenDecodeRoundTrips) {
  PsaClaims c = ValidClaims();
  auto d = DecodePsaClaims(EncodePsaClaims(c, PsaClaimsKind::kPsa), PsaClaimsKind::kPsa);
  TEEPNET_ASSERT_OK(d);
  EXPECT_EQ(d->nonce, c.nonce);
  EXPECT_EQ(d->instance_id, c.instance_id);
  EXPECT_EQ(d->client_id, c.client_id);
  ASSERT_EQ(d->sw_components.size(), 3u);
  EXPECT_EQ(d->sw_components[1].type, "PRoT");
  EXPECT_EQ(d->sw_components[1].measurement, c.sw_components[1].measurement);
}

TEST(PsaClaimsTest, NonceOfAnUnlistedSizeFails) {
  EXPECT_TRUE(
      FailsWith(DecodePsaClaims(WithClaim(ValidClaims(), 10, cbor::Value::Bytes(Bytes(31, 0))),
                                PsaClaimsKind::kPsa),
                Errc::kPsaBadClaim));
}

TEST(PsaClaimsTest, InstanceIdThatIsNotRandUeidFails) {
  Bytes id(33, 0x02);
  EXPECT_TRUE(FailsWith(
      DecodePsaClaims(WithClaim(ValidClaims(), 256, cbor::Value::Bytes(id)), PsaClaimsKind::kPsa),
      Errc::kPsaBadClaim));
}

TEST(PsaClaimsTest, MissingClientIdFailsForPsaButNotForCca) {
  PsaClaims c = ValidClaims();
  Bytes encoded = WithClaim(c, 2394, std::nullopt);
  EXPECT_TRUE(FailsWith(DecodePsaClaims(encoded, PsaClaimsKind::kPsa), Errc::kPsaMissingClaim));
  // CCA additionally needs platform config and hash alg: absent here.
  EXPECT_TRUE(
      FailsWith(DecodePsaClaims(encoded, PsaClaimsKind::kCcaPlatform), Errc::kPsaMissingClaim));
}

TEST(PsaClaimsTest, UndefinedLifecycleFails) {
  EXPECT_TRUE(FailsWith(DecodePsaClaims(WithClaim(ValidClaims(), 2395, cbor::Value::Int(0x7000)),
                                        PsaClaimsKind::kPsa),
                        Errc::kPsaBadClaim));
}

TEST(PsaClaimsTest, EmptySoftwareComponentsFail) {
  EXPECT_TRUE(FailsWith(
      DecodePsaClaims(WithClaim(ValidClaims(), 2399, cbor::Value::Array()), PsaClaimsKind::kPsa),
      Errc::kPsaBadClaim));
}

TEST(PsaClaimsTest, ClaimsThatAreNotAMapFail) {
  EXPECT_TRUE(FailsWith(DecodePsaClaims(cbor::Encode(cbor::Value::Array()), PsaClaimsKind::kPsa),
                        Errc::kPsaBadToken));
}

TEST(PsaClaimsTest, LifecycleStatesMapAsRfc9783Says) {
  EXPECT_EQ(LifecycleOf(0x3000), PsaLifecycle::kSecured);
  EXPECT_EQ(LifecycleOf(0x30ff), PsaLifecycle::kSecured);
  EXPECT_EQ(LifecycleOf(0x4001), PsaLifecycle::kNonPsaRotDebug);
  EXPECT_TRUE(IsDebugLifecycle(LifecycleOf(0x5000)));
  EXPECT_FALSE(IsDebugLifecycle(LifecycleOf(0x3003)));
  EXPECT_EQ(LifecycleOf(-1), PsaLifecycle::kInvalid);
}

// The fast path of DecodePsaClaims must agree with the general decoder on every input: the
// same success and claims, or the same error reason and offset.
void ExpectSameAsGeneral(ByteView payload, PsaClaimsKind kind) {
  auto fast = DecodePsaClaims(payload, kind, 7);
  auto general = DecodePsaClaimsGeneral(payload, kind, 7);
  ASSERT_EQ(fast.ok(), general.ok()) << (fast.ok() ? general.error() : fast.error()).ToString();
  if (!fast.ok()) {
    EXPECT_EQ(fast.error().reason(), general.error().reason()) << fast.error().ToString();
    EXPECT_EQ(fast.error().offset(), general.error().offset());
    return;
  }
  EXPECT_EQ(EncodePsaClaims(*fast, kind), EncodePsaClaims(*general, kind));
}

TEST(PsaClaimsFastPath, AgreesWithTheGeneralDecoderOnEverySingleByteChange) {
  for (PsaClaimsKind kind : {PsaClaimsKind::kPsa, PsaClaimsKind::kCcaPlatform}) {
    PsaClaims c = ValidClaims();
    c.sw_components[0].description = "sha-256";
    c.sw_components[0].version = "1.2";
    c.certification_reference = "1234567890123-12345";
    c.verification_service = "https://veraison.example";
    c.platform_config = Bytes(4, 1);
    c.hash_alg_id = "sha-256";
    const Bytes payload = EncodePsaClaims(c, kind);
    ExpectSameAsGeneral(payload, kind);
    for (size_t i = 0; i < payload.size(); ++i) {
      for (uint8_t delta : {uint8_t{1}, uint8_t{0x20}, uint8_t{0x80}}) {
        Bytes mutated = payload;
        mutated[i] ^= delta;
        ExpectSameAsGeneral(mutated, kind);
      }
      ExpectSameAsGeneral(ByteView(payload).first(i), kind);
    }
  }
}

TEST(PsaClaimsFastPath, LeavesUnusualButValidMapsToTheGeneralDecoder) {
  const PsaClaims c = ValidClaims();
  // A repeated claim (same key, non-preferred head) is invalid CBOR for the general decoder.
  Bytes dup = EncodePsaClaims(c, PsaClaimsKind::kPsa);
  ASSERT_EQ(dup[0] & 0xe0, 0xa0);
  dup[0] += 1;
  for (uint8_t b : {0x19, 0x09, 0x5a, 0x19, 0x30, 0x00}) dup.push_back(b);  // 2394 => 0x3000
  ExpectSameAsGeneral(dup, PsaClaimsKind::kPsa);
  EXPECT_FALSE(DecodePsaClaims(dup, PsaClaimsKind::kPsa).ok());
  // An unknown claim is ignored by both.
  Bytes unknown = WithClaim(c, -70000, cbor::Value::Text("x"));
  ExpectSameAsGeneral(unknown, PsaClaimsKind::kPsa);
  TEEPNET_EXPECT_OK(DecodePsaClaims(unknown, PsaClaimsKind::kPsa));
  // Trailing bytes after the map.
  Bytes trailing = EncodePsaClaims(c, PsaClaimsKind::kPsa);
  trailing.push_back(0x00);
  ExpectSameAsGeneral(trailing, PsaClaimsKind::kPsa);
  EXPECT_FALSE(DecodePsaClaims(trailing, PsaClaimsKind::kPsa).ok());
}

}  // namespace
}  // namespace teepnet::attest
