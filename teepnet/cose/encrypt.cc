#include "teepnet/cose/encrypt.h"

#include "teepnet/cose/content_crypto.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/structures.h"

namespace teepnet::cose {

Result<EncryptMessage> EncryptMessage::Decode(ByteView input, Tagging tagging,
                                              const HeaderPolicy& policy) {
  cbor::Reader r(input, MessageDecodeOptions());
  //= https://www.rfc-editor.org/rfc/rfc9052#section-5.1
  //# COSE_Encrypt = [ Headers, ciphertext : bstr / nil, recipients : [+COSE_recipient] ]
  TEEPNET_RETURN_IF_ERROR(ReadMessageStart(r, MessageTag::kEncrypt, tagging, 4, 4, "COSE_Encrypt"));
  EncryptMessage m;
  TEEPNET_ASSIGN_OR_RETURN(m.headers_, ReadHeaders(r, policy));
  TEEPNET_ASSIGN_OR_RETURN(m.ciphertext_, ReadBytesOrNil(r, "COSE_Encrypt ciphertext"));
  TEEPNET_ASSIGN_OR_RETURN(m.recipients_, ReadRecipients(r, policy));
  TEEPNET_RETURN_IF_ERROR(ExpectMessageEnd(r, "COSE_Encrypt"));
  TEEPNET_ASSIGN_OR_RETURN(m.alg_, m.headers_.Alg(false));
  if (!IsContentEncryption(*m.alg_)) {
    return Error(Errc::kAlgMismatch, "COSE_Encrypt alg is not a content cipher");
  }
  if (m.alg_->kind != AlgorithmKind::kCtr && policy.require_protected_alg &&
      !m.headers_.InProtected(kLabelAlg)) {
    return Error(Errc::kAlgNotProtected, "alg must be in the protected bucket");
  }
  TEEPNET_RETURN_IF_ERROR(CheckCtrProtected(*m.alg_, m.headers_));
  return m;
}

Result<SecretBytes> EncryptMessage::DecryptWithCek(ByteView cek,
                                                   const DecryptOptions& options) const {
  TEEPNET_ASSIGN_OR_RETURN(ByteView ct, CiphertextFor(ciphertext_, options));
  TEEPNET_ASSIGN_OR_RETURN(Bytes iv, ResolveIv(headers_, options.context_iv));
  Bytes aad = EncStructure("Encrypt", headers_.protected_bytes, options.external_aad);
  return DecryptContent(*alg_, cek, iv, aad, ct);
}

Result<SecretBytes> EncryptMessage::Decrypt(const RecipientKey& key,
                                            const DecryptOptions& options) const {
  if (!alg_->implemented) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(alg_->name) + " is not implemented");
  }
  return TryRecipients<SecretBytes>(recipients_, key, alg_->id, alg_->key_size,
                                    [&](ByteView cek) { return DecryptWithCek(cek, options); });
}

Result<Bytes> CreateEncrypt(ByteView plaintext, const EncryptOptions& options,
                            const std::vector<RecipientSpec>& recipients, Random& random) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(options.alg));
  if (info == nullptr) return Error(Errc::kUnsupportedAlgorithm, "unknown algorithm");
  TEEPNET_RETURN_IF_ERROR(CheckContentAlgorithm(*info, info->key_size));
  if (recipients.empty()) return Error(Errc::kMalformed, "COSE_Encrypt needs a recipient");
  bool direct = false;
  for (const RecipientSpec& spec : recipients) direct |= IsDirectMethod(spec.alg);
  //= https://www.rfc-editor.org/rfc/rfc9052#section-8.5
  //# direct key agreement / direct key: only one recipient is possible.
  if (direct && recipients.size() != 1) {
    return Error(Errc::kMalformed, "a direct method allows exactly one recipient");
  }
  cbor::Writer recipient_out;
  SecretBytes cek;
  if (direct) {
    TEEPNET_ASSIGN_OR_RETURN(
        cek, CreateDirectRecipient(recipients[0], info->id, info->key_size, random, recipient_out));
  } else {
    cek = SecretBytes(info->key_size);
    TEEPNET_RETURN_IF_ERROR(random.Fill(cek.mutable_view()));
  }
  HeaderMap protected_headers = options.protected_headers;
  HeaderMap unprotected_headers = options.unprotected_headers;
  if (info->kind == AlgorithmKind::kCtr) {
    unprotected_headers.SetAlg(options.alg);
  } else {
    protected_headers.SetAlg(options.alg);
  }
  Bytes iv(ContentIvSize(*info));
  TEEPNET_RETURN_IF_ERROR(random.Fill(iv));
  unprotected_headers.SetIv(iv);
  if (!direct) {
    for (const RecipientSpec& spec : recipients) {
      TEEPNET_RETURN_IF_ERROR(
          CreateWrappingRecipient(spec, info->id, cek.view(), random, recipient_out));
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, protected_headers.EncodeProtected());
  Bytes aad = EncStructure("Encrypt", protected_bytes, options.external_aad);
  TEEPNET_ASSIGN_OR_RETURN(Bytes ct, EncryptContent(*info, cek.view(), iv, aad, plaintext));
  cbor::Writer w(ct.size() + recipient_out.size() + 64);
  WriteMessageStart(w, MessageTag::kEncrypt, options.tagged, 4);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(w, protected_bytes, unprotected_headers));
  w.WriteBytes(ct);
  w.WriteArrayHeader(recipients.size());
  w.WriteRaw(recipient_out.bytes());
  return std::move(w).Take();
}

}  // namespace teepnet::cose
