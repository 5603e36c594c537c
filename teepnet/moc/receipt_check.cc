#include "teepnet/moc/receipt_check.h"

#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/moc/errc.h"

namespace teepnet::moc {

namespace {

Error Invalid(std::string why) {
  return Error(Errc::kReceiptInvalid, std::move(why));
}

Error UnreadableEar(const Error& cause) {
  return Invalid("the request's stored EAR cannot be read: " + cause.ToString());
}

// RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
Result<eat::Ear> DecodeJwtClaims(std::string_view jwt) {
  const size_t first = jwt.find('.');
  const size_t second = first == std::string_view::npos ? first : jwt.find('.', first + 1);
  if (second == std::string_view::npos || jwt.find('.', second + 1) != std::string_view::npos) {
    return Invalid("the request's stored EAR is not a compact JWS");
  }
  Result<Bytes> payload = eat::Base64UrlDecode(jwt.substr(first + 1, second - first - 1));
  if (!payload.ok()) return UnreadableEar(payload.error());
  const nlohmann::json claims =
      nlohmann::json::parse(payload->begin(), payload->end(), nullptr, /*allow_exceptions=*/false);
  if (claims.is_discarded()) return Invalid("the request's stored EAR claims are not JSON");
  Result<eat::Ear> ear = eat::EarFromJson(claims);
  if (!ear.ok()) return UnreadableEar(ear.error());
  return ear;
}

Result<eat::Ear> DecodeCwtClaims(ByteView cwt) {
  Result<cose::Sign1Message> message = cose::Sign1Message::Decode(cwt);
  if (!message.ok()) return UnreadableEar(message.error());
  if (!message->payload()) return Invalid("the request's stored EAR CWT has no payload");
  Result<cbor::Value> claims = cbor::Decode(*message->payload());
  if (!claims.ok()) return UnreadableEar(claims.error());
  Result<eat::Ear> ear = eat::EarFromCbor(*claims);
  if (!ear.ok()) return UnreadableEar(ear.error());
  return ear;
}

// An attested key as the EAR carries it (SubjectPublicKeyInfo DER) and its RFC 9679
// thumbprint, the kid a receipt names.
struct Keyed {
  crypto::PublicKey key;
  Bytes thumbprint;
};

Result<Keyed> KeyOf(ByteView spki_der) {
  TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey key, crypto::PublicKey::FromSpkiDer(spki_der));
  TEEPNET_ASSIGN_OR_RETURN(Bytes thumbprint, cose::CoseKey::FromPublicKey(key).Thumbprint());
  return Keyed{std::move(key), std::move(thumbprint)};
}

// The submodule that attests the placed device: the one listing a key whose thumbprint is the
// device id (the Agent's TEEP key, USE-CASES "Parties and their keys").
struct DeviceAppraisal {
  const eat::EarAppraisal* appraisal = nullptr;
  std::optional<Keyed> agent_key;
};

DeviceAppraisal FindDevice(const eat::Ear& ear, std::string_view device_id) {
  for (const auto& [name, appraisal] : ear.submods) {
    for (const Bytes& encoded : appraisal.attested_keys) {
      Result<Keyed> keyed = KeyOf(encoded);
      if (keyed.ok() && ToHex(keyed->thumbprint) == device_id) {
        return DeviceAppraisal{&appraisal, std::move(keyed).value()};
      }
    }
  }
  return DeviceAppraisal{};
}

}  // namespace

Result<eat::Ear> DecodeStoredEar(ByteView ear, std::string_view media_type) {
  if (ear.empty()) return Invalid("the request has no EAR");
  if (media_type.substr(0, 19) == "application/eat+cwt") return DecodeCwtClaims(ear);
  return DecodeJwtClaims(AsChars(ear));
}

Result<channel::Receipt> CheckReceipt(const Request& request, ByteView receipt) {
  if (receipt.size() > channel::kMaxReceiptBytes) {
    return Invalid("a receipt is at most " + std::to_string(channel::kMaxReceiptBytes) + " bytes");
  }
  TEEPNET_ASSIGN_OR_RETURN(eat::Ear ear, DecodeStoredEar(request.ear, request.ear_media_type));
  DeviceAppraisal device = FindDevice(ear, request.device_id);
  if (device.appraisal == nullptr) {
    return Invalid("the request's EAR attests no key of device " + request.device_id);
  }
  Result<Bytes> kid = channel::ReceiptKeyId(receipt);
  if (!kid.ok()) return Invalid("the receipt names no key: " + kid.error().ToString());

  // Who may sign: the recipient of the sealed bytes, and nobody else (USE-CASES "Receipts").
  const bool to_ta = ChannelTargetFor(request.use_case) == ChannelTarget::kTa;
  std::optional<Keyed> signer;
  const eat::EarInstance* instance = nullptr;
  if (!to_ta) {
    signer = device.agent_key;
  } else {
    if (request.channel_instance.empty()) {
      return Invalid("request " + request.id + " names no TA instance to expect a receipt from");
    }
    for (const eat::EarInstance& candidate : device.appraisal->instances) {
      if (candidate.name == request.channel_instance) instance = &candidate;
    }
    if (instance == nullptr) {
      return Invalid("the request's EAR does not attest TA instance " + request.channel_instance);
    }
    Result<Keyed> proof = KeyOf(instance->proof_key);
    if (!proof.ok()) {
      return Invalid("the EAR's proof key of " + instance->name +
                     " is not usable: " + proof.error().ToString());
    }
    signer = std::move(proof).value();
  }
  if (!Equal(*kid, signer->thumbprint)) {
    return Invalid("the receipt is signed by key " + ToHex(*kid) + ", not by the " +
                   (to_ta ? "proof key of TA instance " + request.channel_instance
                          : std::string("TEEP Agent key of device ") + request.device_id) +
                   " that the EAR names");
  }
  Result<channel::Receipt> verified = channel::VerifyReceipt(receipt, signer->key);
  if (!verified.ok()) return Invalid("the receipt does not verify: " + verified.error().ToString());
  if (verified->request_id != request.id) {
    return Invalid("the receipt is for request " + verified->request_id + ", not " + request.id);
  }
  if (verified->instance != request.channel_instance) {
    return Invalid("the receipt is for instance \"" + verified->instance + "\", not \"" +
                   request.channel_instance + "\"");
  }
  // The TA that received the PD is the one the EAR measured (cases 2, 3). For cases 1 and 4
  // the TA came inside the sealed bundle: only the user knows what it sealed.
  if (instance != nullptr && !instance->measurement.empty() &&
      !Equal(verified->measurement, instance->measurement)) {
    return Invalid("the receipt's TA measurement is not the one the EAR attests for " +
                   instance->name);
  }
  return verified;
}

}  // namespace teepnet::moc
