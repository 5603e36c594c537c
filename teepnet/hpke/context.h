// HPKE encryption contexts (RFC 9180 §5.2, §5.3): the sender's context seals, the recipient's
// opens, and both export secrets.
//
// Each message is protected with nonce = base_nonce XOR I2OSP(seq, Nn), where seq counts the
// messages of the context. A context is therefore move-only: a copy would reuse nonces.
// Messages must be opened in the order they were sealed; a failed Open leaves the sequence
// number unchanged.
#ifndef TEEPNET_HPKE_CONTEXT_H_
#define TEEPNET_HPKE_CONTEXT_H_

#include <array>
#include <cstdint>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/hpke/key_schedule.h"
#include "teepnet/hpke/labeled_kdf.h"
#include "teepnet/hpke/suite.h"

namespace teepnet::hpke {

class ContextTestPeer;

namespace internal {

// State shared by both roles. Not for direct use.
class ContextCore {
 public:
  static Result<ContextCore> Create(const Suite& suite, KeyScheduleOutput schedule);

  ContextCore(ContextCore&&) noexcept = default;
  ContextCore& operator=(ContextCore&&) noexcept = default;

  const Suite& suite() const { return suite_; }
  uint64_t sequence_number() const { return seq_; }

  Result<Bytes> Seal(ByteView aad, ByteView plaintext);
  Result<SecretBytes> Open(ByteView aad, ByteView ciphertext);
  Result<SecretBytes> Export(ByteView exporter_context, size_t length) const;

 private:
  friend class hpke::ContextTestPeer;

  ContextCore(const Suite& suite, const AeadInfo& aead, LabeledKdf kdf, SecretBytes key,
              Bytes base_nonce, SecretBytes exporter_secret)
      : suite_(suite),
        aead_(aead),
        kdf_(std::move(kdf)),
        key_(std::move(key)),
        base_nonce_(std::move(base_nonce)),
        exporter_secret_(std::move(exporter_secret)) {}

  // Fails with kExportOnly or kMessageLimitReached; otherwise the nonce for seq_.
  Status CheckCanProtect() const;
  std::array<uint8_t, 12> ComputeNonce(uint64_t seq) const;

  Suite suite_;
  AeadInfo aead_;
  LabeledKdf kdf_;
  SecretBytes key_;
  Bytes base_nonce_;
  SecretBytes exporter_secret_;
  uint64_t seq_ = 0;
};

}  // namespace internal

class SenderContext {
 public:
  static Result<SenderContext> Create(const Suite& suite, KeyScheduleOutput schedule);

  // Encrypts `plaintext` with the next nonce and returns ciphertext || tag (the output buffer
  // is sized once; the plaintext is not copied elsewhere). Fails with kExportOnly for the
  // export-only AEAD and with kMessageLimitReached once the sequence number is exhausted.
  Result<Bytes> Seal(ByteView aad, ByteView plaintext) { return core_.Seal(aad, plaintext); }
  // §5.3: LabeledExpand(exporter_secret, "sec", exporter_context, L); kBadExportLength when
  // L > 255 * Nh.
  Result<SecretBytes> Export(ByteView exporter_context, size_t length) const {
    return core_.Export(exporter_context, length);
  }
  uint64_t sequence_number() const { return core_.sequence_number(); }
  const Suite& suite() const { return core_.suite(); }

 private:
  friend class ContextTestPeer;
  explicit SenderContext(internal::ContextCore core) : core_(std::move(core)) {}
  internal::ContextCore core_;
};

class RecipientContext {
 public:
  static Result<RecipientContext> Create(const Suite& suite, KeyScheduleOutput schedule);

  // Decrypts ciphertext || tag sealed at the current sequence number. Any failure is
  // kOpenFailed (and the sequence number stays), or kExportOnly / kMessageLimitReached.
  Result<SecretBytes> Open(ByteView aad, ByteView ciphertext) {
    return core_.Open(aad, ciphertext);
  }
  Result<SecretBytes> Export(ByteView exporter_context, size_t length) const {
    return core_.Export(exporter_context, length);
  }
  uint64_t sequence_number() const { return core_.sequence_number(); }
  const Suite& suite() const { return core_.suite(); }

 private:
  friend class ContextTestPeer;
  explicit RecipientContext(internal::ContextCore core) : core_(std::move(core)) {}
  internal::ContextCore core_;
};

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_CONTEXT_H_
