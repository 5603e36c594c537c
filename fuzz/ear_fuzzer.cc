// deps: teepnet_eat
// Fuzzes the EAR and TEEP EAT claim decoders. The first byte picks the entry point:
//   0: EAR CBOR claims map   1: EAR JSON claims   2: EAR JWT (verify, fixed key)
//   3: EAR CWT (verify)      4: TEEP EAT claims (CBOR)
// Properties: no crash; whatever decodes re-encodes (CBOR and JSON) to something that decodes
// to the same submodule statuses; nothing verifies under a key that signed nothing.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "teepnet/cbor/value.h"
#include "teepnet/eat/ear.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/eat/teep_eat_claims.h"

using namespace teepnet;
using namespace teepnet::eat;

namespace {

void CheckRoundTrip(const Ear& ear) {
  auto from_cbor = EarFromCbor(EarToCbor(ear));
  auto from_json = EarFromJson(EarToJson(ear));
  if (!from_cbor.ok() || !from_json.ok()) abort();
  for (const auto& [name, a] : ear.submods) {
    if (from_cbor->submods.at(name).status != a.status) abort();
    if (from_json->submods.at(name).status != a.status) abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const crypto::PublicKey kKey =
      crypto::PrivateKey::Generate(crypto::KeyType::kP256)->public_key();
  if (size == 0) return 0;
  ByteView input(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      auto v = cbor::Decode(input);
      if (!v.ok()) return 0;
      auto ear = EarFromCbor(*v);
      if (ear.ok()) CheckRoundTrip(*ear);
      break;
    }
    case 1: {
      nlohmann::json j = nlohmann::json::parse(AsChars(input), nullptr, false);
      if (j.is_discarded()) return 0;
      auto ear = EarFromJson(j);
      if (ear.ok()) CheckRoundTrip(*ear);
      break;
    }
    case 2:
      if (VerifyEarJwt(AsChars(input), kKey).ok()) abort();
      break;
    case 3:
      if (VerifyEarCwt(input, kKey).ok()) abort();
      break;
    default: {
      auto claims = DecodeTeepEatClaims(input);
      if (claims.ok() && !DecodeTeepEatClaims(EncodeTeepEatClaims(*claims)).ok()) abort();
      break;
    }
  }
  return 0;
}
