#include "teepnet/runtime/vm_guest_key.h"

#include <string>
#include <utility>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/hpke/single_shot.h"
#include "teepnet/hpke/suite.h"
#include "teepnet/runtime/errc.h"

namespace teepnet::runtime {
namespace {

constexpr std::string_view kReportDataLabel = "teepnet vm guest key v1";
constexpr std::string_view kPdInfo = "teepnet vm pd v1";
constexpr size_t kX25519Bytes = 32;

constexpr hpke::Suite kSuite{hpke::KemId::kX25519HkdfSha256, hpke::KdfId::kHkdfSha256,
                             hpke::AeadId::kAes128Gcm};

void WriteField(ByteWriter& w, ByteView field) {
  w.WriteBeU32(static_cast<uint32_t>(field.size()));
  w.WriteBytes(field);
}

bool ReadField(ByteReader& r, ByteView* out) {
  uint32_t n = 0;
  return r.ReadBeU32(&n) && n <= kMaxGuestKeyField && r.ReadBytes(n, out);
}

Error BadFrame(std::string message) {
  return Error(Errc::kBadFrame, std::move(message));
}

}  // namespace

Bytes GuestReportData(ByteView public_key) {
  ByteWriter w;
  w.WriteBytes(AsBytes(kReportDataLabel));
  w.WriteU8(0);
  w.WriteBytes(public_key);
  return crypto::Digest(crypto::HashAlgorithm::kSha512, w.bytes());
}

Bytes EncodeGuestKey(const GuestKey& key) {
  ByteWriter w;
  WriteField(w, key.public_key);
  WriteField(w, AsBytes(key.reason));
  w.WriteBytes(key.evidence);
  return std::move(w).Take();
}

Result<GuestKey> DecodeGuestKey(ByteView payload) {
  ByteReader r(payload);
  ByteView public_key, reason;
  if (!ReadField(r, &public_key) || !ReadField(r, &reason)) {
    return BadFrame("guest key frame: a field runs past the end or over the limit");
  }
  if (public_key.size() != kX25519Bytes) {
    return BadFrame("guest key frame: the public key is not 32 bytes");
  }
  if (r.remaining() > kMaxGuestEvidenceBytes) {
    return BadFrame("guest key frame: evidence over " + std::to_string(kMaxGuestEvidenceBytes) +
                    " bytes");
  }
  GuestKey key;
  key.public_key = ToBytes(public_key);
  key.reason = std::string(AsChars(reason));
  key.evidence = ToBytes(r.Rest());
  return key;
}

Result<Bytes> SealPdForGuest(const crypto::PublicKey& guest_key, ByteView pd_payload,
                             Random& random) {
  TEEPNET_ASSIGN_OR_RETURN(hpke::Sealed sealed, hpke::SealBase(kSuite, guest_key, AsBytes(kPdInfo),
                                                               {}, pd_payload, random));
  ByteWriter w(1 + 4 + sealed.enc.size() + sealed.ciphertext.size());
  w.WriteU8(kPdFormGuestSealed);
  WriteField(w, sealed.enc);
  w.WriteBytes(sealed.ciphertext);
  return std::move(w).Take();
}

Result<SecretBytes> OpenPdInGuest(const crypto::PrivateKey& guest_key, ByteView payload) {
  ByteReader r(payload);
  uint8_t form = 0;
  ByteView enc;
  if (!r.ReadU8(&form) || form != kPdFormGuestSealed) {
    return BadFrame("a PD for a confidential VM must be sealed to the guest key (form 3)");
  }
  if (!ReadField(r, &enc)) return BadFrame("form-3 PD: the encapsulated key is malformed");
  return hpke::OpenBase(kSuite, enc, guest_key, AsBytes(kPdInfo), {}, r.Rest());
}

}  // namespace teepnet::runtime
