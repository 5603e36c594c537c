#include "teepnet/attest/psa_endorsements.h"

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/eat/jwk.h"

namespace teepnet::attest {
namespace {

// CoRIM / CoMID code points (draft-ietf-rats-corim §4, §5; PSA profile
// draft-fdb-rats-psa-endorsements).
constexpr uint64_t kTagUnsignedCorim = 501;
constexpr uint64_t kTagSignedCorim = 502;
constexpr uint64_t kTagComid = 506;
constexpr uint64_t kTagImplementationId = 600;
constexpr uint64_t kTagPsaRefvalId = 601;
constexpr uint64_t kTagUeid = 550;
constexpr uint64_t kTagBytes = 560;  // tagged-bytes (CCA realm instance, raw values)
constexpr uint64_t kTagPkixBase64Key = 554;
constexpr int64_t kCorimTags = 1;
constexpr int64_t kCorimValidity = 4;
constexpr int64_t kComidTriples = 4;
constexpr int64_t kReferenceTriples = 0;
constexpr int64_t kAttestKeyTriples = 3;
constexpr int64_t kLegacyAttestKeyTriples = 2;

Error BadCorim(const std::string& why) {
  return Error(Errc::kPsaBadCorim, "CoRIM: " + why);
}

const cbor::Value& Untag(const cbor::Value& v, uint64_t tag) {
  return (v.is_tag() && v.tag() == tag) ? v.tagged() : v;
}

struct Environment {
  Bytes implementation_id;
  Bytes instance_id;
};

Result<Environment> ReadEnvironment(const cbor::Value& env) {
  if (!env.is_map()) return BadCorim("environment is not a map");
  Environment out;
  if (const cbor::Value* cls = env.Find(0); cls != nullptr) {
    if (!cls->is_map()) return BadCorim("class is not a map");
    if (const cbor::Value* id = cls->Find(0);
        id != nullptr && id->is_tag() && id->tag() == kTagImplementationId) {
      if (!id->tagged().is_bytes()) return BadCorim("implementation-id is not bytes");
      out.implementation_id = id->tagged().bytes();
    }
  }
  if (const cbor::Value* inst = env.Find(1); inst != nullptr) {
    const cbor::Value& id =
        (inst->is_tag() && inst->tag() == kTagBytes) ? inst->tagged() : Untag(*inst, kTagUeid);
    if (!id.is_bytes()) return BadCorim("instance is neither a UEID nor tagged bytes");
    out.instance_id = id.bytes();
  }
  return out;
}

Status ReadAttestKeys(const cbor::Value& triples, const EndorsementValidity& validity,
                      PsaEndorsements& out) {
  if (!triples.is_array()) return BadCorim("attest-key triples are not an array");
  for (const cbor::Value& t : triples.array()) {
    if (!t.is_array() || t.array().size() < 2 || !t.array()[1].is_array()) {
      return BadCorim("attest-key triple is not [environment, [keys]]");
    }
    TEEPNET_ASSIGN_OR_RETURN(Environment env, ReadEnvironment(t.array()[0]));
    for (const cbor::Value& k : t.array()[1].array()) {
      std::string pem;
      if (k.is_tag() && k.tag() == kTagPkixBase64Key && k.tagged().is_text()) {
        pem = std::string(k.tagged().text());
      } else if (const cbor::Value* legacy = k.is_map() ? k.Find(0) : nullptr;
                 legacy != nullptr && legacy->is_text()) {
        // Earlier CoMID drafts: verification-key-map {0: base64 SubjectPublicKeyInfo}.
        pem = "-----BEGIN PUBLIC KEY-----\n" + std::string(legacy->text()) +
              "\n-----END PUBLIC KEY-----\n";
      } else {
        continue;
      }
      auto key = crypto::PublicKey::FromPem(pem);
      if (!key.ok()) return BadCorim("attest key PEM: " + key.error().message());
      out.AddTrustAnchor(PsaTrustAnchor{env.implementation_id, env.instance_id, *key, validity});
    }
  }
  return Status();
}

// A CCA realm reference: integrity registers (mval key 14) named "rim", "rem0".."rem3".
Status ReadRealmReference(const Environment& env, const cbor::Value& mval,
                          const EndorsementValidity& validity, PsaEndorsements& out) {
  const cbor::Value* regs = mval.Find(14);
  if (regs == nullptr || !regs->is_map()) return BadCorim("realm measurement without registers");
  auto digest = [&regs](const char* name) -> const Bytes* {
    const cbor::Value* d = regs->Find(std::string_view(name));
    if (d == nullptr || !d->is_array() || d->array().empty() || !d->array()[0].is_array() ||
        d->array()[0].array().size() != 2 || !d->array()[0].array()[1].is_bytes()) {
      return nullptr;
    }
    return &d->array()[0].array()[1].bytes();
  };
  CcaRealmReference ref;
  ref.validity = validity;
  const Bytes* rim = digest("rim");
  ref.initial_measurement = rim != nullptr ? *rim : env.instance_id;
  if (ref.initial_measurement.empty()) return BadCorim("realm reference without a RIM");
  for (const char* rem : {"rem0", "rem1", "rem2", "rem3"}) {
    const Bytes* d = digest(rem);
    if (d == nullptr) break;
    ref.extensible_measurements.push_back(*d);
  }
  if (ref.extensible_measurements.size() != 4) ref.extensible_measurements.clear();
  if (const cbor::Value* raw = mval.Find(4); raw != nullptr) {
    const cbor::Value& rpv = Untag(*raw, kTagBytes);
    if (!rpv.is_bytes()) return BadCorim("realm personalization value is not bytes");
    ref.personalization_value = rpv.bytes();
  }
  out.AddRealmReference(std::move(ref));
  return Status();
}

Status ReadReferenceValues(const cbor::Value& triples, const EndorsementValidity& validity,
                           PsaEndorsements& out) {
  if (!triples.is_array()) return BadCorim("reference triples are not an array");
  for (const cbor::Value& t : triples.array()) {
    if (!t.is_array() || t.array().size() < 2 || !t.array()[1].is_array()) {
      return BadCorim("reference triple is not [environment, [measurements]]");
    }
    TEEPNET_ASSIGN_OR_RETURN(Environment env, ReadEnvironment(t.array()[0]));
    for (const cbor::Value& m : t.array()[1].array()) {
      if (!m.is_map()) return BadCorim("measurement is not a map");
      const cbor::Value* mkey = m.Find(0);
      const cbor::Value* mval = m.Find(1);
      if (mkey == nullptr && mval != nullptr && mval->is_map() && mval->Find(14) != nullptr) {
        TEEPNET_RETURN_IF_ERROR(ReadRealmReference(env, *mval, validity, out));
        continue;
      }
      if (mkey == nullptr || !mkey->is_tag() || mkey->tag() != kTagPsaRefvalId) continue;
      const cbor::Value& id = mkey->tagged();
      if (!id.is_map() || mval == nullptr || !mval->is_map()) {
        return BadCorim("PSA refval-id or mval is not a map");
      }
      PsaSwReference ref;
      ref.validity = validity;
      ref.implementation_id = env.implementation_id;
      if (const cbor::Value* v = id.Find(1); v != nullptr && v->is_text()) ref.type = v->text();
      if (const cbor::Value* v = id.Find(4); v != nullptr && v->is_text()) ref.version = v->text();
      if (const cbor::Value* v = id.Find(5); v != nullptr && v->is_bytes()) {
        ref.signer_id = v->bytes();
      }
      const cbor::Value* digests = mval->Find(2);
      if (digests == nullptr || !digests->is_array()) continue;
      for (const cbor::Value& d : digests->array()) {
        if (!d.is_array() || d.array().size() != 2 || !d.array()[1].is_bytes()) {
          return BadCorim("digest is not [alg, bytes]");
        }
        PsaSwReference one = ref;
        one.measurement = d.array()[1].bytes();
        out.AddSwReference(std::move(one));
      }
    }
  }
  return Status();
}

Status ReadComidValue(const cbor::Value& comid, const EndorsementValidity& validity,
                      PsaEndorsements& out) {
  if (!comid.is_map()) return BadCorim("CoMID is not a map");
  const cbor::Value* triples = comid.Find(kComidTriples);
  if (triples == nullptr || !triples->is_map()) return BadCorim("CoMID has no triples map");
  if (const cbor::Value* ref = triples->Find(kReferenceTriples); ref != nullptr) {
    TEEPNET_RETURN_IF_ERROR(ReadReferenceValues(*ref, validity, out));
  }
  if (const cbor::Value* ak = triples->Find(kAttestKeyTriples); ak != nullptr) {
    TEEPNET_RETURN_IF_ERROR(ReadAttestKeys(*ak, validity, out));
  }
  // Earlier drafts numbered the attestation-verification-key triples 2; only the legacy
  // verification-key-map form is read from there.
  if (const cbor::Value* legacy = triples->Find(kLegacyAttestKeyTriples); legacy != nullptr) {
    TEEPNET_RETURN_IF_ERROR(ReadAttestKeys(*legacy, validity, out));
  }
  return Status();
}

Status ReadComid(ByteView encoded, const EndorsementValidity& validity, PsaEndorsements& out) {
  auto comid = cbor::Decode(encoded);
  if (!comid.ok()) return BadCorim("CoMID: " + comid.error().message());
  return ReadComidValue(*comid, validity, out);
}

Result<Bytes> HexField(const nlohmann::json& obj, const char* name) {
  if (!obj.is_object() || !obj.contains(name) || !obj[name].is_string()) {
    return Error(Errc::kBadEndorsement, std::string("missing hex field ") + name);
  }
  auto b = FromHex(obj[name].get<std::string>());
  if (!b.ok()) return Error(Errc::kBadEndorsement, std::string("bad hex in ") + name);
  return *std::move(b);
}

Result<nlohmann::json> ParseJson(std::string_view json) {
  nlohmann::json j = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Error(Errc::kBadEndorsement, "endorsement JSON does not parse");
  return j;
}

}  // namespace

Status PsaEndorsements::AddCorim(ByteView corim, const crypto::PublicKey* signer) {
  auto top = cbor::Decode(corim);
  if (!top.ok())
    return Error(Errc::kPsaBadCorim, "CoRIM: " + top.error().message(), top.error().offset());
  cbor::Value unsigned_corim;
  if (top->is_tag() && top->tag() == kTagSignedCorim) {
    //= https://datatracker.ietf.org/doc/html/draft-ietf-rats-corim#section-4.2
    //# signed-corim = #6.18(COSE-Sign1-corim) — its payload is a tagged unsigned CoRIM.
    if (signer == nullptr) {
      return Error(Errc::kBadEndorsement, "signed CoRIM but no key to verify it with");
    }
    Bytes inner = cbor::Encode(top->tagged());
    auto msg = cose::Sign1Message::Decode(inner);
    if (!msg.ok()) return Error(Errc::kPsaBadCorim, "signed CoRIM: " + msg.error().message());
    auto payload = msg->Verify(*signer);
    if (!payload.ok()) return Error(Errc::kBadEndorsement, "signed CoRIM signature invalid");
    auto decoded = cbor::Decode(*payload);
    if (!decoded.ok()) return BadCorim("signed payload: " + decoded.error().message());
    unsigned_corim = *std::move(decoded);
  } else {
    unsigned_corim = *std::move(top);
  }
  // Earlier CoRIM drafts (and Veraison's provisioning test harness) leave the corim-map
  // untagged; accept it, but nothing else.
  const cbor::Value& corim_map = Untag(unsigned_corim, kTagUnsignedCorim);
  if (!corim_map.is_map()) return BadCorim("not an unsigned CoRIM map (tag 501)");
  const cbor::Value* tags = corim_map.Find(kCorimTags);
  if (tags == nullptr || !tags->is_array()) return BadCorim("no tags array");
  //= https://datatracker.ietf.org/doc/html/draft-ietf-rats-corim#section-4.1.3
  //# validity-map = { ? not-before => time, not-after => time }
  EndorsementValidity validity;
  if (const cbor::Value* v = corim_map.Find(kCorimValidity); v != nullptr) {
    if (!v->is_map()) return BadCorim("validity is not a map");
    auto time_at = [v](int64_t key) -> std::optional<int64_t> {
      const cbor::Value* t = v->Find(key);
      if (t == nullptr) return std::nullopt;
      const cbor::Value& e = Untag(*t, 1);
      return e.is_integer() ? e.AsInt64() : std::nullopt;
    };
    if (auto nb = time_at(0)) validity.not_before = *nb;
    auto na = time_at(1);
    if (!na) return BadCorim("validity without not-after");
    validity.not_after = *na;
  }
  for (const cbor::Value& t : tags->array()) {
    if (t.is_tag() && t.tag() == kTagComid) {
      // concise-tag = #6.506(bstr .cbor concise-mid-tag)
      if (!t.tagged().is_bytes()) return BadCorim("CoMID is not a byte string");
      TEEPNET_RETURN_IF_ERROR(ReadComid(t.tagged().bytes(), validity, *this));
    } else if (t.is_bytes()) {
      // Older drafts: bstr .cbor #6.506(concise-mid-tag).
      auto inner = cbor::Decode(t.bytes());
      if (!inner.ok()) return BadCorim("tag entry: " + inner.error().message());
      if (!inner->is_tag() || inner->tag() != kTagComid) continue;  // CoSWID / CoTL
      TEEPNET_RETURN_IF_ERROR(ReadComidValue(inner->tagged(), validity, *this));
    }
  }
  return Status();
}

Status PsaEndorsements::AddTrustAnchorsJson(std::string_view json) {
  TEEPNET_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(json));
  if (!j.is_array()) return Error(Errc::kBadEndorsement, "trust-anchor store is not an array");
  for (const nlohmann::json& e : j) {
    TEEPNET_ASSIGN_OR_RETURN(Bytes impl, HexField(e, "implementation-id"));
    TEEPNET_ASSIGN_OR_RETURN(Bytes inst, HexField(e, "instance-id"));
    if (!e.contains("pkey")) return Error(Errc::kBadEndorsement, "trust anchor without pkey");
    auto key = eat::PublicKeyFromJwk(e["pkey"]);
    if (!key.ok()) return Error(Errc::kBadEndorsement, "pkey: " + key.error().message());
    AddTrustAnchor(PsaTrustAnchor{std::move(impl), std::move(inst), *key});
  }
  return Status();
}

Status PsaEndorsements::AddReferenceValuesJson(std::string_view json) {
  TEEPNET_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(json));
  if (!j.is_object()) return Error(Errc::kBadEndorsement, "reference-value store is not an object");
  if (j.contains("platform")) {
    if (!j["platform"].is_array()) return Error(Errc::kBadEndorsement, "platform is not an array");
    for (const nlohmann::json& p : j["platform"]) {
      TEEPNET_ASSIGN_OR_RETURN(Bytes impl, HexField(p, "implementation-id"));
      if (!p.contains("sw-components") || !p["sw-components"].is_array()) {
        return Error(Errc::kBadEndorsement, "platform entry without sw-components");
      }
      for (const nlohmann::json& c : p["sw-components"]) {
        PsaSwReference ref;
        ref.implementation_id = impl;
        TEEPNET_ASSIGN_OR_RETURN(ref.measurement, HexField(c, "measurement-value"));
        if (c.contains("signer-id")) {
          TEEPNET_ASSIGN_OR_RETURN(ref.signer_id, HexField(c, "signer-id"));
        }
        if (c.contains("component-type") && c["component-type"].is_string()) {
          ref.type = c["component-type"].get<std::string>();
        }
        if (c.contains("version") && c["version"].is_string()) {
          ref.version = c["version"].get<std::string>();
        }
        AddSwReference(std::move(ref));
      }
    }
  }
  if (j.contains("realm")) {
    if (!j["realm"].is_array()) return Error(Errc::kBadEndorsement, "realm is not an array");
    for (const nlohmann::json& r : j["realm"]) {
      CcaRealmReference ref;
      TEEPNET_ASSIGN_OR_RETURN(ref.initial_measurement, HexField(r, "initial-measurement"));
      if (r.contains("personalization-value")) {
        TEEPNET_ASSIGN_OR_RETURN(ref.personalization_value, HexField(r, "personalization-value"));
      }
      if (r.contains("extensible-measurements")) {
        const nlohmann::json& rems = r["extensible-measurements"];
        if (!rems.is_array() || rems.size() != 4) {
          return Error(Errc::kBadEndorsement, "extensible-measurements is not 4 hex strings");
        }
        for (const nlohmann::json& rem : rems) {
          if (!rem.is_string()) return Error(Errc::kBadEndorsement, "REM is not a string");
          auto b = FromHex(rem.get<std::string>());
          if (!b.ok()) return Error(Errc::kBadEndorsement, "REM is not hex");
          ref.extensible_measurements.push_back(*std::move(b));
        }
      }
      AddRealmReference(std::move(ref));
    }
  }
  return Status();
}

const PsaTrustAnchor* PsaEndorsements::FindTrustAnchor(ByteView implementation_id,
                                                       ByteView instance_id,
                                                       int64_t at_unix_time) const {
  for (const PsaTrustAnchor& a : anchors_) {
    if (!a.validity.ValidAt(at_unix_time)) continue;
    const bool impl_ok = a.implementation_id.empty() ||
                         crypto::ConstantTimeEqual(a.implementation_id, implementation_id);
    if (impl_ok && crypto::ConstantTimeEqual(a.instance_id, instance_id)) return &a;
  }
  return nullptr;
}

}  // namespace teepnet::attest
