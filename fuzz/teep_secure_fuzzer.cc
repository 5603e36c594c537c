// deps: teepnet_teep_secure
// Fuzzes the COSE-wrapped TEEP path (VerifyMessage: parse, classify, header check, signature,
// payload decode) with fixed test keys, so committed seeds signed with those keys reach the
// payload decoder. The first input byte selects the profile (bit 0) and whether the Agent
// accepts only Ed25519 (bit 1). Properties: no crash; a verified message re-encodes and
// decodes to an equal message; an Agent error code exists for every failure.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/teep/agent_error.h"
#include "teepnet/teep/secure_message.h"

namespace {

using namespace teepnet;
using namespace teepnet::teep;

// TEST-ONLY keys (the seeds in fuzz/corpus/teep_secure_fuzzer/ are signed with them).
constexpr uint8_t kP256Scalar[32] = {
    0x51, 0x9b, 0x42, 0x3d, 0x71, 0x5f, 0x8b, 0x58, 0x1f, 0x4f, 0xa8, 0xee, 0x59, 0xf4, 0x77, 0x1a,
    0x5b, 0x44, 0xc8, 0x13, 0x0b, 0x4e, 0x3e, 0xac, 0xca, 0x54, 0xa5, 0x6d, 0xda, 0x72, 0xb4, 0x64};
constexpr uint8_t kEd25519Seed[32] = {
    0x9d, 0x61, 0xb1, 0x9d, 0xef, 0xfd, 0x5a, 0x60, 0xba, 0x84, 0x4a, 0xf4, 0x92, 0xec, 0x2c, 0xc4,
    0x44, 0x49, 0xc5, 0x69, 0x7b, 0x32, 0x69, 0x19, 0x70, 0x3b, 0xac, 0x03, 0x1c, 0xae, 0x7f, 0x60};

const std::vector<PeerKey>& Peers() {
  static const std::vector<PeerKey> peers = [] {
    std::vector<PeerKey> out;
    auto p256 = crypto::PrivateKey::FromRaw(crypto::KeyType::kP256, kP256Scalar);
    auto ed = crypto::PrivateKey::FromRaw(crypto::KeyType::kEd25519, kEd25519Seed);
    if (!p256.ok() || !ed.ok()) std::abort();
    out.push_back(PeerKey{p256->public_key(), std::nullopt});
    out.push_back(PeerKey{ed->public_key(), std::nullopt});
    return out;
  }();
  return peers;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const WireProfile& profile = (data[0] & 1) ? LegacyProfile() : RfcProfile();
  VerifyOptions options;
  if (data[0] & 2) options.accepted_suites = {CipherSuite::Sign1(kAlgEd25519)};
  auto verified = VerifyMessage(ByteView(data + 1, size - 1), profile, Peers(), options);
  if (!verified.ok()) {
    (void)AgentErrorCodeFor(verified.error());
    return 0;
  }
  auto encoded = EncodeMessage(verified->message, profile);
  if (!encoded.ok()) std::abort();
  auto again = DecodeMessage(*encoded, profile);
  if (!again.ok() || !(*again == verified->message)) std::abort();
  return 0;
}
