// deps: teepnet_cose teepnet_crypto teepnet_base
// Target functions: cose::Sign1Message / SignMessage / Mac0Message / MacMessage /
// Encrypt0Message / EncryptMessage ::Decode, then Verify / Decrypt with fixed keys, and
// CoseKey::Decode. Every input is tried as each message type (tagged or untagged): decoding
// must never crash, and anything that decodes must be verified or decrypted without crashing.
// Deterministic: fixed keys, no randomness.
#include <cstddef>
#include <cstdint>

#include "teepnet/base/bytes.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/encrypt.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/cose/hpke_cose.h"
#include "teepnet/cose/mac.h"
#include "teepnet/cose/mac0.h"
#include "teepnet/cose/sign.h"
#include "teepnet/cose/sign1.h"

namespace {

using namespace teepnet;

// Keys from the cose-wg examples ("11" P-256 key, "our-secret", ECDH recipient), so seeds
// taken from those vectors reach the cryptographic checks.
struct Keys {
  crypto::PrivateKey p256 =
      *crypto::PrivateKey::FromRaw(crypto::KeyType::kP256, ToBytes(ByteView(kD11, sizeof(kD11))));
  crypto::PrivateKey meriadoc = *crypto::PrivateKey::FromRaw(
      crypto::KeyType::kP256, ToBytes(ByteView(kDMeriadoc, sizeof(kDMeriadoc))));
  Bytes secret16 = Bytes(kOurSecret, kOurSecret + 16);
  Bytes secret32 = Bytes(kOurSecret, kOurSecret + 32);

  static constexpr uint8_t kD11[32] = {0x57, 0xc9, 0x20, 0x77, 0x66, 0x41, 0x46, 0xe8,
                                       0x76, 0x76, 0x0c, 0x95, 0x20, 0xd0, 0x54, 0xaa,
                                       0x93, 0xc3, 0xaf, 0xb0, 0x4e, 0x30, 0x67, 0x05,
                                       0xdb, 0x60, 0x90, 0x30, 0x85, 0x07, 0xb4, 0xd3};
  static constexpr uint8_t kDMeriadoc[32] = {0xaf, 0xf9, 0x07, 0xc9, 0x9f, 0x9a, 0xd3, 0xaa,
                                             0xe6, 0xc4, 0xcd, 0xf2, 0x11, 0x22, 0xbc, 0xe2,
                                             0xbd, 0x68, 0xb5, 0x28, 0x3e, 0x69, 0x07, 0x15,
                                             0x4a, 0xd9, 0x11, 0x84, 0x0f, 0xa2, 0x08, 0xcf};
  static constexpr uint8_t kOurSecret[32] = {0x84, 0x9b, 0x57, 0x21, 0x9d, 0xae, 0x48, 0xde,
                                             0x64, 0x6d, 0x07, 0xdb, 0xb5, 0x33, 0x56, 0x6e,
                                             0x97, 0x66, 0x86, 0x45, 0x7c, 0x14, 0x91, 0xbe,
                                             0x3a, 0x76, 0xdc, 0xea, 0x6c, 0x42, 0x71, 0x88};
};

const Keys& GetKeys() {
  static const Keys keys;
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Keys& k = GetKeys();
  ByteView in(data, size);
  cose::HeaderPolicy lenient;
  lenient.require_protected_alg = false;
  for (const cose::HeaderPolicy& policy : {cose::HeaderPolicy(), lenient}) {
    if (auto m = cose::Sign1Message::Decode(in, cose::Tagging::kOptional, policy); m.ok()) {
      (void)m->Verify(k.p256.public_key());
      (void)m->VerifyDetached(k.p256.public_key(), in);
    }
    if (auto m = cose::SignMessage::Decode(in, cose::Tagging::kOptional, policy); m.ok()) {
      for (size_t i = 0; i < m->signers().size(); ++i) {
        (void)m->VerifySigner(i, k.p256.public_key());
      }
    }
    if (auto m = cose::Mac0Message::Decode(in, cose::Tagging::kOptional, policy); m.ok()) {
      (void)m->Verify(k.secret32);
    }
    if (auto m = cose::Encrypt0Message::Decode(in, cose::Tagging::kOptional, policy); m.ok()) {
      (void)m->Decrypt(k.secret16);
      (void)cose::DecryptEncrypt0Hpke(*m, k.meriadoc);
    }
    cose::RecipientKey secret;
    secret.secret = SecretBytes(k.secret16);
    cose::RecipientKey ecdh;
    ecdh.private_key = k.meriadoc;
    if (auto m = cose::EncryptMessage::Decode(in, cose::Tagging::kOptional, policy); m.ok()) {
      (void)m->Decrypt(secret);
      (void)m->Decrypt(ecdh);
    }
    if (auto m = cose::MacMessage::Decode(in, cose::Tagging::kOptional, policy); m.ok()) {
      (void)m->Verify(secret);
      (void)m->Verify(ecdh);
    }
  }
  if (auto key = cose::CoseKey::Decode(in); key.ok()) {
    (void)key->Thumbprint();
    (void)key->ToPublicKey();
  }
  return 0;
}
