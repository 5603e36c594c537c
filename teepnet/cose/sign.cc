#include "teepnet/cose/sign.h"

#include "teepnet/cose/errc.h"
#include "teepnet/cose/signing.h"
#include "teepnet/cose/structures.h"

namespace teepnet::cose {

Result<SignMessage> SignMessage::Decode(ByteView input, Tagging tagging,
                                        const HeaderPolicy& policy) {
  cbor::Reader r(input, MessageDecodeOptions());
  //= https://www.rfc-editor.org/rfc/rfc9052#section-4.1
  //# COSE_Sign = [ Headers, payload : bstr / nil, signatures : [+ COSE_Signature] ]
  TEEPNET_RETURN_IF_ERROR(ReadMessageStart(r, MessageTag::kSign, tagging, 4, 4, "COSE_Sign"));
  SignMessage m;
  TEEPNET_ASSIGN_OR_RETURN(m.headers_, ReadHeaders(r, policy));
  TEEPNET_ASSIGN_OR_RETURN(m.payload_, ReadBytesOrNil(r, "COSE_Sign payload"));
  size_t at = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  size_t n = 0;
  if (type == cbor::ItemType::kArray) TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&n));
  if (type != cbor::ItemType::kArray || n == 0 || n == cbor::kIndefiniteLength) {
    return Error(Errc::kMalformed, "signatures must be a non-empty array", at);
  }
  for (size_t i = 0; i < n; ++i) {
    size_t sat = r.offset();
    size_t members = 0;
    TEEPNET_ASSIGN_OR_RETURN(type, r.PeekType());
    if (type == cbor::ItemType::kArray) TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&members));
    //# COSE_Signature = [ Headers, signature : bstr ]
    if (type != cbor::ItemType::kArray || members != 3) {
      return Error(Errc::kMalformed, "COSE_Signature must be an array of 3", sat);
    }
    Signer s;
    TEEPNET_ASSIGN_OR_RETURN(s.headers, ReadHeaders(r, policy));
    TEEPNET_ASSIGN_OR_RETURN(s.signature, ReadBstr(r, "COSE_Signature signature"));
    TEEPNET_ASSIGN_OR_RETURN(s.alg, s.headers.Alg(policy.require_protected_alg));
    if (s.alg->kind != AlgorithmKind::kSignature) {
      return Error(Errc::kAlgMismatch, "COSE_Signature alg is not a signature algorithm");
    }
    m.signers_.push_back(std::move(s));
  }
  TEEPNET_RETURN_IF_ERROR(ExpectMessageEnd(r, "COSE_Sign"));
  return m;
}

Result<ByteView> SignMessage::VerifySigner(size_t index, const crypto::PublicKey& key,
                                           ByteView external_aad,
                                           std::optional<ByteView> detached_payload) const {
  if (index >= signers_.size()) return Error(Errc::kNoSuchSigner, "no such signer");
  if (payload_.has_value() == detached_payload.has_value()) {
    return Error(Errc::kMissingPayload, "payload must be either carried or supplied");
  }
  ByteView payload = payload_ ? *payload_ : *detached_payload;
  const Signer& s = signers_[index];
  Bytes tbs =
      SigStructure(headers_.protected_bytes, s.headers.protected_bytes, external_aad, payload);
  TEEPNET_RETURN_IF_ERROR(VerifyCoseSignature(*s.alg, key, tbs, s.signature));
  return payload;
}

Result<ByteView> SignMessage::VerifyAll(const std::vector<crypto::PublicKey>& keys,
                                        ByteView external_aad) const {
  if (keys.size() != signers_.size()) {
    return Error(Errc::kNoSuchSigner, "one key per signer is required");
  }
  for (size_t i = 0; i < signers_.size(); ++i) {
    TEEPNET_RETURN_IF_ERROR(VerifySigner(i, keys[i], external_aad));
  }
  if (!payload_) return Error(Errc::kMissingPayload, "payload is detached");
  return *payload_;
}

Result<Bytes> CreateSign(ByteView payload, const SignOptions& options,
                         const std::vector<SignerSpec>& signers) {
  if (signers.empty()) return Error(Errc::kMalformed, "COSE_Sign needs a signer");
  TEEPNET_ASSIGN_OR_RETURN(Bytes body_protected, options.protected_headers.EncodeProtected());
  cbor::Writer sigs;
  sigs.WriteArrayHeader(signers.size());
  for (const SignerSpec& spec : signers) {
    if (spec.key == nullptr) return Error(Errc::kWrongKeyType, "signer without a key");
    const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(spec.alg));
    if (info == nullptr) return Error(Errc::kUnsupportedAlgorithm, "unknown algorithm");
    HeaderMap prot = spec.protected_headers;
    prot.SetAlg(spec.alg);
    TEEPNET_ASSIGN_OR_RETURN(Bytes sign_protected, prot.EncodeProtected());
    Bytes tbs = SigStructure(body_protected, sign_protected, options.external_aad, payload);
    TEEPNET_ASSIGN_OR_RETURN(Bytes sig, CreateCoseSignature(*info, *spec.key, tbs));
    sigs.WriteArrayHeader(3);
    TEEPNET_RETURN_IF_ERROR(WriteHeaders(sigs, sign_protected, spec.unprotected_headers));
    sigs.WriteBytes(sig);
  }
  cbor::Writer w(payload.size() + sigs.size() + 64);
  WriteMessageStart(w, MessageTag::kSign, options.tagged, 4);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(w, body_protected, options.unprotected_headers));
  if (options.detached) {
    w.WriteNull();
  } else {
    w.WriteBytes(payload);
  }
  w.WriteRaw(sigs.bytes());
  return std::move(w).Take();
}

}  // namespace teepnet::cose
