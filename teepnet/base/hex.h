// Hex encoding for logs, tools and test vectors.
#ifndef TEEPNET_BASE_HEX_H_
#define TEEPNET_BASE_HEX_H_

#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet {

// Lowercase hex, two characters per byte.
std::string ToHex(ByteView bytes);
// Accepts upper and lower case; ignores ASCII whitespace between digit pairs (vectors are
// often wrapped). Fails with BaseErrc::kBadHex on odd length or a non-hex character.
Result<Bytes> FromHex(std::string_view hex);

}  // namespace teepnet

#endif  // TEEPNET_BASE_HEX_H_
