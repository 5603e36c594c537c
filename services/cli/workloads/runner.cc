#include "services/cli/workloads/runner.h"

#include <chrono>
#include <ctime>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "services/cli/package_builder.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/workload/envelope.h"
#include "teepnet/workload/party.h"

namespace teepnet::cli::workloads {
namespace {

// A static TA with its own crypto is a few MB; the M/OC takes envelopes up to 12 MiB.
constexpr size_t kMaxTaBytes = size_t{12} << 20;

struct Party {
  std::string role;
  std::optional<crypto::PrivateKey> reply;  // when the role wants an output
};

}  // namespace

RunResult RunWorkload(Scenario& scenario, const RunInput& in) {
  const auto start = std::chrono::steady_clock::now();
  RunResult out;
  auto finish = [&](std::string error) -> RunResult {
    out.error = std::move(error);
    out.ok = out.error.empty();
    out.ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                 std::chrono::steady_clock::now() - start)
                 .count();
    return std::move(out);
  };
  if (in.signer == nullptr) return finish("no package signing key");
  auto ta = ReadFile(in.ta_path, kMaxTaBytes);
  if (!ta.ok()) return finish("reading the TA " + in.ta_path + ": " + ta.error().ToString());
  auto inputs = scenario.MakeInputs(in.seed, in.marker);
  if (!inputs.ok()) return finish("making the inputs: " + inputs.error().ToString());

  // Each party's reply key lives only in this process (the party), never in the PD's clear.
  std::vector<Party> parties;
  for (const PartyInput& p : inputs->parties) {
    Party party{p.role, std::nullopt};
    if (p.wants_output) {
      auto key = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
      if (!key.ok()) return finish("a reply key: " + key.error().ToString());
      party.reply = std::move(key).value();
    }
    parties.push_back(std::move(party));
  }

  FlowInput flow;
  flow.moc_url = in.moc_url;
  flow.token = in.token;
  flow.use_case = 3;
  flow.instance = in.instance;
  flow.hardware = in.hardware;
  flow.verifier_key = in.verifier_key;
  flow.timeout_ms = in.timeout_ms;
  PackageSpec spec{PackageComponent(in.component), 1, std::move(ta).value()};
  auto package = BuildPackage(spec, *in.signer);
  if (!package.ok()) return finish("packaging the TA: " + package.error().ToString());
  flow.ta = std::move(package).value();
  const std::string workload(scenario.name());
  flow.make_pd = [&](const PdContext& ctx) -> Result<SecretBytes> {
    workload::Envelope envelope;
    envelope.workload = workload;
    envelope.bulk = inputs->bulk;
    for (size_t i = 0; i < parties.size(); ++i) {
      std::optional<crypto::PublicKey> reply;
      if (parties[i].reply) reply = parties[i].reply->public_key();
      TEEPNET_ASSIGN_OR_RETURN(
          workload::Part part,
          workload::SealInput(workload, parties[i].role, inputs->parties[i].input.view(),
                              ctx.instance_key, ctx.binding, reply ? &*reply : nullptr,
                              std::time(nullptr), crypto::SystemRandom::Get()));
      envelope.parts.push_back(std::move(part));
    }
    TEEPNET_ASSIGN_OR_RETURN(Bytes pd, workload::EncodeEnvelope(envelope));
    SecretBytes secret(pd);
    std::fill(pd.begin(), pd.end(), uint8_t{0});
    return secret;
  };
  out.flow = RunRequestFlow(flow);
  if (!out.flow.ok) return finish(out.flow.error);
  if (!out.flow.receipt_result) return finish("the TA's receipt carries no outputs");

  auto device = FromHex(out.flow.device_id);
  if (!device.ok()) return finish("the device id is not hex");
  const channel::Binding pd_binding{out.flow.request_id, *device, out.flow.instance_name, "pd"};
  std::map<std::string, SecretBytes> outputs;
  for (const Party& party : parties) {
    if (!party.reply) continue;
    auto opened = workload::OpenOutput(*out.flow.receipt_result, workload, party.role, *party.reply,
                                       pd_binding, std::time(nullptr));
    if (!opened.ok()) {
      return finish("opening the output of " + party.role + ": " + opened.error().ToString());
    }
    outputs.emplace(party.role, std::move(opened).value());
  }
  auto headline = scenario.Check(outputs);
  if (!headline.ok()) return finish("the outputs are wrong: " + headline.error().ToString());
  out.headline = std::move(headline).value();
  return finish("");
}

nlohmann::json RunResultJson(const Scenario& scenario, const RunInput& in, const RunResult& r) {
  nlohmann::json j = {
      {"workload", std::string(scenario.name())},
      {"ok", r.ok},
      {"instance", in.instance},
      {"hardware", r.flow.device_architecture.empty() ? in.hardware : r.flow.device_architecture},
      {"device_id", r.flow.device_id},
      {"request_id", r.flow.request_id},
      {"ear_status", r.flow.ear_status},
      {"ms", r.ms}};
  if (!r.ok) j["error"] = r.error;
  if (r.headline) {
    j["headline"] = {{"name", r.headline->name}, {"value", r.headline->value}};
    j[r.headline->name] = r.headline->value;
    j["detail"] = r.headline->detail;
  }
  nlohmann::json steps = nlohmann::json::array();
  for (const FlowStep& s : r.flow.steps) steps.push_back({{"name", s.name}, {"ms", s.ms}});
  j["steps"] = std::move(steps);
  return j;
}

}  // namespace teepnet::cli::workloads
