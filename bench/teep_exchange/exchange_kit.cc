#include "exchange_kit.h"

#include <time.h>

#include <utility>

#include "teepnet/broker/broker_session.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/bench_baseline.h"
#include "teepnet/crypto/random.h"
#include "teepnet/suit/test_envelope_builder.h"

namespace teepnet::bench {

suit::ComponentId BenchComponentId() {
  return suit::MakeComponentId({"TEEP-Device", "SecureFS", "bench.ta"});
}

Bytes BenchEnvelope(const crypto::PrivateKey& tc_signer, uint64_t sequence_number) {
  suit::testing::ManifestSpec spec;
  spec.sequence_number = sequence_number;
  spec.components = {BenchComponentId()};
  spec.manifest_component_id = BenchComponentId();
  const Bytes payload = ToBytes(kBenchPayload);
  spec.install = suit::testing::SequenceBuilder()
                     .Override(1,
                               [&](cbor::Writer& w) {
                                 w.WriteUint(18);  // suit-parameter-content
                                 w.WriteBytes(payload);
                               })
                     .Command(18, 15)  // suit-directive-write
                     .Encode();
  return suit::testing::SignEnvelope(suit::testing::EncodeManifest(spec), tc_signer);
}

Result<std::optional<Bytes>> CoreLink::ProcessTeepMessage(ByteView message) {
  agent::AgentResult r = core_.ProcessMessage(message);
  if (r.outcome == agent::AgentOutcome::kFailed) return *r.error;
  return std::move(r.response);
}

std::optional<broker::TamContact> CoreLink::RequestPolicyCheck() {
  auto contact = core_.RequestPolicyCheck();
  if (!contact) return std::nullopt;
  return broker::TamContact{contact->tam_uri, contact->message};
}

void CoreLink::ProcessError(std::string_view tam_uri) {
  core_.ProcessError(tam_uri);
}

bool BenchDevice::Installed() const {
  return store.ReadComponent(BenchComponentId()) == ToBytes(kBenchPayload);
}

Result<std::unique_ptr<BenchDevice>> MakeBenchDevice(std::string tam_uri,
                                                     const crypto::PublicKey& tam_key,
                                                     const crypto::PublicKey& tc_signer,
                                                     const Clock& clock, Random& random) {
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey key,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  agent::AgentConfig config;
  config.signing_key =
      teep::SigningKey{key, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt};
  config.tams.push_back(agent::TrustedTam{std::move(tam_uri), {{tam_key, std::nullopt}}});
  config.tc_signers.signing_keys.push_back(tc_signer);
  auto device = std::make_unique<BenchDevice>();
  TEEPNET_ASSIGN_OR_RETURN(device->core, agent::AgentCore::Create(std::move(config), device->store,
                                                                  nullptr, clock, random));
  device->link = std::make_unique<CoreLink>(*device->core);
  device->cose_key = cose::CoseKey::FromPublicKey(device->core->public_key()).Encode(false);
  return device;
}

double ThreadCpuMicros() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e6 + static_cast<double>(ts.tv_nsec) / 1e3;
}

BareCryptoCost MeasureBareCrypto(double seconds) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  if (!key.ok()) return {};
  // About the size of a TEEP Sig_structure (the Update's is larger, but ECDSA cost hardly
  // depends on the message length at these sizes: one SHA-256 block more or less).
  const Bytes message(200, 0x5a);
  crypto::baseline::BareSigner signer(*key, crypto::HashAlgorithm::kSha256);
  crypto::baseline::BareVerifier verifier(key->public_key(), crypto::HashAlgorithm::kSha256);
  Bytes der;
  if (!signer.Sign(message, der) || !verifier.VerifyDer(message, der)) return {};
  auto per_op = [&](auto&& op) {
    const double start = ThreadCpuMicros();
    uint64_t n = 0;
    double elapsed = 0;
    do {
      for (int i = 0; i < 16; ++i) op();
      n += 16;
      elapsed = ThreadCpuMicros() - start;
    } while (elapsed < seconds * 1e6);
    return elapsed / static_cast<double>(n);
  };
  BareCryptoCost cost;
  Bytes scratch;
  cost.sign_us = per_op([&] { (void)signer.Sign(message, scratch); });
  cost.verify_us = per_op([&] { (void)verifier.VerifyDer(message, der); });
  return cost;
}

Result<std::unique_ptr<InProcessExchange>> InProcessExchange::Create() {
  constexpr std::string_view kTamUri = "http://127.0.0.1:1/tam";  // never dialled
  std::unique_ptr<InProcessExchange> x(new InProcessExchange());
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey tam_key,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey signer,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  tam::TamConfig config;
  config.signing_keys.push_back(
      teep::SigningKey{tam_key, teep::CipherSuite::Sign1(teep::kAlgESP256), std::nullopt});
  TEEPNET_ASSIGN_OR_RETURN(x->tam_, tam::TamCore::Create(std::move(config), x->tam_store_,
                                                         x->clock_, crypto::SystemRandom::Get()));
  TEEPNET_ASSIGN_OR_RETURN(
      x->device_, MakeBenchDevice(std::string(kTamUri), tam_key.public_key(), signer.public_key(),
                                  x->clock_, crypto::SystemRandom::Get()));
  TEEPNET_ASSIGN_OR_RETURN(tam::DeviceId id, x->tam_->EnrollDevice(x->device_->cose_key, "bench"));
  TEEPNET_ASSIGN_OR_RETURN(tam::Package package, x->tam_->AddPackage(BenchEnvelope(signer)));
  tam::DesiredState desired;
  desired.install.push_back({package.manifest_id, package.sequence_number});
  TEEPNET_RETURN_IF_ERROR(x->tam_->SetDesiredState(id, desired));
  return x;
}

bool InProcessExchange::Run() {
  device_->store.Reset();
  broker::BrokerSession session(broker::TamContact{"http://127.0.0.1:1/tam", std::nullopt});
  size_t messages = 0;
  tam::Outcome last = tam::Outcome::kDropped;
  while (session.state() == broker::SessionState::kAwaitingResponse) {
    const Bytes& request = session.pending_post().body;
    if (!request.empty()) ++messages;
    // The "HTTP server": empty body -> ProcessConnect, else ProcessMessage.
    const CryptoCounts before_tam = CountedCrypto();
    tam::TamResult result =
        request.empty() ? tam_->ProcessConnect() : tam_->ProcessMessage(request);
    const CryptoCounts after_tam = CountedCrypto();
    tam_counts_ += after_tam - before_tam;
    last = result.outcome;
    if (result.outcome == tam::Outcome::kFailed) {
      failure_ = "TAM failed: " + (result.drop_reason ? result.drop_reason->ToString() : "");
      return false;
    }
    const Bytes reply = result.response.value_or(Bytes());
    if (!reply.empty()) ++messages;
    (void)session.OnHttpResponse(reply.empty() ? 204 : 200, reply, *device_->link);
    agent_counts_ += CountedCrypto() - after_tam;
  }
  ++exchanges_;
  if (session.state() != broker::SessionState::kSucceeded) {
    failure_ = "session failed: " + (session.failure() ? session.failure()->ToString() : "");
    return false;
  }
  if (messages != 4 || last != tam::Outcome::kSuccessRecorded || !device_->Installed()) {
    failure_ = "not a full install exchange (" + std::to_string(messages) + " messages, " +
               std::string(tam::OutcomeName(last)) + ")";
    return false;
  }
  return true;
}

}  // namespace teepnet::bench
