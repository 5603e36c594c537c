#include "teepnet/crypto/random.h"

#include <openssl/rand.h>

#include "teepnet/crypto/errc.h"
#include "teepnet/crypto/ossl.h"

namespace teepnet::crypto {

Status SystemRandom::Fill(std::span<uint8_t> out) {
  // RAND_bytes takes an int length; large requests are served in chunks.
  constexpr size_t kChunk = 1u << 20;
  for (size_t done = 0; done < out.size();) {
    size_t n = std::min(kChunk, out.size() - done);
    if (RAND_bytes(out.subspan(done, n).data(), static_cast<int>(n)) != 1) {
      return internal::OsslError(Errc::kRandomFailure, "RAND_bytes failed");
    }
    done += n;
  }
  return OkStatus();
}

SystemRandom& SystemRandom::Get() {
  static SystemRandom instance;
  return instance;
}

Result<Bytes> RandomBytes(size_t n) {
  Bytes out(n);
  TEEPNET_RETURN_IF_ERROR(SystemRandom::Get().Fill(out));
  return out;
}

}  // namespace teepnet::crypto
