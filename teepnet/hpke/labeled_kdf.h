// LabeledExtract and LabeledExpand (RFC 9180 §4): HKDF with every input framed by the version
// label "HPKE-v1" and a suite_id, so keys derived for one suite or purpose never collide with
// another's.
#ifndef TEEPNET_HPKE_LABELED_KDF_H_
#define TEEPNET_HPKE_LABELED_KDF_H_

#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/hpke/suite.h"

namespace teepnet::hpke {

class LabeledKdf {
 public:
  // The KEM's KDF with suite_id "KEM" || kem_id (used inside DHKEM, §4.1).
  static Result<LabeledKdf> ForKem(KemId kem);
  // The suite's KDF with suite_id "HPKE" || kem_id || kdf_id || aead_id (§5.1).
  static Result<LabeledKdf> ForSuite(const Suite& suite);

  crypto::HashAlgorithm hash() const { return hash_; }
  size_t hash_size() const;  // Nh
  const Bytes& suite_id() const { return suite_id_; }

  // HKDF-Extract(salt, "HPKE-v1" || suite_id || label || ikm). The framed ikm is built in a
  // SecretBytes because ikm is often a DH output or a PSK.
  Result<SecretBytes> Extract(ByteView salt, std::string_view label, ByteView ikm) const;
  // HKDF-Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L).
  // L = 0 yields an empty result; L > 255 * Nh fails with crypto's kBadLength.
  Result<SecretBytes> Expand(ByteView prk, std::string_view label, ByteView info,
                             size_t length) const;

 private:
  LabeledKdf(crypto::HashAlgorithm hash, Bytes suite_id)
      : hash_(hash), suite_id_(std::move(suite_id)) {}

  crypto::HashAlgorithm hash_;
  Bytes suite_id_;
};

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_LABELED_KDF_H_
