#include "teepnet/cose/encrypt0.h"

#include "teepnet/cose/content_crypto.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/structures.h"

namespace teepnet::cose {

Result<ByteView> CiphertextFor(const std::optional<ByteView>& carried,
                               const DecryptOptions& options) {
  if (carried && options.detached_ciphertext) {
    return Error(Errc::kMissingPayload, "ciphertext is attached, not detached");
  }
  if (carried) return *carried;
  if (options.detached_ciphertext) return *options.detached_ciphertext;
  return Error(Errc::kMissingPayload, "ciphertext is detached and was not supplied");
}

Status CheckCtrProtected(const AlgorithmInfo& info, const Headers& headers) {
  //= https://www.rfc-editor.org/rfc/rfc9459#section-4
  //# ... the protected header ... MUST be a zero-length byte string (no authenticated data).
  if (info.kind == AlgorithmKind::kCtr && !headers.protected_bytes.empty()) {
    return Error(Errc::kAlgMismatch, "AES-CTR layers must have an empty protected bucket");
  }
  return OkStatus();
}

Result<Encrypt0Message> Encrypt0Message::Decode(ByteView input, Tagging tagging,
                                                const HeaderPolicy& policy) {
  cbor::Reader r(input, MessageDecodeOptions());
  //= https://www.rfc-editor.org/rfc/rfc9052#section-5.2
  //# COSE_Encrypt0 = [ Headers, ciphertext : bstr / nil ]
  TEEPNET_RETURN_IF_ERROR(
      ReadMessageStart(r, MessageTag::kEncrypt0, tagging, 3, 3, "COSE_Encrypt0"));
  Encrypt0Message m;
  TEEPNET_ASSIGN_OR_RETURN(m.headers_, ReadHeaders(r, policy));
  TEEPNET_ASSIGN_OR_RETURN(m.ciphertext_, ReadBytesOrNil(r, "COSE_Encrypt0 ciphertext"));
  TEEPNET_RETURN_IF_ERROR(ExpectMessageEnd(r, "COSE_Encrypt0"));
  // AES-CTR forbids protected headers, so alg cannot be protected there (RFC 9459 §4).
  TEEPNET_ASSIGN_OR_RETURN(m.alg_, m.headers_.Alg(false));
  bool ctr = m.alg_->kind == AlgorithmKind::kCtr;
  if (!ctr && policy.require_protected_alg && !m.headers_.InProtected(kLabelAlg)) {
    return Error(Errc::kAlgNotProtected, "alg must be in the protected bucket");
  }
  if (!IsContentEncryption(*m.alg_) && m.alg_->kind != AlgorithmKind::kHpkeIntegrated) {
    return Error(Errc::kAlgMismatch, "COSE_Encrypt0 alg is not a content cipher");
  }
  TEEPNET_RETURN_IF_ERROR(CheckCtrProtected(*m.alg_, m.headers_));
  return m;
}

Result<SecretBytes> Encrypt0Message::Decrypt(ByteView key, const DecryptOptions& options) const {
  if (!IsContentEncryption(*alg_)) {
    return Error(Errc::kAlgMismatch, "HPKE messages are opened with DecryptEncrypt0Hpke");
  }
  TEEPNET_ASSIGN_OR_RETURN(ByteView ct, CiphertextFor(ciphertext_, options));
  TEEPNET_ASSIGN_OR_RETURN(Bytes iv, ResolveIv(headers_, options.context_iv));
  Bytes aad = EncStructure("Encrypt0", headers_.protected_bytes, options.external_aad);
  return DecryptContent(*alg_, key, iv, aad, ct);
}

Result<Bytes> CreateEncrypt0(ByteView key, ByteView plaintext, const Encrypt0Options& options,
                             Random& random) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(options.alg));
  if (info == nullptr) return Error(Errc::kUnsupportedAlgorithm, "unknown algorithm");
  TEEPNET_RETURN_IF_ERROR(CheckContentAlgorithm(*info, key.size()));
  HeaderMap protected_headers = options.protected_headers;
  HeaderMap unprotected_headers = options.unprotected_headers;
  if (info->kind == AlgorithmKind::kCtr || unprotected_headers.Has(kLabelAlg)) {
    unprotected_headers.SetAlg(options.alg);
  } else {
    protected_headers.SetAlg(options.alg);
  }
  Bytes iv(ContentIvSize(*info));
  TEEPNET_RETURN_IF_ERROR(random.Fill(iv));
  unprotected_headers.SetIv(iv);
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, protected_headers.EncodeProtected());
  Bytes aad = EncStructure("Encrypt0", protected_bytes, options.external_aad);
  TEEPNET_ASSIGN_OR_RETURN(Bytes ct, EncryptContent(*info, key, iv, aad, plaintext));
  cbor::Writer w(ct.size() + protected_bytes.size() + 64);
  WriteMessageStart(w, MessageTag::kEncrypt0, options.tagged, 3);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(w, protected_bytes, unprotected_headers));
  w.WriteBytes(ct);
  return std::move(w).Take();
}

}  // namespace teepnet::cose
