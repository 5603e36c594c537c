#include "teepnet/suit/digest.h"

#include "teepnet/cbor/writer.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/errc.h"

namespace teepnet::suit {

Result<Digest> ReadDigest(cbor::Reader& r) {
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&n), "SUIT_Digest"));
  if (n != 2) return Error(Errc::kMalformed, "SUIT_Digest has 2 members", r.offset());
  int64_t alg = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadInt(&alg), "suit-digest-algorithm-id"));
  switch (static_cast<DigestAlgorithm>(alg)) {
    case DigestAlgorithm::kSha256:
    case DigestAlgorithm::kShake128:
    case DigestAlgorithm::kSha384:
    case DigestAlgorithm::kSha512:
    case DigestAlgorithm::kShake256: break;
    default:
      return Error(Errc::kUnsupportedDigest,
                   "suit-digest-algorithm-id " + std::to_string(alg) + " is not registered",
                   r.offset());
  }
  Digest d;
  d.algorithm = static_cast<DigestAlgorithm>(alg);
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadBytes(&d.bytes), "suit-digest-bytes"));
  return d;
}

Result<Digest> DecodeDigest(ByteView encoded) {
  cbor::Reader r(encoded, SuitDecodeOptions());
  TEEPNET_ASSIGN_OR_RETURN(Digest d, ReadDigest(r));
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ExpectEnd(), "SUIT_Digest"));
  return d;
}

Result<Bytes> ComputeDigest(DigestAlgorithm algorithm, ByteView data) {
  switch (algorithm) {
    case DigestAlgorithm::kSha256: return crypto::Digest(crypto::HashAlgorithm::kSha256, data);
    case DigestAlgorithm::kSha384: return crypto::Digest(crypto::HashAlgorithm::kSha384, data);
    case DigestAlgorithm::kSha512: return crypto::Digest(crypto::HashAlgorithm::kSha512, data);
    case DigestAlgorithm::kShake128:
    case DigestAlgorithm::kShake256: break;
  }
  return Error(Errc::kUnsupportedDigest, "SHAKE digests are not implemented");
}

Result<bool> DigestMatches(const Digest& expected, ByteView data) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes actual, ComputeDigest(expected.algorithm, data));
  return crypto::ConstantTimeEqual(actual, expected.bytes);
}

Bytes EncodeDigest(DigestAlgorithm algorithm, ByteView bytes) {
  cbor::Writer w;
  w.WriteArrayHeader(2);
  w.WriteInt(static_cast<int64_t>(algorithm));
  w.WriteBytes(bytes);
  return std::move(w).Take();
}

}  // namespace teepnet::suit
