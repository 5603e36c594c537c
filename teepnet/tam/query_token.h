// Self-authenticating QueryRequest tokens: what the TAM asked for travels inside the token under
// a MAC, so sending a QueryRequest writes nothing to the TamStore. Only a validly signed
// response that carries the token records it (as used, in the same transaction as the rest of
// that step), which keeps the replay rule of digest §5 ("expire a token after the first validly
// signed response that carries it, and ignore later messages with that token") while an
// unauthenticated empty POST costs the TAM no database write.
//
// Layout (43 bytes; draft §"QueryRequest Message": token is `bstr .size (8..64)`):
//   [0]      version (1)
//   [1]      flags: bit 0 = bound to one device (a QueryRequest retrying an Agent's Error)
//   [2..10)  issued_at, unix seconds, big-endian
//   [10]     data-item-requested as the TAM set it (attestation 1, trusted-components 2,
//            extensions 4, suit-reports 8; profile-independent)
//   [11..27) 16 bytes from the CSPRNG (digest §5: "16 random bytes per message is the simple
//            safe choice"), so every token is unique even within one second
//   [27..43) HMAC-SHA-256 over "teepnet tam query token" 0x00 || bytes [0..27) || (bound
//            device id, when bit 0 is set), truncated to 16 bytes
//
// The attestation challenge is HMAC-SHA-256 over "teepnet tam query challenge" 0x00 || token
// under the same key: unpredictable without the key, different for every token, and recomputed
// when the response arrives instead of being stored.
//
// The key is derived with HKDF-SHA-256 from the first TAM signing key (its raw private bytes),
// so every teepnet-moc replica that loads the same TAM key (DESIGN §9: replicas share the key
// files and the store) accepts the tokens of every other, with no new secret to distribute and
// none in the database. Replacing the TAM key invalidates the QueryRequests then in flight; the
// Agent simply answers the next one.
#ifndef TEEPNET_TAM_QUERY_TOKEN_H_
#define TEEPNET_TAM_QUERY_TOKEN_H_

#include <cstddef>
#include <cstdint>
#include <optional>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/hmac_key.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/teep/types.h"

namespace teepnet::tam {

inline constexpr size_t kQueryTokenSize = 43;
inline constexpr size_t kQueryTokenTagSize = 16;
inline constexpr size_t kQueryChallengeSize = 32;

// How far in the future (by the verifying replica's clock) a token's issue time may lie. Every
// teepnet-moc replica issues and verifies tokens with its own clock, and the times are whole
// seconds, so a token issued by one replica may look a little younger than zero to another:
// with clocks kept by NTP (milliseconds apart) and second truncation, 1-2 s; 30 s also covers a
// VM whose clock is being slewed back after a suspend, while staying far below any token
// lifetime, so a token never lives more than lifetime + 30 s on any replica. Beyond it, a
// token can only come from a replica whose clock is badly wrong (only the TAM key makes a tag),
// and accepting it would stretch its lifetime by however far that clock ran ahead.
inline constexpr int64_t kMaxTokenClockSkew = 30;
static_assert(kMaxTokenClockSkew > 0);

// What a verified token says.
struct QueryTokenClaims {
  int64_t issued_at = 0;
  int64_t expires_at = 0;  // issued_at + the lifetime Verify was given
  teep::DataItemsRequested data_items;
  bool device_bound = false;  // issued to the device whose signature the response carries
};

class QueryTokens {
 public:
  // kBadConfig when the key has no raw private bytes to derive from.
  static Result<QueryTokens> FromSigningKey(const crypto::PrivateKey& key);
  // The MAC key itself (tests, the fuzz target); kBadConfig if OpenSSL cannot key HMAC with it.
  static Result<QueryTokens> FromKey(ByteView key);

  // A new token issued at `now`. `device` binds it to that device (a retry); nullopt for a
  // QueryRequest on a fresh connection, which names no device.
  Result<Bytes> Issue(int64_t now, const teep::DataItemsRequested& items,
                      const std::optional<ByteView>& device, Random& random) const;

  // True when `token` has this format (length and version); anything else is one of the
  // tokens the TAM keeps in the store.
  static bool IsQueryToken(ByteView token);

  // Checks the tag (in constant time) for a response signed by `device`, then the age:
  // kUnknownToken when the token was not made with this key (forged, damaged, or bound to
  // another device), kTokenNotYetValid when issued_at lies more than kMaxTokenClockSkew
  // seconds after `now`, kTokenExpired from issued_at + lifetime_seconds on.
  Result<QueryTokenClaims> Verify(ByteView token, ByteView device, int64_t now,
                                  int64_t lifetime_seconds) const;

  // The attestation challenge that goes with `token` (kQueryChallengeSize bytes).
  Result<Bytes> Challenge(ByteView token) const;

 private:
  explicit QueryTokens(crypto::HmacKey key) : key_(std::move(key)) {}
  Result<Bytes> Tag(ByteView body, const std::optional<ByteView>& device) const;

  // Keyed once (crypto/hmac_key.h): the tag and challenge MACs copy a ready context instead of
  // hashing the key into fresh pads each time.
  crypto::HmacKey key_;
};

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_QUERY_TOKEN_H_
