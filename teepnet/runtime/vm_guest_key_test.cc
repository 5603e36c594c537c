#include "teepnet/runtime/vm_guest_key.h"

#include <gtest/gtest.h>

#include "teepnet/crypto/random.h"
#include "teepnet/runtime/errc.h"
#include "teepnet/runtime/ta_wire.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using ::teepnet::testing::FailsWith;

crypto::PrivateKey NewKey() {
  return *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
}

TEST(GuestKey, RoundTripsAndBindsTheReportDataToTheKey) {
  const crypto::PrivateKey guest = NewKey();
  GuestKey key{guest.public_key().RawPublic(), "", Bytes{9, 8, 7}};
  auto decoded = DecodeGuestKey(EncodeGuestKey(key));
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(decoded->public_key, key.public_key);
  EXPECT_EQ(decoded->evidence, key.evidence);
  const Bytes report_data = GuestReportData(key.public_key);
  EXPECT_EQ(report_data.size(), kGuestReportDataBytes);
  EXPECT_NE(report_data, GuestReportData(NewKey().public_key().RawPublic()));
}

TEST(GuestKey, RefusesAShortKeyAFieldPastTheEndAndOversizedEvidence) {
  GuestKey short_key{Bytes(31, 1), "", {}};
  EXPECT_TRUE(FailsWith(DecodeGuestKey(EncodeGuestKey(short_key)), Errc::kBadFrame));
  Bytes cut = EncodeGuestKey(GuestKey{Bytes(32, 1), "why", {}});
  cut.pop_back();
  EXPECT_TRUE(FailsWith(DecodeGuestKey(cut), Errc::kBadFrame));
  GuestKey big{Bytes(32, 1), "", Bytes(kMaxGuestEvidenceBytes + 1, 0)};
  EXPECT_TRUE(FailsWith(DecodeGuestKey(EncodeGuestKey(big)), Errc::kBadFrame));
}

TEST(GuestPd, OpensOnlyInTheGuestItWasSealedTo) {
  const crypto::PrivateKey guest = NewKey();
  const Bytes inner = EncodePlaintextPd(AsBytes("pd for the VM"));
  auto sealed = SealPdForGuest(guest.public_key(), inner, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(sealed);
  EXPECT_EQ((*sealed)[0], kPdFormGuestSealed);
  auto opened = OpenPdInGuest(guest, *sealed);
  TEEPNET_ASSERT_OK(opened);
  EXPECT_EQ(ToBytes(opened->view()), inner);
  // Another guest, a flipped bit or a PD in any other form does not open.
  EXPECT_FALSE(OpenPdInGuest(NewKey(), *sealed).ok());
  Bytes flipped = *sealed;
  flipped.back() ^= 1;
  EXPECT_FALSE(OpenPdInGuest(guest, flipped).ok());
  EXPECT_TRUE(FailsWith(OpenPdInGuest(guest, inner), Errc::kBadFrame));
  EXPECT_TRUE(FailsWith(OpenPdInGuest(guest, {}), Errc::kBadFrame));
}

}  // namespace
}  // namespace teepnet::runtime
