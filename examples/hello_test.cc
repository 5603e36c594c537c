// hello_ta and hello_ua end to end: the TA runs in the confidential process backend, the UA
// in the REE backend; the test plays the TEEP Agent (it hands the TA its PD) and the device
// (it relays frames between UA and TA without reading them).
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>

#include <ctime>
#include <string>

#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/runtime/confidential_backend.h"
#include "teepnet/runtime/instance_test_util.h"
#include "teepnet/runtime/ree_backend.h"
#include "teepnet/runtime/ta_wire.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::runtime {
namespace {

using testing::Channel;
using testing::TempDir;

// Forwards frames between the UA and the TA until the UA closes its channel.
void Relay(int ua, int ta) {
  for (;;) {
    pollfd fds[2] = {{ua, POLLIN, 0}, {ta, POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) return;
    if (fds[0].revents) {
      auto f = ReadFrame(ua);
      if (!f.ok()) return;
      if (f->type != FrameType::kFromUa) return;  // a UA may only talk to the TA
      if (!WriteFrame(ta, FrameType::kFromUa, f->payload).ok()) return;
    }
    if (fds[1].revents) {
      auto f = ReadFrame(ta);
      if (!f.ok()) return;
      if (f->type == FrameType::kToUa && !WriteFrame(ua, FrameType::kToUa, f->payload).ok()) return;
    }
  }
}

// Starts hello_ta in `backend` with `channel` as its Agent channel (the instance end is closed
// once the TA holds it).
Result<std::unique_ptr<Instance>> StartHelloTa(InstanceBackend& backend, Channel& channel,
                                               const std::string& dir) {
  InstanceSpec spec;
  spec.name = "hello-ta";
  spec.executable_path = HELLO_TA;
  spec.channel_fd = channel.instance();
  spec.log_path = dir + "/hello-ta.log";
  spec.env = {"ASAN_OPTIONS=detect_leaks=0"};
  auto ta = backend.Start(spec);
  channel.CloseInstanceEnd();
  return ta;
}

TEST(HelloExample, TheTaReturnsTheSha256OfItsPdToTheAgentAndTheUa) {
  TempDir dir;
  ConfidentialProcessOptions options;
  options.state_dir = dir.path() + "/instances";
  if (!HELLO_TA_STATIC) options.read_only_binds = {"/lib", "/lib64", "/usr"};
  auto backend = ConfidentialProcessBackend::Create(options);
  TEEPNET_ASSERT_OK(backend);
  if (!(*backend)->probe().memfd_exec.available) {
    GTEST_SKIP() << (*backend)->probe().memfd_exec.reason;
  }

  Channel ta_channel;
  auto ta = StartHelloTa(**backend, ta_channel, dir.path());
  TEEPNET_ASSERT_OK(ta);
  auto image = ReadFile(HELLO_TA);
  TEEPNET_ASSERT_OK(image);
  EXPECT_EQ((*ta)->measurement(), crypto::Sha256(*image));

  // The Agent hands over the PD and gets the digest back.
  const std::string pd = "personalization data for hello_ta";
  TEEPNET_ASSERT_OK(WriteFrame(ta_channel.host(), FrameType::kPd, EncodePlaintextPd(AsBytes(pd))));
  auto response = ReadFrame(ta_channel.host());
  TEEPNET_ASSERT_OK(response);
  EXPECT_EQ(response->type, FrameType::kResponse);
  const Bytes expected = crypto::Sha256(AsBytes(pd));
  EXPECT_EQ(response->payload, expected);

  // The UA asks the TA twice through the relay.
  Channel ua_channel;
  ReeProcessBackend ree;
  InstanceSpec ua_spec;
  ua_spec.name = "hello-ua";
  ua_spec.executable_path = HELLO_UA;
  ua_spec.args = {"first", "second"};
  ua_spec.channel_fd = ua_channel.instance();
  ua_spec.log_path = dir.path() + "/hello-ua.log";
  auto ua = ree.Start(ua_spec);
  ua_channel.CloseInstanceEnd();
  TEEPNET_ASSERT_OK(ua);
  Relay(ua_channel.host(), ta_channel.host());
  auto ua_exit = (*ua)->Wait(-1);
  TEEPNET_ASSERT_OK(ua_exit);
  EXPECT_EQ(ua_exit->ToString(), "exit 0");
  auto ua_log = ReadFile(ua_spec.log_path);
  TEEPNET_ASSERT_OK(ua_log);
  const std::string log(AsChars(*ua_log));
  const std::string answer = "TA says pd-sha256=" + ToHex(expected);
  EXPECT_NE(log.find("asked \"first\", " + answer), std::string::npos) << log;
  EXPECT_NE(log.find("asked \"second\", " + answer), std::string::npos) << log;

  // Closing the Agent's end ends the TA cleanly.
  ::shutdown(ta_channel.host(), SHUT_RDWR);
  auto ta_exit = (*ta)->Wait(-1);
  TEEPNET_ASSERT_OK(ta_exit);
  EXPECT_EQ(ta_exit->ToString(), "exit 0");
  auto ta_log = ReadFile(dir.path() + "/hello-ta.log");
  TEEPNET_ASSERT_OK(ta_log);
  EXPECT_NE(AsChars(*ta_log).find("PD received"), std::string_view::npos);
}

// Cases 2 and 3: the PD arrives sealed to the instance's own key; hello_ta opens it and answers
// with a receipt signed by its proof key, and refuses a PD sealed for another request.
TEST(HelloExample, TheTaOpensASealedPdAndSignsTheReceiptWithItsProofKey) {
  TempDir dir;
  ConfidentialProcessOptions options;
  options.state_dir = dir.path() + "/instances";
  if (!HELLO_TA_STATIC) options.read_only_binds = {"/lib", "/lib64", "/usr"};
  auto backend = ConfidentialProcessBackend::Create(options);
  TEEPNET_ASSERT_OK(backend);
  if (!(*backend)->probe().memfd_exec.available) {
    GTEST_SKIP() << (*backend)->probe().memfd_exec.reason;
  }
  auto image = ReadFile(HELLO_TA);
  TEEPNET_ASSERT_OK(image);
  auto hpke = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  auto proof = crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  TEEPNET_ASSERT_OK(hpke);
  TEEPNET_ASSERT_OK(proof);
  DeliveryContext context;
  context.request_id = "req-hello";
  context.device_id = Bytes(32, 0xd1);
  context.instance = "tc-81";
  context.purpose = "pd";
  context.measurement = crypto::Sha256(*image);
  const std::string pd = "sealed personalization for hello_ta";
  const int64_t now = static_cast<int64_t>(std::time(nullptr));

  // Sealed for this request: a verifiable receipt. Sealed for another: no answer at all.
  for (const std::string& sealed_for : {context.request_id, std::string("req-other")}) {
    auto sealed = channel::Seal(
        hpke->public_key(), AsBytes(pd),
        channel::Binding{sealed_for, context.device_id, context.instance, context.purpose}, now,
        crypto::SystemRandom::Get());
    TEEPNET_ASSERT_OK(sealed);
    Channel ta_channel;
    auto ta = StartHelloTa(**backend, ta_channel, dir.path());
    TEEPNET_ASSERT_OK(ta);
    TEEPNET_ASSERT_OK(WriteFrame(
        ta_channel.host(), FrameType::kPd,
        EncodeSealedPd(*sealed, hpke->RawPrivate().view(), proof->RawPrivate().view(), context)));
    auto response = ReadFrame(ta_channel.host());
    if (sealed_for != context.request_id) {
      EXPECT_FALSE(response.ok());
      auto exit = (*ta)->Wait(-1);
      TEEPNET_ASSERT_OK(exit);
      EXPECT_EQ(exit->ToString(), "exit 1");
      continue;
    }
    TEEPNET_ASSERT_OK(response);
    EXPECT_EQ(response->type, FrameType::kResponse);
    auto receipt = channel::VerifyReceipt(response->payload, proof->public_key());
    TEEPNET_ASSERT_OK(receipt);
    EXPECT_EQ(receipt->request_id, context.request_id);
    EXPECT_EQ(receipt->instance, context.instance);
    EXPECT_EQ(receipt->pd_digest, crypto::Sha256(AsBytes(pd)));
    EXPECT_EQ(receipt->measurement, context.measurement);
    ::shutdown(ta_channel.host(), SHUT_RDWR);
    auto exit = (*ta)->Wait(-1);
    TEEPNET_ASSERT_OK(exit);
    EXPECT_EQ(exit->ToString(), "exit 0");
  }
}

}  // namespace
}  // namespace teepnet::runtime
