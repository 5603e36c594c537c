// Byte vocabulary: ByteView borrows, Bytes owns.
#ifndef TEEPNET_BASE_BYTES_H_
#define TEEPNET_BASE_BYTES_H_

#include <algorithm>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace teepnet {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// Views the characters of `s` as bytes (no copy; `s` must outlive the view).
inline ByteView AsBytes(std::string_view s) {
  return ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
// Views bytes as characters (no copy).
inline std::string_view AsChars(ByteView b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }
inline Bytes ToBytes(ByteView b) { return Bytes(b.begin(), b.end()); }

inline bool Equal(ByteView a, ByteView b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin());
}

// Bytewise lexicographic order (RFC 8949 §4.2.1 sorts encoded map keys this way). Written out
// instead of vector's operator<, whose inlined memcmp trips a GCC 12 -O3 false positive
// (-Wstringop-overread) that -Werror turns into a build failure.
inline bool BytewiseLess(ByteView a, ByteView b) {
  const size_t n = a.size() < b.size() ? a.size() : b.size();
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return a[i] < b[i];
  }
  return a.size() < b.size();
}

inline void Append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

}  // namespace teepnet

#endif  // TEEPNET_BASE_BYTES_H_
