// A confidential VM's own key (spec/instance-runtimes.md §3: "In a confidential VM the whole
// guest is the TEE"). The guest agent generates an X25519 key inside the guest at boot, asks
// the platform — through the host link, as a real guest asks its secure processor — for
// evidence whose report data binds that key and whose measurement is the VM's launch digest,
// and announces both to the Agent as the first frame on the instance channel:
//
//   FrameType::kGuestKey payload = field(X25519 public key, 32 bytes) | field(reason)
//                                  | evidence (the rest; empty when the platform gave none,
//                                    and then `reason` says why)
//   field = length (4 bytes BE, at most kMaxGuestKeyField) | bytes
//   report data = SHA-512("teepnet vm guest key v1" || 0x00 || public key)
//
// The Agent, itself attested by the TAM, appraises that evidence (its signer chain, the report
// data, and that the measurement is the launch digest of the image it handed to the VM
// backend) and only then releases the PD into the guest: every kPd frame for a VM travels as
// form 3, the whole form-1 or form-2 payload HPKE-sealed to the guest's key:
//
//   form 3 = 0x03 | field(enc) | ciphertext
//     HPKE base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM,
//     info = "teepnet vm pd v1", aad = empty
//
// The guest agent opens it and hands the TA the inner payload, so the TA is the same program
// it is in a process or a container. The host (VM backend, relay, Broker) sees only the
// ciphertext and the instance identity keys of cases 2 and 3 never exist outside the Agent
// and the attested guest.
//
// Library teepnet_vm_guest_key: crypto/hpke only, so the static guest agent can link it.
#ifndef TEEPNET_RUNTIME_VM_GUEST_KEY_H_
#define TEEPNET_RUNTIME_VM_GUEST_KEY_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::runtime {

inline constexpr uint8_t kPdFormGuestSealed = 3;
inline constexpr size_t kGuestReportDataBytes = 64;
// The public key is 32 bytes and a reason one line; evidence is the rest of the frame.
inline constexpr size_t kMaxGuestKeyField = 4096;
// Evidence from any simulated platform fits (a DCAP quote with its PCK chain is the largest).
inline constexpr size_t kMaxGuestEvidenceBytes = 32 * 1024;

// The 64 bytes the guest asks the platform to bind into its evidence for `public_key`.
Bytes GuestReportData(ByteView public_key);

struct GuestKey {
  Bytes public_key;  // X25519, 32 bytes
  std::string reason;
  Bytes evidence;
};
Bytes EncodeGuestKey(const GuestKey& key);
// kBadFrame for a field over the limit or past the end, a public key that is not 32 bytes, or
// evidence over kMaxGuestEvidenceBytes.
Result<GuestKey> DecodeGuestKey(ByteView payload);

// Form 3 around a form-1 or form-2 PD payload, sealed to the attested guest key.
Result<Bytes> SealPdForGuest(const crypto::PublicKey& guest_key, ByteView pd_payload,
                             Random& random);
// The inner payload; kBadFrame when `payload` is not form 3 or is malformed, the HPKE error
// when it does not open (sealed to another guest, or altered on the way).
Result<SecretBytes> OpenPdInGuest(const crypto::PrivateKey& guest_key, ByteView payload);

}  // namespace teepnet::runtime

#endif  // TEEPNET_RUNTIME_VM_GUEST_KEY_H_
