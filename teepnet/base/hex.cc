#include "teepnet/base/hex.h"

#include "teepnet/base/errc.h"

namespace teepnet {

std::string ToHex(ByteView bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  // Sized once and filled by index: push_back's per-character capacity check made this the
  // largest single cost of building an appraisal's claims.
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return out;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}
}  // namespace

Result<Bytes> FromHex(std::string_view hex) {
  Bytes out;
  out.reserve(hex.size() / 2);
  int high = -1;
  for (size_t i = 0; i < hex.size(); ++i) {
    char c = hex[i];
    if (IsSpace(c) && high < 0) continue;
    int v = HexValue(c);
    if (v < 0) return Error(BaseErrc::kBadHex, "not a hex digit", i);
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<uint8_t>((high << 4) | v));
      high = -1;
    }
  }
  if (high >= 0) return Error(BaseErrc::kBadHex, "odd number of hex digits", hex.size());
  return out;
}

}  // namespace teepnet
