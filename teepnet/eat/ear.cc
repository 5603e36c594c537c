#include "teepnet/eat/ear.h"

#include <array>
#include <utility>

#include "teepnet/eat/base64url.h"
#include "teepnet/eat/errc.h"

namespace teepnet::eat {
namespace {

using attest::Tier;
using attest::TrustVector;

// ar4si.trustworthiness-vector keys (vectors/ear/ar4si.cddl) and their JSON names.
struct TvClaim {
  int64_t key;
  const char* name;
  int8_t TrustVector::*member;
};
constexpr std::array<TvClaim, 8> kTvClaims{{
    {0, "instance-identity", &TrustVector::instance_identity},
    {1, "configuration", &TrustVector::configuration},
    {2, "executables", &TrustVector::executables},
    {3, "file-system", &TrustVector::file_system},
    {4, "hardware", &TrustVector::hardware},
    {5, "runtime-opaque", &TrustVector::runtime_opaque},
    {6, "storage-opaque", &TrustVector::storage_opaque},
    {7, "sourced-data", &TrustVector::sourced_data},
}};

Error Bad(const std::string& what) {
  return Error(Errc::kBadClaim, "EAR: " + what);
}
Error Missing(const std::string& what) {
  return Error(Errc::kMissingClaim, "EAR: missing " + what);
}

Result<Tier> TierFromValue(int64_t v) {
  switch (v) {
    case 0: return Tier::kNone;
    case 2: return Tier::kAffirming;
    case 32: return Tier::kWarning;
    case 96: return Tier::kContraindicated;
    default: return Bad("ear.status is not a trustworthiness tier");
  }
}

Result<Tier> TierFromName(const std::string& s) {
  if (s == "none") return Tier::kNone;
  if (s == "affirming") return Tier::kAffirming;
  if (s == "warning") return Tier::kWarning;
  if (s == "contraindicated") return Tier::kContraindicated;
  return Bad("unknown ear_status " + s);
}

Result<int8_t> ClaimValue(int64_t v) {
  if (v < -128 || v > 127) return Bad("trustworthiness claim outside -128..127");
  return static_cast<int8_t>(v);
}

const nlohmann::json* Member(const nlohmann::json& o, const char* current, const char* legacy) {
  if (o.contains(current)) return &o[current];
  if (legacy != nullptr && o.contains(legacy)) return &o[legacy];
  return nullptr;
}

Result<Bytes> JsonBytes(const nlohmann::json& v, const char* name) {
  if (!v.is_string()) return Bad(std::string(name) + " is not base64url text");
  auto b = Base64UrlDecode(v.get<std::string>(), PadBits::kLenient);
  if (!b.ok()) return Bad(std::string(name) + " is not base64url");
  return *std::move(b);
}

// teepnet_instances member names, the same in CBOR (text keys) and JSON. Written in the
// deterministic CBOR order (RFC 8949 §4.2.1: shorter encoded keys first).
constexpr const char* kInstanceName = "name";
constexpr const char* kInstanceHpkeKey = "hpke_key";
constexpr const char* kInstanceProofKey = "proof_key";
constexpr const char* kInstanceMeasurement = "measurement";
constexpr size_t kInstanceMembers = 4;
constexpr size_t kMeasurementBytes = 32;  // SHA-256

Status CheckInstance(const EarInstance& i, const std::vector<EarInstance>& before) {
  if (i.name.empty()) return Bad("teepnet_instances name is empty");
  if (i.measurement.size() != kMeasurementBytes) {
    return Bad("teepnet_instances measurement is not a SHA-256 digest");
  }
  if (i.hpke_key.empty() || i.proof_key.empty()) return Bad("teepnet_instances key is empty");
  for (const EarInstance& other : before) {
    if (other.name == i.name) return Bad("teepnet_instances names " + i.name + " twice");
  }
  return OkStatus();
}

Result<std::vector<EarInstance>> InstancesFromCbor(const cbor::Value& v) {
  if (!v.is_array() || v.array().empty()) return Bad("teepnet_instances is not a non-empty array");
  std::vector<EarInstance> out;
  for (const cbor::Value& m : v.array()) {
    if (!m.is_map() || m.map().size() != kInstanceMembers) {
      return Bad("teepnet_instances entry is not a map of name, measurement, hpke_key, proof_key");
    }
    const cbor::Value* name = m.Find(std::string_view(kInstanceName));
    const cbor::Value* measurement = m.Find(std::string_view(kInstanceMeasurement));
    const cbor::Value* hpke = m.Find(std::string_view(kInstanceHpkeKey));
    const cbor::Value* proof = m.Find(std::string_view(kInstanceProofKey));
    if (name == nullptr || measurement == nullptr || hpke == nullptr || proof == nullptr ||
        !name->is_text() || !measurement->is_bytes() || !hpke->is_bytes() || !proof->is_bytes()) {
      return Bad("teepnet_instances entry members are not name tstr and bstr keys");
    }
    EarInstance i{std::string(name->text()), measurement->bytes(), hpke->bytes(), proof->bytes()};
    TEEPNET_RETURN_IF_ERROR(CheckInstance(i, out));
    out.push_back(std::move(i));
  }
  return out;
}

cbor::Value InstancesToCbor(const std::vector<EarInstance>& instances) {
  std::vector<cbor::Value> items;
  for (const EarInstance& i : instances) {
    items.push_back(cbor::Value::Map({
        {cbor::Value::Text(kInstanceName), cbor::Value::Text(i.name)},
        {cbor::Value::Text(kInstanceHpkeKey), cbor::Value::Bytes(i.hpke_key)},
        {cbor::Value::Text(kInstanceProofKey), cbor::Value::Bytes(i.proof_key)},
        {cbor::Value::Text(kInstanceMeasurement), cbor::Value::Bytes(i.measurement)},
    }));
  }
  return cbor::Value::Array(std::move(items));
}

Result<std::vector<EarInstance>> InstancesFromJson(const nlohmann::json& v) {
  if (!v.is_array() || v.empty()) return Bad("teepnet_instances is not a non-empty array");
  std::vector<EarInstance> out;
  for (const nlohmann::json& o : v) {
    if (!o.is_object() || o.size() != kInstanceMembers || !o.contains(kInstanceName) ||
        !o.contains(kInstanceMeasurement) || !o.contains(kInstanceHpkeKey) ||
        !o.contains(kInstanceProofKey)) {
      return Bad("teepnet_instances entry is not {name, measurement, hpke_key, proof_key}");
    }
    const nlohmann::json& name = o[kInstanceName];
    if (!name.is_string()) return Bad("teepnet_instances name is not text");
    EarInstance i;
    i.name = name.get<std::string>();
    TEEPNET_ASSIGN_OR_RETURN(i.measurement, JsonBytes(o[kInstanceMeasurement], "measurement"));
    TEEPNET_ASSIGN_OR_RETURN(i.hpke_key, JsonBytes(o[kInstanceHpkeKey], "hpke_key"));
    TEEPNET_ASSIGN_OR_RETURN(i.proof_key, JsonBytes(o[kInstanceProofKey], "proof_key"));
    TEEPNET_RETURN_IF_ERROR(CheckInstance(i, out));
    out.push_back(std::move(i));
  }
  return out;
}

nlohmann::json InstancesToJson(const std::vector<EarInstance>& instances) {
  nlohmann::json out = nlohmann::json::array();
  for (const EarInstance& i : instances) {
    out.push_back({{kInstanceName, i.name},
                   {kInstanceMeasurement, Base64UrlEncode(i.measurement)},
                   {kInstanceHpkeKey, Base64UrlEncode(i.hpke_key)},
                   {kInstanceProofKey, Base64UrlEncode(i.proof_key)}});
  }
  return out;
}

// teepnet_capacity member names, the same in CBOR (text keys, deterministic order: the
// shorter key first) and JSON.
constexpr const char* kCapacitySlots = "slots";
constexpr const char* kCapacityTypes = "instance_types";
constexpr size_t kCapacityMembers = 2;
constexpr size_t kMaxCapacityTypes = 3;  // seed Figure 2's columns

Result<EarCapacity> CapacityFromCbor(const cbor::Value& v) {
  const Error bad = Bad("teepnet_capacity is not {slots: uint, instance_types: [+ tstr]}");
  if (!v.is_map() || v.map().size() != kCapacityMembers) return bad;
  const cbor::Value* slots = v.Find(std::string_view(kCapacitySlots));
  const cbor::Value* types = v.Find(std::string_view(kCapacityTypes));
  if (slots == nullptr || types == nullptr || !slots->AsInt64() || *slots->AsInt64() < 0 ||
      !types->is_array() || types->array().empty() || types->array().size() > kMaxCapacityTypes) {
    return bad;
  }
  EarCapacity out;
  out.slots = static_cast<uint64_t>(*slots->AsInt64());
  for (const cbor::Value& t : types->array()) {
    if (!t.is_text()) return bad;
    out.instance_types.emplace_back(t.text());
  }
  return out;
}

cbor::Value CapacityToCbor(const EarCapacity& c) {
  std::vector<cbor::Value> types;
  for (const std::string& t : c.instance_types) types.push_back(cbor::Value::Text(t));
  return cbor::Value::Map({
      {cbor::Value::Text(kCapacitySlots), cbor::Value::Unsigned(c.slots)},
      {cbor::Value::Text(kCapacityTypes), cbor::Value::Array(std::move(types))},
  });
}

Result<EarCapacity> CapacityFromJson(const nlohmann::json& v) {
  const Error bad = Bad("teepnet_capacity is not {slots, instance_types}");
  if (!v.is_object() || v.size() != kCapacityMembers || !v.contains(kCapacitySlots) ||
      !v.contains(kCapacityTypes)) {
    return bad;
  }
  const nlohmann::json& slots = v[kCapacitySlots];
  const nlohmann::json& types = v[kCapacityTypes];
  if (!slots.is_number_unsigned() || !types.is_array() || types.empty() ||
      types.size() > kMaxCapacityTypes) {
    return bad;
  }
  EarCapacity out;
  out.slots = slots.get<uint64_t>();
  for (const nlohmann::json& t : types) {
    if (!t.is_string()) return bad;
    out.instance_types.push_back(t.get<std::string>());
  }
  return out;
}

nlohmann::json CapacityToJson(const EarCapacity& c) {
  return {{kCapacitySlots, c.slots}, {kCapacityTypes, c.instance_types}};
}

Result<EarAppraisal> AppraisalFromCbor(const cbor::Value& m) {
  if (!m.is_map()) return Bad("submodule appraisal is not a map");
  EarAppraisal a;
  const cbor::Value* status = m.Find(ear_label::kStatus);
  if (status == nullptr) return Missing("ear.status");
  if (!status->AsInt64()) return Bad("ear.status is not an integer");
  TEEPNET_ASSIGN_OR_RETURN(a.status, TierFromValue(*status->AsInt64()));
  if (const cbor::Value* tv = m.Find(ear_label::kTrustVector); tv != nullptr) {
    if (!tv->is_map()) return Bad("trustworthiness vector is not a map");
    for (const auto& [k, v] : tv->map()) {
      std::optional<int64_t> key = k.AsInt64();
      const TvClaim* claim = nullptr;
      for (const TvClaim& c : kTvClaims) {
        if (key && *key == c.key) claim = &c;
      }
      if (claim == nullptr || !v.AsInt64()) return Bad("unknown or non-integer trust claim");
      TEEPNET_ASSIGN_OR_RETURN(a.trust.*(claim->member), ClaimValue(*v.AsInt64()));
    }
  }
  if (const cbor::Value* ids = m.Find(ear_label::kPolicyIds); ids != nullptr) {
    if (!ids->is_array()) return Bad("appraisal policy ids are not an array");
    for (const cbor::Value& id : ids->array()) {
      if (!id.is_text()) return Bad("appraisal policy id is not text");
      a.policy_ids.emplace_back(id.text());
    }
  }
  if (const cbor::Value* teep = m.Find(ear_label::kTeepClaims); teep != nullptr) {
    TEEPNET_ASSIGN_OR_RETURN(TeepEatClaims t, TeepEatClaimsFromCbor(*teep));
    a.teep = std::move(t);
  }
  if (const cbor::Value* d = m.Find(ear_label::kEvidenceDigest); d != nullptr) {
    if (!d->is_bytes()) return Bad("evidence digest is not bytes");
    a.evidence_digest = d->bytes();
  }
  if (const cbor::Value* keys = m.Find(ear_label::kAttestedKeys); keys != nullptr) {
    if (!keys->is_array()) return Bad("attested keys are not an array");
    for (const cbor::Value& k : keys->array()) {
      if (!k.is_bytes()) return Bad("attested key is not bytes");
      a.attested_keys.push_back(k.bytes());
    }
  }
  if (const cbor::Value* instances = m.Find(ear_label::kInstances); instances != nullptr) {
    TEEPNET_ASSIGN_OR_RETURN(a.instances, InstancesFromCbor(*instances));
  }
  if (const cbor::Value* capacity = m.Find(ear_label::kCapacity); capacity != nullptr) {
    TEEPNET_ASSIGN_OR_RETURN(EarCapacity c, CapacityFromCbor(*capacity));
    a.capacity = std::move(c);
  }
  return a;
}

cbor::Value AppraisalToCbor(const EarAppraisal& a) {
  std::vector<cbor::Value::MapEntry> m;
  m.emplace_back(cbor::Value::Int(ear_label::kStatus), cbor::Value::Int(StatusValue(a.status)));
  std::vector<cbor::Value::MapEntry> tv;
  for (const TvClaim& c : kTvClaims) {
    if (a.trust.*(c.member) != 0) {
      tv.emplace_back(cbor::Value::Int(c.key), cbor::Value::Int(a.trust.*(c.member)));
    }
  }
  if (!tv.empty())
    m.emplace_back(cbor::Value::Int(ear_label::kTrustVector), cbor::Value::Map(std::move(tv)));
  if (!a.policy_ids.empty()) {
    std::vector<cbor::Value> ids;
    for (const std::string& id : a.policy_ids) ids.push_back(cbor::Value::Text(id));
    m.emplace_back(cbor::Value::Int(ear_label::kPolicyIds), cbor::Value::Array(std::move(ids)));
  }
  if (a.teep) {
    std::vector<cbor::Value::MapEntry> t;
    AppendTeepEatClaims(*a.teep, t);
    m.emplace_back(cbor::Value::Int(ear_label::kTeepClaims), cbor::Value::Map(std::move(t)));
  }
  if (a.evidence_digest) {
    m.emplace_back(cbor::Value::Int(ear_label::kEvidenceDigest),
                   cbor::Value::Bytes(*a.evidence_digest));
  }
  if (!a.attested_keys.empty()) {
    std::vector<cbor::Value> keys;
    for (const Bytes& k : a.attested_keys) keys.push_back(cbor::Value::Bytes(k));
    m.emplace_back(cbor::Value::Int(ear_label::kAttestedKeys), cbor::Value::Array(std::move(keys)));
  }
  if (!a.instances.empty()) {
    m.emplace_back(cbor::Value::Int(ear_label::kInstances), InstancesToCbor(a.instances));
  }
  if (a.capacity) {
    m.emplace_back(cbor::Value::Int(ear_label::kCapacity), CapacityToCbor(*a.capacity));
  }
  return cbor::Value::Map(std::move(m));
}

Result<EarAppraisal> AppraisalFromJson(const nlohmann::json& o) {
  if (!o.is_object()) return Bad("submodule appraisal is not an object");
  EarAppraisal a;
  const nlohmann::json* status = Member(o, "ear_status", "ear.status");
  if (status == nullptr) return Missing("ear_status");
  if (!status->is_string()) return Bad("ear_status is not text");
  TEEPNET_ASSIGN_OR_RETURN(a.status, TierFromName(status->get<std::string>()));
  if (const nlohmann::json* tv =
          Member(o, "ear_trustworthiness_vector", "ear.trustworthiness-vector")) {
    if (!tv->is_object()) return Bad("trustworthiness vector is not an object");
    for (auto it = tv->begin(); it != tv->end(); ++it) {
      const TvClaim* claim = nullptr;
      for (const TvClaim& c : kTvClaims) {
        if (it.key() == c.name) claim = &c;
      }
      if (claim == nullptr || !it.value().is_number_integer()) {
        return Bad("unknown or non-integer trust claim " + it.key());
      }
      TEEPNET_ASSIGN_OR_RETURN(a.trust.*(claim->member), ClaimValue(it.value().get<int64_t>()));
    }
  }
  if (const nlohmann::json* ids = Member(o, "ear_appraisal_policy_ids", nullptr)) {
    if (!ids->is_array()) return Bad("ear_appraisal_policy_ids is not an array");
    for (const nlohmann::json& id : *ids) {
      if (!id.is_string()) return Bad("appraisal policy id is not text");
      a.policy_ids.push_back(id.get<std::string>());
    }
  } else if (const nlohmann::json* id = Member(o, "ear.appraisal-policy-id", nullptr)) {
    if (!id->is_string()) return Bad("ear.appraisal-policy-id is not text");
    a.policy_ids.push_back(id->get<std::string>());
  }
  if (const nlohmann::json* teep = Member(o, "ear_teep_claims", nullptr)) {
    TEEPNET_ASSIGN_OR_RETURN(TeepEatClaims t, TeepEatClaimsFromJson(*teep));
    a.teep = std::move(t);
  }
  if (const nlohmann::json* d = Member(o, "teepnet_evidence_digest", nullptr)) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes b, JsonBytes(*d, "teepnet_evidence_digest"));
    a.evidence_digest = std::move(b);
  }
  if (const nlohmann::json* keys = Member(o, "teepnet_attested_keys", nullptr)) {
    if (!keys->is_array()) return Bad("teepnet_attested_keys is not an array");
    for (const nlohmann::json& k : *keys) {
      TEEPNET_ASSIGN_OR_RETURN(Bytes b, JsonBytes(k, "teepnet_attested_keys"));
      a.attested_keys.push_back(std::move(b));
    }
  }
  if (const nlohmann::json* instances = Member(o, "teepnet_instances", nullptr)) {
    TEEPNET_ASSIGN_OR_RETURN(a.instances, InstancesFromJson(*instances));
  }
  if (const nlohmann::json* capacity = Member(o, "teepnet_capacity", nullptr)) {
    TEEPNET_ASSIGN_OR_RETURN(EarCapacity c, CapacityFromJson(*capacity));
    a.capacity = std::move(c);
  }
  return a;
}

nlohmann::json AppraisalToJson(const EarAppraisal& a) {
  nlohmann::json o = nlohmann::json::object();
  o["ear_status"] = StatusName(a.status);
  nlohmann::json tv = nlohmann::json::object();
  for (const TvClaim& c : kTvClaims) {
    if (a.trust.*(c.member) != 0) tv[c.name] = static_cast<int>(a.trust.*(c.member));
  }
  if (!tv.empty()) o["ear_trustworthiness_vector"] = tv;
  if (!a.policy_ids.empty()) o["ear_appraisal_policy_ids"] = a.policy_ids;
  if (a.teep) o["ear_teep_claims"] = TeepEatClaimsToJson(*a.teep);
  if (a.evidence_digest) o["teepnet_evidence_digest"] = Base64UrlEncode(*a.evidence_digest);
  if (!a.attested_keys.empty()) {
    nlohmann::json keys = nlohmann::json::array();
    for (const Bytes& k : a.attested_keys) keys.push_back(Base64UrlEncode(k));
    o["teepnet_attested_keys"] = keys;
  }
  if (!a.instances.empty()) o["teepnet_instances"] = InstancesToJson(a.instances);
  if (a.capacity) o["teepnet_capacity"] = CapacityToJson(*a.capacity);
  return o;
}

}  // namespace

int8_t StatusValue(Tier tier) {
  switch (tier) {
    case Tier::kNone: return 0;
    case Tier::kAffirming: return 2;
    case Tier::kWarning: return 32;
    case Tier::kContraindicated: return 96;
  }
  return 96;
}

const char* StatusName(Tier tier) {
  switch (tier) {
    case Tier::kNone: return "none";
    case Tier::kAffirming: return "affirming";
    case Tier::kWarning: return "warning";
    case Tier::kContraindicated: return "contraindicated";
  }
  return "contraindicated";
}

EarAppraisal Ear::FromAppraisal(const attest::Appraisal& appraisal, std::string policy_id) {
  EarAppraisal a;
  a.status = appraisal.Overall();
  a.trust = appraisal.trust;
  a.policy_ids.push_back(std::move(policy_id));
  if (!appraisal.evidence_digest.empty()) a.evidence_digest = appraisal.evidence_digest;
  return a;
}

cbor::Value EarToCbor(const Ear& ear) {
  std::vector<cbor::Value::MapEntry> m;
  m.emplace_back(cbor::Value::Int(ear_label::kProfile), cbor::Value::Text(ear.profile));
  m.emplace_back(cbor::Value::Int(ear_label::kIat), cbor::Value::Int(ear.iat));
  if (ear.exp) m.emplace_back(cbor::Value::Int(4), cbor::Value::Int(*ear.exp));
  m.emplace_back(cbor::Value::Int(ear_label::kVerifierId),
                 cbor::Value::Map({{cbor::Value::Int(0), cbor::Value::Text(ear.verifier_developer)},
                                   {cbor::Value::Int(1), cbor::Value::Text(ear.verifier_build)}}));
  if (ear.raw_evidence) {
    m.emplace_back(cbor::Value::Int(ear_label::kRawEvidence),
                   cbor::Value::Bytes(*ear.raw_evidence));
  }
  if (ear.nonce)
    m.emplace_back(cbor::Value::Int(ear_label::kNonce), cbor::Value::Bytes(*ear.nonce));
  std::vector<cbor::Value::MapEntry> subs;
  for (const auto& [name, a] : ear.submods)
    subs.emplace_back(cbor::Value::Text(name), AppraisalToCbor(a));
  m.emplace_back(cbor::Value::Int(ear_label::kSubmods), cbor::Value::Map(std::move(subs)));
  return cbor::Value::Map(std::move(m));
}

Result<Ear> EarFromCbor(const cbor::Value& m) {
  if (!m.is_map()) return Bad("claims are not a map");
  Ear ear;
  const cbor::Value* profile = m.Find(ear_label::kProfile);
  if (profile == nullptr) return Missing("eat_profile");
  if (!profile->is_text()) return Bad("eat_profile is not text");
  ear.profile = profile->text();
  const cbor::Value* iat = m.Find(ear_label::kIat);
  if (iat == nullptr) return Missing("iat");
  if (!iat->AsInt64()) return Bad("iat is not an integer");
  ear.iat = *iat->AsInt64();
  if (const cbor::Value* exp = m.Find(4); exp != nullptr) {
    if (!exp->AsInt64()) return Bad("exp is not an integer");
    ear.exp = exp->AsInt64();
  }
  const cbor::Value* vid = m.Find(ear_label::kVerifierId);
  if (vid == nullptr) return Missing("ear.verifier-id");
  const cbor::Value* dev = vid->is_map() ? vid->Find(0) : nullptr;
  const cbor::Value* build = vid->is_map() ? vid->Find(1) : nullptr;
  if (dev == nullptr || build == nullptr || !dev->is_text() || !build->is_text()) {
    return Bad("ear.verifier-id is not {0: developer, 1: build}");
  }
  ear.verifier_developer = dev->text();
  ear.verifier_build = build->text();
  if (const cbor::Value* raw = m.Find(ear_label::kRawEvidence); raw != nullptr) {
    if (!raw->is_bytes()) return Bad("ear.raw-evidence is not bytes");
    ear.raw_evidence = raw->bytes();
  }
  if (const cbor::Value* nonce = m.Find(ear_label::kNonce); nonce != nullptr) {
    if (!nonce->is_bytes()) return Bad("eat_nonce is not bytes");
    ear.nonce = nonce->bytes();
  }
  const cbor::Value* subs = m.Find(ear_label::kSubmods);
  if (subs == nullptr) return Missing("submods");
  if (!subs->is_map() || subs->map().empty()) return Bad("submods is not a non-empty map");
  for (const auto& [name, a] : subs->map()) {
    if (!name.is_text()) return Bad("submodule name is not text");
    TEEPNET_ASSIGN_OR_RETURN(EarAppraisal appraisal, AppraisalFromCbor(a));
    ear.submods[std::string(name.text())] = std::move(appraisal);
  }
  return ear;
}

nlohmann::json EarToJson(const Ear& ear) {
  nlohmann::json o = nlohmann::json::object();
  o["eat_profile"] = ear.profile;
  o["iat"] = ear.iat;
  if (ear.exp) o["exp"] = *ear.exp;
  o["ear_verifier_id"] = {{"developer", ear.verifier_developer}, {"build", ear.verifier_build}};
  if (ear.raw_evidence) o["ear_raw_evidence"] = Base64UrlEncode(*ear.raw_evidence);
  if (ear.nonce) o["eat_nonce"] = Base64UrlEncode(*ear.nonce);
  nlohmann::json subs = nlohmann::json::object();
  for (const auto& [name, a] : ear.submods) subs[name] = AppraisalToJson(a);
  o["submods"] = subs;
  return o;
}

Result<Ear> EarFromJson(const nlohmann::json& o) {
  if (!o.is_object()) return Bad("claims are not a JSON object");
  Ear ear;
  if (!o.contains("eat_profile")) return Missing("eat_profile");
  if (!o["eat_profile"].is_string()) return Bad("eat_profile is not text");
  ear.profile = o["eat_profile"].get<std::string>();
  if (!o.contains("iat")) return Missing("iat");
  if (!o["iat"].is_number_integer()) return Bad("iat is not an integer");
  ear.iat = o["iat"].get<int64_t>();
  if (o.contains("exp")) {
    if (!o["exp"].is_number_integer()) return Bad("exp is not an integer");
    ear.exp = o["exp"].get<int64_t>();
  }
  const nlohmann::json* vid = Member(o, "ear_verifier_id", "ear.verifier-id");
  if (vid == nullptr) return Missing("ear_verifier_id");
  if (!vid->is_object() || !vid->contains("developer") || !vid->contains("build") ||
      !(*vid)["developer"].is_string() || !(*vid)["build"].is_string()) {
    return Bad("ear_verifier_id is not {developer, build}");
  }
  ear.verifier_developer = (*vid)["developer"].get<std::string>();
  ear.verifier_build = (*vid)["build"].get<std::string>();
  if (const nlohmann::json* raw = Member(o, "ear_raw_evidence", "ear.raw-evidence")) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes b, JsonBytes(*raw, "ear_raw_evidence"));
    ear.raw_evidence = std::move(b);
  }
  if (o.contains("eat_nonce")) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes b, JsonBytes(o["eat_nonce"], "eat_nonce"));
    ear.nonce = std::move(b);
  }
  if (!o.contains("submods")) return Missing("submods");
  const nlohmann::json& subs = o["submods"];
  if (!subs.is_object() || subs.empty()) return Bad("submods is not a non-empty object");
  for (auto it = subs.begin(); it != subs.end(); ++it) {
    TEEPNET_ASSIGN_OR_RETURN(EarAppraisal a, AppraisalFromJson(it.value()));
    ear.submods[it.key()] = std::move(a);
  }
  return ear;
}

}  // namespace teepnet::eat
