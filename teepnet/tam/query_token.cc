#include "teepnet/tam/query_token.h"

#include <limits>
#include <string>
#include <string_view>
#include <utility>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/tam/errc.h"

namespace teepnet::tam {
namespace {

constexpr uint8_t kVersion = 1;
constexpr uint8_t kFlagDeviceBound = 0x01;
constexpr size_t kRandomSize = 16;
constexpr size_t kBodySize = 1 + 1 + 8 + 1 + kRandomSize;
static_assert(kBodySize + kQueryTokenTagSize == kQueryTokenSize);
static_assert(kQueryTokenSize >= 8 && kQueryTokenSize <= 64, "draft: token is bstr .size (8..64)");

// Labels end in 0x00 (the string_view literal keeps it), so no label is a prefix of another's
// input and a tag can never be reused as a challenge or the other way round.
constexpr std::string_view kTagLabel("teepnet tam query token\0", 24);
constexpr std::string_view kChallengeLabel("teepnet tam query challenge\0", 28);
constexpr std::string_view kKeySalt = "teepnet tam query-request token key";
constexpr std::string_view kKeyInfo = "v1";
constexpr size_t kKeySize = 32;

constexpr uint8_t kItemAttestation = 0x01;
constexpr uint8_t kItemTrustedComponents = 0x02;
constexpr uint8_t kItemExtensions = 0x04;
constexpr uint8_t kItemSuitReports = 0x08;

ByteView Label(std::string_view label) {
  return ByteView(reinterpret_cast<const uint8_t*>(label.data()), label.size());
}

uint8_t ItemBits(const teep::DataItemsRequested& items) {
  return static_cast<uint8_t>((items.attestation ? kItemAttestation : 0) |
                              (items.trusted_components ? kItemTrustedComponents : 0) |
                              (items.extensions ? kItemExtensions : 0) |
                              (items.suit_reports ? kItemSuitReports : 0));
}

teep::DataItemsRequested ItemsOf(uint8_t bits) {
  teep::DataItemsRequested items;
  items.attestation = (bits & kItemAttestation) != 0;
  items.trusted_components = (bits & kItemTrustedComponents) != 0;
  items.extensions = (bits & kItemExtensions) != 0;
  items.suit_reports = (bits & kItemSuitReports) != 0;
  return items;
}

Error Unknown() {
  return Error(Errc::kUnknownToken, "token was never issued by this TAM");
}

}  // namespace

Result<QueryTokens> QueryTokens::FromSigningKey(const crypto::PrivateKey& key) {
  const SecretBytes raw = key.RawPrivate();
  if (raw.empty()) return Error(Errc::kBadConfig, "the TAM signing key has no raw private bytes");
  auto derived = crypto::Hkdf(crypto::HashAlgorithm::kSha256, Label(kKeySalt), raw.view(),
                              Label(kKeyInfo), kKeySize);
  if (!derived.ok()) return Error(Errc::kBadConfig, derived.error().ToString());
  return FromKey(derived->view());
}

Result<QueryTokens> QueryTokens::FromKey(ByteView key) {
  auto mac_key = crypto::HmacKey::Create(crypto::HashAlgorithm::kSha256, key);
  if (!mac_key.ok()) return Error(Errc::kBadConfig, mac_key.error().ToString());
  return QueryTokens(std::move(mac_key).value());
}

bool QueryTokens::IsQueryToken(ByteView token) {
  return token.size() == kQueryTokenSize && token[0] == kVersion;
}

Result<Bytes> QueryTokens::Tag(ByteView body, const std::optional<ByteView>& device) const {
  TEEPNET_ASSIGN_OR_RETURN(Bytes mac,
                           key_.Compute({Label(kTagLabel), body, device.value_or(ByteView())}));
  mac.resize(kQueryTokenTagSize);
  return mac;
}

Result<Bytes> QueryTokens::Issue(int64_t now, const teep::DataItemsRequested& items,
                                 const std::optional<ByteView>& device, Random& random) const {
  uint8_t fresh[kRandomSize];
  TEEPNET_RETURN_IF_ERROR(random.Fill(fresh));
  ByteWriter w(kQueryTokenSize);
  w.WriteU8(kVersion);
  w.WriteU8(device ? kFlagDeviceBound : 0);
  w.WriteBeU64(static_cast<uint64_t>(now));
  w.WriteU8(ItemBits(items));
  w.WriteBytes(ByteView(fresh, kRandomSize));
  TEEPNET_ASSIGN_OR_RETURN(Bytes tag, Tag(w.bytes(), device));
  w.WriteBytes(tag);
  return std::move(w).Take();
}

Result<QueryTokenClaims> QueryTokens::Verify(ByteView token, ByteView device, int64_t now,
                                             int64_t lifetime_seconds) const {
  if (!IsQueryToken(token)) return Unknown();
  ByteReader r(token);
  uint8_t version = 0, flags = 0, bits = 0;
  uint64_t issued = 0;
  ByteView random_part, tag;
  if (!r.ReadU8(&version) || !r.ReadU8(&flags) || !r.ReadBeU64(&issued) || !r.ReadU8(&bits) ||
      !r.ReadBytes(kRandomSize, &random_part) || !r.ReadBytes(kQueryTokenTagSize, &tag) ||
      !r.AtEnd()) {
    return Unknown();
  }
  const bool bound = (flags & kFlagDeviceBound) != 0;
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes expected,
      Tag(token.first(kBodySize), bound ? std::optional<ByteView>(device) : std::nullopt));
  // Only the tag decides; the fields are trusted after it matched. Unknown flag or item bits
  // are covered by the tag too, so they cannot come from anyone but this TAM.
  if (!crypto::ConstantTimeEqual(expected, tag)) return Unknown();
  if ((flags & ~kFlagDeviceBound) != 0) return Unknown();
  QueryTokenClaims claims;
  claims.issued_at = static_cast<int64_t>(issued);
  claims.data_items = ItemsOf(bits);
  claims.device_bound = bound;
  // A tag proves this TAM (some replica) issued the token, not that its clock was right: an
  // issue time beyond `now` + kMaxTokenClockSkew would make the token live longer than its
  // lifetime here. issued_at reads back the int64 Issue wrote; the bound saturates instead of
  // overflowing when `now` is within the allowance of INT64_MAX.
  int64_t latest_issue = 0;
  if (__builtin_add_overflow(now, kMaxTokenClockSkew, &latest_issue)) {
    latest_issue = std::numeric_limits<int64_t>::max();
  }
  if (claims.issued_at > latest_issue) {
    return Error(Errc::kTokenNotYetValid, "token issue time lies more than " +
                                              std::to_string(kMaxTokenClockSkew) +
                                              " s after this TAM's clock");
  }
  // digest §5: "Ignore messages with expired tokens." The same rule the stored tokens had:
  // refused from issued_at + lifetime on (an issue time so far off that the sum overflows is
  // treated as expired).
  if (__builtin_add_overflow(claims.issued_at, lifetime_seconds, &claims.expires_at) ||
      now >= claims.expires_at) {
    return Error(Errc::kTokenExpired, "token has expired");
  }
  return claims;
}

Result<Bytes> QueryTokens::Challenge(ByteView token) const {
  static_assert(kQueryChallengeSize == 32, "HMAC-SHA-256 gives exactly the challenge size");
  return key_.Compute({Label(kChallengeLabel), token});
}

}  // namespace teepnet::tam
