#include "teepnet/cose/hpke_cose.h"

#include "teepnet/cose/errc.h"
#include "teepnet/cose/structures.h"
#include "teepnet/hpke/single_shot.h"

namespace teepnet::cose {

namespace {

Result<hpke::Suite> SuiteOf(const AlgorithmInfo& info) {
  if (!info.implemented) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(info.name) + " is not implemented");
  }
  auto suite = hpke::SuiteFromWire(info.hpke_kem, info.hpke_kdf, info.hpke_aead);
  if (!suite.ok()) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(info.name) + ": HPKE suite missing");
  }
  return suite;
}

// The `ek` header: a bstr in the unprotected bucket (draft-ietf-cose-hpke §3.1).
Result<ByteView> Ek(const Headers& h) {
  if (h.protected_map.Has(kHeaderLabelHpkeEk)) {
    return Error(Errc::kBadHeaderValue, "ek must be unprotected");
  }
  TEEPNET_ASSIGN_OR_RETURN(auto ek, h.unprotected.GetBytes(kHeaderLabelHpkeEk));
  if (!ek) return Error(Errc::kMissingKeyParameter, "no ek header (-4)");
  return *ek;
}

// mode_psk when the layer carries psk_id (-5, protected only); then the caller's psk is used.
Result<hpke::RecipientParams> RecipientParamsFor(const Headers& h, const HpkeParams& params,
                                                 ByteView info) {
  hpke::RecipientParams rp;
  rp.info = info;
  if (h.unprotected.Has(kHeaderLabelHpkePskId)) {
    return Error(Errc::kBadHeaderValue, "psk_id must be protected");
  }
  TEEPNET_ASSIGN_OR_RETURN(auto psk_id, h.protected_map.GetBytes(kHeaderLabelHpkePskId));
  if (psk_id) {
    if (!params.psk) return Error(Errc::kWrongKeyType, "message needs a PSK");
    rp.mode = hpke::Mode::kPsk;
    rp.psk.psk = *params.psk;
    rp.psk.psk_id = *psk_id;
  }
  return rp;
}

Result<SecretBytes> OpenChecked(const hpke::Suite& suite, ByteView enc,
                                const crypto::PrivateKey& key, const hpke::RecipientParams& rp,
                                ByteView aad, ByteView ct) {
  auto plain = hpke::Open(suite, enc, key, rp, aad, ct);
  if (!plain.ok()) {
    if (plain.error().domain() == Domain::kHpke && plain.error().Is(hpke::Errc::kKeyTypeMismatch)) {
      return Error(Errc::kWrongKeyType, "key does not fit the HPKE suite");
    }
    return Error(Errc::kDecryptFailed, "HPKE open failed");
  }
  return plain;
}

Result<hpke::Sealed> SealChecked(const hpke::Suite& suite, const crypto::PublicKey& to,
                                 const HpkeParams& params, ByteView info, ByteView aad, ByteView pt,
                                 Random& random) {
  hpke::SenderParams sp;
  sp.info = info;
  if (params.psk_id) {
    if (!params.psk) return Error(Errc::kWrongKeyType, "psk_id without a PSK");
    sp.mode = hpke::Mode::kPsk;
    sp.psk.psk = *params.psk;
    sp.psk.psk_id = *params.psk_id;
  }
  auto sealed = hpke::Seal(suite, to, sp, aad, pt, random);
  if (!sealed.ok()) return Error(Errc::kCrypto, "HPKE seal failed: " + sealed.error().message());
  return sealed;
}

}  // namespace

Result<SecretBytes> DecryptEncrypt0Hpke(const Encrypt0Message& message,
                                        const crypto::PrivateKey& key, ByteView external_aad,
                                        const HpkeParams& params) {
  const AlgorithmInfo& info = message.algorithm();
  if (info.kind != AlgorithmKind::kHpkeIntegrated) {
    return Error(Errc::kAlgMismatch, "not an HPKE integrated-encryption message");
  }
  TEEPNET_ASSIGN_OR_RETURN(hpke::Suite suite, SuiteOf(info));
  TEEPNET_ASSIGN_OR_RETURN(ByteView enc, Ek(message.headers()));
  if (!message.ciphertext()) return Error(Errc::kMissingPayload, "detached HPKE ciphertext");
  TEEPNET_ASSIGN_OR_RETURN(auto rp,
                           RecipientParamsFor(message.headers(), params, params.external_info));
  Bytes aad = EncStructure("Encrypt0", message.headers().protected_bytes, external_aad);
  return OpenChecked(suite, enc, key, rp, aad, *message.ciphertext());
}

Result<Bytes> CreateEncrypt0Hpke(const crypto::PublicKey& recipient, ByteView plaintext,
                                 const Encrypt0HpkeOptions& options, Random& random) {
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(options.alg));
  if (info == nullptr || info->kind != AlgorithmKind::kHpkeIntegrated) {
    return Error(Errc::kAlgMismatch, "not an HPKE integrated-encryption algorithm");
  }
  TEEPNET_ASSIGN_OR_RETURN(hpke::Suite suite, SuiteOf(*info));
  HeaderMap prot = options.protected_headers;
  prot.SetAlg(options.alg);
  if (options.hpke.psk_id) prot.SetBytes(kHeaderLabelHpkePskId, *options.hpke.psk_id);
  TEEPNET_ASSIGN_OR_RETURN(Bytes protected_bytes, prot.EncodeProtected());
  Bytes aad = EncStructure("Encrypt0", protected_bytes, options.external_aad);
  TEEPNET_ASSIGN_OR_RETURN(hpke::Sealed sealed,
                           SealChecked(suite, recipient, options.hpke, options.hpke.external_info,
                                       aad, plaintext, random));
  HeaderMap unprot = options.unprotected_headers;
  unprot.SetBytes(kHeaderLabelHpkeEk, sealed.enc);
  cbor::Writer w(sealed.ciphertext.size() + sealed.enc.size() + 64);
  WriteMessageStart(w, MessageTag::kEncrypt0, options.tagged, 3);
  TEEPNET_RETURN_IF_ERROR(WriteHeaders(w, protected_bytes, unprot));
  w.WriteBytes(sealed.ciphertext);
  return std::move(w).Take();
}

Result<SecretBytes> OpenHpkeRecipient(const Recipient& recipient, const RecipientKey& key,
                                      Algorithm next_alg) {
  if (!key.private_key) return Error(Errc::kWrongKeyType, "HPKE recipient needs a private key");
  TEEPNET_ASSIGN_OR_RETURN(hpke::Suite suite, SuiteOf(*recipient.alg));
  TEEPNET_ASSIGN_OR_RETURN(ByteView enc, Ek(recipient.headers));
  if (!recipient.ciphertext) return Error(Errc::kMalformed, "HPKE recipient without ciphertext");
  //= draft-ietf-cose-hpke: info = Recipient_structure ["HPKE Recipient", next_layer_alg,
  //# recipient_protected_header, recipient_extra_info], deterministically encoded.
  Bytes info = HpkeRecipientInfo(static_cast<int64_t>(next_alg), recipient.headers.protected_bytes,
                                 key.hpke.external_info);
  TEEPNET_ASSIGN_OR_RETURN(auto rp, RecipientParamsFor(recipient.headers, key.hpke, info));
  return OpenChecked(suite, enc, *key.private_key, rp, key.hpke.hpke_aad, *recipient.ciphertext);
}

Result<Bytes> SealHpkeRecipient(const RecipientSpec& spec, ByteView protected_bytes,
                                Algorithm next_alg, ByteView cek, Random& random,
                                HeaderMap& unprotected) {
  if (!spec.recipient_key) return Error(Errc::kWrongKeyType, "HPKE needs the recipient key");
  const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(spec.alg));
  TEEPNET_ASSIGN_OR_RETURN(hpke::Suite suite, SuiteOf(*info));
  Bytes hpke_info =
      HpkeRecipientInfo(static_cast<int64_t>(next_alg), protected_bytes, spec.hpke.external_info);
  TEEPNET_ASSIGN_OR_RETURN(hpke::Sealed sealed,
                           SealChecked(suite, *spec.recipient_key, spec.hpke, hpke_info,
                                       spec.hpke.hpke_aad, cek, random));
  unprotected.SetBytes(kHeaderLabelHpkeEk, sealed.enc);
  return std::move(sealed.ciphertext);
}

}  // namespace teepnet::cose
