#include "services/agent/agent_protocol.h"

#include <gtest/gtest.h>

#include "services/common/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::agentd {
namespace {

using ::teepnet::testing::FailsWith;

TEST(AgentProtocolTest, RequestsRoundTrip) {
  const Bytes message = {0xd2, 0x84, 0x43};
  const Bytes frame = EncodeRequest(AgentOp::kProcessTeepMessage, message);
  auto decoded = DecodeRequest(frame);  // the body view borrows `frame`
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(decoded->op, AgentOp::kProcessTeepMessage);
  EXPECT_EQ(ToBytes(decoded->body), message);
  auto identity = DecodeRequest(EncodeRequest(AgentOp::kGetIdentity));
  TEEPNET_ASSERT_OK(identity);
  EXPECT_EQ(identity->op, AgentOp::kGetIdentity);
}

TEST(AgentProtocolTest, EmptyUnknownOrOverlongRequestsFail) {
  EXPECT_TRUE(FailsWith(DecodeRequest(Bytes{}), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeRequest(Bytes{0}), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeRequest(Bytes{99, 1}), common::Errc::kBadResponse));
  // Ops without a body refuse one.
  EXPECT_TRUE(FailsWith(DecodeRequest(Bytes{1, 0}), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeRequest(Bytes{3, 0}), common::Errc::kBadResponse));
}

TEST(AgentProtocolTest, ResponsesCarryBodyOrRefusal) {
  const Bytes frame = EncodeOk(Bytes{7, 8});
  auto ok = DecodeResponse(frame);
  TEEPNET_ASSERT_OK(ok);
  EXPECT_EQ(ToBytes(*ok), (Bytes{7, 8}));
  EXPECT_TRUE(FailsWith(DecodeResponse(EncodeFailure("nope")), common::Errc::kRemoteRefused));
  EXPECT_TRUE(FailsWith(DecodeResponse(Bytes{}), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeResponse(Bytes{2}), common::Errc::kBadResponse));
}

TEST(AgentProtocolTest, OptionalMessagesRoundTrip) {
  for (const std::optional<Bytes>& m : {std::optional<Bytes>(), std::optional<Bytes>(Bytes{}),
                                        std::optional<Bytes>(Bytes{1, 2, 3})}) {
    auto back = DecodeOptionalMessage(EncodeOptionalMessage(m));
    TEEPNET_ASSERT_OK(back);
    EXPECT_EQ(*back, m);
  }
  EXPECT_TRUE(FailsWith(DecodeOptionalMessage(Bytes{}), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeOptionalMessage(Bytes{2}), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeOptionalMessage(Bytes{0, 0}), common::Errc::kBadResponse));
}

TEST(AgentProtocolTest, ContactsRoundTrip) {
  std::optional<Contact> none;
  std::optional<Contact> plain = Contact{"http://127.0.0.1:1/tam", std::nullopt};
  std::optional<Contact> with_message = Contact{"http://tam/x", Bytes{0xa0}};
  for (const auto& c : {none, plain, with_message}) {
    auto back = DecodeContact(EncodeContact(c));
    TEEPNET_ASSERT_OK(back);
    EXPECT_EQ(*back, c);
  }
}

TEST(AgentProtocolTest, TruncatedContactFailsAtEverySplitPoint) {
  Bytes encoded = EncodeContact(Contact{"http://tam/x", Bytes{0xa0, 0x01}});
  // Any prefix that cuts the fixed part (presence, length, uri, message presence) fails; a
  // cut inside the trailing message would still parse, as a shorter message.
  const size_t fixed = 1 + 4 + std::string_view("http://tam/x").size() + 1;
  for (size_t n = 0; n < fixed; ++n) {
    EXPECT_TRUE(FailsWith(DecodeContact(ByteView(encoded).first(n)), common::Errc::kBadResponse))
        << n;
  }
}

TEST(AgentProtocolTest, OversizedUriLengthFails) {
  Bytes encoded = {1, 0xff, 0xff, 0xff, 0xff};
  EXPECT_TRUE(FailsWith(DecodeContact(encoded), common::Errc::kBadResponse));
}

DeliverSealed SampleDelivery(bool to_ta) {
  DeliverSealed d;
  d.request_id = "req-7";
  d.to_ta = to_ta;
  d.instance = to_ta ? "tc-8141" : "";
  d.purpose = to_ta ? "pd" : "bundle";
  d.sealed = {0xd0, 0x83, 0x01};
  return d;
}

TEST(DeliverSealed, RoundTripsBothTargetsThroughARequestFrame) {
  for (bool to_ta : {false, true}) {
    const Bytes frame =
        EncodeRequest(AgentOp::kDeliverSealed, EncodeDeliverSealed(SampleDelivery(to_ta)));
    auto request = DecodeRequest(frame);
    TEEPNET_ASSERT_OK(request);
    EXPECT_EQ(request->op, AgentOp::kDeliverSealed);
    auto decoded = DecodeDeliverSealed(request->body);
    TEEPNET_ASSERT_OK(decoded);
    EXPECT_EQ(*decoded, SampleDelivery(to_ta));
  }
}

TEST(DeliverSealed, EncodesTheDocumentedDeterministicMap) {
  DeliverSealed d;
  d.request_id = "r";
  d.to_ta = true;
  d.instance = "i";
  d.purpose = "pd";
  d.sealed = {0xaa};
  // {1: "r", 2: 1, 3: "i", 4: "pd", 5: h'aa'}
  EXPECT_EQ(ToHex(EncodeDeliverSealed(d)), "a50161720201036169046270640541aa");
}

TEST(DeliverSealed, CarriesAContainerInstanceTypeAsKeySix) {
  DeliverSealed d;
  d.request_id = "r";
  d.to_ta = true;
  d.instance = "i";
  d.purpose = "pd";
  d.sealed = {0xaa};
  d.instance_type = InstanceType::kContainer;
  // {1: "r", 2: 1, 3: "i", 4: "pd", 5: h'aa', 6: 1}
  EXPECT_EQ(ToHex(EncodeDeliverSealed(d)), "a60161720201036169046270640541aa0601");
  for (bool to_ta : {false, true}) {
    DeliverSealed sample = SampleDelivery(to_ta);
    sample.instance_type = InstanceType::kContainer;
    auto decoded = DecodeDeliverSealed(EncodeDeliverSealed(sample));
    TEEPNET_ASSERT_OK(decoded);
    EXPECT_EQ(*decoded, sample);
  }
}

TEST(DeliverSealed, CarriesAVmInstanceTypeAsKeySixValueTwo) {
  DeliverSealed d;
  d.request_id = "r";
  d.to_ta = true;
  d.instance = "i";
  d.purpose = "pd";
  d.sealed = {0xaa};
  d.instance_type = InstanceType::kVm;
  // {1: "r", 2: 1, 3: "i", 4: "pd", 5: h'aa', 6: 2}
  EXPECT_EQ(ToHex(EncodeDeliverSealed(d)), "a60161720201036169046270640541aa0602");
  auto decoded = DecodeDeliverSealed(EncodeDeliverSealed(d));
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, d);
  EXPECT_EQ(InstanceTypeName(InstanceType::kVm), "vm");
}

TEST(DeliverSealed, ReadsAMapWithoutKeySixAsAProcess) {
  // What an older Broker sends: the 5-entry map.
  auto decoded = DecodeDeliverSealed(FromHex("a50161720201036169046270640541aa").value());
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(decoded->instance_type, InstanceType::kProcess);
}

TEST(DeliverSealed, RefusesAnExplicitProcessOrUnknownInstanceType) {
  // 6: 0 (a second encoding of "process"), 6: 3 (no such type), 6: "container" (not a uint).
  for (const char* tail : {"0600", "0603", "0669636f6e7461696e6572"}) {
    const Bytes body = FromHex(std::string("a60161720201036169046270640541aa") + tail).value();
    EXPECT_TRUE(FailsWith(DecodeDeliverSealed(body), common::Errc::kBadResponse)) << tail;
  }
  // Key 7 in place of 6.
  EXPECT_TRUE(
      FailsWith(DecodeDeliverSealed(FromHex("a60161720201036169046270640541aa0701").value()),
                common::Errc::kBadResponse));
}

TEST(DeliverSealed, RefusesATargetOtherThanAgentOrTa) {
  cbor::Writer w;
  w.WriteMapHeader(5);
  w.WriteUint(1);
  w.WriteText("r");
  w.WriteUint(2);
  w.WriteUint(2);
  w.WriteUint(3);
  w.WriteText("i");
  w.WriteUint(4);
  w.WriteText("pd");
  w.WriteUint(5);
  w.WriteBytes(Bytes{1});
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(w.bytes()), common::Errc::kBadResponse));
}

TEST(DeliverSealed, RefusesAnInstanceThatDoesNotMatchTheTarget) {
  DeliverSealed agent_with_instance = SampleDelivery(false);
  agent_with_instance.instance = "tc-01";
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(EncodeDeliverSealed(agent_with_instance)),
                        common::Errc::kBadResponse));
  DeliverSealed ta_without_instance = SampleDelivery(true);
  ta_without_instance.instance.clear();
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(EncodeDeliverSealed(ta_without_instance)),
                        common::Errc::kBadResponse));
}

TEST(DeliverSealed, RefusesAnEmptyOrOverlongRequestId) {
  DeliverSealed d = SampleDelivery(false);
  d.request_id.clear();
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(EncodeDeliverSealed(d)), common::Errc::kBadResponse));
  d.request_id = std::string(kMaxDeliveryFieldBytes + 1, 'r');
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(EncodeDeliverSealed(d)), common::Errc::kBadResponse));
}

TEST(DeliverSealed, RefusesTrailingBytesAndMissingEntries) {
  Bytes body = EncodeDeliverSealed(SampleDelivery(true));
  body.push_back(0);
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(body), common::Errc::kBadResponse));
  body.pop_back();
  body[0] = 0xa4;  // claims 4 entries: the 5th becomes trailing garbage
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(body), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(Bytes{}), common::Errc::kBadResponse));
}

TEST(DeliverSealed, RefusesKeysOutOfOrder) {
  cbor::Writer w;
  w.WriteMapHeader(5);
  w.WriteUint(2);
  w.WriteUint(0);
  w.WriteUint(1);
  w.WriteText("r");
  w.WriteUint(3);
  w.WriteText("");
  w.WriteUint(4);
  w.WriteText("bundle");
  w.WriteUint(5);
  w.WriteBytes(Bytes{1});
  EXPECT_TRUE(FailsWith(DecodeDeliverSealed(w.bytes()), common::Errc::kBadResponse));
}

TEST(Delivered, RoundTripsWithAndWithoutTheUa) {
  Delivered plain{Bytes{0xd2, 0x84}, std::nullopt};
  auto a = DecodeDelivered(EncodeDelivered(plain));
  TEEPNET_ASSERT_OK(a);
  EXPECT_EQ(*a, plain);
  Delivered with_ua{Bytes{0xd2, 0x84}, Bytes{0x7f, 'E'}};
  auto b = DecodeDelivered(EncodeDelivered(with_ua));
  TEEPNET_ASSERT_OK(b);
  EXPECT_EQ(*b, with_ua);
  // {1: h'd284', 2: h'7f45'}
  EXPECT_EQ(ToHex(EncodeDelivered(with_ua)), "a20142d28402427f45");
}

TEST(Delivered, RefusesAnEmptyReceiptAnUnknownKeyAndTrailingBytes) {
  EXPECT_TRUE(FailsWith(DecodeDelivered(EncodeDelivered(Delivered{})), common::Errc::kBadResponse));
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(1);
  w.WriteBytes(Bytes{1});
  w.WriteUint(3);
  w.WriteBytes(Bytes{2});
  EXPECT_TRUE(FailsWith(DecodeDelivered(w.bytes()), common::Errc::kBadResponse));
  Bytes body = EncodeDelivered(Delivered{Bytes{1}, std::nullopt});
  body.push_back(0x40);
  EXPECT_TRUE(FailsWith(DecodeDelivered(body), common::Errc::kBadResponse));
}

TEST(UaMessage, RoundTripsThroughARequestFrameAsTheDocumentedMap) {
  const UaMessage m{"r", Bytes{'h', 'i'}};
  // {1: "r", 2: h'6869'}
  EXPECT_EQ(ToHex(EncodeUaMessage(m)),
            "a20161720242"
            "6869");
  const Bytes frame = EncodeRequest(AgentOp::kRelayToTa, EncodeUaMessage(m));
  auto request = DecodeRequest(frame);
  TEEPNET_ASSERT_OK(request);
  EXPECT_EQ(request->op, AgentOp::kRelayToTa);
  auto decoded = DecodeUaMessage(request->body);
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, m);
  // An empty message is a message.
  auto empty = DecodeUaMessage(EncodeUaMessage(UaMessage{"r", {}}));
  TEEPNET_ASSERT_OK(empty);
  EXPECT_TRUE(empty->message.empty());
}

TEST(UaMessage, RefusesTrailingBytesMissingKeysAndAnEmptyRequestId) {
  Bytes body = EncodeUaMessage(UaMessage{"r", Bytes{1}});
  body.push_back(0);
  EXPECT_TRUE(FailsWith(DecodeUaMessage(body), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeUaMessage(FromHex("a1016172").value()), common::Errc::kBadResponse));
  // {2: h'01', 1: "r"}: keys out of order.
  EXPECT_TRUE(FailsWith(DecodeUaMessage(FromHex("a202410101"
                                                "6172")
                                            .value()),
                        common::Errc::kBadResponse));
  EXPECT_TRUE(
      FailsWith(DecodeUaMessage(EncodeUaMessage(UaMessage{"", {1}})), common::Errc::kBadResponse));
  // A message as a text string.
  EXPECT_TRUE(FailsWith(DecodeUaMessage(FromHex("a201617202"
                                                "6168")
                                            .value()),
                        common::Errc::kBadResponse));
}

TEST(UaMessage, RefusesAMessageOrRequestIdAboveItsLimit) {
  UaMessage m{"r", Bytes(kMaxUaMessageBytes, 0x55)};
  TEEPNET_EXPECT_OK(DecodeUaMessage(EncodeUaMessage(m)));
  m.message.push_back(0x55);
  EXPECT_TRUE(FailsWith(DecodeUaMessage(EncodeUaMessage(m)), common::Errc::kBadResponse));
  m = UaMessage{std::string(kMaxDeliveryFieldBytes + 1, 'r'), {1}};
  EXPECT_TRUE(FailsWith(DecodeUaMessage(EncodeUaMessage(m)), common::Errc::kBadResponse));
}

TEST(TaAnswer, RoundTripsAndRefusesAnOversizedAnswerOrTrailingBytes) {
  // {1: h'6f6b'}
  EXPECT_EQ(ToHex(EncodeTaAnswer(AsBytes(std::string_view("ok")))), "a101426f6b");
  auto back = DecodeTaAnswer(EncodeTaAnswer(AsBytes(std::string_view("ok"))));
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, ToBytes(std::string_view("ok")));
  EXPECT_TRUE(FailsWith(DecodeTaAnswer(EncodeTaAnswer(Bytes(kMaxUaMessageBytes + 1, 1))),
                        common::Errc::kBadResponse));
  Bytes body = EncodeTaAnswer(Bytes{1});
  body.push_back(0x40);
  EXPECT_TRUE(FailsWith(DecodeTaAnswer(body), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(DecodeTaAnswer(Bytes{}), common::Errc::kBadResponse));
  // A non-preferred length encoding of the same answer (0x58 0x02 for a 2-byte bstr).
  EXPECT_TRUE(
      FailsWith(DecodeTaAnswer(FromHex("a10158026f6b").value()), common::Errc::kBadResponse));
}

TEST(UaFetch, RoundTripsThroughARequestFrameAsTheDocumentedMap) {
  const UaFetch f{"r", "tc-81"};
  // {1: "r", 2: "tc-81"}
  EXPECT_EQ(ToHex(EncodeUaFetch(f)),
            "a20161720265"
            "74632d3831");
  const Bytes frame = EncodeRequest(AgentOp::kFetchUa, EncodeUaFetch(f));
  auto request = DecodeRequest(frame);
  TEEPNET_ASSERT_OK(request);
  EXPECT_EQ(request->op, AgentOp::kFetchUa);
  auto decoded = DecodeUaFetch(request->body);
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_EQ(*decoded, f);
}

TEST(UaFetch, RefusesEmptyOrOverlongFieldsAndTrailingBytes) {
  EXPECT_TRUE(
      FailsWith(DecodeUaFetch(EncodeUaFetch(UaFetch{"", "tc-81"})), common::Errc::kBadResponse));
  EXPECT_TRUE(
      FailsWith(DecodeUaFetch(EncodeUaFetch(UaFetch{"r", ""})), common::Errc::kBadResponse));
  EXPECT_TRUE(FailsWith(
      DecodeUaFetch(EncodeUaFetch(UaFetch{"r", std::string(kMaxDeliveryFieldBytes + 1, 'c')})),
      common::Errc::kBadResponse));
  Bytes body = EncodeUaFetch(UaFetch{"r", "tc-81"});
  body.push_back(0);
  EXPECT_TRUE(FailsWith(DecodeUaFetch(body), common::Errc::kBadResponse));
}

TEST(UaImage, RoundTripsAndRefusesAnEmptyUa) {
  const Bytes ua = {0x7f, 'E', 'L', 'F'};
  auto back = DecodeUaImage(EncodeUaImage(ua));
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, ua);
  EXPECT_TRUE(FailsWith(DecodeUaImage(EncodeUaImage(Bytes{})), common::Errc::kBadResponse));
  Bytes body = EncodeUaImage(ua);
  body.push_back(0);
  EXPECT_TRUE(FailsWith(DecodeUaImage(body), common::Errc::kBadResponse));
}

}  // namespace
}  // namespace teepnet::agentd
