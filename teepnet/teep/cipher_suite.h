// TEEP cipher suites (draft §"Ciphersuites"): an ordered list of COSE operations, each
// `[cose-type, cose-alg]`. On the wire a suite is that array, never an integer:
//   teep-cipher-suite-sign1-esp256  = [ [18, -9] ]
//   teep-cipher-suite-sign1-ed25519 = [ [18, -19] ]
#ifndef TEEPNET_TEEP_CIPHER_SUITE_H_
#define TEEPNET_TEEP_CIPHER_SUITE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace teepnet::teep {

// cose-sign1 = 18 (the COSE_Sign1 tag / CoAP content format number).
inline constexpr int64_t kCoseTypeSign1 = 18;

struct TeepOperation {
  int64_t cose_type = kCoseTypeSign1;
  int64_t alg = 0;  // COSE algorithm id

  friend bool operator==(const TeepOperation&, const TeepOperation&) = default;
};

struct CipherSuite {
  std::vector<TeepOperation> operations;

  // A suite of one COSE_Sign1 operation with `alg`.
  static CipherSuite Sign1(int64_t alg) {
    return CipherSuite{{TeepOperation{kCoseTypeSign1, alg}}};
  }
  // The alg when the suite is exactly one COSE_Sign1 operation, the only shape this
  // implementation signs and verifies; nullopt otherwise.
  std::optional<int64_t> Sign1Alg() const;
  // "[[18,-9]]", for logs and error messages.
  std::string ToString() const;

  friend bool operator==(const CipherSuite&, const CipherSuite&) = default;
};

// COSE algorithm ids of the suites (RFC 9864 fully specified; RFC 9053 polymorphic).
inline constexpr int64_t kAlgESP256 = -9;
inline constexpr int64_t kAlgEd25519 = -19;
inline constexpr int64_t kAlgES256 = -7;
inline constexpr int64_t kAlgEdDSA = -8;

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_CIPHER_SUITE_H_
