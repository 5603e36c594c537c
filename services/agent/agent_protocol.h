// The Broker <-> Agent channel protocol: one request frame, one response frame
// (services/common/frame.h), strictly alternating. This is the TEE boundary (DESIGN §1): the
// Agent treats every request as untrusted input, and the Broker learns nothing but public
// data (the Agent's public key, TEEP messages it would relay anyway, TAM URIs).
//
// Request  = op (1 byte) || body
// Response = status (1 byte: 0 ok, 1 failed) || body (ok) or UTF-8 reason (failed)
//
//   op                    request body          ok response body
//   1 kGetIdentity        (empty)               the Agent's public TEEP key as a COSE_Key
//   2 kProcessTeepMessage TEEP message          OptionalMessage: 0 | 1 || reply message
//   3 kRequestPolicyCheck (empty)               Contact: 0 | 1 || u32 uri length || uri ||
//                                                OptionalMessage
//   4 kProcessError       TAM URI               (empty)
//   5 kDeliverSealed      DeliverSealed (CBOR)  Delivered (CBOR)
//   6 kRelayToTa          UaMessage (CBOR)      TaAnswer (CBOR)
//   7 kFetchUa            UaFetch (CBOR)        UaImage (CBOR)
//
// Integers are big-endian. Decoders read through ByteReader and refuse trailing bytes.
//
// Op 5 (USE-CASES "Agent op 5") carries a Network User's sealed bytes relayed by the Broker:
//   DeliverSealed = {1: request_id tstr, 2: target uint (0 agent, 1 ta), 3: instance tstr,
//                    4: purpose tstr, 5: sealed bstr, ? 6: instance_type uint (1 container,
//                                                                           2 vm)}
// Key 6 names the kind of instance the TA runs in; it is absent for a confidential process
// (type 0), so a request for a process is exactly the 5-entry map older Agents decode, and
// each request has one encoding (6: 0 is refused).
//   Delivered     = {1: receipt bstr, ? 2: ua bstr}
// both deterministic CBOR (RFC 8949 §4.2.1), decoded strictly with no trailing bytes.
//
// Op 6 (USE-CASES "Agent op 6") relays one message of a request's UA, which the Broker runs in
// the REE, to the TA of the same request and returns the TA's answer (a TA answers each UA
// message with exactly one kToUa frame, runtime/ta_wire.h):
//   UaMessage = {1: request_id tstr, 2: message bstr}      TaAnswer = {1: answer bstr}
// Op 7 (USE-CASES "Agent op 7") releases an installed UA component to the REE deployer (cases
// 2, 3: the TAM deployed the UA in a signed SUIT envelope, which the Agent verified on install):
//   UaFetch   = {1: request_id tstr, 2: component tstr}    UaImage  = {1: ua bstr}
// `component` is the UA package's instance-style name "tc-<hex>" (the M/OC names it in the
// request's inbox item). The same rules: deterministic CBOR, strict, no trailing bytes.
#ifndef TEEPNET_SERVICES_AGENT_AGENT_PROTOCOL_H_
#define TEEPNET_SERVICES_AGENT_AGENT_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::agentd {

enum class AgentOp : uint8_t {
  kGetIdentity = 1,
  kProcessTeepMessage = 2,
  kRequestPolicyCheck = 3,
  kProcessError = 4,
  kDeliverSealed = 5,
  kRelayToTa = 6,
  kFetchUa = 7,
};

struct AgentRequest {
  AgentOp op;
  ByteView body;  // borrows the frame
};

// A TAM to contact (RFC 9397 §6.2.1 RequestPolicyCheck result).
struct Contact {
  std::string tam_uri;
  std::optional<Bytes> message;

  friend bool operator==(const Contact&, const Contact&) = default;
};

// A URI longer than this is refused (the TEEP Agent's configured URIs are short).
inline constexpr size_t kMaxUriBytes = 4096;

// Op 5 limits: a request id, instance name or purpose longer than this is refused (the M/OC's
// ids and the "tc-<hex>" instance names are far shorter).
inline constexpr size_t kMaxDeliveryFieldBytes = 1024;

// Op 6 limit: a UA message and a TA's answer to it. UA traffic is small questions and answers
// (the TA treats it as public); a bulk transfer belongs in the PD.
inline constexpr size_t kMaxUaMessageBytes = 64u << 10;
// Op 7 limit: a UA executable, within the channel's 16 MiB frames (services/common/frame.h);
// the M/OC takes envelopes up to 12 MiB.
inline constexpr size_t kMaxUaImageBytes = 15u << 20;

// How the TA runs (the request's Figure-2 instance type).
enum class InstanceType : uint8_t { kProcess = 0, kContainer = 1, kVm = 2 };
std::string_view InstanceTypeName(InstanceType type);  // "process", "container", "vm"

struct DeliverSealed {
  std::string request_id;
  bool to_ta = false;    // target: false = the Agent (cases 1, 4), true = a TA instance (2, 3)
  std::string instance;  // "" for the Agent; the TA instance name otherwise
  std::string purpose;   // the channel binding's purpose ("bundle", "pd", "ta+pd")
  Bytes sealed;          // the COSE_Encrypt0 exactly as the user sealed it
  InstanceType instance_type = InstanceType::kProcess;

  friend bool operator==(const DeliverSealed&, const DeliverSealed&) = default;
};

struct Delivered {
  Bytes receipt;            // COSE_Sign1 (channel/receipt.h)
  std::optional<Bytes> ua;  // case 1: the UA executable for the REE deployer

  friend bool operator==(const Delivered&, const Delivered&) = default;
};

// Op 6: one message from the UA of `request_id` to the TA of the same request.
struct UaMessage {
  std::string request_id;
  Bytes message;  // at most kMaxUaMessageBytes

  friend bool operator==(const UaMessage&, const UaMessage&) = default;
};

// Op 7: the UA component `component` ("tc-<hex>") of request `request_id`.
struct UaFetch {
  std::string request_id;
  std::string component;

  friend bool operator==(const UaFetch&, const UaFetch&) = default;
};

Bytes EncodeRequest(AgentOp op, ByteView body = {});
// common::Errc::kBadResponse for an empty frame, an unknown op or a malformed body.
Result<AgentRequest> DecodeRequest(ByteView frame);

Bytes EncodeOk(ByteView body = {});
Bytes EncodeFailure(std::string_view reason);
// The ok body (a view into `frame`), kRemoteRefused with the Agent's reason, or kBadResponse.
Result<ByteView> DecodeResponse(ByteView frame);

Bytes EncodeOptionalMessage(const std::optional<Bytes>& message);
Result<std::optional<Bytes>> DecodeOptionalMessage(ByteView body);

Bytes EncodeContact(const std::optional<Contact>& contact);
Result<std::optional<Contact>> DecodeContact(ByteView body);

// kBadResponse for anything but the exact deterministic map (a target other than 0 or 1, an
// instance with target agent or none with target ta, an oversized field, an instance_type
// other than 1 or 2 when present, trailing bytes).
Bytes EncodeDeliverSealed(const DeliverSealed& request);
Result<DeliverSealed> DecodeDeliverSealed(ByteView body);

Bytes EncodeDelivered(const Delivered& delivered);
Result<Delivered> DecodeDelivered(ByteView body);

// kBadResponse for anything but the exact deterministic map: an empty or oversized request id,
// a message above kMaxUaMessageBytes, trailing bytes.
Bytes EncodeUaMessage(const UaMessage& message);
Result<UaMessage> DecodeUaMessage(ByteView body);
// The TA's answer, at most kMaxUaMessageBytes (may be empty).
Bytes EncodeTaAnswer(ByteView answer);
Result<Bytes> DecodeTaAnswer(ByteView body);

// kBadResponse for an empty or oversized request id or component, trailing bytes.
Bytes EncodeUaFetch(const UaFetch& request);
Result<UaFetch> DecodeUaFetch(ByteView body);
// The UA's bytes: not empty, at most kMaxUaImageBytes.
Bytes EncodeUaImage(ByteView ua);
Result<Bytes> DecodeUaImage(ByteView body);

}  // namespace teepnet::agentd

#endif  // TEEPNET_SERVICES_AGENT_AGENT_PROTOCOL_H_
