#include "teepnet/teep/query_response.h"

#include "teepnet/teep/codec_util.h"
#include "teepnet/teep/message.h"

namespace teepnet::teep {
namespace {
constexpr MessageType kType = MessageType::kQueryResponse;
}  // namespace

Status Validate(const QueryResponse& m, const WireProfile& profile) {
  using namespace internal;
  TEEPNET_RETURN_IF_ERROR(CheckToken(m.token));
  TEEPNET_RETURN_IF_ERROR(CheckEmbeddedCborList(m.suit_reports, Field::kSuitReports));
  TEEPNET_RETURN_IF_ERROR(CheckTcList(m.tc_list));
  TEEPNET_RETURN_IF_ERROR(CheckRequestedTcList(m.requested_tc_list, profile));
  for (const ComponentId& id : m.unneeded_manifest_list) {
    TEEPNET_RETURN_IF_ERROR(CheckComponentId(id, "unneeded-manifest-list"));
  }
  return CheckExtensions(m.extensions, profile, "options");
}

Status CheckAnswers(const QueryResponse& response, const QueryRequest& request) {
  // draft §QueryResponse, token: "... MUST match the value of the token in the QueryRequest
  // message" (and be absent when the request had none).
  const bool same_token = response.token.has_value() == request.token.has_value() &&
                          (!response.token.has_value() || Equal(*response.token, *request.token));
  if (!same_token) {
    return Error(Errc::kTokenMismatch, "token: not the QueryRequest's token");
  }
  const DataItemsRequested& asked = request.data_item_requested;
  // draft §QueryRequest data-item-requested, and §QueryResponse: the attestation-payload,
  // tc-list and ext-list "MUST" be returned when the corresponding bit was set.
  if (asked.attestation && !response.attestation_payload.has_value()) {
    return Error(Errc::kMissingRequestedItem, "attestation-payload: requested but absent");
  }
  if (asked.trusted_components && response.tc_list.empty()) {
    return Error(Errc::kMissingRequestedItem, "tc-list: requested but absent");
  }
  if (asked.extensions && response.ext_list.empty()) {
    return Error(Errc::kMissingRequestedItem, "ext-list: requested but absent");
  }
  return OkStatus();
}

namespace internal {

Result<QueryResponse> ReadQueryResponse(cbor::Reader& r, const WireProfile& profile) {
  return ReadInPlace<QueryResponse>([&](QueryResponse& m) -> Status {
    return ReadOptions(r, profile, kType, &m.extensions, [&](Field field, size_t offset) -> Status {
      switch (field) {
        case Field::kToken: return ReadTokenInto(r, &m.token);
        case Field::kSelectedVersion: return Assign(m.selected_version, ReadUint32(r, field));
        case Field::kAttestationPayloadFormat:
          return Assign(m.attestation_payload_format, ReadText(r, field));
        case Field::kAttestationPayload: return ReadBstrInto(r, field, &m.attestation_payload);
        case Field::kSuitReports: return Assign(m.suit_reports, ReadEmbeddedCborList(r, field));
        case Field::kTcList: return ReadTcList(r, &m.tc_list);
        case Field::kRequestedTcList:
          return Assign(m.requested_tc_list, ReadRequestedTcList(r, profile));
        case Field::kUnneededManifestList:
          return Assign(m.unneeded_manifest_list, ReadComponentIdList(r, field));
        case Field::kExtList: return Assign(m.ext_list, ReadUint32List(r, field));
        default:
          return FieldError(Errc::kFieldNotAllowed, field, offset, "not a query-response option");
      }
    });
  });
}

void WriteQueryResponse(cbor::Writer& w, const QueryResponse& m, const WireProfile& profile,
                        KeyOrder order) {
  w.WriteArrayHeader(2);
  w.WriteUint(profile.Type(kType));
  WriteOptions(
      w, profile, kType, m.extensions, order,
      [&](Field f) {
        switch (f) {
          case Field::kToken: return m.token.has_value();
          case Field::kSelectedVersion: return m.selected_version.has_value();
          case Field::kAttestationPayloadFormat: return m.attestation_payload_format.has_value();
          case Field::kAttestationPayload: return m.attestation_payload.has_value();
          case Field::kSuitReports: return !m.suit_reports.empty();
          case Field::kTcList: return !m.tc_list.empty();
          case Field::kRequestedTcList: return !m.requested_tc_list.empty();
          case Field::kUnneededManifestList: return !m.unneeded_manifest_list.empty();
          case Field::kExtList: return !m.ext_list.empty();
          default: return false;
        }
      },
      [&](Field f) {
        switch (f) {
          case Field::kToken: w.WriteBytes(*m.token); break;
          case Field::kSelectedVersion: w.WriteUint(*m.selected_version); break;
          case Field::kAttestationPayloadFormat: w.WriteText(*m.attestation_payload_format); break;
          case Field::kAttestationPayload: w.WriteBytes(*m.attestation_payload); break;
          case Field::kSuitReports: WriteBstrList(w, m.suit_reports); break;
          case Field::kTcList: WriteTcList(w, m.tc_list, order); break;
          case Field::kRequestedTcList:
            WriteRequestedTcList(w, m.requested_tc_list, profile, order);
            break;
          case Field::kUnneededManifestList:
            WriteComponentIdList(w, m.unneeded_manifest_list);
            break;
          case Field::kExtList: WriteUint32List(w, m.ext_list); break;
          default: break;
        }
      });
}

}  // namespace internal

Result<QueryResponse> DecodeQueryResponse(ByteView payload, const WireProfile& profile) {
  return internal::DecodeOne<QueryResponse>(payload, profile, MessageType::kQueryResponse,
                                            internal::ReadQueryResponse);
}

Result<Bytes> Encode(const QueryResponse& m, const WireProfile& profile,
                     const EncodeOptions& options) {
  TEEPNET_RETURN_IF_ERROR(Validate(m, profile));
  cbor::Writer w(128);
  internal::WriteQueryResponse(w, m, profile, options.key_order);
  return std::move(w).Take();
}

}  // namespace teepnet::teep
