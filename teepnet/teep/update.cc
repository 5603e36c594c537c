#include "teepnet/teep/update.h"

#include "teepnet/teep/codec_util.h"
#include "teepnet/teep/message.h"

namespace teepnet::teep {
namespace {
constexpr MessageType kType = MessageType::kUpdate;
}  // namespace

Status Validate(const Update& m, const WireProfile& profile) {
  using namespace internal;
  TEEPNET_RETURN_IF_ERROR(CheckToken(m.token));
  for (const ComponentId& id : m.unneeded_manifest_list) {
    TEEPNET_RETURN_IF_ERROR(CheckComponentId(id, "unneeded-manifest-list"));
  }
  TEEPNET_RETURN_IF_ERROR(CheckEmbeddedCborList(m.manifest_list, Field::kManifestList));
  if (m.err_code) TEEPNET_RETURN_IF_ERROR(CheckErrCode(*m.err_code, profile));
  TEEPNET_RETURN_IF_ERROR(CheckMsg(m.err_msg, Field::kErrMsg));
  TEEPNET_RETURN_IF_ERROR(CheckErrLang(m.err_lang));
  return CheckExtensions(m.extensions, profile, "options");
}

namespace internal {

Result<Update> ReadUpdate(cbor::Reader& r, const WireProfile& profile) {
  return ReadInPlace<Update>([&](Update& m) -> Status {
    return ReadOptions(r, profile, kType, &m.extensions, [&](Field field, size_t offset) -> Status {
      switch (field) {
        case Field::kToken: return ReadTokenInto(r, &m.token);
        case Field::kUnneededManifestList:
          return Assign(m.unneeded_manifest_list, ReadComponentIdList(r, field));
        case Field::kManifestList: return Assign(m.manifest_list, ReadEmbeddedCborList(r, field));
        case Field::kAttestationPayloadFormat:
          return Assign(m.attestation_payload_format, ReadText(r, field));
        case Field::kAttestationPayload: return ReadBstrInto(r, field, &m.attestation_payload);
        case Field::kErrCode: return Assign(m.err_code, ReadErrCode(r, profile));
        case Field::kErrMsg: return Assign(m.err_msg, ReadMsg(r, field));
        case Field::kErrLang: return Assign(m.err_lang, ReadErrLang(r));
        default: return FieldError(Errc::kFieldNotAllowed, field, offset, "not an update option");
      }
    });
  });
}

void WriteUpdate(cbor::Writer& w, const Update& m, const WireProfile& profile, KeyOrder order) {
  w.WriteArrayHeader(2);
  w.WriteUint(profile.Type(kType));
  WriteOptions(
      w, profile, kType, m.extensions, order,
      [&](Field f) {
        switch (f) {
          case Field::kToken: return m.token.has_value();
          case Field::kUnneededManifestList: return !m.unneeded_manifest_list.empty();
          case Field::kManifestList: return !m.manifest_list.empty();
          case Field::kAttestationPayloadFormat: return m.attestation_payload_format.has_value();
          case Field::kAttestationPayload: return m.attestation_payload.has_value();
          case Field::kErrCode: return m.err_code.has_value();
          case Field::kErrMsg: return m.err_msg.has_value();
          case Field::kErrLang: return m.err_lang.has_value();
          default: return false;
        }
      },
      [&](Field f) {
        switch (f) {
          case Field::kToken: w.WriteBytes(*m.token); break;
          case Field::kUnneededManifestList:
            WriteComponentIdList(w, m.unneeded_manifest_list);
            break;
          case Field::kManifestList: WriteBstrList(w, m.manifest_list); break;
          case Field::kAttestationPayloadFormat: w.WriteText(*m.attestation_payload_format); break;
          case Field::kAttestationPayload: w.WriteBytes(*m.attestation_payload); break;
          case Field::kErrCode: w.WriteUint(m.err_code->ToWire(profile)); break;
          case Field::kErrMsg: w.WriteText(*m.err_msg); break;
          case Field::kErrLang: w.WriteText(*m.err_lang); break;
          default: break;
        }
      });
}

}  // namespace internal

Result<Update> DecodeUpdate(ByteView payload, const WireProfile& profile) {
  return internal::DecodeOne<Update>(payload, profile, MessageType::kUpdate, internal::ReadUpdate);
}

Result<Bytes> Encode(const Update& m, const WireProfile& profile, const EncodeOptions& options) {
  TEEPNET_RETURN_IF_ERROR(Validate(m, profile));
  cbor::Writer w(256);
  internal::WriteUpdate(w, m, profile, options.key_order);
  return std::move(w).Take();
}

}  // namespace teepnet::teep
