// WireProfile: every number TEEP puts on the wire, in one table per numbering.
//
// draft-ietf-teep-protocol was renumbered late (PR #420, branch `renumbering` @ 15c643e).
// The IANA "TEEP" registries created for RFC-ietf-teep-protocol-26 list success = 4 and
// error = 5, i.e. the compact numbering, so that is `Rfc()`, the default. Peers built on
// earlier drafts (master @ a9d2fad and before) use the sparse numbering: `Legacy()`.
// Message types 1-3 and labels 1-4 agree; everything else differs (digest §0.1).
//
// Code above the codec works with the semantic enums below (MessageType, Field, ErrorCode,
// DataItem); only the codec turns them into wire numbers, always through a WireProfile, so
// supporting a third numbering means adding one table, not editing code paths.
#ifndef TEEPNET_TEEP_WIRE_PROFILE_H_
#define TEEPNET_TEEP_WIRE_PROFILE_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "teepnet/base/result.h"
#include "teepnet/teep/cipher_suite.h"

namespace teepnet::teep {

enum class ProfileId : uint8_t { kRfc, kLegacy };

// TEEP-TYPE-* (draft §"Message Types").
enum class MessageType : uint8_t { kQueryRequest, kQueryResponse, kUpdate, kSuccess, kError };
inline constexpr size_t kMessageTypeCount = 5;

// The labels of the CBOR map keys for TEEP message parameters (draft §"CBOR Labels"). The
// enum order is the registry order; wire values come from the profile.
enum class Field : uint8_t {
  kSupportedTeepCipherSuites,
  kChallenge,
  kVersions,
  kSupportedSuitCoseProfiles,
  kSelectedVersion,
  kAttestationPayload,
  kTcList,
  kExtList,
  kManifestList,
  kMsg,
  kErrMsg,
  kAttestationPayloadFormat,
  kRequestedTcList,
  kUnneededManifestList,
  kComponentId,
  kTcManifestSequenceNumber,
  kHaveBinary,
  kSuitReports,
  kToken,
  kSupportedFreshnessMechanisms,
  kErrLang,
  kErrCode,
};
inline constexpr size_t kFieldCount = 22;

// err-code values (draft §"Error Message"). 0 is reserved and MUST NOT be sent.
enum class ErrorCode : uint8_t {
  kPermanentError,
  kUnsupportedExtension,
  kUnsupportedFreshnessMechanisms,
  kUnsupportedMsgVersion,
  kUnsupportedCipherSuites,
  kBadCertificate,
  kAttestationRequired,
  kUnsupportedSuitReport,
  kCertificateExpired,
  kTemporaryError,
  kManifestProcessingFailed,
};
inline constexpr size_t kErrorCodeCount = 11;

// Bits of data-item-requested (draft: `data-item-requested = &( attestation: 0, ... )`).
enum class DataItem : uint8_t { kAttestation, kTrustedComponents, kExtensions, kSuitReports };
inline constexpr size_t kDataItemCount = 4;

// The CDDL framework bounds the type and the labels to one CBOR byte: `$teep-type /= (0..23)`,
// "labels of mapkey for teep message parameters, uint (0..23)".
inline constexpr uint64_t kMaxOneByteValue = 23;

struct WireProfile {
  ProfileId id;
  std::string_view name;  // "rfc", "legacy"
  std::array<uint64_t, kMessageTypeCount> message_type;
  std::array<uint64_t, kFieldCount> label;
  std::array<uint64_t, kErrorCodeCount> error_code;
  std::array<uint8_t, kDataItemCount> data_item_bit;  // bit position in data-item-requested
  // The cipher suites this numbering era defines (all single COSE_Sign1 operations).
  std::array<TeepOperation, 4> suites;
  size_t suite_count;

  uint64_t Type(MessageType t) const { return message_type[static_cast<size_t>(t)]; }
  uint64_t Label(Field f) const { return label[static_cast<size_t>(f)]; }
  uint64_t Code(ErrorCode c) const { return error_code[static_cast<size_t>(c)]; }
  uint64_t Bit(DataItem d) const { return uint64_t{1} << data_item_bit[static_cast<size_t>(d)]; }

  // Reverse lookups; nullopt for numbers this profile does not assign.
  std::optional<MessageType> MessageTypeOf(uint64_t wire) const;
  std::optional<Field> FieldOf(uint64_t wire_label) const;
  std::optional<ErrorCode> ErrorCodeOf(uint64_t wire) const;
  // The profile's suites as CipherSuite values, in preference order.
  std::vector<CipherSuite> CipherSuites() const;
};

// The IANA numbering (renumbering @ 15c643e; registries for RFC-ietf-teep-protocol-26).
const WireProfile& RfcProfile();
// The draft numbering up to master @ a9d2fad, with ES256 (-7) / EdDSA (-8) suites accepted
// besides ESP256 (-9) / Ed25519 (-19) for peers from before the fully-specified algorithms.
const WireProfile& LegacyProfile();
const WireProfile& Profile(ProfileId id);
// "rfc" or "legacy"; Errc::kValueOutOfRange otherwise.
Result<const WireProfile*> ProfileByName(std::string_view name);

// Names as the draft writes them: "query-request", "supported-teep-cipher-suites",
// "ERR_PERMANENT_ERROR", "attestation".
std::string_view MessageTypeName(MessageType type);
std::string_view FieldName(Field field);
std::string_view ErrorCodeName(ErrorCode code);
std::string_view DataItemName(DataItem item);

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_WIRE_PROFILE_H_
