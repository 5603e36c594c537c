#include "teepnet/attest/psa_claim_reader.h"

#include <algorithm>
#include <functional>

#include "teepnet/attest/errc.h"

namespace teepnet::attest {

Error PsaClaimReader::BadClaim(const char* name, const char* why) const {
  return Error(Errc::kPsaBadClaim, std::string(name) + ": " + why, offset_);
}

Error PsaClaimReader::MissingClaim(const char* name) const {
  return Error(Errc::kPsaMissingClaim, std::string("missing claim ") + name, offset_);
}

Result<std::optional<Bytes>> PsaClaimReader::OptionalBytes(
    int64_t key, const char* name, std::initializer_list<size_t> sizes) const {
  const cbor::Value* v = map_.Find(key);
  if (v == nullptr) return std::optional<Bytes>();
  if (!v->is_bytes()) return BadClaim(name, "not a byte string");
  if (sizes.size() != 0 &&
      std::find(sizes.begin(), sizes.end(), v->bytes().size()) == sizes.end()) {
    return BadClaim(name, "unexpected length");
  }
  return std::optional<Bytes>(v->bytes());
}

Result<Bytes> PsaClaimReader::RequiredBytes(int64_t key, const char* name,
                                            std::initializer_list<size_t> sizes) const {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<Bytes> b, OptionalBytes(key, name, sizes));
  if (!b) return MissingClaim(name);
  return std::move(*b);
}

Result<std::optional<std::string>> PsaClaimReader::OptionalText(int64_t key,
                                                                const char* name) const {
  const cbor::Value* v = map_.Find(key);
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_text()) return BadClaim(name, "not a text string");
  return std::optional<std::string>(std::string(v->text()));
}

Result<std::string> PsaClaimReader::RequiredText(int64_t key, const char* name) const {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<std::string> t, OptionalText(key, name));
  if (!t) return MissingClaim(name);
  return std::move(*t);
}

Result<std::optional<int64_t>> PsaClaimReader::OptionalInt(int64_t key, const char* name) const {
  const cbor::Value* v = map_.Find(key);
  if (v == nullptr) return std::optional<int64_t>();
  std::optional<int64_t> i = v->is_integer() ? v->AsInt64() : std::nullopt;
  if (!i) return BadClaim(name, "not an integer in int64 range");
  return i;
}

Result<int64_t> PsaClaimReader::RequiredInt(int64_t key, const char* name) const {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<int64_t> i, OptionalInt(key, name));
  if (!i) return MissingClaim(name);
  return *i;
}

size_t OffsetWithin(ByteView outer, ByteView inner) {
  // Pointer comparison on views we were handed, not index arithmetic on the bytes.
  std::less_equal<const uint8_t*> le;
  if (inner.empty() || !le(outer.data(), inner.data()) ||
      !le(inner.data() + inner.size(), outer.data() + outer.size())) {
    return kNoOffset;
  }
  return static_cast<size_t>(inner.data() - outer.data());
}

}  // namespace teepnet::attest
