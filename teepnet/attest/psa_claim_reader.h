// Typed access to one claims map of a PSA / CCA token (decoded as a cbor::Value). Shared by the
// PSA, CCA platform and CCA realm claim decoders so every claim is checked the same way: the
// right CBOR type, an allowed size, and a precise attest::Errc when it is not.
#ifndef TEEPNET_ATTEST_PSA_CLAIM_READER_H_
#define TEEPNET_ATTEST_PSA_CLAIM_READER_H_

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/value.h"

namespace teepnet::attest {

class PsaClaimReader {
 public:
  // `map` must outlive the reader. `offset` is where the claims map starts in the evidence;
  // errors carry it because the DOM does not keep per-claim offsets.
  PsaClaimReader(const cbor::Value& map, size_t offset) : map_(map), offset_(offset) {}

  const cbor::Value* Find(int64_t key) const { return map_.Find(key); }
  // A byte string whose length is one of `sizes` (any length when `sizes` is empty).
  // nullopt when absent; kPsaBadClaim on a wrong type or size.
  Result<std::optional<Bytes>> OptionalBytes(int64_t key, const char* name,
                                             std::initializer_list<size_t> sizes = {}) const;
  Result<Bytes> RequiredBytes(int64_t key, const char* name,
                              std::initializer_list<size_t> sizes = {}) const;
  Result<std::optional<std::string>> OptionalText(int64_t key, const char* name) const;
  Result<std::string> RequiredText(int64_t key, const char* name) const;
  Result<std::optional<int64_t>> OptionalInt(int64_t key, const char* name) const;
  Result<int64_t> RequiredInt(int64_t key, const char* name) const;

  Error BadClaim(const char* name, const char* why) const;
  Error MissingClaim(const char* name) const;

 private:
  const cbor::Value& map_;
  size_t offset_;
};

// Where `inner` (a view into `outer`) starts inside `outer`; kNoOffset when it is not inside.
size_t OffsetWithin(ByteView outer, ByteView inner);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_PSA_CLAIM_READER_H_
