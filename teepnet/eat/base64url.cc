#include "teepnet/eat/base64url.h"

#include <cstdint>

#include "teepnet/eat/errc.h"

namespace teepnet::eat {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

int ValueOf(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

}  // namespace

std::string Base64UrlEncode(ByteView data) {
  std::string out;
  out.reserve((data.size() * 4 + 2) / 3);
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : data) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text, PadBits pad_bits) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return Error(Errc::kBadBase64, "impossible base64url length");
  Bytes out;
  out.reserve(text.size() * 3 / 4);
  uint32_t acc = 0;
  int bits = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const int v = ValueOf(text[i]);
    if (v < 0) return Error(Errc::kBadBase64, "character outside the base64url alphabet", i);
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<uint8_t>(acc >> bits));
    }
  }
  if (pad_bits == PadBits::kStrict && (acc & ((1u << bits) - 1)) != 0) {
    return Error(Errc::kBadBase64, "non-zero bits after the last byte", text.size());
  }
  return out;
}

}  // namespace teepnet::eat
