#include "teepnet/teep/success.h"

#include "teepnet/teep/codec_util.h"
#include "teepnet/teep/message.h"

namespace teepnet::teep {
namespace {
constexpr MessageType kType = MessageType::kSuccess;
}  // namespace

Status Validate(const Success& m, const WireProfile& profile) {
  using namespace internal;
  TEEPNET_RETURN_IF_ERROR(CheckToken(m.token));
  TEEPNET_RETURN_IF_ERROR(CheckMsg(m.msg, Field::kMsg));
  TEEPNET_RETURN_IF_ERROR(CheckEmbeddedCborList(m.suit_reports, Field::kSuitReports));
  return CheckExtensions(m.extensions, profile, "options");
}

namespace internal {

Result<Success> ReadSuccess(cbor::Reader& r, const WireProfile& profile) {
  return ReadInPlace<Success>([&](Success& m) -> Status {
    return ReadOptions(r, profile, kType, &m.extensions, [&](Field field, size_t offset) -> Status {
      switch (field) {
        case Field::kToken: return ReadTokenInto(r, &m.token);
        case Field::kMsg: return Assign(m.msg, ReadMsg(r, field));
        case Field::kSuitReports: return Assign(m.suit_reports, ReadEmbeddedCborList(r, field));
        default: return FieldError(Errc::kFieldNotAllowed, field, offset, "not a success option");
      }
    });
  });
}

void WriteSuccess(cbor::Writer& w, const Success& m, const WireProfile& profile, KeyOrder order) {
  w.WriteArrayHeader(2);
  w.WriteUint(profile.Type(kType));
  WriteOptions(
      w, profile, kType, m.extensions, order,
      [&](Field f) {
        switch (f) {
          case Field::kToken: return m.token.has_value();
          case Field::kMsg: return m.msg.has_value();
          case Field::kSuitReports: return !m.suit_reports.empty();
          default: return false;
        }
      },
      [&](Field f) {
        switch (f) {
          case Field::kToken: w.WriteBytes(*m.token); break;
          case Field::kMsg: w.WriteText(*m.msg); break;
          case Field::kSuitReports: WriteBstrList(w, m.suit_reports); break;
          default: break;
        }
      });
}

}  // namespace internal

Result<Success> DecodeSuccess(ByteView payload, const WireProfile& profile) {
  return internal::DecodeOne<Success>(payload, profile, MessageType::kSuccess,
                                      internal::ReadSuccess);
}

Result<Bytes> Encode(const Success& m, const WireProfile& profile, const EncodeOptions& options) {
  TEEPNET_RETURN_IF_ERROR(Validate(m, profile));
  cbor::Writer w(64);
  internal::WriteSuccess(w, m, profile, options.key_order);
  return std::move(w).Take();
}

}  // namespace teepnet::teep
