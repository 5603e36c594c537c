#include "teepnet/cose/headers.h"

#include <algorithm>

#include "teepnet/cose/errc.h"

namespace teepnet::cose {

namespace {

// Labels whose meaning this implementation knows and enforces (RFC 9052 §3.1, RFC 9053 §5.1
// and §6.4.1, draft-ietf-cose-hpke). Counter signatures (7) are not processed, so a message
// that marks them critical is refused.
constexpr int64_t kUnderstood[] = {
    kLabelAlg,
    kLabelCrit,
    kLabelContentType,
    kLabelKid,
    kLabelIv,
    kLabelPartialIv,
    kLabelEphemeralKey,
    kLabelStaticKey,
    kLabelStaticKeyId,
    kHeaderLabelHpkeEk,
    kHeaderLabelHpkePskId,
    kLabelSalt,
    kLabelPartyUIdentity,
    kLabelPartyUNonce,
    kLabelPartyUOther,
    kLabelPartyVIdentity,
    kLabelPartyVNonce,
    kLabelPartyVOther,
};

bool Understood(int64_t label, const HeaderPolicy& policy) {
  if (std::find(std::begin(kUnderstood), std::end(kUnderstood), label) != std::end(kUnderstood)) {
    return true;
  }
  const auto& extra = policy.extra_understood_labels;
  return std::find(extra.begin(), extra.end(), label) != extra.end();
}

Status CheckCrit(const Headers& h, const HeaderPolicy& policy) {
  //= https://www.rfc-editor.org/rfc/rfc9052#section-3.1
  //# crit: ... When present, the "crit" header parameter MUST be placed in the protected
  //# header bucket.
  if (h.unprotected.Has(kLabelCrit)) {
    return Error(Errc::kCritNotProtected, "crit is in the unprotected bucket");
  }
  auto raw = h.protected_map.Raw(kLabelCrit);
  if (!raw) return OkStatus();
  cbor::Reader r(*raw);
  size_t n = 0;
  //# The array MUST have at least one value in it.
  if (!r.ReadArrayHeader(&n).ok() || n == 0 || n == cbor::kIndefiniteLength) {
    return Error(Errc::kCritMalformed, "crit must be a non-empty array of labels");
  }
  for (size_t i = 0; i < n; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
    if (type == cbor::ItemType::kText) {
      std::string_view text;
      TEEPNET_RETURN_IF_ERROR(r.ReadText(&text));
      const auto& known = policy.extra_understood_text_labels;
      if (std::find(known.begin(), known.end(), text) == known.end()) {
        return Error(Errc::kUnknownCriticalHeader,
                     "critical header \"" + std::string(text) + "\" is not understood");
      }
      continue;
    }
    int64_t label = 0;
    if (!r.ReadInt(&label).ok()) {
      return Error(Errc::kCritMalformed, "crit member is not a label");
    }
    //# ... the recipient MUST ... reject the message if it does not understand one of the
    //# header parameters listed (RFC 9052 §3.1, crit).
    if (!Understood(label, policy)) {
      return Error(Errc::kUnknownCriticalHeader,
                   "critical header " + std::to_string(label) + " is not understood");
    }
  }
  return OkStatus();
}

}  // namespace

std::optional<ByteView> Headers::Raw(int64_t label) const {
  if (auto v = protected_map.Raw(label)) return v;
  return unprotected.Raw(label);
}

Result<std::optional<ByteView>> Headers::GetBytes(int64_t label) const {
  if (protected_map.Has(label)) return protected_map.GetBytes(label);
  return unprotected.GetBytes(label);
}

Result<std::optional<int64_t>> Headers::GetInt(int64_t label) const {
  if (protected_map.Has(label)) return protected_map.GetInt(label);
  return unprotected.GetInt(label);
}

Result<const AlgorithmInfo*> Headers::Alg(bool require_protected) const {
  std::optional<int64_t> alg;
  if (protected_map.Has(kLabelAlg)) {
    TEEPNET_ASSIGN_OR_RETURN(alg, protected_map.GetAlg());
  } else if (unprotected.Has(kLabelAlg)) {
    if (require_protected) {
      return Error(Errc::kAlgNotProtected, "alg must be in the protected bucket");
    }
    TEEPNET_ASSIGN_OR_RETURN(alg, unprotected.GetAlg());
  }
  if (!alg) return Error(Errc::kMissingAlg, "no alg header");
  const AlgorithmInfo* info = FindAlgorithm(*alg);
  if (info == nullptr) {
    return Error(Errc::kUnsupportedAlgorithm, "unknown algorithm " + std::to_string(*alg));
  }
  return info;
}

Result<Headers> ReadHeaders(cbor::Reader& r, const HeaderPolicy& policy) {
  Headers h;
  size_t at = r.offset();
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
  //= https://www.rfc-editor.org/rfc/rfc9052#section-3
  //# empty_or_serialized_map = bstr .cbor header_map / bstr .size 0
  if (type != cbor::ItemType::kBytes) {
    return Error(Errc::kMalformed, "protected bucket is not a bstr", at);
  }
  TEEPNET_RETURN_IF_ERROR(r.ReadBytes(&h.protected_bytes));
  auto map = HeaderMap::DecodeProtected(h.protected_bytes);
  if (!map.ok()) return std::move(map).TakeError().WithOffsetBase(at);
  h.protected_map = std::move(map).value();
  if (h.protected_map.empty() && !h.protected_bytes.empty() &&
      policy.reject_non_minimal_empty_protected) {
    return Error(Errc::kProtectedNotMinimal, "empty protected bucket must be h''", at);
  }
  TEEPNET_ASSIGN_OR_RETURN(h.unprotected, HeaderMap::Read(r));
  //= https://www.rfc-editor.org/rfc/rfc9052#section-3
  //# The same header parameter label MUST NOT occur in both the protected and unprotected
  //# header buckets.
  for (const auto& e : h.unprotected.entries()) {
    if (h.protected_map.Has(e.label)) {
      return Error(Errc::kDuplicateLabel, "label in both protected and unprotected buckets");
    }
  }
  TEEPNET_RETURN_IF_ERROR(CheckCrit(h, policy));
  return h;
}

Status WriteHeaders(cbor::Writer& w, ByteView protected_bstr, const HeaderMap& unprotected) {
  w.WriteBytes(protected_bstr);
  return unprotected.WriteTo(w);
}

}  // namespace teepnet::cose
