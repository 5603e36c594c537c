// TeepMessage: any of the five TEEP messages, and the codec entry points.
//
//   TEEPNET_ASSIGN_OR_RETURN(TeepMessage m, DecodeMessage(payload, RfcProfile()));
//   if (auto* q = std::get_if<QueryRequest>(&m)) ...
//
// Decoding is strict: definite lengths, preferred serialization, no duplicate labels, no
// trailing bytes, every field of its CDDL type and size, and the draft's presence rules. Map
// key order is not required (the draft's own examples put token first). Encoding is
// deterministic; see encode_options.h for the key order.
//
// The payload is the bare TEEP message (the COSE payload); secure_message.h wraps it.
#ifndef TEEPNET_TEEP_MESSAGE_H_
#define TEEPNET_TEEP_MESSAGE_H_

#include <variant>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/teep/encode_options.h"
#include "teepnet/teep/errc.h"
#include "teepnet/teep/error_message.h"
#include "teepnet/teep/query_request.h"
#include "teepnet/teep/query_response.h"
#include "teepnet/teep/success.h"
#include "teepnet/teep/update.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

using TeepMessage = std::variant<QueryRequest, QueryResponse, Update, Success, ErrorMessage>;

MessageType TypeOf(const TeepMessage& message);

Result<TeepMessage> DecodeMessage(ByteView payload, const WireProfile& profile);
Result<Bytes> EncodeMessage(const TeepMessage& message, const WireProfile& profile,
                            const EncodeOptions& options = {});
Status Validate(const TeepMessage& message, const WireProfile& profile);

// DecodeMessage, then kUnexpectedMessageType unless the message is an M.
template <typename M>
Result<M> DecodeAs(ByteView payload, const WireProfile& profile) {
  TEEPNET_ASSIGN_OR_RETURN(TeepMessage message, DecodeMessage(payload, profile));
  if (auto* m = std::get_if<M>(&message)) return std::move(*m);
  return Error(Errc::kUnexpectedMessageType,
               "got a " + std::string(MessageTypeName(TypeOf(message))) + " message", 0);
}

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_MESSAGE_H_
