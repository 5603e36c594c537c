#include "teepnet/hpke/labeled_kdf.h"

#include <algorithm>
#include <limits>

#include "teepnet/base/byte_writer.h"
#include "teepnet/crypto/errc.h"

namespace teepnet::hpke {

namespace {

constexpr std::string_view kVersionLabel = "HPKE-v1";

}  // namespace

Result<LabeledKdf> LabeledKdf::ForKem(KemId kem) {
  TEEPNET_ASSIGN_OR_RETURN(KemInfo info, LookupKem(kem));
  return LabeledKdf(info.hash, KemSuiteId(kem));
}

Result<LabeledKdf> LabeledKdf::ForSuite(const Suite& suite) {
  TEEPNET_RETURN_IF_ERROR(ValidateSuite(suite));
  TEEPNET_ASSIGN_OR_RETURN(KdfInfo info, LookupKdf(suite.kdf));
  return LabeledKdf(info.hash, HpkeSuiteId(suite));
}

size_t LabeledKdf::hash_size() const {
  return crypto::DigestSize(hash_);
}

Result<SecretBytes> LabeledKdf::Extract(ByteView salt, std::string_view label, ByteView ikm) const {
  SecretBytes labeled_ikm(kVersionLabel.size() + suite_id_.size() + label.size() + ikm.size());
  auto out = labeled_ikm.mutable_view().begin();
  out = std::copy(kVersionLabel.begin(), kVersionLabel.end(), out);
  out = std::copy(suite_id_.begin(), suite_id_.end(), out);
  out = std::copy(label.begin(), label.end(), out);
  std::copy(ikm.begin(), ikm.end(), out);
  return crypto::HkdfExtract(hash_, salt, labeled_ikm.view());
}

Result<SecretBytes> LabeledKdf::Expand(ByteView prk, std::string_view label, ByteView info,
                                       size_t length) const {
  // I2OSP(L, 2) cannot carry more than 16 bits; HKDF itself caps L at 255 * Nh, which is
  // smaller for every KDF in RFC 9180 §7.2, so this only guards the encoding.
  if (length > std::numeric_limits<uint16_t>::max()) {
    return Error(crypto::Errc::kBadLength, "LabeledExpand length does not fit I2OSP(L, 2)");
  }
  if (length == 0) return SecretBytes();
  ByteWriter labeled_info(2 + kVersionLabel.size() + suite_id_.size() + label.size() + info.size());
  labeled_info.WriteBeU16(static_cast<uint16_t>(length));
  labeled_info.WriteBytes(AsBytes(kVersionLabel));
  labeled_info.WriteBytes(suite_id_);
  labeled_info.WriteBytes(AsBytes(label));
  labeled_info.WriteBytes(info);
  return crypto::HkdfExpand(hash_, prk, labeled_info.bytes(), length);
}

}  // namespace teepnet::hpke
