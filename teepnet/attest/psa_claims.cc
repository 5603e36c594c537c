#include "teepnet/attest/psa_claims.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_claim_reader.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/utf8.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::attest {
namespace {

constexpr size_t kMaxSwComponents = 64;

// The claim checks, written once for both ways of reading a claims map (the cbor::Value DOM
// and the allocation-free fast path below): the same calls in the same order, so both give the
// same claims and the same first error.
template <typename R>
Result<PsaSwComponent> DecodeSwComponent(const R& r) {
  PsaSwComponent c;
  TEEPNET_ASSIGN_OR_RETURN(auto type, r.OptionalText(1, "sw-component.measurement-type"));
  TEEPNET_ASSIGN_OR_RETURN(c.measurement,
                           r.RequiredBytes(2, "sw-component.measurement-value", {32, 48, 64}));
  TEEPNET_ASSIGN_OR_RETURN(auto version, r.OptionalText(4, "sw-component.version"));
  TEEPNET_ASSIGN_OR_RETURN(auto signer, r.OptionalBytes(5, "sw-component.signer-id", {32, 48, 64}));
  TEEPNET_ASSIGN_OR_RETURN(auto desc, r.OptionalText(6, "sw-component.measurement-desc"));
  c.type = std::move(type).value_or("");
  c.version = std::move(version).value_or("");
  c.signer_id = std::move(signer).value_or(Bytes());
  c.description = std::move(desc).value_or("");
  return c;
}

Result<std::vector<PsaSwComponent>> DecodeSwComponents(const cbor::Value& v,
                                                       const PsaClaimReader& outer) {
  //= https://www.rfc-editor.org/rfc/rfc9783#section-4.4.1
  //# software-components = [ + software-component ]
  if (!v.is_array() || v.array().empty() || v.array().size() > kMaxSwComponents) {
    return outer.BadClaim("sw-components", "not a non-empty array (at most 64 entries)");
  }
  std::vector<PsaSwComponent> out;
  out.reserve(v.array().size());
  for (const cbor::Value& entry : v.array()) {
    if (!entry.is_map()) return outer.BadClaim("sw-components", "entry is not a map");
    TEEPNET_ASSIGN_OR_RETURN(PsaSwComponent c, DecodeSwComponent(PsaClaimReader(entry, 0)));
    out.push_back(std::move(c));
  }
  return out;
}

// The DOM reader plus the software-components step.
class DomClaimReader : public PsaClaimReader {
 public:
  using PsaClaimReader::PsaClaimReader;
  Result<std::vector<PsaSwComponent>> SwComponents() const {
    const cbor::Value* sw = Find(psa_claim::kSoftwareComponents);
    if (sw == nullptr) return MissingClaim("sw-components");
    return DecodeSwComponents(*sw, *this);
  }
};

// The fast path. Genuine tokens are one definite map with integer keys from RFC 9783 / the CCA
// platform profile, each value of the claim's own type. For exactly that shape the claims are
// read straight from the bytes (views, no DOM, no per-item allocation; see ReadHead below).
// Anything else (an unknown or repeated key, a value of another type, an indefinite length,
// an integer outside int64, more than 64 or no software components, trailing bytes) makes
// Gather() return false and the DOM decoder handles the map and reports its errors, so this
// path only ever accepts a subset of what the DOM accepts and yields the identical claims.
enum class Want : uint8_t { kText, kBytes, kInt, kArray };

struct Slot {
  Slot(int64_t k, Want w) : key(k), want(w) {}
  int64_t key;
  Want want;
  bool present = false;
  ByteView bytes;
  std::string_view text;
  int64_t integer = 0;
};

template <size_t N>
class FastClaimReader {
 public:
  FastClaimReader(std::array<Slot, N> slots, size_t offset) : slots_(slots), offset_(offset) {}

  // Reads one definite map whose keys are all in the slot table, each once. `sw` receives the
  // software-component maps when the table has a kArray slot.
  bool Gather(ByteReader& in, std::vector<FastClaimReader<5>>* sw);

  Result<std::optional<Bytes>> OptionalBytes(int64_t key, const char* name,
                                             std::initializer_list<size_t> sizes = {}) const {
    const Slot* s = Get(key);
    if (s == nullptr) return std::optional<Bytes>();
    if (sizes.size() != 0 &&
        std::find(sizes.begin(), sizes.end(), s->bytes.size()) == sizes.end()) {
      return BadClaim(name, "unexpected length");
    }
    return std::optional<Bytes>(Bytes(s->bytes.begin(), s->bytes.end()));
  }
  Result<Bytes> RequiredBytes(int64_t key, const char* name,
                              std::initializer_list<size_t> sizes = {}) const {
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Bytes> b, OptionalBytes(key, name, sizes));
    if (!b) return MissingClaim(name);
    return std::move(*b);
  }
  Result<std::optional<std::string>> OptionalText(int64_t key, const char*) const {
    const Slot* s = Get(key);
    if (s == nullptr) return std::optional<std::string>();
    return std::optional<std::string>(std::string(s->text));
  }
  Result<std::string> RequiredText(int64_t key, const char* name) const {
    TEEPNET_ASSIGN_OR_RETURN(std::optional<std::string> t, OptionalText(key, name));
    if (!t) return MissingClaim(name);
    return std::move(*t);
  }
  Result<std::optional<int64_t>> OptionalInt(int64_t key, const char*) const {
    const Slot* s = Get(key);
    if (s == nullptr) return std::optional<int64_t>();
    return std::optional<int64_t>(s->integer);
  }
  Result<int64_t> RequiredInt(int64_t key, const char* name) const {
    TEEPNET_ASSIGN_OR_RETURN(std::optional<int64_t> i, OptionalInt(key, name));
    if (!i) return MissingClaim(name);
    return *i;
  }
  Error BadClaim(const char* name, const char* why) const {
    return Error(Errc::kPsaBadClaim, std::string(name) + ": " + why, offset_);
  }
  Error MissingClaim(const char* name) const {
    return Error(Errc::kPsaMissingClaim, std::string("missing claim ") + name, offset_);
  }

  // Set by the caller after Gather() for the top-level map.
  const std::vector<FastClaimReader<5>>* sw_entries = nullptr;
  Result<std::vector<PsaSwComponent>> SwComponents() const;

 private:
  const Slot* Get(int64_t key) const {
    for (const Slot& s : slots_) {
      if (s.key == key) return s.present ? &s : nullptr;
    }
    return nullptr;
  }
  std::array<Slot, N> slots_;
  size_t offset_;
};

using FastSwReader = FastClaimReader<5>;
using FastTopReader = FastClaimReader<12>;

FastSwReader NewSwReader() {
  return FastSwReader({{{1, Want::kText},
                        {2, Want::kBytes},
                        {4, Want::kText},
                        {5, Want::kBytes},
                        {6, Want::kText}}},
                      0);
}

// The fast path reads CBOR heads itself (RFC 8949 §3: major type, then an argument in the
// initial byte or in the 1, 2, 4 or 8 bytes after it) instead of going through cbor::Reader,
// whose general per-item bookkeeping (container stack, item limits, indefinite strings) was
// the largest cost of a PSA appraisal after the signature. It accepts only definite-length
// items of the expected major types; the checks the general decoder would make on what is
// accepted are repeated here (string lengths within the input and the string limit, UTF-8 in
// text strings, integers within int64, nothing after the map). Depth and item counts stay
// far below the limits: at most 12 claims, 64 components of at most 5 fields each.
struct Head {
  uint8_t major = 0;
  uint64_t argument = 0;
};

bool ReadHead(ByteReader& in, Head* h) {
  uint8_t initial = 0;
  if (!in.ReadU8(&initial)) return false;
  h->major = initial >> 5;
  const uint8_t info = initial & 0x1f;
  if (info < 24) {
    h->argument = info;
    return true;
  }
  // 24..27: the argument follows in 1, 2, 4 or 8 bytes; 28..30 are reserved and 31 is an
  // indefinite length or a break: misses.
  if (info > 27) return false;
  return in.ReadBeUint(size_t{1} << (info - 24), &h->argument);
}

constexpr uint8_t kMajorUnsigned = 0;
constexpr uint8_t kMajorNegative = 1;
constexpr uint8_t kMajorBytes = 2;
constexpr uint8_t kMajorText = 3;
constexpr uint8_t kMajorArray = 4;
constexpr uint8_t kMajorMap = 5;

// A definite byte or text string of major type `major` (text: valid UTF-8).
bool ReadString(ByteReader& in, uint8_t major, ByteView* out) {
  Head h;
  if (!ReadHead(in, &h) || h.major != major ||
      h.argument > cbor::DecodeOptions().limits.max_string_length || h.argument > in.remaining() ||
      !in.ReadBytes(static_cast<size_t>(h.argument), out)) {
    return false;
  }
  return major != kMajorText || cbor::IsValidUtf8(*out);
}

// An integer key or value that fits int64, as cbor::Reader::ReadInt accepts it.
bool ReadInt(ByteReader& in, int64_t* out) {
  Head h;
  if (!ReadHead(in, &h) || (h.major != kMajorUnsigned && h.major != kMajorNegative) ||
      h.argument > static_cast<uint64_t>(INT64_MAX)) {
    return false;
  }
  *out = h.major == kMajorNegative ? -1 - static_cast<int64_t>(h.argument)
                                   : static_cast<int64_t>(h.argument);
  return true;
}

// A definite array or map header of major type `major`; its count in *n.
bool ReadContainer(ByteReader& in, uint8_t major, uint64_t* n) {
  Head h;
  if (!ReadHead(in, &h) || h.major != major) return false;
  *n = h.argument;
  return true;
}

template <size_t N>
bool FastClaimReader<N>::Gather(ByteReader& in, std::vector<FastSwReader>* sw) {
  uint64_t pairs = 0;
  if (!ReadContainer(in, kMajorMap, &pairs) || pairs > N) return false;
  for (uint64_t i = 0; i < pairs; ++i) {
    int64_t key = 0;
    if (!ReadInt(in, &key)) return false;
    Slot* slot = nullptr;
    for (Slot& s : slots_) {
      if (s.key == key) slot = &s;
    }
    if (slot == nullptr || slot->present) return false;  // unknown or repeated: DOM decides
    slot->present = true;
    switch (slot->want) {
      case Want::kText: {
        ByteView text;
        if (!ReadString(in, kMajorText, &text)) return false;
        slot->text = AsChars(text);
        break;
      }
      case Want::kBytes:
        if (!ReadString(in, kMajorBytes, &slot->bytes)) return false;
        break;
      case Want::kInt:
        if (!ReadInt(in, &slot->integer)) return false;
        break;
      case Want::kArray: {
        uint64_t n = 0;
        if (sw == nullptr || !ReadContainer(in, kMajorArray, &n) || n == 0 ||
            n > kMaxSwComponents) {
          return false;
        }
        sw->reserve(static_cast<size_t>(n));
        for (uint64_t j = 0; j < n; ++j) {
          sw->push_back(NewSwReader());
          if (!sw->back().Gather(in, nullptr)) return false;
        }
        break;
      }
    }
  }
  return true;
}

template <size_t N>
Result<std::vector<PsaSwComponent>> FastClaimReader<N>::SwComponents() const {
  if (Get(psa_claim::kSoftwareComponents) == nullptr) return MissingClaim("sw-components");
  std::vector<PsaSwComponent> out;
  out.reserve(sw_entries->size());
  for (const FastSwReader& entry : *sw_entries) {
    TEEPNET_ASSIGN_OR_RETURN(PsaSwComponent c, DecodeSwComponent(entry));
    out.push_back(std::move(c));
  }
  return out;
}

template <typename R>
Result<PsaClaims> CheckClaims(const R& r, PsaClaimsKind kind) {
  const bool cca = kind == PsaClaimsKind::kCcaPlatform;
  PsaClaims c;
  TEEPNET_ASSIGN_OR_RETURN(c.profile, r.RequiredText(psa_claim::kProfile, "profile"));
  //= https://www.rfc-editor.org/rfc/rfc9783#section-4.1.1
  //# The nonce ... MUST be 32, 48, or 64 bytes.
  TEEPNET_ASSIGN_OR_RETURN(c.nonce, r.RequiredBytes(psa_claim::kNonce, "nonce", {32, 48, 64}));
  //= https://www.rfc-editor.org/rfc/rfc9783#section-4.2.2
  //# instance-id: a UEID of type RAND (0x01) followed by 32, 48 or 64 bytes.
  TEEPNET_ASSIGN_OR_RETURN(c.instance_id,
                           r.RequiredBytes(psa_claim::kInstanceId, "instance-id", {33, 49, 65}));
  if (c.instance_id[0] != 0x01) return r.BadClaim("instance-id", "UEID type is not RAND (0x01)");
  TEEPNET_ASSIGN_OR_RETURN(c.client_id, r.OptionalInt(psa_claim::kClientId, "client-id"));
  if (!cca && !c.client_id) return r.MissingClaim("client-id");
  TEEPNET_ASSIGN_OR_RETURN(c.lifecycle, r.RequiredInt(psa_claim::kLifecycle, "lifecycle"));
  if (LifecycleOf(c.lifecycle) == PsaLifecycle::kInvalid) {
    return r.BadClaim("lifecycle", "not a defined security lifecycle state");
  }
  TEEPNET_ASSIGN_OR_RETURN(c.implementation_id, r.RequiredBytes(psa_claim::kImplementationId,
                                                                "implementation-id", {32}));
  TEEPNET_ASSIGN_OR_RETURN(auto seed, r.OptionalBytes(psa_claim::kBootSeed, "boot-seed"));
  if (seed && (seed->size() < 8 || seed->size() > 32)) {
    return r.BadClaim("boot-seed", "not 8..32 bytes");
  }
  c.boot_seed = std::move(seed).value_or(Bytes());
  TEEPNET_ASSIGN_OR_RETURN(
      auto cert_ref, r.OptionalText(psa_claim::kCertificationReference, "certification-reference"));
  c.certification_reference = std::move(cert_ref).value_or("");
  TEEPNET_ASSIGN_OR_RETURN(c.sw_components, r.SwComponents());
  TEEPNET_ASSIGN_OR_RETURN(auto vs,
                           r.OptionalText(psa_claim::kVerificationService, "verification-service"));
  c.verification_service = std::move(vs).value_or("");
  if (cca) {
    TEEPNET_ASSIGN_OR_RETURN(c.platform_config,
                             r.RequiredBytes(psa_claim::kPlatformConfig, "platform-config"));
    TEEPNET_ASSIGN_OR_RETURN(c.hash_alg_id, r.RequiredText(psa_claim::kHashAlgId, "hash-alg-id"));
  }
  return c;
}

}  // namespace

PsaLifecycle LifecycleOf(int64_t value) {
  if (value < 0 || value > 0xffff) return PsaLifecycle::kInvalid;
  switch (value >> 8) {
    case 0x10: return PsaLifecycle::kUnknown;
    case 0x20: return PsaLifecycle::kAssemblyAndTest;
    case 0x21:
    case 0x22:
    case 0x23: return PsaLifecycle::kPsaRotProvisioning;
    case 0x30: return PsaLifecycle::kSecured;
    case 0x40: return PsaLifecycle::kNonPsaRotDebug;
    case 0x50: return PsaLifecycle::kRecoverablePsaRotDebug;
    case 0x60: return PsaLifecycle::kDecommissioned;
    default: return PsaLifecycle::kInvalid;
  }
}

const char* LifecycleName(PsaLifecycle state) {
  switch (state) {
    case PsaLifecycle::kUnknown: return "unknown";
    case PsaLifecycle::kAssemblyAndTest: return "assembly-and-test";
    case PsaLifecycle::kPsaRotProvisioning: return "psa-rot-provisioning";
    case PsaLifecycle::kSecured: return "secured";
    case PsaLifecycle::kNonPsaRotDebug: return "non-psa-rot-debug";
    case PsaLifecycle::kRecoverablePsaRotDebug: return "recoverable-psa-rot-debug";
    case PsaLifecycle::kDecommissioned: return "decommissioned";
    case PsaLifecycle::kInvalid: return "invalid";
  }
  return "invalid";
}

bool IsDebugLifecycle(PsaLifecycle state) {
  return state == PsaLifecycle::kNonPsaRotDebug || state == PsaLifecycle::kRecoverablePsaRotDebug;
}

Result<PsaClaims> DecodePsaClaims(ByteView payload, PsaClaimsKind kind, size_t offset) {
  {
    FastTopReader fast({{{psa_claim::kProfile, Want::kText},
                         {psa_claim::kNonce, Want::kBytes},
                         {psa_claim::kInstanceId, Want::kBytes},
                         {psa_claim::kClientId, Want::kInt},
                         {psa_claim::kLifecycle, Want::kInt},
                         {psa_claim::kImplementationId, Want::kBytes},
                         {psa_claim::kBootSeed, Want::kBytes},
                         {psa_claim::kCertificationReference, Want::kText},
                         {psa_claim::kSoftwareComponents, Want::kArray},
                         {psa_claim::kVerificationService, Want::kText},
                         {psa_claim::kPlatformConfig, Want::kBytes},
                         {psa_claim::kHashAlgId, Want::kText}}},
                       offset);
    std::vector<FastSwReader> sw;
    // What the fast path accepts, cbor::Decode() below (default DecodeOptions) accepts too,
    // including the rule that nothing follows the map.
    ByteReader in(payload);
    if (fast.Gather(in, &sw) && in.AtEnd() && !in.failed()) {
      fast.sw_entries = &sw;
      return CheckClaims(fast, kind);
    }
  }
  return DecodePsaClaimsGeneral(payload, kind, offset);
}

Result<PsaClaims> DecodePsaClaimsGeneral(ByteView payload, PsaClaimsKind kind, size_t offset) {
  auto decoded = cbor::Decode(payload);
  if (!decoded.ok()) {
    return Error(Errc::kPsaBadToken, "claims: " + decoded.error().message(),
                 decoded.error().has_offset() ? offset + decoded.error().offset() : offset);
  }
  if (!decoded->is_map()) return Error(Errc::kPsaBadToken, "claims are not a map", offset);
  return CheckClaims(DomClaimReader(*decoded, offset), kind);
}

Bytes EncodePsaClaims(const PsaClaims& c, PsaClaimsKind kind) {
  const bool cca = kind == PsaClaimsKind::kCcaPlatform;
  std::vector<cbor::Value::MapEntry> m;
  auto add = [&m](int64_t key, cbor::Value v) {
    m.emplace_back(cbor::Value::Int(key), std::move(v));
  };
  add(psa_claim::kProfile, cbor::Value::Text(c.profile));
  if (c.client_id) add(psa_claim::kClientId, cbor::Value::Int(*c.client_id));
  add(psa_claim::kLifecycle, cbor::Value::Int(c.lifecycle));
  add(psa_claim::kImplementationId, cbor::Value::Bytes(c.implementation_id));
  if (!c.boot_seed.empty()) add(psa_claim::kBootSeed, cbor::Value::Bytes(c.boot_seed));
  if (cca) add(psa_claim::kPlatformConfig, cbor::Value::Bytes(c.platform_config));
  std::vector<cbor::Value> sw;
  for (const PsaSwComponent& s : c.sw_components) {
    std::vector<cbor::Value::MapEntry> e;
    if (!s.type.empty()) e.emplace_back(cbor::Value::Int(1), cbor::Value::Text(s.type));
    e.emplace_back(cbor::Value::Int(2), cbor::Value::Bytes(s.measurement));
    if (!s.version.empty()) e.emplace_back(cbor::Value::Int(4), cbor::Value::Text(s.version));
    if (!s.signer_id.empty()) e.emplace_back(cbor::Value::Int(5), cbor::Value::Bytes(s.signer_id));
    if (!s.description.empty()) {
      e.emplace_back(cbor::Value::Int(6), cbor::Value::Text(s.description));
    }
    sw.push_back(cbor::Value::Map(std::move(e)));
  }
  add(psa_claim::kSoftwareComponents, cbor::Value::Array(std::move(sw)));
  add(psa_claim::kNonce, cbor::Value::Bytes(c.nonce));
  add(psa_claim::kInstanceId, cbor::Value::Bytes(c.instance_id));
  if (!c.verification_service.empty()) {
    add(psa_claim::kVerificationService, cbor::Value::Text(c.verification_service));
  }
  if (cca) add(psa_claim::kHashAlgId, cbor::Value::Text(c.hash_alg_id));
  return cbor::Encode(cbor::Value::Map(std::move(m)));
}

}  // namespace teepnet::attest
