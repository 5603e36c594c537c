#include "teepnet/eat/teep_eat_claims.h"

#include "teepnet/eat/base64url.h"
#include "teepnet/eat/errc.h"

namespace teepnet::eat {
namespace {

Error Bad(const std::string& name, const char* why) {
  return Error(Errc::kBadClaim, name + ": " + why);
}

Result<std::optional<Bytes>> OptBytes(const cbor::Value& map, int64_t key, const char* name,
                                      size_t min, size_t max) {
  const cbor::Value* v = map.Find(key);
  if (v == nullptr) return std::optional<Bytes>();
  if (!v->is_bytes() || v->bytes().size() < min || v->bytes().size() > max) {
    return Bad(name, "not a byte string of an allowed length");
  }
  return std::optional<Bytes>(v->bytes());
}

Result<std::optional<Bytes>> OptJsonBytes(const nlohmann::json& o, const char* name) {
  if (!o.contains(name)) return std::optional<Bytes>();
  if (!o[name].is_string()) return Bad(name, "not a base64url string");
  auto b = Base64UrlDecode(o[name].get<std::string>(), PadBits::kLenient);
  if (!b.ok()) return Bad(name, "not base64url");
  return std::optional<Bytes>(*std::move(b));
}

}  // namespace

Result<TeepEatClaims> TeepEatClaimsFromCbor(const cbor::Value& map) {
  if (!map.is_map()) return Error(Errc::kBadClaim, "claims are not a map");
  TeepEatClaims c;
  if (const cbor::Value* cnf = map.Find(eat_claim::kCnf); cnf != nullptr) {
    //= https://www.rfc-editor.org/rfc/rfc8747#section-3.4
    //# kid (3): a key identifier, byte string
    const cbor::Value* kid = cnf->is_map() ? cnf->Find(3) : nullptr;
    if (kid == nullptr || !kid->is_bytes()) return Bad("cnf", "not a map with a kid (3)");
    c.cnf_kid = kid->bytes();
  }
  //= https://www.rfc-editor.org/rfc/rfc9711#section-4.1
  //# nonce-type = bstr .size (8..64)
  TEEPNET_ASSIGN_OR_RETURN(c.nonce, OptBytes(map, eat_claim::kNonce, "eat_nonce", 8, 64));
  //= https://www.rfc-editor.org/rfc/rfc9711#section-4.2.1
  //# ueid-type = bstr .size (7..33)
  TEEPNET_ASSIGN_OR_RETURN(c.ueid, OptBytes(map, eat_claim::kUeid, "ueid", 7, 33));
  if (const cbor::Value* o = map.Find(eat_claim::kOemid); o != nullptr) {
    if (o->is_unsigned() && o->AsInt64()) {
      c.oemid = Oemid{o->AsInt64(), {}};
    } else if (o->is_bytes() && (o->bytes().size() == 3 || o->bytes().size() == 16)) {
      c.oemid = Oemid{std::nullopt, o->bytes()};
    } else {
      return Bad("oemid", "neither a PEN nor a 3- or 16-byte id");
    }
  }
  TEEPNET_ASSIGN_OR_RETURN(c.hwmodel, OptBytes(map, eat_claim::kHwModel, "hwmodel", 1, 32));
  if (const cbor::Value* hv = map.Find(eat_claim::kHwVersion); hv != nullptr) {
    //= https://www.rfc-editor.org/rfc/rfc9711#section-4.2.5
    //# hardware-version-type = [ version: tstr, ? scheme: $version-scheme ]
    if (!hv->is_array() || hv->array().empty() || hv->array().size() > 2 ||
        !hv->array()[0].is_text() || (hv->array().size() == 2 && !hv->array()[1].AsInt64())) {
      return Bad("hwversion", "not [text, ? int]");
    }
    HwVersion v{std::string(hv->array()[0].text()), std::nullopt};
    if (hv->array().size() == 2) v.scheme = hv->array()[1].AsInt64();
    c.hwversion = v;
  }
  const cbor::Value* m = map.Find(eat_claim::kManifests);
  if (m == nullptr) m = map.Find(eat_claim::kManifestsTeepDraft);
  if (m != nullptr) {
    if (!m->is_array() || m->array().empty()) return Bad("manifests", "not a non-empty array");
    for (const cbor::Value& entry : m->array()) {
      if (!entry.is_array() || entry.array().size() != 2 || !entry.array()[0].is_unsigned()) {
        return Bad("manifests", "entry is not [content-format, content]");
      }
    }
    c.manifests = *m;
  }
  return c;
}

void AppendTeepEatClaims(const TeepEatClaims& c, std::vector<cbor::Value::MapEntry>& e,
                         int64_t manifests_label) {
  if (c.cnf_kid) {
    e.emplace_back(cbor::Value::Int(eat_claim::kCnf),
                   cbor::Value::Map({{cbor::Value::Int(3), cbor::Value::Bytes(*c.cnf_kid)}}));
  }
  if (c.nonce) e.emplace_back(cbor::Value::Int(eat_claim::kNonce), cbor::Value::Bytes(*c.nonce));
  if (c.ueid) e.emplace_back(cbor::Value::Int(eat_claim::kUeid), cbor::Value::Bytes(*c.ueid));
  if (c.oemid) {
    e.emplace_back(cbor::Value::Int(eat_claim::kOemid), c.oemid->pen
                                                            ? cbor::Value::Int(*c.oemid->pen)
                                                            : cbor::Value::Bytes(c.oemid->bytes));
  }
  if (c.hwmodel)
    e.emplace_back(cbor::Value::Int(eat_claim::kHwModel), cbor::Value::Bytes(*c.hwmodel));
  if (c.hwversion) {
    std::vector<cbor::Value> hv{cbor::Value::Text(c.hwversion->version)};
    if (c.hwversion->scheme) hv.push_back(cbor::Value::Int(*c.hwversion->scheme));
    e.emplace_back(cbor::Value::Int(eat_claim::kHwVersion), cbor::Value::Array(std::move(hv)));
  }
  if (c.manifests) e.emplace_back(cbor::Value::Int(manifests_label), *c.manifests);
}

Bytes EncodeTeepEatClaims(const TeepEatClaims& claims, int64_t manifests_label) {
  std::vector<cbor::Value::MapEntry> e;
  AppendTeepEatClaims(claims, e, manifests_label);
  return cbor::Encode(cbor::Value::Map(std::move(e)));
}

Result<TeepEatClaims> DecodeTeepEatClaims(ByteView encoded) {
  auto v = cbor::Decode(encoded);
  if (!v.ok()) return Error(Errc::kBadClaim, "claims: " + v.error().message(), v.error().offset());
  return TeepEatClaimsFromCbor(*v);
}

Result<TeepEatClaims> TeepEatClaimsFromJson(const nlohmann::json& o) {
  if (!o.is_object()) return Error(Errc::kBadClaim, "TEEP claims are not a JSON object");
  TeepEatClaims c;
  TEEPNET_ASSIGN_OR_RETURN(c.nonce, OptJsonBytes(o, "eat_nonce"));
  TEEPNET_ASSIGN_OR_RETURN(c.ueid, OptJsonBytes(o, "ueid"));
  TEEPNET_ASSIGN_OR_RETURN(c.hwmodel, OptJsonBytes(o, "hwmodel"));
  if (o.contains("oemid")) {
    if (o["oemid"].is_number_integer() && o["oemid"].get<int64_t>() >= 0) {
      c.oemid = Oemid{o["oemid"].get<int64_t>(), {}};
    } else {
      if (!o["oemid"].is_string()) return Bad("oemid", "neither a PEN nor base64url");
      auto b = Base64UrlDecode(o["oemid"].get<std::string>(), PadBits::kLenient);
      if (!b.ok()) return Bad("oemid", "not base64url");
      c.oemid = Oemid{std::nullopt, *std::move(b)};
    }
  }
  if (o.contains("hwversion")) {
    const nlohmann::json& hv = o["hwversion"];
    if (!hv.is_array() || hv.empty() || hv.size() > 2 || !hv[0].is_string() ||
        (hv.size() == 2 && !hv[1].is_number_integer())) {
      return Bad("hwversion", "not [text, ? int]");
    }
    HwVersion v{hv[0].get<std::string>(), std::nullopt};
    if (hv.size() == 2) v.scheme = hv[1].get<int64_t>();
    c.hwversion = v;
  }
  return c;
}

nlohmann::json TeepEatClaimsToJson(const TeepEatClaims& c) {
  nlohmann::json o = nlohmann::json::object();
  if (c.nonce) o["eat_nonce"] = Base64UrlEncode(*c.nonce);
  if (c.ueid) o["ueid"] = Base64UrlEncode(*c.ueid);
  if (c.oemid) {
    if (c.oemid->pen) {
      o["oemid"] = *c.oemid->pen;
    } else {
      o["oemid"] = Base64UrlEncode(c.oemid->bytes);
    }
  }
  if (c.hwmodel) o["hwmodel"] = Base64UrlEncode(*c.hwmodel);
  if (c.hwversion) {
    nlohmann::json hv = nlohmann::json::array({c.hwversion->version});
    if (c.hwversion->scheme) hv.push_back(*c.hwversion->scheme);
    o["hwversion"] = hv;
  }
  return o;
}

}  // namespace teepnet::eat
