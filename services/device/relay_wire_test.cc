// The Broker's relay against the M/OC's real device channel API over HTTP on 127.0.0.1: the
// inbox the M/OC serves is the one the Broker reads, and the receipt the Broker posts (here
// from a stand-in Agent holding the TA instance's real proof key) finishes the request.
#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "services/common/errc.h"
#include "services/device/inbox_relay.h"
#include "services/device/relay_client.h"
#include "services/moc/device_api.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/moc/delivery_test_support.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::device {
namespace {

using moc::testing::TestDevice;

const Bytes kSealed = ToBytes(std::string_view("the PD, sealed to the TA instance"));

// Opens nothing: answers as the TA instance would, with a receipt signed by its proof key.
class InstanceAgent final : public DeliveryAgent {
 public:
  explicit InstanceAgent(const TestDevice& device) : device_(device) {}
  Result<agentd::Delivered> Deliver(const agentd::DeliverSealed& request) override {
    calls.push_back(request);
    return agentd::Delivered{device_.InstanceReceipt(request.request_id, request.instance), {}};
  }
  Result<Bytes> FetchUa(const agentd::UaFetch& request) override {
    fetches.push_back(request);
    if (!installed_ua) return Error(common::Errc::kRemoteRefused, "no UA is installed");
    return *installed_ua;
  }
  std::optional<Bytes> installed_ua;
  std::vector<agentd::UaFetch> fetches;
  std::vector<agentd::DeliverSealed> calls;

 private:
  const TestDevice& device_;
};

TEST(RelayWire, DeliversTheSealedPdAndFinishesTheRequestAtTheMoc) {
  moc::InMemoryMocStore store;
  FakeClock clock(1'800'000'000);
  moc::testing::CountingRandom random;
  moc::testing::RecordingSink sink;
  moc::MocService service(store, clock, random, sink, moc::HashToken("admin"));
  const TestDevice device;
  TEEPNET_ASSERT_OK(service.ReportCapacity(
      moc::testing::Device(device.id(), moc::Architecture::kSgx, {moc::InstanceType::kProcess})));
  auto tenant = service.CreateTenant(moc::Principal{true, ""}, "alice");
  TEEPNET_ASSERT_OK(tenant);
  const moc::Principal alice{false, tenant->tenant.id};
  const Bytes envelope = moc::testing::TestEnvelope("ta");
  auto ta = service.UploadPackage(alice, moc::PackageKind::kTa, "ta", envelope);
  TEEPNET_ASSERT_OK(ta);
  moc::RequestSpec spec;
  spec.use_case = 3;
  spec.instance = moc::InstanceType::kProcess;
  spec.ta_package = ta->id;
  auto request = service.CreateRequest(alice, spec);
  TEEPNET_ASSERT_OK(request);
  const std::string instance = *evidence::InstanceNameOfEnvelope(envelope);
  TEEPNET_ASSERT_OK(service.HandleEvent(request->id, moc::Event::Installed(device.id(), ta->id)));
  TEEPNET_ASSERT_OK(service.HandleEvent(
      request->id,
      moc::Event::Affirmed(device.id(), device.EarJwt(instance, clock.NowUnixSeconds()),
                           moc::testing::kEarJwtMediaType)));
  TEEPNET_ASSERT_OK(service.PostSealedData(alice, request->id, kSealed));

  moc::DeviceApiRouter router(service);
  moc::DeviceApi api(router);
  auto server =
      net::HttpServer::Start({}, [&](const net::HttpRequest& r) { return api.Handle(r); });
  TEEPNET_ASSERT_OK(server);
  auto endpoint = HttpRelayEndpoint::Create("http://127.0.0.1:" + std::to_string((*server)->port()),
                                            device.id());
  TEEPNET_ASSERT_OK(endpoint);
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  common::JsonLog log("test", null_fd);
  InstanceAgent agent(device);
  InboxRelay relay(**endpoint, agent, nullptr, log);

  const RelayRoundStats stats = relay.RunOnce();
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(stats.receipts_posted, 1u);
  ASSERT_EQ(agent.calls.size(), 1u);
  EXPECT_EQ(agent.calls[0].request_id, request->id);
  EXPECT_TRUE(agent.calls[0].to_ta);
  EXPECT_EQ(agent.calls[0].instance, instance);
  EXPECT_EQ(agent.calls[0].purpose, "pd");
  EXPECT_EQ(agent.calls[0].sealed, kSealed);
  auto done = service.GetRequest(alice, request->id);
  TEEPNET_ASSERT_OK(done);
  EXPECT_EQ(done->state, moc::RequestState::kDone);
  // Ed25519 signatures are deterministic (RFC 8032 §5.1.6): the stored receipt is the one sent.
  EXPECT_EQ(done->receipt, device.InstanceReceipt(request->id, instance));
  // The inbox is empty now; the next poll does nothing.
  EXPECT_EQ(relay.RunOnce().delivered, 0u);
  (*server)->Stop();
  ::close(null_fd);
}

// Starts nothing itself: records which request's UA it was handed.
class RecordingUas final : public UaLauncher {
 public:
  Status Start(std::string_view request_id, ByteView ua) override {
    started.emplace_back(std::string(request_id), ToBytes(ua));
    return OkStatus();
  }
  std::vector<std::pair<std::string, Bytes>> started;
};

// Case 2 on SGX: the M/OC names the UA package's component in the inbox item, the Broker asks
// the Agent for exactly that component (op 7) once the PD is delivered, and starts what the
// Agent released.
TEST(RelayWire, NamesTheUaComponentOfACase2RequestAndStartsWhatTheAgentReleases) {
  moc::InMemoryMocStore store;
  FakeClock clock(1'800'000'000);
  moc::testing::CountingRandom random;
  moc::testing::RecordingSink sink;
  moc::MocService service(store, clock, random, sink, moc::HashToken("admin"));
  const TestDevice device;
  TEEPNET_ASSERT_OK(service.ReportCapacity(
      moc::testing::Device(device.id(), moc::Architecture::kSgx, {moc::InstanceType::kProcess})));
  auto tenant = service.CreateTenant(moc::Principal{true, ""}, "alice");
  TEEPNET_ASSERT_OK(tenant);
  const moc::Principal alice{false, tenant->tenant.id};
  const Bytes ta_envelope = moc::testing::TestEnvelope("ta");
  const Bytes ua_envelope = moc::testing::TestEnvelope("ua");
  auto ta = service.UploadPackage(alice, moc::PackageKind::kTa, "ta", ta_envelope);
  TEEPNET_ASSERT_OK(ta);
  auto ua = service.UploadPackage(alice, moc::PackageKind::kUa, "ua", ua_envelope);
  TEEPNET_ASSERT_OK(ua);
  moc::RequestSpec spec;
  spec.use_case = 2;
  spec.instance = moc::InstanceType::kProcess;
  spec.ua_package = ua->id;
  spec.ta_package = ta->id;
  auto request = service.CreateRequest(alice, spec);
  TEEPNET_ASSERT_OK(request);
  const std::string instance = *evidence::InstanceNameOfEnvelope(ta_envelope);
  const std::string ua_component = *evidence::InstanceNameOfEnvelope(ua_envelope);
  // SGX: the UA is installed first, then the TA.
  TEEPNET_ASSERT_OK(service.HandleEvent(request->id, moc::Event::Installed(device.id(), ua->id)));
  TEEPNET_ASSERT_OK(service.HandleEvent(request->id, moc::Event::Installed(device.id(), ta->id)));
  TEEPNET_ASSERT_OK(service.HandleEvent(
      request->id,
      moc::Event::Affirmed(device.id(), device.EarJwt(instance, clock.NowUnixSeconds()),
                           moc::testing::kEarJwtMediaType)));
  TEEPNET_ASSERT_OK(service.PostSealedData(alice, request->id, kSealed));

  moc::DeviceApiRouter router(service);
  moc::DeviceApi api(router);
  auto server =
      net::HttpServer::Start({}, [&](const net::HttpRequest& r) { return api.Handle(r); });
  TEEPNET_ASSERT_OK(server);
  auto endpoint = HttpRelayEndpoint::Create("http://127.0.0.1:" + std::to_string((*server)->port()),
                                            device.id());
  TEEPNET_ASSERT_OK(endpoint);
  const int null_fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  common::JsonLog log("test", null_fd);
  InstanceAgent agent(device);
  agent.installed_ua = ToBytes(std::string_view("the UA bytes the Agent installed"));
  RecordingUas uas;
  InboxRelay relay(**endpoint, agent, &uas, log);

  const RelayRoundStats stats = relay.RunOnce();
  EXPECT_EQ(stats.delivered, 1u);
  EXPECT_EQ(stats.uas_started, 1u);
  EXPECT_EQ(stats.receipts_posted, 1u);
  ASSERT_EQ(agent.fetches.size(), 1u);
  EXPECT_EQ(agent.fetches[0], (agentd::UaFetch{request->id, ua_component}));
  ASSERT_EQ(uas.started.size(), 1u);
  EXPECT_EQ(uas.started[0].first, request->id);
  EXPECT_EQ(uas.started[0].second, *agent.installed_ua);
  (*server)->Stop();
  ::close(null_fd);
}

}  // namespace
}  // namespace teepnet::device
