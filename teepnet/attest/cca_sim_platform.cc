#include "teepnet/attest/cca_sim_platform.h"

#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/sim_state.h"
#include "teepnet/base/hex.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"

namespace teepnet::attest {
namespace {

constexpr char kFormat[] = "teepnet-sim-cca/1";

}  // namespace

void SimCcaPlatform::Derive() {
  cpak_public_ = cpak_->public_key();
  instance_id_ = Bytes{0x01};
  Bytes h = crypto::Sha256(cpak_public_->RawPublic());
  instance_id_.insert(instance_id_.end(), h.begin(), h.end());
}

Result<SimCcaPlatform> SimCcaPlatform::Create(RealmKeyEncoding encoding) {
  SimCcaPlatform p;
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey cpak,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP384));
  TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey rak,
                           crypto::PrivateKey::Generate(crypto::KeyType::kP384));
  p.cpak_ = std::move(cpak);
  p.rak_ = std::move(rak);
  TEEPNET_ASSIGN_OR_RETURN(p.implementation_id_, crypto::RandomBytes(32));
  TEEPNET_ASSIGN_OR_RETURN(p.rim_, crypto::RandomBytes(32));
  p.personalization_ = Bytes(64, 0);
  p.sw_ = SimFirmware("cca");
  p.encoding_ = encoding;
  p.Derive();
  return p;
}

Result<SimCcaPlatform> SimCcaPlatform::Load(ByteView state) {
  TEEPNET_ASSIGN_OR_RETURN(SimState s, DecodeSimState(state, kFormat));
  if (!s.rak || !s.attestation_key || s.attestation_key->type() != crypto::KeyType::kP384 ||
      s.rak->type() != crypto::KeyType::kP384 || s.implementation_id.size() != 32 ||
      s.personalization.size() != 64 || (s.rim.size() != 32 && s.rim.size() != 64)) {
    return Error(Errc::kBadState, "CCA state: keys must be P-384 and sizes as the RMM spec");
  }
  SimCcaPlatform p;
  p.cpak_ = *std::move(s.attestation_key);
  p.rak_ = *std::move(s.rak);
  p.implementation_id_ = std::move(s.implementation_id);
  p.lifecycle_ = s.lifecycle;
  p.sw_ = std::move(s.sw);
  for (PsaSwComponent& c : p.sw_) c.description = "sha-256";
  p.rim_ = std::move(s.rim);
  p.personalization_ = std::move(s.personalization);
  p.encoding_ = s.rak_encoding == 0 ? RealmKeyEncoding::kSec1Point : RealmKeyEncoding::kCoseKey;
  p.Derive();
  return p;
}

SecretBytes SimCcaPlatform::Serialize() const {
  SimState s;
  s.format = kFormat;
  s.attestation_key = cpak_;
  s.implementation_id = implementation_id_;
  s.lifecycle = lifecycle_;
  s.sw = sw_;
  s.rak = rak_;
  s.rim = rim_;
  s.personalization = personalization_;
  s.rak_encoding = encoding_ == RealmKeyEncoding::kSec1Point ? 0 : 1;
  return EncodeSimState(s);
}

Result<Bytes> SimCcaPlatform::GetEvidence(ByteView report_data) {
  std::optional<Bytes> challenge = PadTo(report_data, {64});
  if (!challenge) return Error(Errc::kBadState, "report data longer than 64 bytes");
  CcaRealmClaims rc;
  rc.profile = encoding_ == RealmKeyEncoding::kCoseKey ? kCcaRealmProfile : "";
  rc.challenge = *std::move(challenge);
  rc.personalization_value = personalization_;
  rc.hash_alg = "sha-256";
  rc.initial_measurement = rim_;
  for (Bytes& rem : rc.extensible_measurements) rem = Bytes(32, 0);
  const crypto::PublicKey rak_public = rak_->public_key();
  rc.public_key_claim = encoding_ == RealmKeyEncoding::kCoseKey
                            ? cose::CoseKey::FromPublicKey(rak_public).Encode(false)
                            : rak_public.RawPublic();
  rc.key_encoding = encoding_;
  rc.public_key_hash_alg = "sha-256";
  cose::Sign1Options options;
  options.alg = cose::Algorithm::kES384;
  TEEPNET_ASSIGN_OR_RETURN(Bytes realm,
                           cose::CreateSign1(*rak_, EncodeCcaRealmClaims(rc), options));

  PsaClaims pc;
  pc.profile = kCcaPlatformProfile;
  pc.nonce = crypto::Sha256(rc.public_key_claim);
  pc.instance_id = instance_id_;
  pc.lifecycle = lifecycle_;
  pc.implementation_id = implementation_id_;
  pc.sw_components = sw_;
  pc.platform_config = Bytes{0x01, 0x02, 0x03};
  pc.hash_alg_id = "sha-256";
  pc.verification_service = "https://teepnet.invalid/verifier";
  TEEPNET_ASSIGN_OR_RETURN(
      Bytes platform,
      cose::CreateSign1(*cpak_, EncodePsaClaims(pc, PsaClaimsKind::kCcaPlatform), options));
  return EncodeCcaCollection(platform, realm);
}

Result<Bytes> SimCcaPlatform::GetGuestEvidence(ByteView report_data, ByteView launch_measurement) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes rim, PadMeasurement(launch_measurement, rim_.size()));
  std::swap(rim_, rim);
  Result<Bytes> evidence = GetEvidence(report_data);
  std::swap(rim_, rim);
  return evidence;
}

std::string SimCcaPlatform::measurement_hex() const {
  return ToHex(rim_);
}

CcaEndorsements SimCcaPlatform::Endorsements() const {
  CcaEndorsements e;
  e.AddTrustAnchor(PsaTrustAnchor{implementation_id_, instance_id_, *cpak_public_});
  for (const PsaSwComponent& c : sw_) {
    e.AddSwReference(
        PsaSwReference{implementation_id_, c.type, c.version, c.signer_id, c.measurement});
  }
  std::vector<Bytes> rems(4, Bytes(32, 0));
  e.AddRealmReference(CcaRealmReference{rim_, rems, personalization_});
  return e;
}

}  // namespace teepnet::attest
