#include "teepnet/teep/cipher_suite.h"

namespace teepnet::teep {

std::optional<int64_t> CipherSuite::Sign1Alg() const {
  if (operations.size() != 1 || operations[0].cose_type != kCoseTypeSign1) return std::nullopt;
  return operations[0].alg;
}

std::string CipherSuite::ToString() const {
  std::string out = "[";
  for (size_t i = 0; i < operations.size(); ++i) {
    if (i > 0) out += ",";
    // Appended piece by piece: g++ 12 at -O3 reports a false -Wrestrict for
    // "literal" + std::string (GCC PR 105329), which breaks the release build.
    out += "[";
    out += std::to_string(operations[i].cose_type);
    out += ",";
    out += std::to_string(operations[i].alg);
    out += "]";
  }
  return out + "]";
}

}  // namespace teepnet::teep
