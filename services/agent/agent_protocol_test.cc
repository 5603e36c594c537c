#include "services/agent/agent_protocol.h"

#include <gtest/gtest.h>

#include "services/common/errc.h"
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

}  // namespace
}  // namespace teepnet::agentd
