#include "teepnet/eat/base64url.h"

#include <array>
#include <cstdint>

#include "teepnet/eat/errc.h"

namespace teepnet::eat {
namespace {

// RFC 4648 §5, the URL- and filename-safe alphabet.
constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// Character -> its 6-bit value, -1 outside the alphabet. A table rather than comparisons:
// sealed bundles of several MiB travel as base64url inside JSON (the M/OC's relay), and the
// decoder was the largest single cost of relaying them.
constexpr std::array<int8_t, 256> MakeValues() {
  std::array<int8_t, 256> values{};
  for (int8_t& v : values) v = -1;
  for (int i = 0; i < 64; ++i) values[static_cast<uint8_t>(kAlphabet[i])] = static_cast<int8_t>(i);
  return values;
}
constexpr std::array<int8_t, 256> kValues = MakeValues();

int ValueOf(char c) {
  return kValues[static_cast<uint8_t>(c)];
}

Error BadCharacter(std::string_view text, size_t from) {
  size_t i = from;
  while (i < text.size() && ValueOf(text[i]) >= 0) ++i;
  return Error(Errc::kBadBase64, "character outside the base64url alphabet", i);
}

}  // namespace

std::string Base64UrlEncode(ByteView data) {
  const size_t full = data.size() / 3;
  const size_t rest = data.size() % 3;
  // No padding (RFC 7515 §2 "Base64url Encoding"): 1 or 2 trailing bytes take 2 or 3 characters.
  std::string out(full * 4 + (rest == 0 ? 0 : rest + 1), '\0');
  char* o = out.data();
  const uint8_t* p = data.data();
  for (size_t g = 0; g < full; ++g, p += 3, o += 4) {
    const uint32_t v = (uint32_t{p[0]} << 16) | (uint32_t{p[1]} << 8) | p[2];
    o[0] = kAlphabet[v >> 18];
    o[1] = kAlphabet[(v >> 12) & 0x3f];
    o[2] = kAlphabet[(v >> 6) & 0x3f];
    o[3] = kAlphabet[v & 0x3f];
  }
  if (rest > 0) {
    const uint32_t v = (uint32_t{p[0]} << 16) | (rest == 2 ? uint32_t{p[1]} << 8 : 0);
    o[0] = kAlphabet[v >> 18];
    o[1] = kAlphabet[(v >> 12) & 0x3f];
    if (rest == 2) o[2] = kAlphabet[(v >> 6) & 0x3f];
  }
  return out;
}

Result<Bytes> Base64UrlDecode(std::string_view text, PadBits pad_bits) {
  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return Error(Errc::kBadBase64, "impossible base64url length");
  const size_t full = text.size() / 4;
  const size_t rest = text.size() % 4;  // 0, 2 or 3 characters: 0, 1 or 2 more bytes
  Bytes out(full * 3 + (rest == 0 ? 0 : rest - 1));
  uint8_t* o = out.data();
  const char* t = text.data();
  for (size_t g = 0; g < full; ++g, t += 4, o += 3) {
    const int a = ValueOf(t[0]), b = ValueOf(t[1]), c = ValueOf(t[2]), d = ValueOf(t[3]);
    if ((a | b | c | d) < 0) return BadCharacter(text, g * 4);
    const uint32_t v = (uint32_t(a) << 18) | (uint32_t(b) << 12) | (uint32_t(c) << 6) | uint32_t(d);
    o[0] = static_cast<uint8_t>(v >> 16);
    o[1] = static_cast<uint8_t>(v >> 8);
    o[2] = static_cast<uint8_t>(v);
  }
  if (rest == 0) return out;
  uint32_t v = 0;
  for (size_t i = 0; i < rest; ++i) {
    const int x = ValueOf(t[i]);
    if (x < 0) return BadCharacter(text, full * 4);
    v = (v << 6) | uint32_t(x);
  }
  // 2 characters carry 12 bits (1 byte + 4 spare), 3 carry 18 (2 bytes + 2 spare).
  const int spare = rest == 2 ? 4 : 2;
  if (pad_bits == PadBits::kStrict && (v & ((1u << spare) - 1)) != 0) {
    return Error(Errc::kBadBase64, "non-zero bits after the last byte", text.size());
  }
  v >>= spare;
  if (rest == 2) {
    o[0] = static_cast<uint8_t>(v);
  } else {
    o[0] = static_cast<uint8_t>(v >> 8);
    o[1] = static_cast<uint8_t>(v);
  }
  return out;
}

}  // namespace teepnet::eat
