#include "teepnet/agent/tc_claims.h"

#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/teep/errc.h"

namespace teepnet::agent {

teep::ComponentId ToTeepId(const suit::ComponentId& id) {
  return id.segments;
}

suit::ComponentId FromTeepId(const teep::ComponentId& id) {
  return suit::ComponentId{id};
}

teep::SystemPropertyClaims ToClaims(const InstalledTc& tc) {
  teep::SystemPropertyClaims claims;
  claims.system_component_id = ToTeepId(tc.manifest_id);
  // Parameters in ascending key order (types.h: "keys other than 0, ascending").
  if (tc.sequence_number) {
    cbor::Writer w;
    w.WriteUint(*tc.sequence_number);
    claims.parameters.push_back({kClaimManifestSequenceNumber, std::move(w).Take()});
  }
  if (!tc.manifest_digest.empty()) {
    // image-digest is `bstr .cbor SUIT_Digest` (the draft's tc-list example).
    cbor::Writer w;
    w.WriteBytes(tc.manifest_digest);
    claims.parameters.push_back({kClaimImageDigest, std::move(w).Take()});
  }
  return claims;
}

Result<InstalledTc> FromClaims(const teep::SystemPropertyClaims& claims) {
  InstalledTc tc;
  tc.manifest_id = FromTeepId(claims.system_component_id);
  for (const teep::IntKeyedItem& item : claims.parameters) {
    cbor::Reader r(item.value, cbor::DecodeOptions::Strict());
    if (item.key == kClaimManifestSequenceNumber) {
      uint64_t seq = 0;
      if (!r.ReadUint(&seq).ok() || !r.ExpectEnd().ok()) {
        return Error(teep::Errc::kWrongFieldType, "tc-list sequence-number claim is not a uint");
      }
      tc.sequence_number = seq;
    } else if (item.key == kClaimImageDigest) {
      ByteView digest;
      if (!r.ReadBytes(&digest).ok() || !r.ExpectEnd().ok()) {
        return Error(teep::Errc::kWrongFieldType, "tc-list image-digest claim is not a bstr");
      }
      tc.manifest_digest = ToBytes(digest);
    }
  }
  return tc;
}

}  // namespace teepnet::agent
