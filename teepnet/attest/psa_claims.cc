#include "teepnet/attest/psa_claims.h"

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_claim_reader.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::attest {
namespace {

constexpr size_t kMaxSwComponents = 64;

Result<std::vector<PsaSwComponent>> DecodeSwComponents(const cbor::Value& v,
                                                       const PsaClaimReader& outer) {
  //= https://www.rfc-editor.org/rfc/rfc9783#section-4.4.1
  //# software-components = [ + software-component ]
  if (!v.is_array() || v.array().empty() || v.array().size() > kMaxSwComponents) {
    return outer.BadClaim("sw-components", "not a non-empty array (at most 64 entries)");
  }
  std::vector<PsaSwComponent> out;
  for (const cbor::Value& entry : v.array()) {
    if (!entry.is_map()) return outer.BadClaim("sw-components", "entry is not a map");
    PsaClaimReader r(entry, 0);
    PsaSwComponent c;
    TEEPNET_ASSIGN_OR_RETURN(auto type, r.OptionalText(1, "sw-component.measurement-type"));
    TEEPNET_ASSIGN_OR_RETURN(c.measurement,
                             r.RequiredBytes(2, "sw-component.measurement-value", {32, 48, 64}));
    TEEPNET_ASSIGN_OR_RETURN(auto version, r.OptionalText(4, "sw-component.version"));
    TEEPNET_ASSIGN_OR_RETURN(auto signer,
                             r.OptionalBytes(5, "sw-component.signer-id", {32, 48, 64}));
    TEEPNET_ASSIGN_OR_RETURN(auto desc, r.OptionalText(6, "sw-component.measurement-desc"));
    c.type = type.value_or("");
    c.version = version.value_or("");
    c.signer_id = signer.value_or(Bytes());
    c.description = desc.value_or("");
    out.push_back(std::move(c));
  }
  return out;
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
  auto decoded = cbor::Decode(payload);
  if (!decoded.ok()) {
    return Error(Errc::kPsaBadToken, "claims: " + decoded.error().message(),
                 decoded.error().has_offset() ? offset + decoded.error().offset() : offset);
  }
  if (!decoded->is_map()) return Error(Errc::kPsaBadToken, "claims are not a map", offset);
  PsaClaimReader r(*decoded, offset);
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
  c.boot_seed = seed.value_or(Bytes());
  TEEPNET_ASSIGN_OR_RETURN(
      auto cert_ref, r.OptionalText(psa_claim::kCertificationReference, "certification-reference"));
  c.certification_reference = cert_ref.value_or("");
  const cbor::Value* sw = r.Find(psa_claim::kSoftwareComponents);
  if (sw == nullptr) return r.MissingClaim("sw-components");
  TEEPNET_ASSIGN_OR_RETURN(c.sw_components, DecodeSwComponents(*sw, r));
  TEEPNET_ASSIGN_OR_RETURN(auto vs,
                           r.OptionalText(psa_claim::kVerificationService, "verification-service"));
  c.verification_service = vs.value_or("");
  if (cca) {
    TEEPNET_ASSIGN_OR_RETURN(c.platform_config,
                             r.RequiredBytes(psa_claim::kPlatformConfig, "platform-config"));
    TEEPNET_ASSIGN_OR_RETURN(c.hash_alg_id, r.RequiredText(psa_claim::kHashAlgId, "hash-alg-id"));
  }
  return c;
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
