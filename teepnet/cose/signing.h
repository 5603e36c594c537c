// Signature primitives shared by COSE_Sign1 and COSE_Sign: algorithm/key checks and the
// mapping onto crypto::Sign / crypto::Verify.
#ifndef TEEPNET_COSE_SIGNING_H_
#define TEEPNET_COSE_SIGNING_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cose {

// Refuses non-signature, unimplemented, or key-mismatched algorithms (kAlgMismatch,
// kUnsupportedAlgorithm, kWrongKeyType).
Status CheckSignatureAlgorithm(const AlgorithmInfo& info, crypto::KeyType key_type);

// Verifies `signature` over `to_be_signed`; any failure is kSignatureInvalid.
Status VerifyCoseSignature(const AlgorithmInfo& info, const crypto::PublicKey& key,
                           ByteView to_be_signed, ByteView signature);
Result<Bytes> CreateCoseSignature(const AlgorithmInfo& info, const crypto::PrivateKey& key,
                                  ByteView to_be_signed);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_SIGNING_H_
