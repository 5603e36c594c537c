// base64url without padding (RFC 4648 §5), as JWS (RFC 7515 §2) and EAR's JSON form use it.
#ifndef TEEPNET_EAT_BASE64URL_H_
#define TEEPNET_EAT_BASE64URL_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"

namespace teepnet::eat {

std::string Base64UrlEncode(ByteView data);
// Whether non-zero bits after the last whole byte are refused (RFC 4648 §3.5 lets decoders
// reject them). JWS segments are decoded strictly; claim values inside a verified JSON
// payload leniently, because published examples (the EAR ext-teep draft's eat_nonce) carry
// such bits.
enum class PadBits : uint8_t { kStrict, kLenient };

// Accepts the URL alphabet without padding (RFC 7515 §2 "with all trailing '=' characters
// omitted"); trailing '=' are tolerated. kBadBase64 otherwise.
Result<Bytes> Base64UrlDecode(std::string_view text, PadBits pad_bits = PadBits::kStrict);

}  // namespace teepnet::eat

#endif  // TEEPNET_EAT_BASE64URL_H_
