#include "teepnet/teep/message.h"

#include "teepnet/teep/codec_util.h"

namespace teepnet::teep {

MessageType TypeOf(const TeepMessage& message) {
  // The variant's alternatives are declared in MessageType order.
  return static_cast<MessageType>(message.index());
}

Result<TeepMessage> DecodeMessage(ByteView payload, const WireProfile& profile) {
  cbor::Reader r(payload, internal::StrictOptions());
  TEEPNET_ASSIGN_OR_RETURN(internal::Frame frame, internal::ReadFrame(r, profile));
  TEEPNET_RETURN_IF_ERROR(internal::CheckArity(frame, 0));
  std::optional<TeepMessage> out;
  switch (frame.type) {
    case MessageType::kQueryRequest: {
      TEEPNET_ASSIGN_OR_RETURN(out.emplace(std::in_place_type<QueryRequest>),
                               internal::ReadQueryRequest(r, profile));
      break;
    }
    case MessageType::kQueryResponse: {
      TEEPNET_ASSIGN_OR_RETURN(out.emplace(std::in_place_type<QueryResponse>),
                               internal::ReadQueryResponse(r, profile));
      break;
    }
    case MessageType::kUpdate: {
      TEEPNET_ASSIGN_OR_RETURN(out.emplace(std::in_place_type<Update>),
                               internal::ReadUpdate(r, profile));
      break;
    }
    case MessageType::kSuccess: {
      TEEPNET_ASSIGN_OR_RETURN(out.emplace(std::in_place_type<Success>),
                               internal::ReadSuccess(r, profile));
      break;
    }
    case MessageType::kError: {
      TEEPNET_ASSIGN_OR_RETURN(out.emplace(std::in_place_type<ErrorMessage>),
                               internal::ReadErrorMessage(r, profile));
      break;
    }
  }
  TEEPNET_RETURN_IF_ERROR(internal::ExpectEnd(r));
  return std::move(*out);
}

Result<Bytes> EncodeMessage(const TeepMessage& message, const WireProfile& profile,
                            const EncodeOptions& options) {
  return std::visit([&](const auto& m) { return Encode(m, profile, options); }, message);
}

Status Validate(const TeepMessage& message, const WireProfile& profile) {
  return std::visit([&](const auto& m) { return Validate(m, profile); }, message);
}

}  // namespace teepnet::teep
