// SUIT_Digest (draft-ietf-suit-manifest-37 §8.4.3): [algorithm-id, digest-bytes]. Used for
// the authentication wrapper, severed members and parameter image-digest.
//
// WARNING: a decoded Digest borrows its input; the input must outlive it.
#ifndef TEEPNET_SUIT_DIGEST_H_
#define TEEPNET_SUIT_DIGEST_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/suit/ids.h"

namespace teepnet::suit {

struct Digest {
  DigestAlgorithm algorithm = DigestAlgorithm::kSha256;
  ByteView bytes;
};

// Reads one SUIT_Digest array. An algorithm outside the registry fails with kMalformed; a
// registered one we cannot compute (SHAKE) is accepted here and refused by Compute.
Result<Digest> ReadDigest(cbor::Reader& r);
// Exactly one SUIT_Digest (the contents of a `bstr .cbor SUIT_Digest`).
Result<Digest> DecodeDigest(ByteView encoded);

// Hash of `data` with `algorithm` (SHA-256/384/512; kUnsupportedDigest otherwise).
Result<Bytes> ComputeDigest(DigestAlgorithm algorithm, ByteView data);
// True when `data` hashes to `expected`, compared in constant time. Fails only when the
// algorithm is unsupported.
Result<bool> DigestMatches(const Digest& expected, ByteView data);
// Encodes [alg, bytes] (for reports and tests).
Bytes EncodeDigest(DigestAlgorithm algorithm, ByteView bytes);

}  // namespace teepnet::suit

#endif  // TEEPNET_SUIT_DIGEST_H_
