#include "teepnet/attest/psa_sim_platform.h"

#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_appraiser.h"
#include "teepnet/attest/sim_state.h"
#include "teepnet/base/hex.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"

namespace teepnet::attest {
namespace {

constexpr char kFormat[] = "teepnet-sim-psa/1";

Bytes InstanceIdOf(const crypto::PublicKey& key) {
  Bytes id{0x01};
  Bytes h = crypto::Sha256(key.RawPublic());
  id.insert(id.end(), h.begin(), h.end());
  return id;
}

}  // namespace

std::vector<PsaSwComponent> SimFirmware(const std::string& label) {
  const Bytes signer = crypto::Sha256(AsBytes("teepnet simulated firmware signer"));
  std::vector<PsaSwComponent> out;
  for (const char* name : {"BL", "PRoT", "ARoT"}) {
    out.push_back(PsaSwComponent{name, crypto::Sha256(AsBytes(label + "/" + name + "/1.0.0")),
                                 "1.0.0", signer, "sha-256"});
  }
  return out;
}

std::optional<Bytes> PadTo(ByteView data, std::initializer_list<size_t> sizes) {
  for (size_t n : sizes) {
    if (data.size() <= n) {
      Bytes out(data.begin(), data.end());
      out.resize(n, 0);
      return out;
    }
  }
  return std::nullopt;
}

SimPsaPlatform::SimPsaPlatform(crypto::PrivateKey iak, Bytes implementation_id, int64_t lifecycle,
                               std::vector<PsaSwComponent> sw)
    : iak_(std::move(iak)),
      iak_public_(iak_.public_key()),
      implementation_id_(std::move(implementation_id)),
      instance_id_(InstanceIdOf(iak_public_)),
      lifecycle_(lifecycle),
      sw_(std::move(sw)) {}

Result<SimPsaPlatform> SimPsaPlatform::Create() {
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey iak,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP256));
  TEEPNET_ASSIGN_OR_RETURN(Bytes impl, crypto::RandomBytes(32));
  return SimPsaPlatform(std::move(iak), std::move(impl), 0x3000, SimFirmware("psa"));
}

Result<SimPsaPlatform> SimPsaPlatform::Load(ByteView state) {
  TEEPNET_ASSIGN_OR_RETURN(SimState s, DecodeSimState(state, kFormat));
  if (!s.attestation_key || s.attestation_key->type() != crypto::KeyType::kP256 ||
      s.implementation_id.size() != 32) {
    return Error(Errc::kBadState, "PSA state: IAK must be P-256 and implementation-id 32 bytes");
  }
  for (PsaSwComponent& c : s.sw) c.description = "sha-256";
  return SimPsaPlatform(*std::move(s.attestation_key), std::move(s.implementation_id), s.lifecycle,
                        std::move(s.sw));
}

SecretBytes SimPsaPlatform::Serialize() const {
  SimState s;
  s.format = kFormat;
  s.attestation_key = iak_;
  s.implementation_id = implementation_id_;
  s.lifecycle = lifecycle_;
  s.sw = sw_;
  return EncodeSimState(s);
}

Result<Bytes> SimPsaPlatform::GetEvidence(ByteView report_data) {
  std::optional<Bytes> nonce = PadTo(report_data, {32, 48, 64});
  if (!nonce) return Error(Errc::kBadState, "report data longer than 64 bytes");
  PsaClaims c;
  c.profile = kPsaProfile2;
  c.nonce = *std::move(nonce);
  c.instance_id = instance_id_;
  c.client_id = 1;
  c.lifecycle = lifecycle_;
  c.implementation_id = implementation_id_;
  TEEPNET_ASSIGN_OR_RETURN(c.boot_seed, crypto::RandomBytes(32));
  c.sw_components = sw_;
  c.verification_service = "https://teepnet.invalid/verifier";
  Bytes payload = EncodePsaClaims(c, PsaClaimsKind::kPsa);
  cose::Sign1Options options;
  options.alg = cose::Algorithm::kES256;
  return cose::CreateSign1(iak_, payload, options);
}

std::string SimPsaPlatform::measurement_hex() const {
  return ToHex(CompositeMeasurement(sw_));
}

PsaEndorsements SimPsaPlatform::Endorsements() const {
  PsaEndorsements e;
  e.AddTrustAnchor(PsaTrustAnchor{implementation_id_, instance_id_, iak_public_});
  for (const PsaSwComponent& c : sw_) {
    e.AddSwReference(
        PsaSwReference{implementation_id_, c.type, c.version, c.signer_id, c.measurement});
  }
  return e;
}

}  // namespace teepnet::attest
