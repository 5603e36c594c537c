#include "teepnet/cose/sign1.h"

#include "teepnet/cose/errc.h"
#include "teepnet/cose/signing.h"
#include "teepnet/cose/structures.h"

namespace teepnet::cose {

Result<Sign1Message> Sign1Message::Decode(ByteView input, Tagging tagging,
                                          const HeaderPolicy& policy) {
  cbor::Reader r(input, MessageDecodeOptions());
  //= https://www.rfc-editor.org/rfc/rfc9052#section-4.2
  //# COSE_Sign1 = [ Headers, payload : bstr / nil, signature : bstr ]
  TEEPNET_RETURN_IF_ERROR(ReadMessageStart(r, MessageTag::kSign1, tagging, 4, 4, "COSE_Sign1"));
  Sign1Message m;
  TEEPNET_ASSIGN_OR_RETURN(m.headers_, ReadHeaders(r, policy));
  TEEPNET_ASSIGN_OR_RETURN(m.payload_, ReadBytesOrNil(r, "COSE_Sign1 payload"));
  TEEPNET_ASSIGN_OR_RETURN(m.signature_, ReadBstr(r, "COSE_Sign1 signature"));
  TEEPNET_RETURN_IF_ERROR(ExpectMessageEnd(r, "COSE_Sign1"));
  TEEPNET_ASSIGN_OR_RETURN(m.alg_, m.headers_.Alg(policy.require_protected_alg));
  if (m.alg_->kind != AlgorithmKind::kSignature) {
    return Error(Errc::kAlgMismatch, "COSE_Sign1 alg is not a signature algorithm");
  }
  return m;
}

Result<ByteView> Sign1Message::Verify(const crypto::PublicKey& key, ByteView external_aad) const {
  if (!payload_) return Error(Errc::kMissingPayload, "payload is detached: use VerifyDetached");
  Bytes tbs = SigStructure1(headers_.protected_bytes, external_aad, *payload_);
  TEEPNET_RETURN_IF_ERROR(VerifyCoseSignature(*alg_, key, tbs, signature_));
  return *payload_;
}

Result<ByteView> Sign1Message::VerifyDetached(const crypto::PublicKey& key,
                                              ByteView detached_payload,
                                              ByteView external_aad) const {
  if (payload_) return Error(Errc::kMissingPayload, "payload is attached, not detached");
  Bytes tbs = SigStructure1(headers_.protected_bytes, external_aad, detached_payload);
  TEEPNET_RETURN_IF_ERROR(VerifyCoseSignature(*alg_, key, tbs, signature_));
  return detached_payload;
}

Result<Bytes> CreateSign1(const crypto::PrivateKey& key, ByteView payload,
                          const Sign1Options& options) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(options.alg));
  if (info == nullptr) return Error(Errc::kUnsupportedAlgorithm, "unknown algorithm");
  TEEPNET_RETURN_IF_ERROR(CheckSignatureAlgorithm(*info, key.type()));
  HeaderMap protected_headers = options.protected_headers;
  // An alg the caller placed in the unprotected bucket stays there (interop re-creation).
  if (!options.unprotected_headers.Has(kLabelAlg)) protected_headers.SetAlg(options.alg);
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, protected_headers.EncodeProtected());
  Bytes tbs = SigStructure1(protected_bytes, options.external_aad, payload);
  TEEPNET_ASSIGN_OR_RETURN(Bytes signature, CreateCoseSignature(*info, key, tbs));

  cbor::Writer w(tbs.size() + signature.size() + 64);
  WriteMessageStart(w, MessageTag::kSign1, options.tagged, 4);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(w, protected_bytes, options.unprotected_headers));
  if (options.detached) {
    w.WriteNull();
  } else {
    w.WriteBytes(payload);
  }
  w.WriteBytes(signature);
  return std::move(w).Take();
}

}  // namespace teepnet::cose
