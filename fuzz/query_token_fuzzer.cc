// deps: teepnet_tam
// Fuzzes the TAM's self-authenticating QueryRequest tokens (tam/query_token.h): the parser and
// verifier a response's token goes through before anything else looks at it. Input layout
// (short inputs are zero-padded to the 84-byte header):
//   [0]       bit 0: token bound to the device; bits 1-4: the data items asked for
//   [1..9)    the verifier's clock, [9..17) the issue time, [17..25) the lifetime (all
//             big-endian int64; the lifetime is made positive, as TamCore requires)
//   [25..41)  the token's "random" bytes
//   [41..84)  an XOR mask over the issued token's 43 bytes
//   [84..)    a token verified as it stands (the parser on arbitrary bytes)
// Properties: no crash; an issued, unmodified token verifies exactly when its age says so
// (checked against 128-bit arithmetic here), with the claims it was issued with; any change
// to an issued token is refused as unknown; a bound token answers no other device; whatever
// verifies has the token format and consistent claims.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <optional>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/random.h"
#include "teepnet/tam/errc.h"
#include "teepnet/tam/query_token.h"

using namespace teepnet;

namespace {

__extension__ typedef __int128 Int128;

constexpr size_t kHeaderSize = 84;

const tam::QueryTokens& Tokens() {
  static const tam::QueryTokens* tokens = [] {
    auto made = tam::QueryTokens::FromKey(Bytes(32, 0xA5));
    if (!made.ok()) abort();
    return new tam::QueryTokens(std::move(made).value());
  }();
  return *tokens;
}

teep::DataItemsRequested Items(uint8_t bits) {
  teep::DataItemsRequested items;
  items.attestation = (bits & 1) != 0;
  items.trusted_components = (bits & 2) != 0;
  items.extensions = (bits & 4) != 0;
  items.suit_reports = (bits & 8) != 0;
  return items;
}

// What Verify must say about an intact token issued at `issued`, computed without overflow.
std::optional<tam::Errc> ExpectedAge(int64_t now, int64_t issued, int64_t lifetime) {
  // In 128 bits `now` + skew cannot overflow, so no saturation is needed here.
  if (Int128(issued) > Int128(now) + tam::kMaxTokenClockSkew) return tam::Errc::kTokenNotYetValid;
  const Int128 expires = Int128(issued) + lifetime;
  if (expires > std::numeric_limits<int64_t>::max() || Int128(now) >= expires) {
    return tam::Errc::kTokenExpired;
  }
  return std::nullopt;
}

void CheckClaims(const tam::QueryTokenClaims& claims, ByteView token, int64_t now,
                 int64_t lifetime) {
  if (!tam::QueryTokens::IsQueryToken(token) || token.size() != tam::kQueryTokenSize) abort();
  if (Int128(claims.issued_at) > Int128(now) + tam::kMaxTokenClockSkew) abort();
  if (Int128(claims.expires_at) != Int128(claims.issued_at) + lifetime) abort();
  if (now >= claims.expires_at) abort();
  auto challenge = Tokens().Challenge(token);
  if (!challenge.ok() || challenge->size() != tam::kQueryChallengeSize) abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const tam::QueryTokens& tokens = Tokens();
  const Bytes device(32, 0xD1);
  const Bytes other_device(32, 0xD2);

  uint8_t header[kHeaderSize] = {};
  std::memcpy(header, data, size < kHeaderSize ? size : kHeaderSize);
  ByteReader r(ByteView(header, kHeaderSize));
  uint8_t flags = 0;
  uint64_t now_bits = 0, issued_bits = 0, lifetime_bits = 0;
  ByteView fresh, mask;
  if (!r.ReadU8(&flags) || !r.ReadBeU64(&now_bits) || !r.ReadBeU64(&issued_bits) ||
      !r.ReadBeU64(&lifetime_bits) || !r.ReadBytes(16, &fresh) ||
      !r.ReadBytes(tam::kQueryTokenSize, &mask) || !r.AtEnd()) {
    abort();
  }
  const int64_t now = static_cast<int64_t>(now_bits);
  const int64_t issued = static_cast<int64_t>(issued_bits);
  int64_t lifetime = static_cast<int64_t>(lifetime_bits & 0x7fffffffffffffffu);
  if (lifetime == 0) lifetime = 1;
  const bool bound = (flags & 1) != 0;
  const teep::DataItemsRequested items = Items(static_cast<uint8_t>(flags >> 1));

  // The parser on bytes as they come.
  if (size > kHeaderSize) {
    const ByteView raw(data + kHeaderSize, size - kHeaderSize);
    auto claims = tokens.Verify(raw, device, now, lifetime);
    if (claims.ok()) CheckClaims(*claims, raw, now, lifetime);
  }

  // An issued token, then the same token with the mask applied.
  ReplayRandom random(Bytes(fresh.begin(), fresh.end()));
  auto issued_token =
      tokens.Issue(issued, items, bound ? std::optional<ByteView>(device) : std::nullopt, random);
  if (!issued_token.ok() || !tam::QueryTokens::IsQueryToken(*issued_token)) abort();
  Bytes token = *issued_token;
  bool changed = false;
  for (size_t i = 0; i < token.size(); ++i) {
    token[i] ^= mask[i];
    changed = changed || mask[i] != 0;
  }
  auto claims = tokens.Verify(token, device, now, lifetime);
  if (changed) {
    // The tag covers every byte before it (and the device, when bound): a changed token is
    // one this TAM never issued.
    if (claims.ok() || !claims.error().Is(tam::Errc::kUnknownToken)) abort();
    return 0;
  }
  const std::optional<tam::Errc> expected = ExpectedAge(now, issued, lifetime);
  if (expected) {
    if (claims.ok() || !claims.error().Is(*expected)) abort();
  } else {
    if (!claims.ok()) abort();
    CheckClaims(*claims, token, now, lifetime);
    if (claims->issued_at != issued || claims->data_items != items ||
        claims->device_bound != bound) {
      abort();
    }
  }
  // Another device's signature never matches a bound token; an unbound one names no device.
  auto elsewhere = tokens.Verify(token, other_device, now, lifetime);
  if (bound && (elsewhere.ok() || !elsewhere.error().Is(tam::Errc::kUnknownToken))) abort();
  if (!bound && elsewhere.ok() != claims.ok()) abort();
  return 0;
}
