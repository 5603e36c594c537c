// deps: teepnet_agent_protocol teepnet_service_common
// Fuzzes the Broker <-> Agent channel decoders (services/common/frame.h,
// services/agent/agent_protocol.h): the input is the byte stream one side would read from the
// socketpair. It is read twice - with ReadFrame from a real socket and by walking
// ParseFrameHeader over memory - and every frame is decoded as a request, a response, an
// OptionalMessage, a Contact, (op 5) a DeliverSealed and a Delivered, and - whole, as a
// request's body and as an ok response's body - (ops 6, 7) a UaMessage, a TaAnswer, a UaFetch
// and a UaImage. Properties: no crash;
// both readings agree on the frames and on how the stream ends; decoding fails only with the
// documented reasons; whatever decodes re-encodes to exactly the input (the encodings are
// canonical, trailing bytes are refused).
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "services/agent/agent_protocol.h"
#include "services/common/errc.h"
#include "services/common/frame.h"

using namespace teepnet;

namespace {

// Small enough that a fuzzer can announce too-large frames, large enough for real messages.
constexpr size_t kMaxFrame = 64 * 1024;
// The socket half is skipped above this so the one-shot write cannot block on a full buffer.
constexpr size_t kMaxSocketInput = 64 * 1024;

void Require(bool ok) {
  if (!ok) std::abort();
}

// The CBOR bodies of ops 6 and 7 and their answers.
void DecodeUaBodies(ByteView body) {
  if (auto message = agentd::DecodeUaMessage(body); message.ok()) {
    Require(agentd::EncodeUaMessage(*message) == ToBytes(body));
    Require(!message->request_id.empty() && message->message.size() <= agentd::kMaxUaMessageBytes);
  } else {
    Require(message.error().Is(common::Errc::kBadResponse));
  }
  if (auto answer = agentd::DecodeTaAnswer(body); answer.ok()) {
    Require(agentd::EncodeTaAnswer(*answer) == ToBytes(body));
  } else {
    Require(answer.error().Is(common::Errc::kBadResponse));
  }
  if (auto fetch = agentd::DecodeUaFetch(body); fetch.ok()) {
    Require(agentd::EncodeUaFetch(*fetch) == ToBytes(body));
    Require(!fetch->request_id.empty() && !fetch->component.empty());
  } else {
    Require(fetch.error().Is(common::Errc::kBadResponse));
  }
  if (auto image = agentd::DecodeUaImage(body); image.ok()) {
    Require(agentd::EncodeUaImage(*image) == ToBytes(body));
    Require(!image->empty());
  } else {
    Require(image.error().Is(common::Errc::kBadResponse));
  }
}

void DecodeEverything(ByteView payload) {
  DecodeUaBodies(payload);
  if (auto request = agentd::DecodeRequest(payload); request.ok()) {
    Require(agentd::EncodeRequest(request->op, request->body) == ToBytes(payload));
    DecodeUaBodies(request->body);
  } else {
    Require(request.error().Is(common::Errc::kBadResponse));
  }
  if (auto response = agentd::DecodeResponse(payload); response.ok()) {
    Require(agentd::EncodeOk(*response) == ToBytes(payload));
    DecodeUaBodies(*response);
  } else {
    Require(response.error().Is(common::Errc::kBadResponse) ||
            response.error().Is(common::Errc::kRemoteRefused));
  }
  if (auto message = agentd::DecodeOptionalMessage(payload); message.ok()) {
    Require(agentd::EncodeOptionalMessage(*message) == ToBytes(payload));
  } else {
    Require(message.error().Is(common::Errc::kBadResponse));
  }
  if (auto contact = agentd::DecodeContact(payload); contact.ok()) {
    Require(agentd::EncodeContact(*contact) == ToBytes(payload));
    Require(!*contact || (*contact)->tam_uri.size() <= agentd::kMaxUriBytes);
  } else {
    Require(contact.error().Is(common::Errc::kBadResponse));
  }
  if (auto deliver = agentd::DecodeDeliverSealed(payload); deliver.ok()) {
    Require(agentd::EncodeDeliverSealed(*deliver) == ToBytes(payload));
    Require(deliver->to_ta != deliver->instance.empty());
  } else {
    Require(deliver.error().Is(common::Errc::kBadResponse));
  }
  if (auto delivered = agentd::DecodeDelivered(payload); delivered.ok()) {
    Require(agentd::EncodeDelivered(*delivered) == ToBytes(payload));
  } else {
    Require(delivered.error().Is(common::Errc::kBadResponse));
  }
}

// Frames parsed from memory; `end` gets the reason the stream stopped.
std::vector<ByteView> WalkFrames(ByteView stream, common::Errc* end) {
  std::vector<ByteView> frames;
  size_t offset = 0;
  for (;;) {
    if (offset == stream.size()) {
      *end = common::Errc::kPeerClosed;
      return frames;
    }
    if (stream.size() - offset < common::kFrameHeaderBytes) {
      *end = common::Errc::kTruncatedFrame;
      return frames;
    }
    auto length =
        common::ParseFrameHeader(stream.subspan(offset, common::kFrameHeaderBytes), kMaxFrame);
    if (!length.ok()) {
      Require(length.error().Is(common::Errc::kFrameTooLarge));
      *end = common::Errc::kFrameTooLarge;
      return frames;
    }
    offset += common::kFrameHeaderBytes;
    if (stream.size() - offset < *length) {
      *end = common::Errc::kTruncatedFrame;
      return frames;
    }
    frames.push_back(stream.subspan(offset, *length));
    offset += *length;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView stream(data, size);
  common::Errc end = common::Errc::kIo;
  std::vector<ByteView> frames = WalkFrames(stream, &end);
  for (ByteView frame : frames) DecodeEverything(frame);

  if (size > kMaxSocketInput) return 0;
  int fds[2];
  Require(socketpair(AF_UNIX, SOCK_STREAM, 0, fds) == 0);
  Require(size == 0 || write(fds[1], data, size) == static_cast<ssize_t>(size));
  shutdown(fds[1], SHUT_WR);
  for (size_t i = 0;; ++i) {
    auto frame = common::ReadFrame(fds[0], kMaxFrame);
    if (!frame.ok()) {
      Require(i == frames.size() && frame.error().Is(end));
      break;
    }
    Require(i < frames.size() && *frame == ToBytes(frames[i]));
  }
  close(fds[0]);
  close(fds[1]);
  return 0;
}
