#include "teepnet/teep/query_request.h"

#include "teepnet/teep/codec_util.h"
#include "teepnet/teep/message.h"

namespace teepnet::teep {
namespace {

constexpr MessageType kType = MessageType::kQueryRequest;

// The presence rules that tie options to data-item-requested. `offset` locates the options.
Status CheckRules(const QueryRequest& m, size_t offset) {
  const bool attestation = m.data_item_requested.attestation;
  // draft §QueryRequest, challenge: "... MUST be absent if the attestation bit is clear".
  if (m.challenge.has_value() && !attestation) {
    return internal::FieldError(Errc::kChallengeWithoutAttestation, Field::kChallenge, offset,
                                "present while the attestation bit is clear");
  }
  // draft §QueryRequest, supported-freshness-mechanisms: "... MUST be absent if the
  // attestation bit is clear".
  if (!m.supported_freshness_mechanisms.empty() && !attestation) {
    return internal::FieldError(Errc::kFreshnessWithoutAttestation,
                                Field::kSupportedFreshnessMechanisms, offset,
                                "present while the attestation bit is clear");
  }
  // Token presence is deliberately NOT checked. The prose says the token MUST be present
  // iff the attestation bit is clear, but the freshness section uses the token as the
  // Passport-model nonce, and the draft's own QueryRequest example carries a token with the
  // attestation bit set (vectors/teep/README.md, "Known discrepancies" 2). Following the
  // digest (§5), a receiver never rejects a QueryRequest for having or lacking a token.
  return OkStatus();
}

}  // namespace

Status Validate(const QueryRequest& m, const WireProfile& profile) {
  using namespace internal;
  TEEPNET_RETURN_IF_ERROR(CheckToken(m.token));
  TEEPNET_RETURN_IF_ERROR(CheckChallenge(m.challenge));
  TEEPNET_RETURN_IF_ERROR(CheckEmbeddedCborList(m.suit_reports, Field::kSuitReports));
  TEEPNET_RETURN_IF_ERROR(CheckExtensions(m.extensions, profile, "options"));
  TEEPNET_RETURN_IF_ERROR(
      CheckNotEmpty(m.supported_teep_cipher_suites.size(), "supported-teep-cipher-suites"));
  TEEPNET_RETURN_IF_ERROR(
      CheckCipherSuites(m.supported_teep_cipher_suites, "supported-teep-cipher-suites"));
  TEEPNET_RETURN_IF_ERROR(
      CheckNotEmpty(m.supported_suit_cose_profiles.size(), "supported-suit-cose-profiles"));
  return CheckRules(m, kNoOffset);
}

namespace internal {

Result<QueryRequest> ReadQueryRequest(cbor::Reader& r, const WireProfile& profile) {
  return ReadInPlace<QueryRequest>([&](QueryRequest& m) -> Status {
    const size_t options_offset = r.offset();
    TEEPNET_RETURN_IF_ERROR(
        ReadOptions(r, profile, kType, &m.extensions, [&](Field field, size_t) -> Status {
          switch (field) {
            case Field::kToken: return ReadTokenInto(r, &m.token);
            case Field::kSupportedFreshnessMechanisms:
              return Assign(m.supported_freshness_mechanisms, ReadUintList(r, field));
            case Field::kChallenge: return Assign(m.challenge, ReadChallenge(r));
            case Field::kVersions: return Assign(m.versions, ReadUint32List(r, field));
            case Field::kAttestationPayloadFormat:
              return Assign(m.attestation_payload_format, ReadText(r, field));
            case Field::kAttestationPayload: return ReadBstrInto(r, field, &m.attestation_payload);
            case Field::kSuitReports: return Assign(m.suit_reports, ReadEmbeddedCborList(r, field));
            default:
              return FieldError(Errc::kFieldNotAllowed, field, r.offset(),
                                "not a query-request option");
          }
        }));
    TEEPNET_ASSIGN_OR_RETURN(m.supported_teep_cipher_suites,
                             ReadCipherSuites(r, "supported-teep-cipher-suites"));
    TEEPNET_ASSIGN_OR_RETURN(m.supported_suit_cose_profiles,
                             ReadSuitCoseProfiles(r, "supported-suit-cose-profiles"));
    uint64_t bits = 0;
    if (!r.TryReadUint(&bits)) {
      TEEPNET_ASSIGN_OR_RETURN(cbor::Item item,
                               ReadItem(r, cbor::ItemType::kUnsigned, "data-item-requested"));
      bits = item.argument;
    }
    m.data_item_requested = DataItemsRequested::FromWire(profile, bits);
    TEEPNET_RETURN_IF_ERROR(CheckRules(m, options_offset));
    return OkStatus();
  });
}

void WriteQueryRequest(cbor::Writer& w, const QueryRequest& m, const WireProfile& profile,
                       KeyOrder order) {
  w.WriteArrayHeader(5);
  w.WriteUint(profile.Type(kType));
  WriteOptions(
      w, profile, kType, m.extensions, order,
      [&](Field f) {
        switch (f) {
          case Field::kToken: return m.token.has_value();
          case Field::kSupportedFreshnessMechanisms:
            return !m.supported_freshness_mechanisms.empty();
          case Field::kChallenge: return m.challenge.has_value();
          case Field::kVersions: return !m.versions.empty();
          case Field::kAttestationPayloadFormat: return m.attestation_payload_format.has_value();
          case Field::kAttestationPayload: return m.attestation_payload.has_value();
          case Field::kSuitReports: return !m.suit_reports.empty();
          default: return false;
        }
      },
      [&](Field f) {
        switch (f) {
          case Field::kToken: w.WriteBytes(*m.token); break;
          case Field::kSupportedFreshnessMechanisms:
            WriteUintList(w, m.supported_freshness_mechanisms);
            break;
          case Field::kChallenge: w.WriteBytes(*m.challenge); break;
          case Field::kVersions: WriteUint32List(w, m.versions); break;
          case Field::kAttestationPayloadFormat: w.WriteText(*m.attestation_payload_format); break;
          case Field::kAttestationPayload: w.WriteBytes(*m.attestation_payload); break;
          case Field::kSuitReports: WriteBstrList(w, m.suit_reports); break;
          default: break;
        }
      });
  WriteCipherSuites(w, m.supported_teep_cipher_suites);
  WriteSuitCoseProfiles(w, m.supported_suit_cose_profiles);
  w.WriteUint(m.data_item_requested.ToWire(profile));
}

}  // namespace internal

Result<QueryRequest> DecodeQueryRequest(ByteView payload, const WireProfile& profile) {
  return internal::DecodeOne<QueryRequest>(payload, profile, MessageType::kQueryRequest,
                                           internal::ReadQueryRequest);
}

Result<Bytes> Encode(const QueryRequest& m, const WireProfile& profile,
                     const EncodeOptions& options) {
  TEEPNET_RETURN_IF_ERROR(Validate(m, profile));
  cbor::Writer w(64);
  internal::WriteQueryRequest(w, m, profile, options.key_order);
  return std::move(w).Take();
}

}  // namespace teepnet::teep
