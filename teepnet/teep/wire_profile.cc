#include "teepnet/teep/wire_profile.h"

#include <string>

#include "teepnet/teep/errc.h"

namespace teepnet::teep {
namespace {

// Columns follow the enum order of MessageType, Field, ErrorCode and DataItem.
// Values: digest §0.1, checked against vectors/teep/{renumbered-15c643e,master-a9d2fad}.
constexpr WireProfile kRfc{
    .id = ProfileId::kRfc,
    .name = "rfc",
    // query-request, query-response, update, success, error
    .message_type = {1, 2, 3, 4, 5},
    // suites, challenge, versions, profiles, selected-version, attestation-payload, tc-list,
    // ext-list, manifest-list, msg, err-msg, attestation-payload-format, requested-tc-list,
    // unneeded-manifest-list, component-id, tc-manifest-sequence-number, have-binary,
    // suit-reports, token, supported-freshness-mechanisms, err-lang, err-code
    .label = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22},
    // ERR_PERMANENT_ERROR .. ERR_TEMPORARY_ERROR, ERR_MANIFEST_PROCESSING_FAILED
    .error_code = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11},
    .data_item_bit = {0, 1, 2, 3},
    .suites = {TeepOperation{kCoseTypeSign1, kAlgESP256},
               TeepOperation{kCoseTypeSign1, kAlgEd25519}, TeepOperation{}, TeepOperation{}},
    .suite_count = 2,
};

constexpr WireProfile kLegacy{
    .id = ProfileId::kLegacy,
    .name = "legacy",
    // Type 4 was reserved; success = 5, error = 6.
    .message_type = {1, 2, 3, 5, 6},
    // Label 5 was unassigned; err-lang = 22 appears in the CDDL (master's IANA table calls 22
    // "Reserved", an inconsistency the renumbering fixed): we follow the CDDL.
    .label = {1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23},
    .error_code = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 17},
    .data_item_bit = {0, 1, 2, 3},
    .suites = {TeepOperation{kCoseTypeSign1, kAlgESP256},
               TeepOperation{kCoseTypeSign1, kAlgEd25519}, TeepOperation{kCoseTypeSign1, kAlgES256},
               TeepOperation{kCoseTypeSign1, kAlgEdDSA}},
    .suite_count = 4,
};

template <typename Enum, size_t N>
std::optional<Enum> ReverseLookup(const std::array<uint64_t, N>& table, uint64_t wire) {
  for (size_t i = 0; i < N; ++i) {
    if (table[i] == wire) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

// Label -> field for the two built-in profiles, built at compile time: decoders look up every
// option label, and a linear scan of 22 labels per key was a visible share of a decode. Labels
// are one CBOR byte (0..23, kMaxOneByteValue); kNoField marks a label the profile leaves free.
constexpr uint8_t kNoField = 0xff;
using FieldTable = std::array<uint8_t, kMaxOneByteValue + 1>;
constexpr FieldTable MakeFieldTable(const WireProfile& profile) {
  FieldTable table{};
  for (uint8_t& f : table) f = kNoField;
  for (size_t i = 0; i < kFieldCount; ++i) {
    if (profile.label[i] <= kMaxOneByteValue) table[profile.label[i]] = static_cast<uint8_t>(i);
  }
  return table;
}
constexpr FieldTable kRfcFields = MakeFieldTable(kRfc);
constexpr FieldTable kLegacyFields = MakeFieldTable(kLegacy);

}  // namespace

std::optional<MessageType> WireProfile::MessageTypeOf(uint64_t wire) const {
  return ReverseLookup<MessageType>(message_type, wire);
}

std::optional<Field> WireProfile::FieldOf(uint64_t wire_label) const {
  // The tables describe kRfc and kLegacy exactly; any other WireProfile object is scanned.
  const FieldTable* table = this == &kRfc      ? &kRfcFields
                            : this == &kLegacy ? &kLegacyFields
                                               : nullptr;
  if (table != nullptr) {
    if (wire_label > kMaxOneByteValue || (*table)[wire_label] == kNoField) return std::nullopt;
    return static_cast<Field>((*table)[wire_label]);
  }
  return ReverseLookup<Field>(label, wire_label);
}

std::optional<ErrorCode> WireProfile::ErrorCodeOf(uint64_t wire) const {
  return ReverseLookup<ErrorCode>(error_code, wire);
}

std::vector<CipherSuite> WireProfile::CipherSuites() const {
  std::vector<CipherSuite> out;
  for (size_t i = 0; i < suite_count; ++i) out.push_back(CipherSuite{{suites[i]}});
  return out;
}

const WireProfile& RfcProfile() {
  return kRfc;
}
const WireProfile& LegacyProfile() {
  return kLegacy;
}

const WireProfile& Profile(ProfileId id) {
  switch (id) {
    case ProfileId::kRfc: return kRfc;
    case ProfileId::kLegacy: return kLegacy;
  }
  return kRfc;
}

Result<const WireProfile*> ProfileByName(std::string_view name) {
  if (name == kRfc.name) return &kRfc;
  if (name == kLegacy.name) return &kLegacy;
  return Error(Errc::kValueOutOfRange,
               "wire profile \"" + std::string(name) + "\": expected \"rfc\" or \"legacy\"");
}

std::string_view MessageTypeName(MessageType type) {
  switch (type) {
    case MessageType::kQueryRequest: return "query-request";
    case MessageType::kQueryResponse: return "query-response";
    case MessageType::kUpdate: return "update";
    case MessageType::kSuccess: return "success";
    case MessageType::kError: return "error";
  }
  return "unknown";
}

std::string_view FieldName(Field field) {
  switch (field) {
    case Field::kSupportedTeepCipherSuites: return "supported-teep-cipher-suites";
    case Field::kChallenge: return "challenge";
    case Field::kVersions: return "versions";
    case Field::kSupportedSuitCoseProfiles: return "supported-suit-cose-profiles";
    case Field::kSelectedVersion: return "selected-version";
    case Field::kAttestationPayload: return "attestation-payload";
    case Field::kTcList: return "tc-list";
    case Field::kExtList: return "ext-list";
    case Field::kManifestList: return "manifest-list";
    case Field::kMsg: return "msg";
    case Field::kErrMsg: return "err-msg";
    case Field::kAttestationPayloadFormat: return "attestation-payload-format";
    case Field::kRequestedTcList: return "requested-tc-list";
    case Field::kUnneededManifestList: return "unneeded-manifest-list";
    case Field::kComponentId: return "component-id";
    case Field::kTcManifestSequenceNumber: return "tc-manifest-sequence-number";
    case Field::kHaveBinary: return "have-binary";
    case Field::kSuitReports: return "suit-reports";
    case Field::kToken: return "token";
    case Field::kSupportedFreshnessMechanisms: return "supported-freshness-mechanisms";
    case Field::kErrLang: return "err-lang";
    case Field::kErrCode: return "err-code";
  }
  return "unknown";
}

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kPermanentError: return "ERR_PERMANENT_ERROR";
    case ErrorCode::kUnsupportedExtension: return "ERR_UNSUPPORTED_EXTENSION";
    case ErrorCode::kUnsupportedFreshnessMechanisms: return "ERR_UNSUPPORTED_FRESHNESS_MECHANISMS";
    case ErrorCode::kUnsupportedMsgVersion: return "ERR_UNSUPPORTED_MSG_VERSION";
    case ErrorCode::kUnsupportedCipherSuites: return "ERR_UNSUPPORTED_CIPHER_SUITES";
    case ErrorCode::kBadCertificate: return "ERR_BAD_CERTIFICATE";
    case ErrorCode::kAttestationRequired: return "ERR_ATTESTATION_REQUIRED";
    case ErrorCode::kUnsupportedSuitReport: return "ERR_UNSUPPORTED_SUIT_REPORT";
    case ErrorCode::kCertificateExpired: return "ERR_CERTIFICATE_EXPIRED";
    case ErrorCode::kTemporaryError: return "ERR_TEMPORARY_ERROR";
    case ErrorCode::kManifestProcessingFailed: return "ERR_MANIFEST_PROCESSING_FAILED";
  }
  return "unknown";
}

std::string_view DataItemName(DataItem item) {
  switch (item) {
    case DataItem::kAttestation: return "attestation";
    case DataItem::kTrustedComponents: return "trusted-components";
    case DataItem::kExtensions: return "extensions";
    case DataItem::kSuitReports: return "suit-reports";
  }
  return "unknown";
}

}  // namespace teepnet::teep
