#include "teepnet/eat/teep_eat_claims.h"

#include <gtest/gtest.h>

#include "teepnet/eat/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::eat {
namespace {

using ::teepnet::testing::FailsWith;

TeepEatClaims Sample() {
  TeepEatClaims c;
  c.cnf_kid = Bytes(32, 0xba);
  c.nonce = Bytes(9, 0x94);
  c.ueid = Bytes(16, 0x01);
  c.oemid = Oemid{std::nullopt, Bytes{0x89, 0x48, 0x23}};
  c.hwmodel = Bytes(16, 0x54);
  c.hwversion = HwVersion{"1.3.4", 1};
  c.manifests =
      cbor::Value::Array({cbor::Value::Array({cbor::Value::Int(60), cbor::Value::Map()})});
  return c;
}

TEST(TeepEatClaimsTest, CborRoundTrips) {
  auto d = DecodeTeepEatClaims(EncodeTeepEatClaims(Sample()));
  TEEPNET_ASSERT_OK(d);
  EXPECT_EQ(d->cnf_kid, Sample().cnf_kid);
  EXPECT_EQ(d->nonce, Sample().nonce);
  EXPECT_EQ(d->oemid, Sample().oemid);
  EXPECT_EQ(d->hwversion, Sample().hwversion);
  EXPECT_EQ(*d->manifests, *Sample().manifests);
}

TEST(TeepEatClaimsTest, ManifestsAreWrittenWithRfc9711Label) {
  auto v = cbor::Decode(EncodeTeepEatClaims(Sample()));
  TEEPNET_ASSERT_OK(v);
  EXPECT_NE(v->Find(272), nullptr);
  EXPECT_EQ(v->Find(273), nullptr);
}

TEST(TeepEatClaimsTest, ShortNonceFails) {
  TeepEatClaims c;
  c.nonce = Bytes(7, 0);
  EXPECT_TRUE(FailsWith(DecodeTeepEatClaims(EncodeTeepEatClaims(c)), Errc::kBadClaim));
}

TEST(TeepEatClaimsTest, OemidOfAnOddSizeFails) {
  TeepEatClaims c;
  c.oemid = Oemid{std::nullopt, Bytes(4, 0)};
  EXPECT_TRUE(FailsWith(DecodeTeepEatClaims(EncodeTeepEatClaims(c)), Errc::kBadClaim));
}

TEST(TeepEatClaimsTest, JsonRoundTripsWithPenOemid) {
  TeepEatClaims c = Sample();
  c.cnf_kid.reset();
  c.manifests.reset();
  c.oemid = Oemid{64242, {}};
  auto back = TeepEatClaimsFromJson(TeepEatClaimsToJson(c));
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(back->oemid, c.oemid);
  EXPECT_EQ(back->ueid, c.ueid);
  EXPECT_EQ(back->hwversion, c.hwversion);
}

TEST(TeepEatClaimsTest, HwVersionThatIsNotAnArrayFails) {
  EXPECT_TRUE(FailsWith(TeepEatClaimsFromJson({{"hwversion", "1.0"}}), Errc::kBadClaim));
}

}  // namespace
}  // namespace teepnet::eat
