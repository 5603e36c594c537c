// The EAT claims a TEEP Agent's evidence carries (draft-ietf-teep-protocol Appendix D.2, RFC
// 9711): cnf (8), eat_nonce (10), ueid (256), oemid (258), hwmodel (259), hwversion (260) and
// manifests (RFC 9711 label 272). The same claims make up EAR's TEEP extension (65000,
// vectors/ear/ext-teep.cddl), where they appear in both CBOR and JSON.
#ifndef TEEPNET_EAT_TEEP_EAT_CLAIMS_H_
#define TEEPNET_EAT_TEEP_EAT_CLAIMS_H_

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/value.h"

namespace teepnet::eat {

namespace eat_claim {
inline constexpr int64_t kCnf = 8;          // RFC 8747 confirmation
inline constexpr int64_t kNonce = 10;       // RFC 9711 §4.1
inline constexpr int64_t kUeid = 256;       // RFC 9711 §4.2.1
inline constexpr int64_t kOemid = 258;      // RFC 9711 §4.2.3
inline constexpr int64_t kHwModel = 259;    // RFC 9711 §4.2.4
inline constexpr int64_t kHwVersion = 260;  // RFC 9711 §4.2.5
inline constexpr int64_t kManifests = 272;  // RFC 9711 §4.2.15
// The TEEP protocol draft's example labels manifests 273 (RFC 9711's measurements); decoding
// accepts it as manifests, encoding writes 272 unless asked otherwise.
inline constexpr int64_t kManifestsTeepDraft = 273;
}  // namespace eat_claim

// oemid: a 3-byte IEEE OUI, a 16-byte random id, or an IANA Private Enterprise Number.
struct Oemid {
  std::optional<int64_t> pen;
  Bytes bytes;
  friend bool operator==(const Oemid&, const Oemid&) = default;
};

struct HwVersion {
  std::string version;
  std::optional<int64_t> scheme;  // CoSWID version-scheme (RFC 9393 §4.1)
  friend bool operator==(const HwVersion&, const HwVersion&) = default;
};

struct TeepEatClaims {
  std::optional<Bytes> cnf_kid;  // cnf {3: kid}
  std::optional<Bytes> nonce;
  std::optional<Bytes> ueid;
  std::optional<Oemid> oemid;
  std::optional<Bytes> hwmodel;
  std::optional<HwVersion> hwversion;
  // manifests: [+ [content-format, content]] kept as CBOR (SUIT references, CoSWID, ...).
  std::optional<cbor::Value> manifests;

  bool empty() const {
    return !cnf_kid && !nonce && !ueid && !oemid && !hwmodel && !hwversion && !manifests;
  }
};

// From / to a CBOR claims map (a Value). kBadClaim for a present claim of the wrong type.
Result<TeepEatClaims> TeepEatClaimsFromCbor(const cbor::Value& map);
// Appends the present claims to `entries` in label order.
void AppendTeepEatClaims(const TeepEatClaims& claims, std::vector<cbor::Value::MapEntry>& entries,
                         int64_t manifests_label = eat_claim::kManifests);
Bytes EncodeTeepEatClaims(const TeepEatClaims& claims,
                          int64_t manifests_label = eat_claim::kManifests);
Result<TeepEatClaims> DecodeTeepEatClaims(ByteView encoded);

// JSON form (RFC 9711 §7.2.2 JSON labels, binary as base64url): eat_nonce, ueid, oemid
// (base64url bytes or a PEN number), hwmodel, hwversion [text, int]. cnf and manifests have no
// JSON form here and are refused by the encoder's caller (they are CBOR-only in TEEP).
Result<TeepEatClaims> TeepEatClaimsFromJson(const nlohmann::json& object);
nlohmann::json TeepEatClaimsToJson(const TeepEatClaims& claims);

}  // namespace teepnet::eat

#endif  // TEEPNET_EAT_TEEP_EAT_CLAIMS_H_
