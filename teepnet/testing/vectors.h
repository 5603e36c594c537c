// Test-only helpers for loading the official vectors in ../shared/vectors.
#ifndef TEEPNET_TESTING_VECTORS_H_
#define TEEPNET_TESTING_VECTORS_H_

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "teepnet/base/bytes.h"

namespace teepnet::testing {

// Root of the shared vectors: $TEEPNET_VECTORS, else <source>/../shared/vectors.
std::string VectorsDir();
// Absolute path of a file under the vectors root ("cbor/appendix_a.json").
std::string VectorPath(const std::string& relative);
// Reads a vector file; aborts the test binary with a clear message when it is missing, so a
// missing vector can never look like a passing test.
Bytes ReadVectorFile(const std::string& relative);
nlohmann::json ReadVectorJson(const std::string& relative);
// Every regular file below `relative_dir` whose name ends with `suffix`, sorted.
std::vector<std::string> ListVectorFiles(const std::string& relative_dir, const std::string& suffix);
// Hex → bytes; aborts on malformed hex (vectors are trusted test data).
Bytes HexOrDie(const std::string& hex);
// base64 (standard or URL alphabet, padding optional) → bytes; aborts on malformed input.
Bytes Base64OrDie(const std::string& text);

}  // namespace teepnet::testing

#endif  // TEEPNET_TESTING_VECTORS_H_
