// The TA-side API (library teepnet_ta): what a Trusted Application links to talk to the TEEP
// Agent that launched it and, through the Agent, to its Untrusted Application.
//
// A TA inherits one stream socket as descriptor 3 (runtime::kChannelFd); frames are described
// in ta_wire.h. A minimal TA:
//
//   int main() {
//     if (!ta::Init().ok()) return 1;
//     auto pd = ta::ReceivePd();                    // plaintext, or sealed + own keys
//     ...use pd->plaintext.view()...
//     ta::Respond(result);                          // to the Agent
//     while (auto msg = ta::ReceiveFromUa(); msg.ok()) ta::SendToUa(Answer(*msg));
//   }
//
// Secrets (the PD plaintext, the private keys) are returned in SecretMemory, which uses
// memfd_secret when the kernel allows. Frames that arrive while the TA waits for another kind
// (a UA message before the PD) are queued, up to kMaxPendingFrames.
//
// The functions are not thread-safe: one thread of the TA owns the channel.
#ifndef TEEPNET_RUNTIME_TA_API_H_
#define TEEPNET_RUNTIME_TA_API_H_

#include <cstddef>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/runtime/secret_memory.h"
#include "teepnet/runtime/ta_wire.h"

namespace teepnet::ta {

inline constexpr size_t kMaxPendingFrames = 64;

// Call first. execve resets the "dumpable" flag to 1, so the TA itself must clear it again
// (spec/instance-runtimes.md §1, "Limits"): a non-dumpable process cannot be ptrace-attached
// by a same-uid peer and its /proc files are root-owned. Also checks that the channel
// descriptor is open.
Status Init();

// Uses `fd` instead of runtime::kChannelFd (tests, and TAs launched by other means).
void UseChannelFd(int fd);

struct Pd {
  runtime::PdForm form = runtime::PdForm::kPlaintext;
  runtime::SecretMemory plaintext;         // form kPlaintext
  Bytes sealed;                            // form kSealed: the bytes the user sealed
  runtime::SecretMemory hpke_private_key;  // form kSealed: the TA's own private key
  // form kSealed: the instance's Ed25519 proof key; the TA signs its delivery receipt with it
  // (channel::SignReceipt), so the receipt proves the attested instance received the PD.
  runtime::SecretMemory proof_private_key;
  runtime::DeliveryContext context;  // form kSealed: the binding to open with, receipt fields
};

// Blocks until the Agent sends the PD. kPeerClosed when the Agent closes the channel first.
Result<Pd> ReceivePd();
// Sends the TA's answer to the Agent.
Status Respond(ByteView bytes);
// Sends bytes to the UA (the REE relays them; treat them as public).
Status SendToUa(ByteView bytes);
// Blocks until the UA sends something. kPeerClosed when the channel is closed.
Result<Bytes> ReceiveFromUa();

}  // namespace teepnet::ta

#endif  // TEEPNET_RUNTIME_TA_API_H_
