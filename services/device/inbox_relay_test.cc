#include "services/device/inbox_relay.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <deque>

#include "services/common/errc.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::device {
namespace {

InboxEntry Entry(std::string request_id, std::string_view sealed, bool to_ta = true) {
  InboxEntry e;
  e.request_id = std::move(request_id);
  e.to_ta = to_ta;
  e.instance = to_ta ? "tc-81416161" : "";
  e.purpose = to_ta ? "pd" : "bundle";
  e.sealed = ToBytes(sealed);
  e.digest = crypto::Sha256(e.sealed);
  return e;
}

class FakeEndpoint final : public RelayEndpoint {
 public:
  Result<std::vector<InboxEntry>> FetchInbox() override {
    ++fetches;
    if (!reachable) return Error(Code::kUnavailable, "no route to the M/OC");
    return inbox;
  }
  Status PostReceipt(std::string_view request_id, ByteView receipt) override {
    posts.push_back({std::string(request_id), ToBytes(receipt)});
    if (!post_answers.empty()) {
      Status answer = post_answers.front();
      post_answers.pop_front();
      if (!answer.ok()) return answer;
    }
    // The M/OC took it: the item leaves the inbox.
    std::erase_if(inbox, [&](const InboxEntry& e) { return e.request_id == request_id; });
    return OkStatus();
  }
  bool reachable = true;
  std::vector<InboxEntry> inbox;
  std::deque<Status> post_answers;  // OK when empty
  std::vector<std::pair<std::string, Bytes>> posts;
  size_t fetches = 0;
};

class FakeAgent final : public DeliveryAgent {
 public:
  Result<agentd::Delivered> Deliver(const agentd::DeliverSealed& request) override {
    calls.push_back(request);
    if (!answers.empty()) {
      Result<agentd::Delivered> answer = answers.front();
      answers.pop_front();
      return answer;
    }
    return agentd::Delivered{ToBytes("receipt for " + request.request_id), ua};
  }
  Result<Bytes> FetchUa(const agentd::UaFetch& request) override {
    fetches.push_back(request);
    if (!installed_ua) return Error(common::Errc::kRemoteRefused, "no such component");
    return *installed_ua;
  }
  std::deque<Result<agentd::Delivered>> answers;  // a receipt for every call when empty
  std::optional<Bytes> installed_ua;              // what FetchUa returns
  std::vector<agentd::UaFetch> fetches;
  std::optional<Bytes> ua;
  std::vector<agentd::DeliverSealed> calls;
};

class FakeUas final : public UaLauncher {
 public:
  Status Start(std::string_view request_id, ByteView ua) override {
    started.push_back({std::string(request_id), ToBytes(ua)});
    return OkStatus();
  }
  std::vector<std::pair<std::string, Bytes>> started;
};

class InboxRelayTest : public ::testing::Test {
 protected:
  ~InboxRelayTest() override { ::close(null_fd_); }

  int null_fd_ = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  common::JsonLog log_{"test", null_fd_};
  FakeEndpoint moc_;
  FakeAgent agent_;
  FakeUas uas_;
  InboxRelay relay_{moc_, agent_, &uas_, log_};
};

TEST_F(InboxRelayTest, HandsEachItemToTheAgentAndPostsItsReceipt) {
  moc_.inbox = {Entry("req-1", "sealed one"), Entry("req-2", "sealed two", false)};
  const RelayRoundStats stats = relay_.RunOnce();
  EXPECT_TRUE(stats.inbox_read);
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.receipts_posted, 2u);
  ASSERT_EQ(agent_.calls.size(), 2u);
  EXPECT_EQ(agent_.calls[0].request_id, "req-1");
  EXPECT_TRUE(agent_.calls[0].to_ta);
  EXPECT_EQ(agent_.calls[0].instance, "tc-81416161");
  EXPECT_EQ(agent_.calls[0].purpose, "pd");
  EXPECT_EQ(agent_.calls[0].sealed, ToBytes(std::string_view("sealed one")));
  EXPECT_FALSE(agent_.calls[1].to_ta);
  EXPECT_EQ(agent_.calls[1].purpose, "bundle");
  ASSERT_EQ(moc_.posts.size(), 2u);
  EXPECT_EQ(moc_.posts[0], (std::pair<std::string, Bytes>{"req-1", ToBytes("receipt for req-1")}));
  EXPECT_TRUE(uas_.started.empty());
  // Nothing left: the next poll delivers nothing and remembers nothing.
  EXPECT_EQ(relay_.RunOnce().delivered, 0u);
  EXPECT_EQ(relay_.remembered(), 0u);
}

TEST_F(InboxRelayTest, TellsTheAgentWhichInstanceTypeToRun) {
  InboxEntry container = Entry("req-1", "sealed for a container");
  container.instance_type = "container";
  InboxEntry process = Entry("req-2", "sealed for a process");
  InboxEntry vm = Entry("req-3", "sealed for a vm");
  vm.instance_type = "vm";
  moc_.inbox = {container, process, vm};
  const RelayRoundStats stats = relay_.RunOnce();
  EXPECT_EQ(stats.delivered, 3u);
  EXPECT_EQ(stats.refused, 0u);
  ASSERT_EQ(agent_.calls.size(), 3u);
  EXPECT_EQ(agent_.calls[0].instance_type, agentd::InstanceType::kContainer);
  EXPECT_EQ(agent_.calls[1].instance_type, agentd::InstanceType::kProcess);
  EXPECT_EQ(agent_.calls[2].instance_type, agentd::InstanceType::kVm);
}

TEST_F(InboxRelayTest, StartsTheUaThatCameInACase1Bundle) {
  agent_.ua =
      ToBytes(std::string_view("\x7f"
                               "ELF the UA"));
  moc_.inbox = {Entry("req-1", "bundle", false)};
  const RelayRoundStats stats = relay_.RunOnce();
  EXPECT_EQ(stats.uas_started, 1u);
  ASSERT_EQ(uas_.started.size(), 1u);
  EXPECT_EQ(uas_.started[0].first, "req-1");
  EXPECT_EQ(uas_.started[0].second, *agent_.ua);
  EXPECT_EQ(moc_.posts.size(), 1u);
}

TEST_F(InboxRelayTest, StartsTheInstalledUaOfARequestOnceItsPdIsDelivered) {
  agent_.installed_ua = ToBytes(std::string_view("the UA the TAM installed"));
  InboxEntry with_ua = Entry("req-2", "pd for case 2");
  with_ua.ua_component = "tc-8141756101";
  moc_.inbox = {with_ua, Entry("req-3", "pd for case 3 without a UA")};
  const RelayRoundStats stats = relay_.RunOnce();
  EXPECT_EQ(stats.delivered, 2u);
  EXPECT_EQ(stats.uas_started, 1u);
  ASSERT_EQ(agent_.fetches.size(), 1u);
  EXPECT_EQ(agent_.fetches[0], (agentd::UaFetch{"req-2", "tc-8141756101"}));
  ASSERT_EQ(uas_.started.size(), 1u);
  EXPECT_EQ(uas_.started[0].first, "req-2");
  EXPECT_EQ(uas_.started[0].second, *agent_.installed_ua);
  EXPECT_EQ(stats.receipts_posted, 2u);
}

TEST_F(InboxRelayTest, PostsTheReceiptEvenWhenTheAgentReleasesNoUa) {
  InboxEntry with_ua = Entry("req-2", "pd for case 2");
  with_ua.ua_component = "tc-8141756101";
  moc_.inbox = {with_ua};
  const RelayRoundStats stats = relay_.RunOnce();
  EXPECT_EQ(agent_.fetches.size(), 1u);
  EXPECT_EQ(stats.uas_started, 0u);
  EXPECT_TRUE(uas_.started.empty());
  EXPECT_EQ(stats.receipts_posted, 1u);
}

TEST_F(InboxRelayTest, DoesNotHandAnItemTheAgentRefusedOverAgain) {
  agent_.answers.push_back(Error(common::Errc::kRemoteRefused, "sealed for another binding"));
  moc_.inbox = {Entry("req-1", "bad seal")};
  EXPECT_EQ(relay_.RunOnce().refused, 1u);
  EXPECT_EQ(relay_.RunOnce().refused, 0u);
  EXPECT_EQ(agent_.calls.size(), 1u);
  EXPECT_TRUE(moc_.posts.empty());
  // Once the M/OC dropped it (the request timed out), it is forgotten.
  moc_.inbox.clear();
  relay_.RunOnce();
  EXPECT_EQ(relay_.remembered(), 0u);
}

TEST_F(InboxRelayTest, RetriesAnItemWhenTheAgentCouldNotBeReached) {
  agent_.answers.push_back(Error(common::Errc::kPeerClosed, "the Agent died"));
  moc_.inbox = {Entry("req-1", "sealed")};
  EXPECT_EQ(relay_.RunOnce().retry_later, 1u);
  EXPECT_EQ(relay_.RunOnce().receipts_posted, 1u);
  EXPECT_EQ(agent_.calls.size(), 2u);
}

TEST_F(InboxRelayTest, PostsAKeptReceiptAgainWithoutAskingTheAgentTwice) {
  moc_.post_answers.push_back(Error(Code::kUnavailable, "M/OC down"));
  moc_.inbox = {Entry("req-1", "sealed")};
  RelayRoundStats first = relay_.RunOnce();
  EXPECT_EQ(first.delivered, 1u);
  EXPECT_EQ(first.retry_later, 1u);
  RelayRoundStats second = relay_.RunOnce();
  EXPECT_EQ(second.receipts_posted, 1u);
  EXPECT_EQ(agent_.calls.size(), 1u);  // the Agent's replay guard would refuse the bytes again
  ASSERT_EQ(moc_.posts.size(), 2u);
  EXPECT_EQ(moc_.posts[0], moc_.posts[1]);
}

TEST_F(InboxRelayTest, DropsAReceiptTheMocRefused) {
  moc_.post_answers.push_back(Error(common::Errc::kRemoteRefused, "HTTP 409 wrong_state"));
  moc_.inbox = {Entry("req-1", "sealed")};
  EXPECT_EQ(relay_.RunOnce().refused, 1u);
  relay_.RunOnce();
  EXPECT_EQ(agent_.calls.size(), 1u);
  EXPECT_EQ(moc_.posts.size(), 1u);
}

TEST_F(InboxRelayTest, SkipsAnItemWhoseBytesAreNotItsDigest) {
  InboxEntry corrupt = Entry("req-1", "sealed");
  corrupt.sealed.back() ^= 1;
  moc_.inbox = {corrupt};
  EXPECT_EQ(relay_.RunOnce().refused, 1u);
  EXPECT_TRUE(agent_.calls.empty());
}

TEST_F(InboxRelayTest, DoesNothingWhileTheMocCannotBeReached) {
  moc_.reachable = false;
  moc_.inbox = {Entry("req-1", "sealed")};
  EXPECT_FALSE(relay_.RunOnce().inbox_read);
  EXPECT_TRUE(agent_.calls.empty());
  moc_.reachable = true;
  EXPECT_EQ(relay_.RunOnce().receipts_posted, 1u);
}

}  // namespace
}  // namespace teepnet::device
