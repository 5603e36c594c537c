#include "teepnet/workload/ta_main.h"

#include <cstdio>
#include <string>
#include <utility>

#include "teepnet/base/clock.h"
#include "teepnet/channel/errc.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/replay_guard.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"
#include "teepnet/runtime/ta_api.h"
#include "teepnet/workload/envelope.h"

namespace teepnet::workload {
namespace {

// The PD and every part are opened once, in this delivery; the Agent keeps the durable replay
// record for the outer message, and the inner ones are bound to this request.
constexpr size_t kGuardEntries = kMaxParts + 1;

channel::Binding BindingOf(const runtime::DeliveryContext& c, std::string purpose) {
  return channel::Binding{c.request_id, c.device_id, c.instance, std::move(purpose)};
}

}  // namespace

const SecretBytes* Inputs::Get(std::string_view role) const {
  auto it = by_role.find(role);
  return it == by_role.end() ? nullptr : &it->second;
}

bool Inputs::WantsOutput(std::string_view role) const {
  return wants_output.find(role) != wants_output.end();
}

Result<Bytes> ProcessSealedPd(std::string_view workload, ByteView sealed, ByteView hpke_private_key,
                              ByteView proof_private_key, const runtime::DeliveryContext& context,
                              const Compute& compute, int64_t now_unix, Random& random) {
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey hpke,
                           crypto::PrivateKey::FromRaw(crypto::KeyType::kX25519, hpke_private_key));
  TEEPNET_ASSIGN_OR_RETURN(
      crypto::PrivateKey proof,
      crypto::PrivateKey::FromRaw(crypto::KeyType::kEd25519, proof_private_key));
  channel::OpenPolicy policy;
  policy.now_unix = now_unix;
  channel::InMemoryReplayGuard guard(kGuardEntries);
  TEEPNET_ASSIGN_OR_RETURN(
      channel::Opened pd,
      channel::Open(sealed, hpke, BindingOf(context, context.purpose), policy, guard));
  TEEPNET_ASSIGN_OR_RETURN(Envelope envelope, DecodeEnvelope(pd.content.view()));
  if (envelope.workload != workload) {
    return Error(channel::Errc::kMalformed, "workload: the PD is for workload " +
                                                envelope.workload + ", this TA runs " +
                                                std::string(workload));
  }
  Inputs inputs;
  inputs.workload = envelope.workload;
  inputs.bulk = std::move(envelope.bulk);
  inputs.context = context;
  std::map<std::string, const Part*> parts;
  for (const Part& part : envelope.parts) {
    // Each part is opened under its own purpose: a part sealed for another role, workload or
    // request does not open here, so the poster cannot relabel one party's input as another's.
    auto opened = channel::Open(
        part.sealed, hpke, BindingOf(context, InputPurpose(workload, part.role)), policy, guard);
    if (!opened.ok()) {
      return opened.error().WithContext("workload: the input of " + part.role);
    }
    inputs.by_role.emplace(part.role, std::move(opened->content));
    if (part.reply_key) inputs.wants_output.insert(part.role);
    parts.emplace(part.role, &part);
  }

  TEEPNET_ASSIGN_OR_RETURN(Outputs outputs, compute(inputs));

  std::map<std::string, Bytes> sealed_outputs;
  for (const auto& [role, output] : outputs) {
    auto it = parts.find(role);
    if (it == parts.end() || !it->second->reply_key) {
      return Error(channel::Errc::kMalformed,
                   "workload: an output for " + role + ", which asked for none");
    }
    if (output.size() > kMaxOutputBytes) {
      return Error(channel::Errc::kTooLarge, "workload: the output for " + role + " exceeds " +
                                                 std::to_string(kMaxOutputBytes) + " bytes");
    }
    TEEPNET_ASSIGN_OR_RETURN(
        crypto::PublicKey reply,
        crypto::PublicKey::FromRaw(crypto::KeyType::kX25519, *it->second->reply_key));
    TEEPNET_ASSIGN_OR_RETURN(
        Bytes s, channel::Seal(reply, output, BindingOf(context, OutputPurpose(workload, role)),
                               now_unix, random));
    sealed_outputs.emplace(role, std::move(s));
  }

  channel::Receipt receipt;
  receipt.request_id = context.request_id;
  receipt.instance = context.instance;
  receipt.pd_digest = crypto::Sha256(pd.content.view());
  receipt.measurement = context.measurement;
  if (!sealed_outputs.empty()) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes result, EncodeResult(sealed_outputs));
    receipt.result = std::move(result);
  }
  return channel::SignReceipt(receipt, proof);
}

int RunWorkloadTa(std::string_view workload, const Compute& compute) {
  const std::string name(workload);
  if (auto s = ta::Init(); !s.ok()) {
    std::fprintf(stderr, "%s: init: %s\n", name.c_str(), s.error().ToString().c_str());
    return 1;
  }
  auto pd = ta::ReceivePd();
  if (!pd.ok()) {
    std::fprintf(stderr, "%s: no PD: %s\n", name.c_str(), pd.error().ToString().c_str());
    return 1;
  }
  if (pd->form != runtime::PdForm::kSealed) {
    // A workload's inputs are private to their parties; a plaintext PD means someone other
    // than the parties opened them.
    std::fprintf(stderr, "%s: refused: the PD did not arrive sealed to this instance\n",
                 name.c_str());
    return 1;
  }
  auto receipt = ProcessSealedPd(workload, pd->sealed, pd->hpke_private_key.view(),
                                 pd->proof_private_key.view(), pd->context, compute,
                                 SystemClock().NowUnixSeconds(), crypto::SystemRandom::Get());
  if (!receipt.ok()) {
    // The error names the step and the role, never input bytes.
    std::fprintf(stderr, "%s: %s\n", name.c_str(), receipt.error().ToString().c_str());
    return 1;
  }
  if (auto s = ta::Respond(*receipt); !s.ok()) {
    std::fprintf(stderr, "%s: respond: %s\n", name.c_str(), s.error().ToString().c_str());
    return 1;
  }
  std::fprintf(stderr, "%s: done, receipt sent\n", name.c_str());
  return 0;
}

}  // namespace teepnet::workload
