#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "teepnet/base/clock.h"
#include "teepnet/base/random.h"
#include "teepnet/broker/backoff.h"
#include "teepnet/broker/broker_core.h"
#include "teepnet/broker/broker_session.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::broker {
namespace {

using teepnet::testing::FailsWith;

// An Agent that answers from a script and records what it was told.
class ScriptedAgent final : public AgentLink {
 public:
  Result<std::optional<Bytes>> ProcessTeepMessage(ByteView message) override {
    received.push_back(ToBytes(message));
    if (replies.empty()) return std::optional<Bytes>();
    Result<std::optional<Bytes>> next = std::move(replies.front());
    replies.pop_front();
    return next;
  }
  std::optional<TamContact> RequestPolicyCheck() override {
    if (contacts.empty()) return std::nullopt;
    TamContact c = contacts.front();
    contacts.pop_front();
    return c;
  }
  void ProcessError(std::string_view tam_uri) override { errors.emplace_back(tam_uri); }

  std::deque<Result<std::optional<Bytes>>> replies;
  std::deque<TamContact> contacts;
  std::vector<Bytes> received;
  std::vector<std::string> errors;
};

const Bytes kMsg = {0xD2, 0x84};

TEST(BrokerSessionTest, OpeningPostHasEmptyBodyAndNoContentType) {
  BrokerSession s(TamContact{"https://tam", std::nullopt});
  EXPECT_EQ(s.state(), SessionState::kAwaitingResponse);
  EXPECT_TRUE(s.pending_post().body.empty());
  EXPECT_TRUE(s.pending_post().content_type().empty());
  EXPECT_EQ(s.pending_post().accept(), kTeepMediaType);
}

TEST(BrokerSessionTest, ContactWithMessagePostsItWithContentType) {
  BrokerSession s(TamContact{"https://tam", kMsg});
  EXPECT_EQ(s.pending_post().body, kMsg);
  EXPECT_EQ(s.pending_post().content_type(), kTeepMediaType);
}

TEST(BrokerSessionTest, EmptyResponseBodyEndsTheSessionSuccessfully) {
  ScriptedAgent agent;
  BrokerSession s(TamContact{"https://tam", std::nullopt});
  TEEPNET_ASSERT_OK(s.OnHttpResponse(204, {}, agent));
  EXPECT_EQ(s.state(), SessionState::kSucceeded);
  EXPECT_TRUE(agent.received.empty());
}

TEST(BrokerSessionTest, AgentReplyIsPostedNextAndNothingBackEndsTheSession) {
  ScriptedAgent agent;
  agent.replies.push_back(std::optional<Bytes>(Bytes{1, 2, 3}));
  BrokerSession s(TamContact{"https://tam", std::nullopt});
  TEEPNET_ASSERT_OK(s.OnHttpResponse(200, kMsg, agent));
  ASSERT_EQ(s.state(), SessionState::kAwaitingResponse);
  EXPECT_EQ(s.pending_post().body, (Bytes{1, 2, 3}));
  EXPECT_EQ(s.round_trips(), 2u);
  TEEPNET_ASSERT_OK(s.OnHttpResponse(200, kMsg, agent));  // agent now returns nothing
  EXPECT_EQ(s.state(), SessionState::kSucceeded);
  EXPECT_EQ(agent.received.size(), 2u);
}

TEST(BrokerSessionTest, HttpErrorStatusCallsProcessErrorAndFails) {
  for (int status : {301, 404, 415, 500}) {
    ScriptedAgent agent;
    BrokerSession s(TamContact{"https://tam", std::nullopt});
    TEEPNET_ASSERT_OK(s.OnHttpResponse(status, kMsg, agent));
    EXPECT_EQ(s.state(), SessionState::kFailed) << status;
    EXPECT_TRUE(FailsWith(Result<int>(*s.failure()), Errc::kHttpStatus));
    EXPECT_EQ(agent.errors, std::vector<std::string>{"https://tam"});
    EXPECT_TRUE(agent.received.empty());  // a redirect body is not handed to the Agent
  }
}

TEST(BrokerSessionTest, TransportFailureCallsProcessErrorAndFails) {
  ScriptedAgent agent;
  BrokerSession s(TamContact{"https://tam", std::nullopt});
  TEEPNET_ASSERT_OK(s.OnTransportFailure(agent));
  EXPECT_TRUE(FailsWith(Result<int>(*s.failure()), Errc::kTransportFailure));
  EXPECT_EQ(agent.errors.size(), 1u);
}

TEST(BrokerSessionTest, AgentFailureFailsWithoutProcessError) {
  ScriptedAgent agent;
  agent.replies.push_back(Error(Code::kUnavailable, "agent gone"));
  BrokerSession s(TamContact{"https://tam", std::nullopt});
  TEEPNET_ASSERT_OK(s.OnHttpResponse(200, kMsg, agent));
  EXPECT_TRUE(FailsWith(Result<int>(*s.failure()), Errc::kAgentFailure));
  EXPECT_TRUE(agent.errors.empty());
}

TEST(BrokerSessionTest, EndlessPingPongStopsAtTheRoundTripLimit) {
  ScriptedAgent agent;
  for (int i = 0; i < 10; ++i) agent.replies.push_back(std::optional<Bytes>(kMsg));
  BrokerSession s(TamContact{"https://tam", std::nullopt}, 3);
  while (s.state() == SessionState::kAwaitingResponse) {
    TEEPNET_ASSERT_OK(s.OnHttpResponse(200, kMsg, agent));
  }
  EXPECT_TRUE(FailsWith(Result<int>(*s.failure()), Errc::kTooManyRoundTrips));
  EXPECT_EQ(s.round_trips(), 3u);
}

TEST(BrokerSessionTest, ResponseAfterTheEndIsRefused) {
  ScriptedAgent agent;
  BrokerSession s(TamContact{"https://tam", std::nullopt});
  TEEPNET_ASSERT_OK(s.OnHttpResponse(204, {}, agent));
  EXPECT_TRUE(FailsWith(s.OnHttpResponse(200, kMsg, agent), Errc::kNotAwaiting));
  EXPECT_TRUE(FailsWith(s.OnTransportFailure(agent), Errc::kNotAwaiting));
  EXPECT_EQ(s.state(), SessionState::kSucceeded);
}

TEST(BackoffTest, DelayGrowsExponentiallyUpToTheCapWithoutJitter) {
  ReplayRandom random({});
  Backoff b(BackoffConfig{3600000, 1000, 10000, 2, 0.0}, random);
  EXPECT_EQ(b.OnFailure(), 1000);
  EXPECT_EQ(b.OnFailure(), 2000);
  EXPECT_EQ(b.OnFailure(), 4000);
  EXPECT_EQ(b.OnFailure(), 8000);
  EXPECT_EQ(b.OnFailure(), 10000);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(b.OnFailure(), 10000);  // no overflow
  EXPECT_EQ(b.OnSuccess(), 3600000);
  EXPECT_EQ(b.consecutive_failures(), 0u);
  EXPECT_EQ(b.OnFailure(), 1000);
}

TEST(BackoffTest, JitterStaysWithinItsBand) {
  ReplayRandom random(Bytes{0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0, 0});
  Backoff b(BackoffConfig{3600000, 1000, 1000, 2, 0.5}, random);
  EXPECT_EQ(b.OnFailure(), 1000);  // draw 0: the full delay
  EXPECT_EQ(b.OnFailure(), 500);   // draw max: delay * (1 - jitter)
  const int64_t mid = b.OnFailure();
  EXPECT_GT(mid, 500);
  EXPECT_LT(mid, 1000);
  // The random source is exhausted: the un-jittered (longer) delay.
  EXPECT_EQ(b.OnFailure(), 1000);
}

TEST(BrokerCoreTest, PolicyCheckVisitsEveryTamTheAgentNames) {
  ScriptedAgent agent;
  agent.contacts = {TamContact{"https://a", std::nullopt}, TamContact{"https://b", std::nullopt}};
  FakeClock clock(0);
  ReplayRandom random({});
  BrokerCore broker(agent, clock, random);
  broker.StartPolicyCheck();
  std::vector<std::string> visited;
  while (const HttpPost* post = broker.CurrentPost()) {
    visited.push_back(post->uri);
    broker.OnHttpResponse(204, {});
  }
  EXPECT_EQ(visited, (std::vector<std::string>{"https://a", "https://b"}));
  EXPECT_EQ(broker.stats().sessions_succeeded, 2u);
  EXPECT_TRUE(broker.idle());
  EXPECT_EQ(broker.next_policy_check_ms(), BackoffConfig().policy_check_interval_ms);
  EXPECT_FALSE(broker.PolicyCheckDue());
  clock.Advance(3600);
  EXPECT_TRUE(broker.PolicyCheckDue());
}

TEST(BrokerCoreTest, FailedRoundSchedulesABackoffInsteadOfTheInterval) {
  ScriptedAgent agent;
  agent.contacts = {TamContact{"https://a", std::nullopt}};
  FakeClock clock(0);
  ReplayRandom random({});
  BrokerConfig config;
  config.backoff.jitter = 0;
  BrokerCore broker(agent, clock, random, config);
  broker.StartPolicyCheck();
  ASSERT_NE(broker.CurrentPost(), nullptr);
  broker.OnTransportFailure();
  EXPECT_EQ(broker.stats().sessions_failed, 1u);
  EXPECT_EQ(broker.next_policy_check_ms(), config.backoff.initial_backoff_ms);
  EXPECT_EQ(agent.errors.size(), 1u);
}

TEST(BrokerCoreTest, QueueBeyondItsLimitDropsContacts) {
  ScriptedAgent agent;
  FakeClock clock(0);
  ReplayRandom random({});
  BrokerConfig config;
  config.max_queued = 2;
  BrokerCore broker(agent, clock, random, config);
  for (int i = 0; i < 4; ++i) broker.Enqueue(TamContact{"https://a", std::nullopt});
  EXPECT_EQ(broker.stats().contacts_dropped, 2u);
}

}  // namespace
}  // namespace teepnet::broker
