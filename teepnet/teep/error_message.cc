#include "teepnet/teep/error_message.h"

#include "teepnet/teep/codec_util.h"
#include "teepnet/teep/message.h"

namespace teepnet::teep {
namespace {

constexpr MessageType kType = MessageType::kError;

// draft §"Error Message": for these codes the message "MUST" carry the Agent's own list.
Status CheckRequiredLists(const ErrorMessage& m, size_t offset) {
  const auto code = m.err_code.known();
  if (!code.has_value()) return OkStatus();
  const auto missing = [&](Field field) {
    return internal::FieldError(Errc::kMissingField, field, offset,
                                "required with " + std::string(ErrorCodeName(*code)));
  };
  switch (*code) {
    case ErrorCode::kUnsupportedCipherSuites:
      if (m.supported_teep_cipher_suites.empty()) return missing(Field::kSupportedTeepCipherSuites);
      break;
    case ErrorCode::kUnsupportedFreshnessMechanisms:
      if (m.supported_freshness_mechanisms.empty()) {
        return missing(Field::kSupportedFreshnessMechanisms);
      }
      break;
    case ErrorCode::kUnsupportedSuitReport:
      if (m.supported_suit_cose_profiles.empty()) return missing(Field::kSupportedSuitCoseProfiles);
      break;
    case ErrorCode::kUnsupportedMsgVersion:
      if (m.versions.empty()) return missing(Field::kVersions);
      break;
    default: break;
  }
  return OkStatus();
}

}  // namespace

Status Validate(const ErrorMessage& m, const WireProfile& profile) {
  using namespace internal;
  TEEPNET_RETURN_IF_ERROR(CheckToken(m.token));
  TEEPNET_RETURN_IF_ERROR(CheckMsg(m.err_msg, Field::kErrMsg));
  TEEPNET_RETURN_IF_ERROR(CheckErrLang(m.err_lang));
  TEEPNET_RETURN_IF_ERROR(
      CheckCipherSuites(m.supported_teep_cipher_suites, "supported-teep-cipher-suites"));
  TEEPNET_RETURN_IF_ERROR(CheckChallenge(m.challenge));
  TEEPNET_RETURN_IF_ERROR(CheckEmbeddedCborList(m.suit_reports, Field::kSuitReports));
  TEEPNET_RETURN_IF_ERROR(CheckExtensions(m.extensions, profile, "options"));
  TEEPNET_RETURN_IF_ERROR(CheckErrCode(m.err_code, profile));
  return CheckRequiredLists(m, kNoOffset);
}

namespace internal {

Result<ErrorMessage> ReadErrorMessage(cbor::Reader& r, const WireProfile& profile) {
  return ReadInPlace<ErrorMessage>([&](ErrorMessage& m) -> Status {
    const size_t options_offset = r.offset();
    TEEPNET_RETURN_IF_ERROR(
        ReadOptions(r, profile, kType, &m.extensions, [&](Field field, size_t offset) -> Status {
          switch (field) {
            case Field::kToken: return ReadTokenInto(r, &m.token);
            case Field::kErrMsg: return Assign(m.err_msg, ReadMsg(r, field));
            case Field::kErrLang: return Assign(m.err_lang, ReadErrLang(r));
            case Field::kSupportedTeepCipherSuites: {
              TEEPNET_ASSIGN_OR_RETURN(m.supported_teep_cipher_suites,
                                       ReadCipherSuites(r, FieldName(field)));
              return OkStatus();
            }
            case Field::kSupportedFreshnessMechanisms:
              return Assign(m.supported_freshness_mechanisms, ReadUintList(r, field));
            case Field::kSupportedSuitCoseProfiles: {
              TEEPNET_ASSIGN_OR_RETURN(m.supported_suit_cose_profiles,
                                       ReadSuitCoseProfiles(r, FieldName(field)));
              return OkStatus();
            }
            case Field::kChallenge: return Assign(m.challenge, ReadChallenge(r));
            case Field::kVersions: return Assign(m.versions, ReadUint32List(r, field));
            case Field::kSuitReports: return Assign(m.suit_reports, ReadEmbeddedCborList(r, field));
            default:
              return FieldError(Errc::kFieldNotAllowed, field, offset, "not an error option");
          }
        }));
    TEEPNET_ASSIGN_OR_RETURN(m.err_code, ReadErrCode(r, profile));
    TEEPNET_RETURN_IF_ERROR(CheckRequiredLists(m, options_offset));
    return OkStatus();
  });
}

void WriteErrorMessage(cbor::Writer& w, const ErrorMessage& m, const WireProfile& profile,
                       KeyOrder order) {
  w.WriteArrayHeader(3);
  w.WriteUint(profile.Type(kType));
  WriteOptions(
      w, profile, kType, m.extensions, order,
      [&](Field f) {
        switch (f) {
          case Field::kToken: return m.token.has_value();
          case Field::kErrMsg: return m.err_msg.has_value();
          case Field::kErrLang: return m.err_lang.has_value();
          case Field::kSupportedTeepCipherSuites: return !m.supported_teep_cipher_suites.empty();
          case Field::kSupportedFreshnessMechanisms:
            return !m.supported_freshness_mechanisms.empty();
          case Field::kSupportedSuitCoseProfiles: return !m.supported_suit_cose_profiles.empty();
          case Field::kChallenge: return m.challenge.has_value();
          case Field::kVersions: return !m.versions.empty();
          case Field::kSuitReports: return !m.suit_reports.empty();
          default: return false;
        }
      },
      [&](Field f) {
        switch (f) {
          case Field::kToken: w.WriteBytes(*m.token); break;
          case Field::kErrMsg: w.WriteText(*m.err_msg); break;
          case Field::kErrLang: w.WriteText(*m.err_lang); break;
          case Field::kSupportedTeepCipherSuites:
            WriteCipherSuites(w, m.supported_teep_cipher_suites);
            break;
          case Field::kSupportedFreshnessMechanisms:
            WriteUintList(w, m.supported_freshness_mechanisms);
            break;
          case Field::kSupportedSuitCoseProfiles:
            WriteSuitCoseProfiles(w, m.supported_suit_cose_profiles);
            break;
          case Field::kChallenge: w.WriteBytes(*m.challenge); break;
          case Field::kVersions: WriteUint32List(w, m.versions); break;
          case Field::kSuitReports: WriteBstrList(w, m.suit_reports); break;
          default: break;
        }
      });
  w.WriteUint(m.err_code.ToWire(profile));
}

}  // namespace internal

Result<ErrorMessage> DecodeErrorMessage(ByteView payload, const WireProfile& profile) {
  return internal::DecodeOne<ErrorMessage>(payload, profile, MessageType::kError,
                                           internal::ReadErrorMessage);
}

Result<Bytes> Encode(const ErrorMessage& m, const WireProfile& profile,
                     const EncodeOptions& options) {
  TEEPNET_RETURN_IF_ERROR(Validate(m, profile));
  cbor::Writer w(64);
  internal::WriteErrorMessage(w, m, profile, options.key_order);
  return std::move(w).Take();
}

}  // namespace teepnet::teep
