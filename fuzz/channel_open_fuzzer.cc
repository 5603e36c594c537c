// deps: teepnet_channel teepnet_crypto teepnet_base
// Target function: channel::Open — COSE_Encrypt0 decode, header checks, HPKE open with the
// binding as external AAD, plaintext decode, freshness and the replay guard.
//
// The recipient key and binding are fixed (X25519 key 0x11 * 32), so a committed seed sealed to
// them reaches the code after a successful HPKE open; a fresh guard per input keeps runs
// independent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/channel/sealed.h"
#include "teepnet/crypto/keys.h"

namespace {

using namespace teepnet;  // NOLINT: fuzz harness brevity

const crypto::PrivateKey& Key() {
  static const crypto::PrivateKey* key = [] {
    auto k = crypto::PrivateKey::FromRaw(crypto::KeyType::kX25519, Bytes(32, 0x11));
    if (!k.ok()) std::abort();
    return new crypto::PrivateKey(std::move(*k));
  }();
  return *key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const channel::Binding binding{"fuzz-request", Bytes(32, 0xd1), "", "pd"};
  channel::OpenPolicy policy;
  policy.now_unix = 1800000000;
  channel::InMemoryReplayGuard guard;
  ByteView input(data, size);
  auto first = channel::Open(input, Key(), binding, policy, guard);
  if (first.ok()) {
    // An accepted message must be refused the second time.
    auto second = channel::Open(input, Key(), binding, policy, guard);
    if (second.ok()) std::abort();
  }
  return 0;
}
