#include "teepnet/cose/mac0.h"

#include "teepnet/cose/content_crypto.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/structures.h"

namespace teepnet::cose {

Result<Mac0Message> Mac0Message::Decode(ByteView input, Tagging tagging,
                                        const HeaderPolicy& policy) {
  cbor::Reader r(input, MessageDecodeOptions());
  //= https://www.rfc-editor.org/rfc/rfc9052#section-6.2
  //# COSE_Mac0 = [ Headers, payload : bstr / nil, tag : bstr ]
  TEEPNET_RETURN_IF_ERROR(ReadMessageStart(r, MessageTag::kMac0, tagging, 4, 4, "COSE_Mac0"));
  Mac0Message m;
  TEEPNET_ASSIGN_OR_RETURN(m.headers_, ReadHeaders(r, policy));
  TEEPNET_ASSIGN_OR_RETURN(m.payload_, ReadBytesOrNil(r, "COSE_Mac0 payload"));
  TEEPNET_ASSIGN_OR_RETURN(m.tag_, ReadBstr(r, "COSE_Mac0 tag"));
  TEEPNET_RETURN_IF_ERROR(ExpectMessageEnd(r, "COSE_Mac0"));
  TEEPNET_ASSIGN_OR_RETURN(m.alg_, m.headers_.Alg(policy.require_protected_alg));
  if (m.alg_->kind != AlgorithmKind::kMac) {
    return Error(Errc::kAlgMismatch, "COSE_Mac0 alg is not a MAC algorithm");
  }
  return m;
}

Result<ByteView> Mac0Message::Verify(ByteView key, ByteView external_aad) const {
  if (!payload_) return Error(Errc::kMissingPayload, "payload is detached: use VerifyDetached");
  Bytes tbm = MacStructure("MAC0", headers_.protected_bytes, external_aad, *payload_);
  TEEPNET_RETURN_IF_ERROR(VerifyMacTag(*alg_, key, tbm, tag_));
  return *payload_;
}

Result<ByteView> Mac0Message::VerifyDetached(ByteView key, ByteView detached_payload,
                                             ByteView external_aad) const {
  if (payload_) return Error(Errc::kMissingPayload, "payload is attached, not detached");
  Bytes tbm = MacStructure("MAC0", headers_.protected_bytes, external_aad, detached_payload);
  TEEPNET_RETURN_IF_ERROR(VerifyMacTag(*alg_, key, tbm, tag_));
  return detached_payload;
}

Result<Bytes> CreateMac0(ByteView key, ByteView payload, const Mac0Options& options) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(options.alg));
  if (info == nullptr) return Error(Errc::kUnsupportedAlgorithm, "unknown algorithm");
  HeaderMap protected_headers = options.protected_headers;
  // An alg the caller placed in the unprotected bucket stays there (interop re-creation).
  if (!options.unprotected_headers.Has(kLabelAlg)) protected_headers.SetAlg(options.alg);
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, protected_headers.EncodeProtected());
  Bytes tbm = MacStructure("MAC0", protected_bytes, options.external_aad, payload);
  TEEPNET_ASSIGN_OR_RETURN(Bytes tag, ComputeMacTag(*info, key, tbm));
  cbor::Writer w(tbm.size() + tag.size() + 32);
  WriteMessageStart(w, MessageTag::kMac0, options.tagged, 4);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(w, protected_bytes, options.unprotected_headers));
  if (options.detached) {
    w.WriteNull();
  } else {
    w.WriteBytes(payload);
  }
  w.WriteBytes(tag);
  return std::move(w).Take();
}

}  // namespace teepnet::cose
