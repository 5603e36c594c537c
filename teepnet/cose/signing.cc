#include "teepnet/cose/signing.h"

#include "teepnet/cose/errc.h"
#include "teepnet/crypto/signature.h"

namespace teepnet::cose {

Status CheckSignatureAlgorithm(const AlgorithmInfo& info, crypto::KeyType key_type) {
  if (info.kind != AlgorithmKind::kSignature) {
    return Error(Errc::kAlgMismatch, std::string(info.name) + " is not a signature algorithm");
  }
  if (!info.implemented) {
    return Error(Errc::kUnsupportedAlgorithm, std::string(info.name) + " is not implemented");
  }
  if (!SignatureKeyFits(info, key_type)) {
    return Error(Errc::kWrongKeyType, std::string(info.name) + " does not fit a " +
                                          std::string(crypto::KeyTypeName(key_type)) + " key");
  }
  return OkStatus();
}

Status VerifyCoseSignature(const AlgorithmInfo& info, const crypto::PublicKey& key,
                           ByteView to_be_signed, ByteView signature) {
  TEEPNET_RETURN_IF_ERROR(CheckSignatureAlgorithm(info, key.type()));
  //= https://www.rfc-editor.org/rfc/rfc9053#section-2.1
  //# the signature is the concatenation r || s, each as long as the curve's order
  // (crypto::Verify takes raw r||s and rejects other lengths).
  if (!crypto::Verify(key, info.signature, to_be_signed, signature).ok()) {
    return Error(Errc::kSignatureInvalid, "signature does not verify");
  }
  return OkStatus();
}

Result<Bytes> CreateCoseSignature(const AlgorithmInfo& info, const crypto::PrivateKey& key,
                                  ByteView to_be_signed) {
  TEEPNET_RETURN_IF_ERROR(CheckSignatureAlgorithm(info, key.type()));
  auto sig = crypto::Sign(key, info.signature, to_be_signed);
  if (!sig.ok()) return Error(Errc::kCrypto, "signing failed: " + sig.error().message());
  return sig;
}

}  // namespace teepnet::cose
