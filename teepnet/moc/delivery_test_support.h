// TESTONLY: a device with real keys for the delivery tests: the Agent's TEEP key (its RFC 9679
// thumbprint is the device id), one TA instance with its HPKE and proof keys, and the EAR the
// M/OC's Verifier would issue for it (teepnet_attested_keys and teepnet_instances filled as
// evidence/tam_appraiser.h does).
#ifndef TEEPNET_MOC_DELIVERY_TEST_SUPPORT_H_
#define TEEPNET_MOC_DELIVERY_TEST_SUPPORT_H_

#include <string>

#include "teepnet/base/hex.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/eat/ear.h"
#include "teepnet/eat/ear_token.h"

namespace teepnet::moc::testing {

// The media type the TAM stores EARs with (services/moc/tam_reconciler.h kEarMediaType).
inline constexpr char kEarJwtMediaType[] =
    "application/eat+jwt; eat_profile=\"tag:github.com,2023:veraison/ear\"";

struct TestDevice {
  crypto::PrivateKey agent = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  crypto::PrivateKey agent_hpke = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  crypto::PrivateKey instance_hpke = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  crypto::PrivateKey proof = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  crypto::PrivateKey ear_key = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  Bytes measurement = crypto::Sha256(AsBytes(std::string_view("the TA executable")));

  std::string id() const {
    return ToHex(*cose::CoseKey::FromPublicKey(agent.public_key()).Thumbprint());
  }

  // The EAR claims for this device with `instance` attested (none when empty).
  eat::Ear EarClaims(const std::string& instance, int64_t now) const {
    eat::Ear ear;
    ear.iat = now;
    ear.verifier_build = "teepnet-moc";
    eat::EarAppraisal appraisal;
    appraisal.status = attest::Tier::kAffirming;
    appraisal.attested_keys = {agent.public_key().ToSpkiDer(), agent_hpke.public_key().ToSpkiDer()};
    if (!instance.empty()) {
      appraisal.instances.push_back(eat::EarInstance{instance, measurement,
                                                     instance_hpke.public_key().ToSpkiDer(),
                                                     proof.public_key().ToSpkiDer()});
    }
    ear.submods["teep-agent"] = appraisal;
    return ear;
  }
  Bytes EarJwt(const std::string& instance, int64_t now) const {
    return ToBytes(AsBytes(*eat::IssueEarJwt(EarClaims(instance, now), ear_key)));
  }

  // A receipt as the recipient would sign it.
  static Bytes Receipt(const crypto::PrivateKey& key, std::string request_id, std::string instance,
                       Bytes measurement) {
    channel::Receipt r{std::move(request_id), std::move(instance),
                       crypto::Sha256(AsBytes(std::string_view("the PD"))), std::move(measurement),
                       std::nullopt};
    return *channel::SignReceipt(r, key);
  }
  Bytes InstanceReceipt(std::string request_id, std::string instance) const {
    return Receipt(proof, std::move(request_id), std::move(instance), measurement);
  }
  Bytes AgentReceipt(std::string request_id) const {
    return Receipt(agent, std::move(request_id), "",
                   crypto::Sha256(AsBytes(std::string_view("the sealed TA"))));
  }
};

}  // namespace teepnet::moc::testing

#endif  // TEEPNET_MOC_DELIVERY_TEST_SUPPORT_H_
