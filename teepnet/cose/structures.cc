#include "teepnet/cose/structures.h"

#include "teepnet/cbor/writer.h"
#include "teepnet/cose/errc.h"

namespace teepnet::cose {

namespace {

// Upper bound of a bstr/tstr head plus contents: a head is at most 9 bytes.
constexpr size_t Sized(size_t n) {
  return n + 9;
}

}  // namespace

Bytes SigStructure1(ByteView body_protected, ByteView external_aad, ByteView payload) {
  cbor::Writer w(1 + Sized(10) + Sized(body_protected.size()) + Sized(external_aad.size()) +
                 Sized(payload.size()));
  w.WriteArrayHeader(4);
  w.WriteText("Signature1");
  w.WriteBytes(body_protected);
  w.WriteBytes(external_aad);
  w.WriteBytes(payload);
  return std::move(w).Take();
}

Bytes SigStructure(ByteView body_protected, ByteView sign_protected, ByteView external_aad,
                   ByteView payload) {
  cbor::Writer w(1 + Sized(9) + Sized(body_protected.size()) + Sized(sign_protected.size()) +
                 Sized(external_aad.size()) + Sized(payload.size()));
  w.WriteArrayHeader(5);
  w.WriteText("Signature");
  w.WriteBytes(body_protected);
  w.WriteBytes(sign_protected);
  w.WriteBytes(external_aad);
  w.WriteBytes(payload);
  return std::move(w).Take();
}

Bytes MacStructure(std::string_view context, ByteView protected_bytes, ByteView external_aad,
                   ByteView payload) {
  cbor::Writer w(1 + Sized(context.size()) + Sized(protected_bytes.size()) +
                 Sized(external_aad.size()) + Sized(payload.size()));
  w.WriteArrayHeader(4);
  w.WriteText(context);
  w.WriteBytes(protected_bytes);
  w.WriteBytes(external_aad);
  w.WriteBytes(payload);
  return std::move(w).Take();
}

Bytes EncStructure(std::string_view context, ByteView protected_bytes, ByteView external_aad) {
  cbor::Writer w(1 + Sized(context.size()) + Sized(protected_bytes.size()) +
                 Sized(external_aad.size()));
  w.WriteArrayHeader(3);
  w.WriteText(context);
  w.WriteBytes(protected_bytes);
  w.WriteBytes(external_aad);
  return std::move(w).Take();
}

namespace {

// PartyInfo = [identity: bstr / nil, nonce: bstr / int / nil, other: bstr / nil]
// (RFC 9053 §5.2). Values are copied verbatim from the headers after a type check.
Status WritePartyInfo(cbor::Writer& w, const Headers& h, int64_t identity, int64_t nonce,
                      int64_t other) {
  w.WriteArrayHeader(3);
  for (int64_t label : {identity, nonce, other}) {
    auto raw = h.Raw(label);
    if (!raw) {
      w.WriteNull();
      continue;
    }
    cbor::Reader r(*raw);
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, r.PeekType());
    bool ok = type == cbor::ItemType::kBytes ||
              (label == nonce &&
               (type == cbor::ItemType::kUnsigned || type == cbor::ItemType::kNegative));
    if (!ok) {
      return Error(Errc::kBadHeaderValue,
                   "party info header " + std::to_string(label) + " has the wrong type");
    }
    w.WriteRaw(*raw);
  }
  return OkStatus();
}

}  // namespace

Result<Bytes> KdfContext(Algorithm key_alg, size_t key_bytes, const Headers& recipient,
                         const KdfExtras& extras) {
  cbor::Writer w;
  w.WriteArrayHeader(extras.supp_priv_info ? 5 : 4);
  w.WriteInt(static_cast<int64_t>(key_alg));
  TEEPNET_RETURN_IF_ERROR(
      WritePartyInfo(w, recipient, kLabelPartyUIdentity, kLabelPartyUNonce, kLabelPartyUOther));
  TEEPNET_RETURN_IF_ERROR(
      WritePartyInfo(w, recipient, kLabelPartyVIdentity, kLabelPartyVNonce, kLabelPartyVOther));
  // SuppPubInfo = [keyDataLength: uint, protected: empty_or_serialized_map, ? other: bstr]
  w.WriteArrayHeader(extras.supp_pub_other ? 3 : 2);
  w.WriteUint(uint64_t{key_bytes} * 8);
  w.WriteBytes(recipient.protected_bytes);
  if (extras.supp_pub_other) w.WriteBytes(*extras.supp_pub_other);
  if (extras.supp_priv_info) w.WriteBytes(*extras.supp_priv_info);
  return std::move(w).Take();
}

Bytes HpkeRecipientInfo(int64_t next_layer_alg, ByteView recipient_protected, ByteView extra_info) {
  cbor::Writer w(32 + recipient_protected.size() + extra_info.size());
  w.WriteArrayHeader(4);
  w.WriteText("HPKE Recipient");
  w.WriteInt(next_layer_alg);
  w.WriteBytes(recipient_protected);
  w.WriteBytes(extra_info);
  return std::move(w).Take();
}

}  // namespace teepnet::cose
