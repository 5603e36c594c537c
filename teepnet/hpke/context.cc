#include "teepnet/hpke/context.h"

#include <algorithm>
#include <limits>
#include <string>

#include "teepnet/crypto/cipher.h"
#include "teepnet/hpke/errc.h"

namespace teepnet::hpke {
namespace internal {

namespace {

// Every AEAD of RFC 9180 §7.3 has Nn = 12; the nonce lives on the stack.
constexpr size_t kNonceSize = 12;

// The sequence number is 64 bits wide. RFC 9180 §5.2 caps it at 2^(8*Nn) - 1 = 2^96 - 1, which
// a uint64_t never reaches, so the counter's own maximum is the limit that applies here.
constexpr uint64_t kMaxSequenceNumber = std::numeric_limits<uint64_t>::max();

}  // namespace

Result<ContextCore> ContextCore::Create(const Suite& suite, KeyScheduleOutput schedule) {
  TEEPNET_ASSIGN_OR_RETURN(LabeledKdf kdf, LabeledKdf::ForSuite(suite));
  TEEPNET_ASSIGN_OR_RETURN(AeadInfo aead, LookupAead(suite.aead));
  if (aead.algorithm.has_value() &&
      (schedule.key.size() != aead.n_k || schedule.base_nonce.size() != kNonceSize ||
       aead.n_n != kNonceSize)) {
    return Error(Code::kInvalidArgument, "key schedule output does not fit the AEAD");
  }
  if (schedule.exporter_secret.size() != kdf.hash_size()) {
    return Error(Code::kInvalidArgument, "exporter secret does not fit the KDF");
  }
  return ContextCore(suite, aead, std::move(kdf), std::move(schedule.key),
                     std::move(schedule.base_nonce), std::move(schedule.exporter_secret));
}

std::array<uint8_t, 12> ContextCore::ComputeNonce(uint64_t seq) const {
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-5.2
  //# seq_bytes = I2OSP(seq, Nn)
  //# return xor(self.base_nonce, seq_bytes)
  std::array<uint8_t, kNonceSize> nonce{};
  std::copy_n(base_nonce_.begin(), std::min(base_nonce_.size(), kNonceSize), nonce.begin());
  for (size_t i = 0; i < sizeof(seq); ++i) {
    nonce[kNonceSize - 1 - i] ^= static_cast<uint8_t>(seq >> (8 * i));
  }
  return nonce;
}

Status ContextCore::CheckCanProtect() const {
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-7.3
  //# The 0xFFFF AEAD ID is reserved for applications that only use the Export
  //# interface
  // There is no key or nonce to protect a message with, so Seal and Open refuse outright.
  if (!aead_.algorithm.has_value()) {
    return Error(Errc::kExportOnly, "the export-only AEAD cannot seal or open");
  }
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-5.2
  //# Implementations MAY use a sequence number that is shorter than the nonce
  //# length (padding on the left with zero), but MUST raise an error if the
  //# sequence number overflows.
  // The RFC increments after protecting and discards that message on overflow; refusing
  // before protecting gives the same result without computing a ciphertext to throw away.
  if (seq_ >= kMaxSequenceNumber) {
    return Error(Errc::kMessageLimitReached, "sequence number exhausted");
  }
  return OkStatus();
}

Result<Bytes> ContextCore::Seal(ByteView aad, ByteView plaintext) {
  TEEPNET_RETURN_IF_ERROR(CheckCanProtect());
  const auto nonce = ComputeNonce(seq_);
  TEEPNET_ASSIGN_OR_RETURN(Bytes ciphertext,
                           crypto::AeadSeal(*aead_.algorithm, key_.view(), nonce, aad, plaintext));
  ++seq_;
  return ciphertext;
}

Result<SecretBytes> ContextCore::Open(ByteView aad, ByteView ciphertext) {
  TEEPNET_RETURN_IF_ERROR(CheckCanProtect());
  const auto nonce = ComputeNonce(seq_);
  auto plaintext = crypto::AeadOpen(*aead_.algorithm, key_.view(), nonce, aad, ciphertext);
  // §5.2 raises one OpenError whatever went wrong (short input, bad tag).
  if (!plaintext.ok()) return Error(Errc::kOpenFailed, "ciphertext did not authenticate");
  ++seq_;
  return std::move(plaintext).value();
}

Result<SecretBytes> ContextCore::Export(ByteView exporter_context, size_t length) const {
  //= https://www.rfc-editor.org/rfc/rfc9180.html#section-5.3
  //# The exporter_context field has a maximum length that depends on the KDF
  //# itself, on the definition of LabeledExpand(), and on the constant
  //# labels used together with them.
  // HKDF-Expand bounds L by 255 * Nh (RFC 5869 §2.3).
  if (length > 255 * kdf_.hash_size()) {
    return Error(Errc::kBadExportLength,
                 "export length " + std::to_string(length) + " exceeds 255 * Nh");
  }
  return kdf_.Expand(exporter_secret_.view(), "sec", exporter_context, length);
}

}  // namespace internal

Result<SenderContext> SenderContext::Create(const Suite& suite, KeyScheduleOutput schedule) {
  TEEPNET_ASSIGN_OR_RETURN(internal::ContextCore core,
                           internal::ContextCore::Create(suite, std::move(schedule)));
  return SenderContext(std::move(core));
}

Result<RecipientContext> RecipientContext::Create(const Suite& suite, KeyScheduleOutput schedule) {
  TEEPNET_ASSIGN_OR_RETURN(internal::ContextCore core,
                           internal::ContextCore::Create(suite, std::move(schedule)));
  return RecipientContext(std::move(core));
}

}  // namespace teepnet::hpke
