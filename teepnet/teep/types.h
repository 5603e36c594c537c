// Value types shared by several TEEP messages. They are profile-independent: wire numbers
// live only in WireProfile.
#ifndef TEEPNET_TEEP_TYPES_H_
#define TEEPNET_TEEP_TYPES_H_

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

// SUIT_Component_Identifier = [+ bstr] (RFC 9124 §8.4.5.1).
using ComponentId = std::vector<Bytes>;

// An option this implementation does not define, kept so that a message re-encodes whole.
// draft §"Extensions": unknown labels are tolerated (digest §2.7), but must be well-formed.
struct Extension {
  uint64_t label = 0;
  Bytes value;  // exactly one encoded CBOR item

  friend bool operator==(const Extension&, const Extension&) = default;
};

// A SUIT parameter or other int-keyed map member kept as its encoded value.
struct IntKeyedItem {
  int64_t key = 0;
  Bytes value;  // exactly one encoded CBOR item

  friend bool operator==(const IntKeyedItem&, const IntKeyedItem&) = default;
};

// suit-cose-profile = [digest-alg, sign-alg, key-distribution-alg, content-enc-alg]
// (draft-ietf-suit-mti; e.g. suit-sha256-esp256-ecdh-a128ctr = [-16, -9, -29, -65534]).
struct SuitCoseProfile {
  std::array<int64_t, 4> algs{};

  friend bool operator==(const SuitCoseProfile&, const SuitCoseProfile&) = default;
};

// One tc-list entry: a SUIT Report `system-property-claims` map (draft-ietf-suit-report):
// system-component-id (key 0) plus SUIT parameters such as image-digest (3).
struct SystemPropertyClaims {
  ComponentId system_component_id;
  std::vector<IntKeyedItem> parameters;  // keys other than 0, ascending

  friend bool operator==(const SystemPropertyClaims&, const SystemPropertyClaims&) = default;
};

// requested-tc-info = { component-id, ? tc-manifest-sequence-number, ? have-binary }.
struct RequestedTcInfo {
  ComponentId component_id;
  // The minimum acceptable manifest sequence number; absent means any.
  std::optional<uint64_t> tc_manifest_sequence_number;
  // True: the Agent holds the binary and needs only an authorizing manifest.
  std::optional<bool> have_binary;
  std::vector<Extension> extensions;  // unknown labels, kept

  friend bool operator==(const RequestedTcInfo&, const RequestedTcInfo&) = default;
};

// data-item-requested: a uint .bits bitmap. Bits the draft names get a flag; any others
// (IANA: 4-23 Standards Action, 24-254 Specification Required, 255 Private Use) are kept
// in `unassigned_bits` as they appeared on the wire.
struct DataItemsRequested {
  bool attestation = false;
  bool trusted_components = false;
  bool extensions = false;
  bool suit_reports = false;
  uint64_t unassigned_bits = 0;

  bool Has(DataItem item) const;
  void Set(DataItem item, bool value);
  uint64_t ToWire(const WireProfile& profile) const;
  static DataItemsRequested FromWire(const WireProfile& profile, uint64_t bits);

  friend bool operator==(const DataItemsRequested&, const DataItemsRequested&) = default;
};

// An err-code as carried in Update or Error: one the profile names, or an unassigned value
// kept as received (digest §2.6: "treat unknown codes ... as an unknown error").
class ErrCode {
 public:
  ErrCode() = default;
  ErrCode(ErrorCode code) : known_(code) {}  // NOLINT: implicit on purpose
  static ErrCode Unassigned(uint64_t wire_value) {
    ErrCode c;
    c.known_.reset();
    c.unassigned_ = wire_value;
    return c;
  }

  std::optional<ErrorCode> known() const { return known_; }
  bool Is(ErrorCode code) const { return known_ == code; }
  uint64_t ToWire(const WireProfile& profile) const {
    return known_ ? profile.Code(*known_) : unassigned_;
  }
  static ErrCode FromWire(const WireProfile& profile, uint64_t wire);

  friend bool operator==(const ErrCode&, const ErrCode&) = default;

 private:
  std::optional<ErrorCode> known_ = ErrorCode::kPermanentError;
  uint64_t unassigned_ = 0;
};

// Freshness mechanisms (draft §"Freshness Mechanisms" registry).
inline constexpr uint64_t kFreshnessNonce = 0;
inline constexpr uint64_t kFreshnessTimestamp = 1;

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_TYPES_H_
