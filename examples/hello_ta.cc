// hello_ta: the smallest useful Trusted Application. It receives its Personalization Data
// from the TEEP Agent and answers each UA message with the PD's SHA-256 in hex, so the UA can
// show that the PD arrived inside the TA without ever seeing the PD itself.
//
// The PD arrives in one of two forms (runtime/ta_wire.h):
//   - plaintext (cases 1, 4: the Agent opened the user's bundle): the TA acknowledges with the
//     PD's SHA-256 and the Agent signs the delivery receipt;
//   - sealed (cases 2, 3: the user sealed the PD to this instance's attested HPKE key): the TA
//     opens it itself (channel::Open, bound to the request, device, instance and purpose the
//     Agent names), and answers with the receipt signed by its own proof key
//     (USE-CASES "Receipts"), which proves the attested instance received exactly this PD.
//
// Built as a static binary (see CMakeLists.txt), so its private root holds nothing from the
// host and its launch measurement covers all of its code.
#include <cstdio>
#include <string>

#include "teepnet/base/clock.h"
#include "teepnet/base/hex.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/replay_guard.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/runtime/ta_api.h"

namespace {

namespace ta = teepnet::ta;
using teepnet::Bytes;
using teepnet::Result;

int Fail(const char* what, const teepnet::Error& e) {
  std::fprintf(stderr, "hello_ta: %s: %s\n", what, e.ToString().c_str());
  return 1;
}

// Opens the sealed PD with the instance's key and signs the receipt with its proof key.
// Returns the receipt and, in *digest, the PD's SHA-256.
Result<Bytes> OpenAndSignReceipt(const ta::Pd& pd, Bytes* digest) {
  TEEPNET_ASSIGN_OR_RETURN(teepnet::crypto::PrivateKey hpke,
                           teepnet::crypto::PrivateKey::FromRaw(teepnet::crypto::KeyType::kX25519,
                                                                pd.hpke_private_key.view()));
  TEEPNET_ASSIGN_OR_RETURN(teepnet::crypto::PrivateKey proof,
                           teepnet::crypto::PrivateKey::FromRaw(teepnet::crypto::KeyType::kEd25519,
                                                                pd.proof_private_key.view()));
  const teepnet::channel::Binding binding{pd.context.request_id, pd.context.device_id,
                                          pd.context.instance, pd.context.purpose};
  teepnet::channel::OpenPolicy policy;
  policy.now_unix = teepnet::SystemClock().NowUnixSeconds();
  // One instance, one delivery: the Agent refuses replays across instances; this guard only
  // covers the instance's own lifetime.
  teepnet::channel::InMemoryReplayGuard guard(16);
  TEEPNET_ASSIGN_OR_RETURN(teepnet::channel::Opened opened,
                           teepnet::channel::Open(pd.sealed, hpke, binding, policy, guard));
  *digest = teepnet::crypto::Sha256(opened.content.view());
  std::fprintf(stderr, "hello_ta: sealed PD opened (%zu bytes)\n", opened.content.size());
  teepnet::channel::Receipt receipt;
  receipt.request_id = pd.context.request_id;
  receipt.instance = pd.context.instance;
  receipt.pd_digest = *digest;
  receipt.measurement = pd.context.measurement;
  return teepnet::channel::SignReceipt(receipt, proof);
}

}  // namespace

int main() {
  if (auto s = ta::Init(); !s.ok()) return Fail("init", s.error());
  auto pd = ta::ReceivePd();
  if (!pd.ok()) return Fail("no PD", pd.error());
  Bytes digest;
  if (pd->form == teepnet::runtime::PdForm::kPlaintext) {
    digest = teepnet::crypto::Sha256(pd->plaintext.view());
    std::fprintf(stderr, "hello_ta: PD received (%zu bytes, %s)\n", pd->plaintext.size(),
                 pd->plaintext.is_secretmem() ? "in memfd_secret memory"
                                              : pd->plaintext.fallback_reason().c_str());
    // The acknowledgement; the Agent, which opened the bundle, signs the receipt.
    if (auto s = ta::Respond(digest); !s.ok()) return Fail("respond", s.error());
  } else {
    auto receipt = OpenAndSignReceipt(*pd, &digest);
    if (!receipt.ok()) return Fail("sealed PD", receipt.error());
    if (auto s = ta::Respond(*receipt); !s.ok()) return Fail("respond", s.error());
  }
  const std::string hex = teepnet::ToHex(digest);
  for (;;) {
    auto msg = ta::ReceiveFromUa();
    if (!msg.ok()) return 0;  // the Agent closed the channel: done
    std::string answer = "pd-sha256=" + hex;
    if (!ta::SendToUa(teepnet::AsBytes(answer)).ok()) return 1;
  }
}
