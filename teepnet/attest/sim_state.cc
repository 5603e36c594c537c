#include "teepnet/attest/sim_state.h"

#include "teepnet/attest/errc.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::attest {
namespace {

Error BadState(const std::string& why) {
  return Error(Errc::kBadState, "simulated platform state: " + why);
}

Result<crypto::PrivateKey> KeyAt(const cbor::Value& map, int64_t key) {
  const cbor::Value* v = map.Find(key);
  if (v == nullptr || !v->is_bytes()) return BadState("key missing");
  auto k = crypto::PrivateKey::FromPkcs8Der(v->bytes());
  if (!k.ok()) return BadState("key does not parse");
  return *std::move(k);
}

Result<Bytes> BytesAt(const cbor::Value& map, int64_t key) {
  const cbor::Value* v = map.Find(key);
  if (v == nullptr || !v->is_bytes()) return BadState("byte field missing");
  return v->bytes();
}

}  // namespace

SecretBytes EncodeSimState(const SimState& s) {
  // Written with the Writer (not the DOM) so that the private keys exist in exactly one
  // non-secret buffer, which is wiped below.
  cbor::Writer w;
  w.WriteMapHeader(s.rak ? 9 : 5);
  w.WriteUint(1);
  w.WriteText(s.format);
  w.WriteUint(2);
  w.WriteBytes(s.attestation_key->ToPkcs8Der().view());
  w.WriteUint(3);
  w.WriteBytes(s.implementation_id);
  w.WriteUint(4);
  w.WriteInt(s.lifecycle);
  w.WriteUint(5);
  w.WriteArrayHeader(s.sw.size());
  for (const PsaSwComponent& c : s.sw) {
    w.WriteArrayHeader(4);
    w.WriteText(c.type);
    w.WriteBytes(c.measurement);
    w.WriteText(c.version);
    w.WriteBytes(c.signer_id);
  }
  if (s.rak) {
    w.WriteUint(6);
    w.WriteBytes(s.rak->ToPkcs8Der().view());
    w.WriteUint(7);
    w.WriteBytes(s.rim);
    w.WriteUint(8);
    w.WriteBytes(s.personalization);
    w.WriteUint(9);
    w.WriteInt(s.rak_encoding);
  }
  Bytes encoded = std::move(w).Take();
  SecretBytes out(encoded);
  SecureWipe(encoded.data(), encoded.size());
  return out;
}

Result<SimState> DecodeSimState(ByteView bytes, const std::string& format) {
  auto v = cbor::Decode(bytes);
  if (!v.ok() || !v->is_map()) return BadState("not a CBOR map");
  const cbor::Value* f = v->Find(1);
  if (f == nullptr || !f->is_text() || f->text() != format)
    return BadState("not a " + format + " state");
  SimState s;
  s.format = format;
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey key, KeyAt(*v, 2));
  s.attestation_key = key;
  TEEPNET_ASSIGN_OR_RETURN(s.implementation_id, BytesAt(*v, 3));
  const cbor::Value* lc = v->Find(4);
  if (lc == nullptr || !lc->AsInt64()) return BadState("lifecycle missing");
  s.lifecycle = *lc->AsInt64();
  const cbor::Value* sw = v->Find(5);
  if (sw == nullptr || !sw->is_array() || sw->array().empty()) return BadState("firmware missing");
  for (const cbor::Value& c : sw->array()) {
    if (!c.is_array() || c.array().size() != 4 || !c.array()[0].is_text() ||
        !c.array()[1].is_bytes() || !c.array()[2].is_text() || !c.array()[3].is_bytes()) {
      return BadState("firmware entry malformed");
    }
    s.sw.push_back(PsaSwComponent{std::string(c.array()[0].text()), c.array()[1].bytes(),
                                  std::string(c.array()[2].text()), c.array()[3].bytes(), ""});
  }
  if (v->Find(6) != nullptr) {
    TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey rak, KeyAt(*v, 6));
    s.rak = rak;
    TEEPNET_ASSIGN_OR_RETURN(s.rim, BytesAt(*v, 7));
    TEEPNET_ASSIGN_OR_RETURN(s.personalization, BytesAt(*v, 8));
    const cbor::Value* enc = v->Find(9);
    if (enc == nullptr || !enc->AsInt64() || (*enc->AsInt64() != 0 && *enc->AsInt64() != 1)) {
      return BadState("RAK encoding missing");
    }
    s.rak_encoding = *enc->AsInt64();
  }
  return s;
}

}  // namespace teepnet::attest
