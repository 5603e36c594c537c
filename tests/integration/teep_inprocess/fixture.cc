#include "fixture.h"

#include <cstdlib>
#include <utility>

#include "teepnet/base/byte_reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/suit/test_envelope_builder.h"

namespace teepnet::inprocess {
namespace {

crypto::PrivateKey FixedKey(crypto::KeyType type, uint8_t fill) {
  Bytes scalar(32, fill);
  auto key = crypto::PrivateKey::FromRaw(type, scalar);
  if (!key.ok()) std::abort();  // fixed test data
  return *key;
}

Bytes Hex16(const char* hex) {
  Bytes out;
  for (size_t i = 0; hex[i] != '\0' && hex[i + 1] != '\0'; i += 2) {
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    out.push_back(static_cast<uint8_t>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  return out;
}

teep::SigningKey SigningKeyOf(const crypto::PrivateKey& key, int64_t alg) {
  return teep::SigningKey{key, teep::CipherSuite::Sign1(alg), std::nullopt};
}

}  // namespace

Status CounterRandom::Fill(std::span<uint8_t> out) {
  size_t pos = 0;
  while (pos < out.size()) {
    Bytes input(16);
    for (int i = 0; i < 8; ++i) {
      input[i] = static_cast<uint8_t>(seed_ >> (8 * i));
      input[8 + i] = static_cast<uint8_t>(counter_ >> (8 * i));
    }
    ++counter_;
    const Bytes block = crypto::Sha256(input);
    for (size_t i = 0; i < block.size() && pos < out.size(); ++i) out[pos++] = block[i];
  }
  return OkStatus();
}

crypto::PrivateKey TamP256Key() {
  return FixedKey(crypto::KeyType::kP256, 0x11);
}
crypto::PrivateKey TamEd25519Key() {
  return FixedKey(crypto::KeyType::kEd25519, 0x12);
}
crypto::PrivateKey AgentP256Key() {
  return FixedKey(crypto::KeyType::kP256, 0x22);
}
crypto::PrivateKey OtherAgentP256Key() {
  return FixedKey(crypto::KeyType::kP256, 0x23);
}
crypto::PrivateKey TcSignerKey() {
  return FixedKey(crypto::KeyType::kP256, 0x33);
}

suit::DeviceIdentity ExampleDevice() {
  suit::DeviceIdentity device;
  device.vendor_id = Hex16("C0DDD5F15243566087DB4F5B0AA26C2F");
  device.class_ids = {Hex16("DB42F7093D8C55BAA8C5265FC5820F4E")};
  return device;
}

suit::ComponentId FixtureManifestId() {
  return suit::MakeComponentId({"TEEP-Device", "SecureFS", "fixture-tc", "suit"});
}

suit::ComponentId FixtureComponentId() {
  return suit::MakeComponentId({"TEEP-Device", "SecureFS", "fixture-tc", "ta"});
}

Bytes FixtureEnvelope(uint64_t sequence_number, std::string_view payload,
                      std::optional<Bytes> vendor) {
  const suit::DeviceIdentity device = ExampleDevice();
  // shared-sequence: override vendor/class, check both (manifest-37 §8.4.10.1).
  suit::testing::SequenceBuilder shared;
  shared.Override(2, [&](cbor::Writer& w) {
    w.WriteUint(1);
    w.WriteBytes(vendor.value_or(device.vendor_id));
    w.WriteUint(2);
    w.WriteBytes(device.class_ids.front());
  });
  shared.Command(1, 15).Command(2, 15);
  // install: write the payload into component 0 (directive-write, parameter-content 18).
  suit::testing::SequenceBuilder install;
  install.Override(1, [&](cbor::Writer& w) {
    w.WriteUint(18);
    w.WriteBytes(AsBytes(payload));
  });
  install.Command(18, 15);
  // uninstall (trust-domains-11): directive-unlink on component 0.
  suit::testing::SequenceBuilder uninstall;
  uninstall.Command(33, 15);

  cbor::Writer common;
  common.WriteMapHeader(2);
  common.WriteUint(2);
  common.WriteArrayHeader(1);
  FixtureComponentId().WriteTo(common);
  common.WriteUint(4);
  common.WriteBytes(shared.Encode());

  cbor::Writer m;
  m.WriteMapHeader(6);
  m.WriteUint(1);
  m.WriteUint(1);
  m.WriteUint(2);
  m.WriteUint(sequence_number);
  m.WriteUint(3);
  m.WriteBytes(common.bytes());
  m.WriteUint(5);
  FixtureManifestId().WriteTo(m);
  m.WriteUint(20);
  m.WriteBytes(install.Encode());
  m.WriteUint(24);
  m.WriteBytes(uninstall.Encode());
  return suit::testing::SignEnvelope(m.bytes(), TcSignerKey());
}

Result<std::optional<Bytes>> InProcessAgentLink::ProcessTeepMessage(ByteView message) {
  agent::AgentResult result = agent_.ProcessMessage(message);
  if (result.outcome == agent::AgentOutcome::kFailed) return *result.error;
  return std::move(result.response);
}

std::optional<broker::TamContact> InProcessAgentLink::RequestPolicyCheck() {
  auto contact = agent_.RequestPolicyCheck();
  if (!contact) return std::nullopt;
  return broker::TamContact{contact->tam_uri, contact->message};
}

void InProcessAgentLink::ProcessError(std::string_view tam_uri) {
  agent_.ProcessError(tam_uri);
}

tam::TamConfig World::DefaultTamConfig() {
  tam::TamConfig config;
  config.signing_keys = {SigningKeyOf(TamP256Key(), teep::kAlgESP256),
                         SigningKeyOf(TamEd25519Key(), teep::kAlgEd25519)};
  return config;
}

agent::AgentConfig World::DefaultAgentConfig() {
  agent::AgentConfig config;
  config.signing_key = SigningKeyOf(AgentP256Key(), teep::kAlgESP256);
  agent::TrustedTam tam;
  tam.uri = std::string(kTamUri);
  tam.keys = {teep::PeerKey{TamP256Key().public_key(), std::nullopt},
              teep::PeerKey{TamEd25519Key().public_key(), std::nullopt}};
  config.tams = {tam};
  config.tc_signers.signing_keys = {TcSignerKey().public_key()};
  config.device = ExampleDevice();
  return config;
}

World::World() : World(Options()) {}

World::World(Options options) {
  auto t = tam::TamCore::Create(std::move(options.tam), tam_store, clock, tam_random,
                                options.appraiser, options.tam_attester);
  agent::AgentConfig agent_config = DefaultAgentConfig();
  if (options.adjust_agent) options.adjust_agent(agent_config);
  auto a = agent::AgentCore::Create(std::move(agent_config), agent_store, &fetcher, clock,
                                    agent_random, options.evidence, options.tam_verifier);
  if (!t.ok() || !a.ok()) std::abort();
  tam = std::move(t).value();
  agent = std::move(a).value();
  link = std::make_unique<InProcessAgentLink>(*agent);
  const Bytes cose_key = cose::CoseKey::FromPublicKey(agent->public_key()).Encode(false);
  if (options.enroll) {
    auto id = tam->EnrollDevice(cose_key, "simulated device");
    if (!id.ok()) std::abort();
    device_id = *id;
  } else {
    device_id = agent->kid();
  }
}

Bytes EncodeScript(const std::vector<ScriptStep>& steps) {
  Bytes out;
  for (const ScriptStep& step : steps) {
    out.push_back(static_cast<uint8_t>(step.op));
    out.push_back(static_cast<uint8_t>(step.bytes.size() >> 8));
    out.push_back(static_cast<uint8_t>(step.bytes.size()));
    Append(out, step.bytes);
  }
  return out;
}

std::vector<ScriptStep> DecodeScript(ByteView script) {
  std::vector<ScriptStep> steps;
  ByteReader r(script);
  while (!r.AtEnd() && steps.size() < kMaxScriptSteps) {
    uint8_t op = 0;
    uint16_t length = 0;
    ByteView body;
    if (!r.ReadU8(&op) || !r.ReadBeU16(&length) || !r.ReadBytes(length, &body)) {
      break;
    }
    steps.push_back(ScriptStep{static_cast<ScriptOp>(op), ToBytes(body)});
  }
  return steps;
}

void World::AddFixturePackages() {
  // Built once: envelopes are deterministic apart from the ECDSA signature.
  static const Bytes v1 = FixtureEnvelope(1, "version one");
  static const Bytes v2 = FixtureEnvelope(2, "version two");
  if (!tam->AddPackage(v1).ok() || !tam->AddPackage(v2).ok()) std::abort();
}

void World::Desire(ScriptOp op) {
  tam::DesiredState desired;
  if (op == ScriptOp::kDesireV1) desired.install = {{FixtureManifestId(), 1}};
  if (op == ScriptOp::kDesireV2) desired.install = {{FixtureManifestId(), 2}};
  if (op == ScriptOp::kDesireRemove) desired.remove = {FixtureManifestId()};
  if (!tam->SetDesiredState(device_id, desired).ok()) return;
  tam_script.push_back({op, {}});
}

std::vector<tam::TamResult> World::RunTamScript(const std::vector<ScriptStep>& steps) {
  std::vector<tam::TamResult> results;
  for (const ScriptStep& step : steps) {
    switch (step.op) {
      case ScriptOp::kConnect: results.push_back(tam->ProcessConnect()); break;
      case ScriptOp::kMessage: results.push_back(tam->ProcessMessage(step.bytes)); break;
      case ScriptOp::kDesireV1:
      case ScriptOp::kDesireV2:
      case ScriptOp::kDesireRemove: Desire(step.op); break;
      default: break;
    }
  }
  return results;
}

std::vector<agent::AgentResult> World::RunAgentScript(const std::vector<ScriptStep>& steps) {
  std::vector<agent::AgentResult> results;
  for (const ScriptStep& step : steps) {
    switch (step.op) {
      case ScriptOp::kMessage: results.push_back(agent->ProcessMessage(step.bytes)); break;
      case ScriptOp::kRequestTa: (void)agent->RequestTA(FixtureManifestId()); break;
      case ScriptOp::kUnrequestTa: (void)agent->UnrequestTA(FixtureManifestId()); break;
      default: break;
    }
  }
  return results;
}

broker::SessionState World::RunSession() {
  wire_log.clear();
  tam_results.clear();
  tam_script.push_back({ScriptOp::kConnect, {}});
  broker::BrokerSession session(broker::TamContact{std::string(kTamUri), std::nullopt});
  while (session.state() == broker::SessionState::kAwaitingResponse) {
    Bytes request = session.pending_post().body;
    if (!request.empty()) {
      if (tamper) tamper(Hop::kAgentToTam, request);
      wire_log.push_back({Hop::kAgentToTam, request});
      tam_script.push_back({ScriptOp::kMessage, request});
    }
    // The "HTTP server": empty body -> ProcessConnect, else ProcessMessage (otrp-over-http
    // §"TEEP/HTTP Server Behavior").
    tam::TamResult result = request.empty() ? tam->ProcessConnect() : tam->ProcessMessage(request);
    tam_results.push_back(result);
    if (result.outcome == tam::Outcome::kFailed) {
      (void)session.OnHttpResponse(500, {}, *link);
      break;
    }
    Bytes reply = result.response.value_or(Bytes());
    if (!reply.empty()) {
      if (tamper) tamper(Hop::kTamToAgent, reply);
      wire_log.push_back({Hop::kTamToAgent, reply});
      agent_script.push_back({ScriptOp::kMessage, reply});
    }
    (void)session.OnHttpResponse(reply.empty() ? 204 : 200, reply, *link);
  }
  return session.state();
}

}  // namespace teepnet::inprocess
