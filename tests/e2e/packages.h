// The Trusted Component packages the end-to-end tests install: small signed SUIT envelopes
// whose install sequence writes a given text into the component (suit-parameter-content +
// suit-directive-write), so a test can read the Agent's store and see which version is there.
#ifndef TEEPNET_TESTS_E2E_PACKAGES_H_
#define TEEPNET_TESTS_E2E_PACKAGES_H_

#include <cstdint>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/suit/component_id.h"

namespace teepnet::e2e {

// ["TEEP-Device", "SecureFS", "hello.ta"], the component of the draft's examples.
const suit::ComponentId& HelloComponent();

// A SUIT envelope for `component` at `sequence_number` that writes `content`, signed by `signer`.
Bytes WriteContentEnvelope(const suit::ComponentId& component, uint64_t sequence_number,
                           std::string_view content, const crypto::PrivateKey& signer);

}  // namespace teepnet::e2e

#endif  // TEEPNET_TESTS_E2E_PACKAGES_H_
