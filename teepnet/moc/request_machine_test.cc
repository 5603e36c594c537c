#include "teepnet/moc/request_machine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "teepnet/moc/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using teepnet::testing::FailsWith;
using ::testing::ElementsAre;

constexpr int64_t kT0 = 1'800'000'000;
const std::string kDev = "dev-1";
const std::string kUa = "pkg-ua";
const std::string kTa = "pkg-ta";
const Bytes kEar = ToBytes(std::string_view("eyJ.ear.jwt"));
const Bytes kSealed = Bytes(32, 0xab);
const Bytes kReceipt = Bytes{0xd2, 0x84, 0x43, 0xa1};

class Machine {
 public:
  Machine(int use_case, std::optional<std::string> ua, std::optional<std::string> ta)
      : request_(NewRequest("req-1", "tnt-1", use_case, InstanceType::kContainer, std::nullopt,
                            std::move(ua), std::move(ta), kT0)) {}

  // Applies an event that must change the request; returns the actions it produced.
  std::vector<Action> Must(const Event& e) {
    now_ += 5;
    Result<Transition> t = Apply(request_, e, now_);
    EXPECT_TRUE(teepnet::testing::IsOk(t)) << EventKindName(e.kind);
    if (!t.ok()) return {};
    EXPECT_EQ(t->outcome, Outcome::kApplied) << EventKindName(e.kind);
    return t->actions;
  }
  // Applies an event that must be ignored or refused and leave the request as it was.
  Result<Transition> Untouched(const Event& e) {
    const Request before = request_;
    Result<Transition> t = Apply(request_, e, now_ + 1);
    EXPECT_EQ(request_, before) << EventKindName(e.kind);
    if (t.ok()) {
      EXPECT_EQ(t->outcome, Outcome::kIgnored);
      EXPECT_TRUE(t->actions.empty());
    }
    return t;
  }
  std::vector<RequestState> States() const {
    std::vector<RequestState> out;
    for (const Step& s : request_.steps) out.push_back(s.state);
    return out;
  }
  Request& request() { return request_; }
  int64_t now() const { return now_; }

 private:
  Request request_;
  int64_t now_ = kT0;
};

std::vector<ActionKind> Kinds(const std::vector<Action>& actions) {
  std::vector<ActionKind> out;
  for (const Action& a : actions) out.push_back(a.kind);
  return out;
}

// The tail every case shares once the Agent (and TA) are in place.
void AttestAndDeliver(Machine& m, ChannelTarget target) {
  EXPECT_THAT(Kinds(m.Must(Event::Affirmed(kDev, kEar, "application/eat+jwt"))),
              ElementsAre(ActionKind::kEmitEar));
  EXPECT_EQ(m.request().state, RequestState::kAwaitingUserChannel);
  EXPECT_EQ(m.request().ear, kEar);
  const std::vector<Action> relay = m.Must(Event::SealedPosted(kSealed));
  ASSERT_EQ(relay.size(), 1u);
  EXPECT_EQ(relay[0].kind, ActionKind::kRelaySealedData);
  EXPECT_EQ(relay[0].target, target);
  EXPECT_EQ(relay[0].device_id, kDev);
  // A delivery report without the recipient's receipt is refused and changes nothing.
  EXPECT_TRUE(FailsWith(m.Untouched(Event::Delivered(kDev, kSealed)), Errc::kInvalidArgument));
  EXPECT_EQ(m.request().state, RequestState::kSealedDataRelayed);
  EXPECT_TRUE(m.Must(Event::Delivered(kDev, kSealed, kReceipt)).empty());
  EXPECT_EQ(m.request().state, RequestState::kDone);
  EXPECT_EQ(m.request().receipt, kReceipt);
}

TEST(RequestMachine, RunsCase1FromRequestToDone) {
  Machine m(1, std::nullopt, std::nullopt);
  EXPECT_THAT(Kinds(m.Must(Event::Placed(kDev, Architecture::kTrustZone))),
              ElementsAre(ActionKind::kRequestAttestation));
  AttestAndDeliver(m, ChannelTarget::kAgent);
  EXPECT_THAT(m.States(),
              ElementsAre(RequestState::kSubmitted, RequestState::kPlaced,
                          RequestState::kAttestingAgent, RequestState::kEarIssued,
                          RequestState::kAwaitingUserChannel, RequestState::kSealedDataRelayed,
                          RequestState::kWorkloadRunning, RequestState::kDone));
  // Every step carries the time it happened, in order.
  for (size_t i = 1; i < m.request().steps.size(); ++i) {
    EXPECT_GE(m.request().steps[i].at, m.request().steps[i - 1].at);
  }
  EXPECT_EQ(m.request().steps.back().at, m.now());
}

TEST(RequestMachine, RunsCase2OffSgxDeployingUaAndTaTogether) {
  Machine m(2, kUa, kTa);
  const std::vector<Action> deploy = m.Must(Event::Placed(kDev, Architecture::kTdx));
  ASSERT_EQ(deploy.size(), 1u);
  EXPECT_EQ(deploy[0].kind, ActionKind::kSetDesiredState);
  EXPECT_THAT(deploy[0].packages, ElementsAre(kUa, kTa));
  EXPECT_EQ(m.request().state, RequestState::kDeployingUaTa);
  EXPECT_TRUE(m.Must(Event::Installed(kDev, kTa)).empty());
  EXPECT_EQ(m.request().state, RequestState::kDeployingUaTa);
  EXPECT_THAT(Kinds(m.Must(Event::Installed(kDev, kUa))),
              ElementsAre(ActionKind::kRequestAttestation));
  AttestAndDeliver(m, ChannelTarget::kTa);
}

TEST(RequestMachine, DeploysTheUaFirstAndThenTheTaOnSgxInCase2) {
  Machine m(2, kUa, kTa);
  const std::vector<Action> first = m.Must(Event::Placed(kDev, Architecture::kSgx));
  ASSERT_EQ(first.size(), 1u);
  // Seed §5.2: "In SGX, UA must be deployed first, then let UA to load TA in SGX."
  EXPECT_THAT(first[0].packages, ElementsAre(kUa));
  EXPECT_EQ(m.request().state, RequestState::kDeployingUa);
  // A TA report before the TA was deployed is refused and changes nothing.
  EXPECT_TRUE(FailsWith(m.Untouched(Event::Installed(kDev, kTa)), Errc::kWrongState));
  const std::vector<Action> second = m.Must(Event::Installed(kDev, kUa));
  ASSERT_EQ(second.size(), 1u);
  EXPECT_THAT(second[0].packages, ElementsAre(kUa, kTa));
  EXPECT_EQ(m.request().state, RequestState::kDeployingTa);
  EXPECT_THAT(Kinds(m.Must(Event::Installed(kDev, kTa))),
              ElementsAre(ActionKind::kRequestAttestation));
  AttestAndDeliver(m, ChannelTarget::kTa);
  EXPECT_THAT(m.States(),
              ElementsAre(RequestState::kSubmitted, RequestState::kPlaced,
                          RequestState::kDeployingUa, RequestState::kDeployingTa,
                          RequestState::kAttestingAgent, RequestState::kEarIssued,
                          RequestState::kAwaitingUserChannel, RequestState::kSealedDataRelayed,
                          RequestState::kWorkloadRunning, RequestState::kDone));
}

TEST(RequestMachine, RunsCase3WithAUaDeployingItBeforeTheTa) {
  Machine m(3, kUa, kTa);
  EXPECT_THAT(m.Must(Event::Placed(kDev, Architecture::kCca))[0].packages, ElementsAre(kUa));
  EXPECT_THAT(m.Must(Event::Installed(kDev, kUa))[0].packages, ElementsAre(kUa, kTa));
  m.Must(Event::Installed(kDev, kTa));
  EXPECT_EQ(m.request().state, RequestState::kAttestingAgent);
  AttestAndDeliver(m, ChannelTarget::kTa);
}

TEST(RequestMachine, RunsCase3WithoutAUaStartingWithTheTa) {
  Machine m(3, std::nullopt, kTa);
  EXPECT_THAT(m.Must(Event::Placed(kDev, Architecture::kCsv))[0].packages, ElementsAre(kTa));
  EXPECT_EQ(m.request().state, RequestState::kDeployingTa);
  m.Must(Event::Installed(kDev, kTa));
  AttestAndDeliver(m, ChannelTarget::kTa);
}

TEST(RequestMachine, RunsCase4AttestingFirstAndSendingTaAndPdToTheAgent) {
  Machine m(4, std::nullopt, std::nullopt);
  EXPECT_THAT(Kinds(m.Must(Event::Placed(kDev, Architecture::kSevSnp))),
              ElementsAre(ActionKind::kRequestAttestation));
  AttestAndDeliver(m, ChannelTarget::kAgent);
}

TEST(RequestMachine, IgnoresEveryReplayedEventAndDeploysNothingTwice) {
  Machine m(2, kUa, kTa);
  const std::vector<Event> events = {Event::Placed(kDev, Architecture::kSgx),
                                     Event::Installed(kDev, kUa),
                                     Event::Installed(kDev, kTa),
                                     Event::Affirmed(kDev, kEar, "application/eat+jwt"),
                                     Event::SealedPosted(kSealed),
                                     Event::Delivered(kDev, kSealed, kReceipt)};
  size_t deployments = 0;
  for (const Event& e : events) {
    for (const Action& a : m.Must(e)) deployments += a.kind == ActionKind::kSetDesiredState;
    // The same fact again, right away and after everything else.
    TEEPNET_EXPECT_OK(m.Untouched(e));
  }
  for (const Event& e : events) TEEPNET_EXPECT_OK(m.Untouched(e));
  EXPECT_EQ(deployments, 2u);  // UA, then UA+TA
  EXPECT_EQ(m.request().state, RequestState::kDone);
}

TEST(RequestMachine, RefusesEventsThatComeOutOfOrder) {
  Machine m(3, std::nullopt, kTa);
  EXPECT_TRUE(FailsWith(m.Untouched(Event::Installed(kDev, kTa)), Errc::kWrongDevice));
  m.Must(Event::Placed(kDev, Architecture::kSgx));
  // An EAR from before the TA was in place does not vouch for it.
  EXPECT_TRUE(FailsWith(m.Untouched(Event::Affirmed(kDev, kEar, "")), Errc::kWrongState));
  EXPECT_TRUE(FailsWith(m.Untouched(Event::SealedPosted(kSealed)), Errc::kWrongState));
  EXPECT_TRUE(FailsWith(m.Untouched(Event::Delivered(kDev, kSealed, kReceipt)), Errc::kWrongState));
  EXPECT_TRUE(FailsWith(m.Untouched(Event::Installed("dev-2", kTa)), Errc::kWrongDevice));
  EXPECT_TRUE(FailsWith(m.Untouched(Event::Installed(kDev, "pkg-x")), Errc::kUnknownPackage));
  EXPECT_TRUE(
      FailsWith(m.Untouched(Event::Placed("dev-2", Architecture::kSgx)), Errc::kWrongState));
  m.Must(Event::Installed(kDev, kTa));
  m.Must(Event::Affirmed(kDev, kEar, ""));
  m.Must(Event::SealedPosted(kSealed));
  EXPECT_TRUE(
      FailsWith(m.Untouched(Event::SealedPosted(Bytes(32, 0xcd))), Errc::kChannelAlreadyUsed));
  EXPECT_TRUE(
      FailsWith(m.Untouched(Event::Delivered(kDev, Bytes(32, 0xcd), kReceipt)), Errc::kWrongState));
}

TEST(RequestMachine, FailsOnAnInstallFailureAndWithdrawsWhatItDeployed) {
  Machine m(2, kUa, kTa);
  m.Must(Event::Placed(kDev, Architecture::kTdx));
  const std::vector<Action> actions = m.Must(Event::InstallFailed(kDev, kTa, "digest mismatch"));
  EXPECT_THAT(Kinds(actions), ElementsAre(ActionKind::kRemovePackages, ActionKind::kFailRequest));
  EXPECT_THAT(actions[0].packages, ElementsAre(kUa, kTa));
  EXPECT_EQ(m.request().state, RequestState::kFailed);
  EXPECT_FALSE(m.request().error.empty());
  // Later reports about a failed request change nothing; the user cannot send into it.
  TEEPNET_EXPECT_OK(m.Untouched(Event::Installed(kDev, kUa)));
  EXPECT_TRUE(FailsWith(m.Untouched(Event::SealedPosted(kSealed)), Errc::kRequestFinished));
}

TEST(RequestMachine, FailsWhenAttestationIsNotAffirming) {
  Machine m(1, std::nullopt, std::nullopt);
  m.Must(Event::Placed(kDev, Architecture::kTdx));
  EXPECT_THAT(Kinds(m.Must(Event::Contraindicated(kDev, "measurement not in reference values"))),
              ElementsAre(ActionKind::kFailRequest));
  EXPECT_EQ(m.request().state, RequestState::kFailed);
  EXPECT_TRUE(m.request().ear.empty());
}

TEST(RequestMachine, FailsWhileDeployingWhenTheAgentDoesNotAttestAndWithdrawsThePackages) {
  Machine m(3, std::nullopt, kTa);
  m.Must(Event::Placed(kDev, Architecture::kTdx));
  ASSERT_EQ(m.request().state, RequestState::kDeployingTa);
  const std::vector<Action> actions = m.Must(Event::Contraindicated(kDev, "debug mode enabled"));
  EXPECT_THAT(Kinds(actions), ElementsAre(ActionKind::kRemovePackages, ActionKind::kFailRequest));
  EXPECT_EQ(m.request().state, RequestState::kFailed);
  EXPECT_NE(m.request().error.find("debug mode enabled"), std::string::npos);
}

TEST(RequestMachine, FailsAStepOnlyOnceItsDeadlinePassed) {
  Machine m(1, std::nullopt, std::nullopt);
  m.Must(Event::Placed(kDev, Architecture::kTdx));
  const int64_t entered = m.request().steps.back().at;
  const MachineLimits limits;
  Request& r = m.request();
  Result<Transition> early = Apply(r, Event::Timeout(), entered + limits.attest_seconds - 1);
  TEEPNET_ASSERT_OK(early);
  EXPECT_EQ(early->outcome, Outcome::kIgnored);
  Result<Transition> late = Apply(r, Event::Timeout(), entered + limits.attest_seconds);
  TEEPNET_ASSERT_OK(late);
  EXPECT_EQ(late->outcome, Outcome::kApplied);
  EXPECT_EQ(r.state, RequestState::kFailed);
  EXPECT_NE(r.error.find("attesting_agent"), std::string::npos);
}

TEST(RequestMachine, FailsARequestWhosePlacementWasRefused) {
  Machine m(1, std::nullopt, std::nullopt);
  EXPECT_THAT(Kinds(m.Must(Event::PlacementRefused("no device"))),
              ElementsAre(ActionKind::kFailRequest));
  EXPECT_EQ(m.request().state, RequestState::kFailed);
}

TEST(RequestMachine, ChecksThePackagesEachUseCaseNeeds) {
  TEEPNET_EXPECT_OK(CheckPackagesFitCase(1, false, false));
  EXPECT_TRUE(FailsWith(CheckPackagesFitCase(1, false, true), Errc::kPackageMismatch));
  TEEPNET_EXPECT_OK(CheckPackagesFitCase(2, true, true));
  EXPECT_TRUE(FailsWith(CheckPackagesFitCase(2, false, true), Errc::kPackageMismatch));
  TEEPNET_EXPECT_OK(CheckPackagesFitCase(3, false, true));
  TEEPNET_EXPECT_OK(CheckPackagesFitCase(3, true, true));
  EXPECT_TRUE(FailsWith(CheckPackagesFitCase(3, true, false), Errc::kPackageMismatch));
  TEEPNET_EXPECT_OK(CheckPackagesFitCase(4, false, false));
  EXPECT_TRUE(FailsWith(CheckPackagesFitCase(4, true, false), Errc::kPackageMismatch));
  EXPECT_TRUE(FailsWith(CheckPackagesFitCase(5, false, false), Errc::kInvalidArgument));
}

}  // namespace
}  // namespace teepnet::moc
