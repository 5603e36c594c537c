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

namespace teepnet::evidence {
namespace {

Error BadClaim(std::string what) {
  return Error(eat::Errc::kBadClaim, std::move(what));
}

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
