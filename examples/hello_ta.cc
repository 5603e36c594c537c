// hello_ta: the smallest useful Trusted Application. It receives its Personalization Data
// from the TEEP Agent, answers the Agent with the PD's SHA-256, and then answers each UA
// message with that digest in hex, so the UA can show that the PD arrived inside the TA
// without ever seeing the PD itself.
//
// Built as a static binary (see CMakeLists.txt), so its private root holds nothing from the
// host and its launch measurement covers all of its code.
#include <cstdio>

#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/runtime/ta_api.h"

namespace ta = teepnet::ta;

int main() {
  if (auto s = ta::Init(); !s.ok()) {
    std::fprintf(stderr, "hello_ta: %s\n", s.error().ToString().c_str());
    return 1;
  }
  auto pd = ta::ReceivePd();
  if (!pd.ok()) {
    std::fprintf(stderr, "hello_ta: no PD: %s\n", pd.error().ToString().c_str());
    return 1;
  }
  if (pd->form != teepnet::runtime::PdForm::kPlaintext) {
    // Opening a sealed PD needs the user's sealing format (COSE-HPKE); this example only
    // shows the plaintext hand-over.
    std::fprintf(stderr, "hello_ta: sealed PD not supported by this example\n");
    return 1;
  }
  const teepnet::Bytes digest = teepnet::crypto::Sha256(pd->plaintext.view());
  std::fprintf(stderr, "hello_ta: PD received (%zu bytes, %s)\n", pd->plaintext.size(),
               pd->plaintext.is_secretmem() ? "in memfd_secret memory"
                                            : pd->plaintext.fallback_reason().c_str());
  if (!ta::Respond(digest).ok()) return 1;
  const std::string hex = teepnet::ToHex(digest);
  for (;;) {
    auto msg = ta::ReceiveFromUa();
    if (!msg.ok()) return 0;  // the Agent closed the channel: done
    std::string answer = "pd-sha256=" + hex;
    if (!ta::SendToUa(teepnet::AsBytes(answer)).ok()) return 1;
  }
}
