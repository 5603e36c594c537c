#include "teepnet/evidence/teep_evidence.h"

#include <utility>

#include "teepnet/cbor/map_builder.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/eat/errc.h"
#include "teepnet/evidence/instance_keyring.h"

namespace teepnet::evidence {
namespace {

Error BadClaim(std::string what) {
  return Error(eat::Errc::kBadClaim, std::move(what));
}

// teepnet_instances entry members (USE-CASES "TA instances").
constexpr int64_t kInstanceKeyName = 1;
constexpr int64_t kInstanceKeyMeasurement = 2;
constexpr int64_t kInstanceKeyHpke = 3;
constexpr int64_t kInstanceKeyProof = 4;
constexpr size_t kMeasurementBytes = 32;  // SHA-256
// teepnet_capacity members.
constexpr int64_t kCapacityKeyTypes = 1;
constexpr int64_t kCapacityKeySlots = 2;
constexpr const char* kCapacityTypeNames[] = {"process", "container", "vm"};

// Writes the bound claims into `m` (the evidence claim is added by the caller).
void AddBoundClaims(const BoundClaims& c, cbor::MapBuilder& m) {
  {
    cbor::Writer& w = m.Entry(eat::eat_claim::kCnf);
    w.WriteMapHeader(1);
    w.WriteUint(3);  // RFC 8747 §3.4: kid
    w.WriteBytes(c.cnf_kid);
  }
  m.Entry(eat::eat_claim::kNonce).WriteBytes(c.nonce);
  m.Entry(eat::eat_claim::kUeid).WriteBytes(c.ueid);
  m.Entry(eat::eat_claim::kOemid).WriteBytes(c.oemid);
  m.Entry(eat::eat_claim::kHwModel).WriteBytes(c.hwmodel);
  {
    cbor::Writer& w = m.Entry(eat::eat_claim::kHwVersion);
    w.WriteArrayHeader(1);
    w.WriteText(c.hwversion);
  }
  if (!c.manifests.empty()) {
    cbor::Writer& w = m.Entry(eat::eat_claim::kManifests);
    w.WriteArrayHeader(c.manifests.size());
    for (const ManifestRef& ref : c.manifests) {
      w.WriteArrayHeader(2);
      w.WriteInt(kSuitReferenceContentFormat);
      // SUIT_Reference = [uri: tstr, digest: SUIT_Digest] (draft-ietf-suit-report).
      w.WriteArrayHeader(2);
      w.WriteText(ref.uri);
      w.WriteRaw(ref.digest);
    }
  }
  if (!c.hpke_keys.empty()) {
    cbor::Writer& w = m.Entry(kClaimHpkeKeys);
    w.WriteArrayHeader(c.hpke_keys.size());
    for (const Bytes& key : c.hpke_keys) w.WriteBytes(key);
  }
  if (!c.instances.empty()) {
    cbor::Writer& w = m.Entry(kClaimInstances);
    w.WriteArrayHeader(c.instances.size());
    for (const InstanceClaim& i : c.instances) {
      w.WriteMapHeader(4);
      w.WriteUint(kInstanceKeyName);
      w.WriteText(i.name);
      w.WriteUint(kInstanceKeyMeasurement);
      w.WriteBytes(i.measurement);
      w.WriteUint(kInstanceKeyHpke);
      w.WriteBytes(i.hpke_key);
      w.WriteUint(kInstanceKeyProof);
      w.WriteBytes(i.proof_key);
    }
  }
  if (c.capacity) {
    cbor::Writer& w = m.Entry(kClaimCapacity);
    w.WriteMapHeader(2);
    w.WriteUint(kCapacityKeyTypes);
    w.WriteArrayHeader(c.capacity->instance_types.size());
    for (const std::string& type : c.capacity->instance_types) w.WriteText(type);
    w.WriteUint(kCapacityKeySlots);
    w.WriteUint(c.capacity->slots);
  }
}

Result<CapacityClaim> DecodeCapacity(const cbor::Value& v) {
  const Error bad = BadClaim("teepnet_capacity is not {1: [+ instance type], 2: slots}");
  if (!v.is_map() || v.map().size() != 2) return bad;
  const cbor::Value* types = v.Find(kCapacityKeyTypes);
  const cbor::Value* slots = v.Find(kCapacityKeySlots);
  if (types == nullptr || slots == nullptr || !types->is_array() || !slots->AsInt64()) return bad;
  if (types->array().size() > kMaxCapacityTypes) return bad;
  CapacityClaim out;
  for (const cbor::Value& t : types->array()) {
    if (!t.is_text()) return bad;
    out.instance_types.emplace_back(t.text());
  }
  const int64_t n = *slots->AsInt64();
  if (n < 0 || n > int64_t{kMaxCapacitySlots}) {
    return BadClaim("teepnet_capacity slots out of range");
  }
  out.slots = static_cast<uint32_t>(n);
  TEEPNET_RETURN_IF_ERROR(CheckCapacityClaim(out));
  return out;
}

// A public COSE_Key of `type` from a teepnet_instances entry.
Result<crypto::PublicKey> InstanceKey(const cbor::Value& v, crypto::KeyType type,
                                      const char* what) {
  if (!v.is_bytes()) return BadClaim(std::string("teepnet_instances ") + what + " is not a bstr");
  auto cose_key = cose::CoseKey::DecodePublic(v.bytes());
  if (!cose_key.ok()) {
    return BadClaim(std::string("teepnet_instances ") + what + ": " + cose_key.error().ToString());
  }
  auto key = cose_key->ToPublicKey();
  if (!key.ok() || key->type() != type) {
    return BadClaim(std::string("teepnet_instances ") + what + " is not an " +
                    std::string(crypto::KeyTypeName(type)) + " key");
  }
  return *std::move(key);
}

// teepnet_instances: [+ {1: name, 2: measurement, 3: hpke, 4: proof}], exactly those members.
Result<std::vector<VerifiedInstance>> DecodeInstances(const cbor::Value& v) {
  if (!v.is_array() || v.array().empty() || v.array().size() > kMaxInstanceClaims) {
    return BadClaim("teepnet_instances is not an array of 1 to " +
                    std::to_string(kMaxInstanceClaims) + " entries");
  }
  std::vector<VerifiedInstance> out;
  for (const cbor::Value& m : v.array()) {
    const cbor::Value* name = m.is_map() ? m.Find(kInstanceKeyName) : nullptr;
    const cbor::Value* measurement = m.is_map() ? m.Find(kInstanceKeyMeasurement) : nullptr;
    const cbor::Value* hpke = m.is_map() ? m.Find(kInstanceKeyHpke) : nullptr;
    const cbor::Value* proof = m.is_map() ? m.Find(kInstanceKeyProof) : nullptr;
    if (name == nullptr || measurement == nullptr || hpke == nullptr || proof == nullptr ||
        m.map().size() != 4) {
      return BadClaim(
          "teepnet_instances entry is not {1: name, 2: measurement, 3: hpke, 4: proof}");
    }
    if (!name->is_text() || name->text().size() > kMaxInstanceNameBytes ||
        !name->text().starts_with(kInstanceNamePrefix) ||
        name->text().size() == sizeof(kInstanceNamePrefix) - 1) {
      return BadClaim("teepnet_instances name is not tc-<component id>");
    }
    if (!measurement->is_bytes() || measurement->bytes().size() != kMeasurementBytes) {
      return BadClaim("teepnet_instances measurement is not a SHA-256 digest");
    }
    for (const VerifiedInstance& before : out) {
      if (before.name == name->text()) return BadClaim("teepnet_instances lists a name twice");
    }
    TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey hpke_key,
                             InstanceKey(*hpke, crypto::KeyType::kX25519, "hpke"));
    TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey proof_key,
                             InstanceKey(*proof, crypto::KeyType::kEd25519, "proof"));
    out.push_back(VerifiedInstance{std::string(name->text()), measurement->bytes(),
                                   std::move(hpke_key), std::move(proof_key)});
  }
  return out;
}

Result<cose::Algorithm> AlgorithmFor(const crypto::PrivateKey& key) {
  switch (key.type()) {
    case crypto::KeyType::kP256: return cose::Algorithm::kESP256;
    case crypto::KeyType::kEd25519: return cose::Algorithm::kEdDSA;
    default: return Error(eat::Errc::kUnsupportedAlg, "the Agent key must be P-256 or Ed25519");
  }
}

}  // namespace

Bytes EncodeBoundClaims(const BoundClaims& claims) {
  cbor::MapBuilder m;
  AddBoundClaims(claims, m);
  // Keys are distinct integers, so WriteTo cannot fail.
  return m.Encode().value();
}

Bytes BindingOf(const BoundClaims& claims) {
  return crypto::Digest(crypto::HashAlgorithm::kSha512, EncodeBoundClaims(claims));
}

Result<Bytes> KeyThumbprint(const crypto::PublicKey& key) {
  return cose::CoseKey::FromPublicKey(key).Thumbprint();
}

Result<Bytes> BuildTeepEvidence(const BoundClaims& claims, attest::Platform& platform,
                                const crypto::PrivateKey& agent_key) {
  TEEPNET_ASSIGN_OR_RETURN(cose::Algorithm alg, AlgorithmFor(agent_key));
  TEEPNET_ASSIGN_OR_RETURN(Bytes evidence, platform.GetEvidence(BindingOf(claims)));
  cbor::MapBuilder m;
  AddBoundClaims(claims, m);
  {
    cbor::Writer& w = m.Entry(kClaimPlatformEvidence);
    w.WriteArrayHeader(2);
    w.WriteText(attest::EvidenceFormatName(platform.format()));
    w.WriteBytes(evidence);
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes payload, m.Encode());
  TEEPNET_ASSIGN_OR_RETURN(Bytes kid, KeyThumbprint(agent_key.public_key()));
  cose::Sign1Options options;
  options.alg = alg;
  options.protected_headers.SetKid(kid);
  // TEEP EAT profile: "no CBOR tags".
  options.tagged = false;
  return cose::CreateSign1(agent_key, payload, options);
}

Status CheckCapacityClaim(const CapacityClaim& claim) {
  if (claim.instance_types.empty() || claim.instance_types.size() > kMaxCapacityTypes) {
    return BadClaim("teepnet_capacity names 1 to 3 instance types");
  }
  for (size_t i = 0; i < claim.instance_types.size(); ++i) {
    const std::string& type = claim.instance_types[i];
    bool known = false;
    for (const char* name : kCapacityTypeNames) known = known || type == name;
    if (!known) return BadClaim("teepnet_capacity names an unknown instance type " + type);
    for (size_t j = 0; j < i; ++j) {
      if (claim.instance_types[j] == type) {
        return BadClaim("teepnet_capacity names " + type + " twice");
      }
    }
  }
  if (claim.slots == 0 || claim.slots > kMaxCapacitySlots) {
    return BadClaim("teepnet_capacity slots must be 1 to " + std::to_string(kMaxCapacitySlots));
  }
  return OkStatus();
}

Result<VerifiedTeepEvidence> VerifyTeepEvidence(ByteView eat, const crypto::PublicKey& agent_key) {
  if (eat.size() > kMaxEvidenceBytes) return BadClaim("evidence larger than the limit");
  TEEPNET_ASSIGN_OR_RETURN(cose::Sign1Message msg,
                           cose::Sign1Message::Decode(eat, cose::Tagging::kOptional));
  auto verified = msg.Verify(agent_key);
  if (!verified.ok()) {
    return Error(eat::Errc::kSignatureInvalid,
                 "the EAT does not verify with the Agent key: " + verified.error().ToString());
  }
  return DecodeTeepEvidencePayload(*verified);
}

Result<VerifiedTeepEvidence> DecodeTeepEvidencePayload(ByteView payload) {
  if (payload.size() > kMaxEvidenceBytes) return BadClaim("payload larger than the limit");
  // The binding is computed over the received bytes, which are only the deterministic
  // encoding the Agent hashed if the payload is deterministic: require it.
  auto map = cbor::Decode(payload, cbor::DecodeOptions::Deterministic());
  if (!map.ok())
    return BadClaim("EAT payload is not deterministic CBOR: " + map.error().ToString());
  if (!map->is_map()) return BadClaim("EAT payload is not a claims map");

  VerifiedTeepEvidence out;
  TEEPNET_ASSIGN_OR_RETURN(out.claims, eat::TeepEatClaimsFromCbor(*map));
  if (!out.claims.cnf_kid) return Error(eat::Errc::kMissingClaim, "cnf");
  if (!out.claims.nonce) return Error(eat::Errc::kMissingClaim, "eat_nonce");

  const cbor::Value* platform = map->Find(kClaimPlatformEvidence);
  if (platform == nullptr) return Error(eat::Errc::kMissingClaim, "teepnet_platform_evidence");
  if (!platform->is_array() || platform->array().size() != 2 || !platform->array()[0].is_text() ||
      !platform->array()[1].is_bytes()) {
    return BadClaim("teepnet_platform_evidence is not [format, evidence]");
  }
  out.platform_format = std::string(platform->array()[0].text());
  out.platform_evidence = platform->array()[1].bytes();

  if (const cbor::Value* keys = map->Find(kClaimHpkeKeys)) {
    if (!keys->is_array() || keys->array().empty()) return BadClaim("teepnet_hpke_keys");
    for (const cbor::Value& k : keys->array()) {
      if (!k.is_bytes()) return BadClaim("teepnet_hpke_keys entry is not a bstr");
      auto cose_key = cose::CoseKey::DecodePublic(k.bytes());
      if (!cose_key.ok()) return BadClaim("teepnet_hpke_keys: " + cose_key.error().ToString());
      auto key = cose_key->ToPublicKey();
      if (!key.ok() || key->type() != crypto::KeyType::kX25519) {
        return BadClaim("teepnet_hpke_keys entry is not an X25519 key");
      }
      out.hpke_keys.push_back(std::move(key).value());
    }
  }

  if (const cbor::Value* instances = map->Find(kClaimInstances)) {
    TEEPNET_ASSIGN_OR_RETURN(out.instances, DecodeInstances(*instances));
  }
  if (const cbor::Value* capacity = map->Find(kClaimCapacity)) {
    TEEPNET_ASSIGN_OR_RETURN(CapacityClaim claim, DecodeCapacity(*capacity));
    out.capacity = std::move(claim);
  }

  // Re-read the map entry by entry and hash the bound entries' bytes as received.
  cbor::Reader r(payload, cbor::DecodeOptions::Deterministic());
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadMapHeader(&n));
  cbor::Writer bound;
  bound.WriteMapHeader(n - 1);  // n >= 1: the evidence claim is present
  for (size_t i = 0; i < n; ++i) {
    ByteView key, value;
    TEEPNET_RETURN_IF_ERROR(r.ReadRawItem(&key));
    TEEPNET_RETURN_IF_ERROR(r.ReadRawItem(&value));
    auto decoded_key = cbor::Decode(key);
    if (decoded_key.ok() && *decoded_key == cbor::Value::Int(kClaimPlatformEvidence)) continue;
    bound.WriteRaw(key);
    bound.WriteRaw(value);
  }
  out.binding = crypto::Digest(crypto::HashAlgorithm::kSha512, bound.bytes());
  return out;
}

}  // namespace teepnet::evidence
