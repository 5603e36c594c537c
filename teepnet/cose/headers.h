// Headers: the protected and unprotected buckets of one COSE layer (message, signer or
// recipient), with the RFC 9052 §3 rules that apply to the pair.
//
// The protected bucket is kept as the exact bytes received (`protected_bytes`): every
// Sig_structure, MAC_structure and Enc_structure is built over those bytes, never over a
// re-encoding (RFC 9052 §3: the protected bucket is bstr-wrapped precisely so that it need
// not be re-encoded).
//
// Policy for h'A0' (an empty map inside the protected bstr, where RFC 9052 §3 says an empty
// bucket "MUST be encoded as a zero-length byte string"): decoding accepts it (the map is
// well-formed and empty), and verification uses the received bytes h'A0' in the structures.
// A message signed over h'' but sent with h'A0' therefore fails verification
// (cose-wg sign1-tests/sign-pass-01 is refused with kSignatureInvalid; see its test).
// HeaderPolicy::reject_non_minimal_empty_protected refuses it earlier, at decode time.
#ifndef TEEPNET_COSE_HEADERS_H_
#define TEEPNET_COSE_HEADERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/header_map.h"

namespace teepnet::cose {

struct HeaderPolicy {
  // Our strict profile: alg must sit in the protected bucket of Sign1/Sign signers, Mac0/Mac
  // and Encrypt0/Encrypt content layers, so an attacker cannot swap it (RFC 9052 §3.1 alg:
  // "... MUST be authenticated where the ability to change the algorithm could be used by
  // an attacker"). Recipient layers are exempt: RFC 9053 requires an empty protected bucket
  // for direct and AES-KW recipients. Set false to interoperate with the cose-wg examples
  // that send alg unprotected.
  bool require_protected_alg = true;
  // Refuse h'A0' (an encoded empty map) as the protected bucket with kProtectedNotMinimal.
  bool reject_non_minimal_empty_protected = false;
  // Labels the caller's profile understands beyond the COSE ones (for crit checking).
  std::vector<int64_t> extra_understood_labels;
  std::vector<std::string> extra_understood_text_labels;
};

struct Headers {
  ByteView protected_bytes;  // the protected bstr's contents as received (borrowed)
  HeaderMap protected_map;
  HeaderMap unprotected;

  // Looks in the protected bucket, then the unprotected one.
  std::optional<ByteView> Raw(int64_t label) const;
  Result<std::optional<ByteView>> GetBytes(int64_t label) const;
  Result<std::optional<int64_t>> GetInt(int64_t label) const;
  bool InProtected(int64_t label) const { return protected_map.Has(label); }

  // The layer's algorithm. kMissingAlg when absent, kAlgNotProtected when only unprotected
  // and `require_protected`, kUnsupportedAlgorithm for unknown numbers (returned info is
  // non-null otherwise; info->implemented may be false — callers refuse those).
  Result<const AlgorithmInfo*> Alg(bool require_protected) const;
  Result<std::optional<ByteView>> Kid() const { return GetBytes(4); }
};

// Reads `protected: bstr, unprotected: map` from `r` and applies the RFC 9052 §3 pair rules:
// no label in both buckets (kDuplicateLabel), crit only protected (kCritNotProtected),
// non-empty array of labels (kCritMalformed), every critical label understood
// (kUnknownCriticalHeader). `protected_bytes` borrows r's input.
Result<Headers> ReadHeaders(cbor::Reader& r, const HeaderPolicy& policy);

// Writes `protected_bstr` (already encoded, possibly empty) and `unprotected`.
Status WriteHeaders(cbor::Writer& w, ByteView protected_bstr, const HeaderMap& unprotected);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_HEADERS_H_
