#include "teepnet/cose/mac.h"

#include "teepnet/cose/content_crypto.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/structures.h"

namespace teepnet::cose {

Result<MacMessage> MacMessage::Decode(ByteView input, Tagging tagging, const HeaderPolicy& policy) {
  cbor::Reader r(input, MessageDecodeOptions());
  //= https://www.rfc-editor.org/rfc/rfc9052#section-6.1
  //# COSE_Mac = [ Headers, payload : bstr / nil, tag : bstr, recipients : [+COSE_recipient] ]
  TEEPNET_RETURN_IF_ERROR(ReadMessageStart(r, MessageTag::kMac, tagging, 5, 5, "COSE_Mac"));
  MacMessage m;
  TEEPNET_ASSIGN_OR_RETURN(m.headers_, ReadHeaders(r, policy));
  TEEPNET_ASSIGN_OR_RETURN(m.payload_, ReadBytesOrNil(r, "COSE_Mac payload"));
  TEEPNET_ASSIGN_OR_RETURN(m.tag_, ReadBstr(r, "COSE_Mac tag"));
  TEEPNET_ASSIGN_OR_RETURN(m.recipients_, ReadRecipients(r, policy));
  TEEPNET_RETURN_IF_ERROR(ExpectMessageEnd(r, "COSE_Mac"));
  TEEPNET_ASSIGN_OR_RETURN(m.alg_, m.headers_.Alg(policy.require_protected_alg));
  if (m.alg_->kind != AlgorithmKind::kMac) {
    return Error(Errc::kAlgMismatch, "COSE_Mac alg is not a MAC algorithm");
  }
  return m;
}

Result<ByteView> MacMessage::VerifyWithKey(ByteView mac_key, ByteView external_aad) const {
  if (!payload_) return Error(Errc::kMissingPayload, "detached COSE_Mac payloads unsupported");
  Bytes tbm = MacStructure("MAC", headers_.protected_bytes, external_aad, *payload_);
  TEEPNET_RETURN_IF_ERROR(VerifyMacTag(*alg_, mac_key, tbm, tag_));
  return *payload_;
}

Result<ByteView> MacMessage::Verify(const RecipientKey& key, ByteView external_aad) const {
  if (!alg_->implemented) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(alg_->name) + " is not implemented");
  }
  return TryRecipients<ByteView>(recipients_, key, alg_->id, alg_->key_size,
                                 [&](ByteView k) { return VerifyWithKey(k, external_aad); });
}

Result<Bytes> CreateMac(ByteView payload, const MacOptions& options,
                        const std::vector<RecipientSpec>& recipients, Random& random) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(options.alg));
  if (info == nullptr) return Error(Errc::kUnsupportedAlgorithm, "unknown algorithm");
  TEEPNET_RETURN_IF_ERROR(CheckMacAlgorithm(*info, info->key_size));
  if (recipients.empty()) return Error(Errc::kMalformed, "COSE_Mac needs a recipient");
  bool direct = false;
  for (const RecipientSpec& spec : recipients) direct |= IsDirectMethod(spec.alg);
  if (direct && recipients.size() != 1) {
    return Error(Errc::kMalformed, "a direct method allows exactly one recipient");
  }
  cbor::Writer recipient_out;
  SecretBytes key;
  if (direct) {
    TEEPNET_ASSIGN_OR_RETURN(
        key, CreateDirectRecipient(recipients[0], info->id, info->key_size, random, recipient_out));
  } else {
    key = SecretBytes(info->key_size);
    TEEPNET_RETURN_IF_ERROR(random.Fill(key.mutable_view()));
    for (const RecipientSpec& spec : recipients) {
      TEEPNET_RETURN_IF_ERROR(
          CreateWrappingRecipient(spec, info->id, key.view(), random, recipient_out));
    }
  }
  HeaderMap protected_headers = options.protected_headers;
  protected_headers.SetAlg(options.alg);
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, protected_headers.EncodeProtected());
  Bytes tbm = MacStructure("MAC", protected_bytes, options.external_aad, payload);
  TEEPNET_ASSIGN_OR_RETURN(Bytes tag, ComputeMacTag(*info, key.view(), tbm));
  cbor::Writer w(tbm.size() + recipient_out.size() + 64);
  WriteMessageStart(w, MessageTag::kMac, options.tagged, 5);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(w, protected_bytes, options.unprotected_headers));
  w.WriteBytes(payload);
  w.WriteBytes(tag);
  w.WriteArrayHeader(recipients.size());
  w.WriteRaw(recipient_out.bytes());
  return std::move(w).Take();
}

}  // namespace teepnet::cose
