#include "teepnet/channel/receipt.h"

#include <string>
#include <string_view>
#include <utility>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/channel/errc.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/sign1.h"

namespace teepnet::channel {
namespace {

constexpr size_t kReceiptFields = 5;
constexpr size_t kReceiptFieldsWithResult = 6;

Error Malformed(std::string what, size_t offset = kNoOffset) {
  return Error(Errc::kMalformed, "receipt: " + std::move(what), offset);
}

// USE-CASES "Receipts": "EdDSA for a proof key, the Agent's suite for its TEEP key".
Result<cose::Algorithm> AlgorithmFor(crypto::KeyType type) {
  switch (type) {
    case crypto::KeyType::kEd25519: return cose::Algorithm::kEdDSA;
    case crypto::KeyType::kP256: return cose::Algorithm::kESP256;
    default:
      return Malformed("a receipt is signed with an Ed25519 or P-256 key, not " +
                       std::string(crypto::KeyTypeName(type)));
  }
}

Status CheckFields(const Receipt& r) {
  if (r.request_id.size() > kMaxReceiptRequestIdBytes) return Malformed("request_id too long");
  if (r.instance.size() > kMaxReceiptInstanceBytes) return Malformed("instance too long");
  if (r.pd_digest.size() != kReceiptDigestBytes) return Malformed("pd_digest is not 32 bytes");
  if (r.measurement.size() != kReceiptDigestBytes) return Malformed("measurement is not 32 bytes");
  if (r.result && r.result->size() > kMaxReceiptResultBytes) return Malformed("result too long");
  return OkStatus();
}

Status ReadText(cbor::Reader& r, const char* name, size_t limit, std::string* out) {
  const size_t at = r.offset();
  std::string_view text;
  if (!r.ReadText(&text).ok()) return Malformed(std::string(name) + " must be a tstr", at);
  if (text.size() > limit) return Malformed(std::string(name) + " too long", at);
  *out = std::string(text);
  return OkStatus();
}

Status ReadDigest(cbor::Reader& r, const char* name, Bytes* out) {
  const size_t at = r.offset();
  ByteView bytes;
  if (!r.ReadBytes(&bytes).ok()) return Malformed(std::string(name) + " must be a bstr", at);
  if (bytes.size() != kReceiptDigestBytes) {
    return Malformed(std::string(name) + " is not a SHA-256 digest", at);
  }
  *out = ToBytes(bytes);
  return OkStatus();
}

Result<cose::Sign1Message> DecodeReceiptMessage(ByteView cose_sign1) {
  if (cose_sign1.size() > kMaxReceiptBytes) {
    return Error(Errc::kTooLarge, "receipt exceeds " + std::to_string(kMaxReceiptBytes) + " bytes");
  }
  auto msg = cose::Sign1Message::Decode(cose_sign1, cose::Tagging::kOptional);
  if (!msg.ok()) return Malformed("not a COSE_Sign1: " + msg.error().ToString());
  return msg;
}

}  // namespace

Result<Bytes> EncodeReceiptPayload(const Receipt& receipt) {
  TEEPNET_RETURN_IF_ERROR(CheckFields(receipt));
  cbor::Writer w;
  w.WriteArrayHeader(receipt.result ? kReceiptFieldsWithResult : kReceiptFields);
  w.WriteText(kReceiptContext);
  w.WriteText(receipt.request_id);
  w.WriteText(receipt.instance);
  w.WriteBytes(receipt.pd_digest);
  w.WriteBytes(receipt.measurement);
  if (receipt.result) w.WriteBytes(*receipt.result);
  return std::move(w).Take();
}

Result<Receipt> DecodeReceiptPayload(ByteView payload) {
  if (payload.size() > kMaxReceiptBytes) {
    return Error(Errc::kTooLarge, "receipt payload exceeds " + std::to_string(kMaxReceiptBytes));
  }
  cbor::Reader r(payload, cbor::DecodeOptions::Deterministic());
  size_t n = 0;
  if (!r.ReadArrayHeader(&n).ok() || (n != kReceiptFields && n != kReceiptFieldsWithResult)) {
    return Malformed("payload is not an array of 5 or 6", 0);
  }
  const size_t context_at = r.offset();
  std::string_view context;
  if (!r.ReadText(&context).ok()) return Malformed("context must be a tstr", context_at);
  if (context != kReceiptContext) {
    return Error(Errc::kWrongContext, "receipt context is not " + std::string(kReceiptContext),
                 context_at);
  }
  Receipt out;
  TEEPNET_RETURN_IF_ERROR(ReadText(r, "request_id", kMaxReceiptRequestIdBytes, &out.request_id));
  TEEPNET_RETURN_IF_ERROR(ReadText(r, "instance", kMaxReceiptInstanceBytes, &out.instance));
  TEEPNET_RETURN_IF_ERROR(ReadDigest(r, "pd_digest", &out.pd_digest));
  TEEPNET_RETURN_IF_ERROR(ReadDigest(r, "measurement", &out.measurement));
  if (n == kReceiptFieldsWithResult) {
    const size_t at = r.offset();
    ByteView result;
    if (!r.ReadBytes(&result).ok()) return Malformed("result must be a bstr", at);
    if (result.size() > kMaxReceiptResultBytes) return Malformed("result too long", at);
    out.result = ToBytes(result);
  }
  if (!r.ExpectEnd().ok()) return Malformed("bytes after the payload array", r.offset());
  return out;
}

Result<Bytes> SignReceipt(const Receipt& receipt, const crypto::PrivateKey& key) {
  TEEPNET_ASSIGN_OR_RETURN(cose::Algorithm alg, AlgorithmFor(key.type()));
  TEEPNET_ASSIGN_OR_RETURN(Bytes payload, EncodeReceiptPayload(receipt));
  TEEPNET_ASSIGN_OR_RETURN(Bytes kid, cose::CoseKey::FromPublicKey(key.public_key()).Thumbprint());
  cose::Sign1Options options;
  options.alg = alg;
  // RFC 9052 §3.1: kid is not security-critical (the verifier is told the key), so it sits in
  // the unprotected bucket as a hint.
  options.unprotected_headers.SetKid(kid);
  options.tagged = true;
  return cose::CreateSign1(key, payload, options);
}

Result<Bytes> ReceiptKeyId(ByteView cose_sign1) {
  TEEPNET_ASSIGN_OR_RETURN(cose::Sign1Message msg, DecodeReceiptMessage(cose_sign1));
  auto kid = msg.headers().Kid();
  if (!kid.ok() || !kid->has_value()) return Malformed("no kid header");
  return ToBytes(**kid);
}

Result<Receipt> VerifyReceipt(ByteView cose_sign1, const crypto::PublicKey& key) {
  TEEPNET_ASSIGN_OR_RETURN(cose::Sign1Message msg, DecodeReceiptMessage(cose_sign1));
  TEEPNET_ASSIGN_OR_RETURN(cose::Algorithm alg, AlgorithmFor(key.type()));
  // Only the algorithm the key implies: a receipt never picks a weaker or different scheme.
  if (msg.algorithm().id != alg) {
    return Error(Errc::kBadReceipt,
                 "receipt algorithm " + std::string(msg.algorithm().name) + " is not " +
                     std::string(alg == cose::Algorithm::kEdDSA ? "EdDSA" : "ESP256"));
  }
  auto verified = msg.Verify(key);
  if (!verified.ok()) {
    return Error(Errc::kBadReceipt,
                 "receipt signature does not verify: " + verified.error().ToString());
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes thumbprint, cose::CoseKey::FromPublicKey(key).Thumbprint());
  auto kid = msg.headers().Kid();
  if (!kid.ok() || !kid->has_value() || ToBytes(**kid) != thumbprint) {
    return Error(Errc::kBadReceipt, "receipt kid is not the thumbprint of the key");
  }
  return DecodeReceiptPayload(*verified);
}

}  // namespace teepnet::channel
