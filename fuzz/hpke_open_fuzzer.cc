// deps: teepnet_hpke teepnet_crypto teepnet_base
// Target functions: hpke::Open (SetupRecipient -> Decap/AuthDecap -> KeySchedule ->
// RecipientContext::Open), then a second Open and an Export on the same context.
//
// Input layout: [selector][enc length][aad length][enc][aad][ciphertext...]
//   selector % 3        suite: 0 X25519/SHA256/AES-128-GCM, 1 P-256/SHA256/ChaCha20Poly1305,
//                              2 P-521/SHA512/AES-256-GCM
//   (selector / 3) % 4  mode:  base, psk, auth, auth_psk
// The recipient, sender and PSK are fixed (derived from constant ikm), so a seed sealed to
// them reaches the AEAD and the code after a successful Open.
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "teepnet/base/byte_reader.h"
#include "teepnet/hpke/dhkem.h"
#include "teepnet/hpke/single_shot.h"

namespace {

using namespace teepnet;        // NOLINT: fuzz harness brevity
using namespace teepnet::hpke;  // NOLINT

struct FuzzSuite {
  Suite suite;
  KeyPair recipient;
  KeyPair sender;
};

constexpr std::string_view kInfo = "teepnet hpke open fuzzer";
constexpr std::string_view kPskId = "fuzz-psk";
const Bytes kPsk(32, 0x5c);

KeyPair DeriveOrDie(const Dhkem& kem, uint8_t fill) {
  auto pair = kem.DeriveKeyPair(Bytes(kem.info().n_sk, fill));
  if (!pair.ok()) std::abort();
  return std::move(pair).value();
}

const std::vector<FuzzSuite>& Suites() {
  static const std::vector<FuzzSuite>* suites = [] {
    const std::array<Suite, 3> ids = {
        Suite{KemId::kX25519HkdfSha256, KdfId::kHkdfSha256, AeadId::kAes128Gcm},
        Suite{KemId::kP256HkdfSha256, KdfId::kHkdfSha256, AeadId::kChaCha20Poly1305},
        Suite{KemId::kP521HkdfSha512, KdfId::kHkdfSha512, AeadId::kAes256Gcm}};
    auto* out = new std::vector<FuzzSuite>();
    for (const Suite& id : ids) {
      auto kem = Dhkem::Create(id.kem);
      if (!kem.ok()) std::abort();
      out->push_back(FuzzSuite{id, DeriveOrDie(*kem, 0x01), DeriveOrDie(*kem, 0x02)});
    }
    return out;
  }();
  return *suites;
}

// Counts successful opens; read by tools that check the committed seeds reach the AEAD.
size_t g_opened = 0;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  ByteReader reader(ByteView(data, size));
  uint8_t selector = 0, enc_size = 0, aad_size = 0;
  ByteView enc, aad;
  if (!reader.ReadU8(&selector) || !reader.ReadU8(&enc_size) || !reader.ReadU8(&aad_size) ||
      !reader.ReadBytes(enc_size, &enc) || !reader.ReadBytes(aad_size, &aad)) {
    return 0;
  }
  const ByteView ciphertext = reader.Rest();
  const FuzzSuite& fs = Suites()[selector % 3];
  const Mode mode = static_cast<Mode>((selector / 3) % 4);

  RecipientParams params;
  params.mode = mode;
  params.info = AsBytes(kInfo);
  if (UsesPsk(mode)) params.psk = PskInputs{kPsk, AsBytes(kPskId)};
  if (UsesAuth(mode)) params.sender_public_key = fs.sender.public_key;

  auto context = SetupRecipient(fs.suite, enc, fs.recipient.private_key, params);
  if (!context.ok()) return 0;
  auto plaintext = context->Open(aad, ciphertext);
  if (!plaintext.ok()) return 0;
  ++g_opened;
  // The context moved to sequence number 1: the same ciphertext must not open again.
  if (context->Open(aad, ciphertext).ok()) std::abort();
  auto exported = context->Export(plaintext->view(), 32);
  if (!exported.ok() || exported->size() != 32) std::abort();
  return 0;
}
