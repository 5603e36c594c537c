#include "teepnet/workloads/onprem_verifier/fleet.h"

#include <algorithm>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>

#include "teepnet/attest/psa_sim_platform.h"
#include "teepnet/attest/sim_state.h"
#include "teepnet/attest/snp_cert_builder.h"
#include "teepnet/attest/snp_sim_platform.h"
#include "teepnet/attest/snp_vcek.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/workloads/onprem_verifier/errc.h"

namespace teepnet::workloads::onprem_verifier {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kValidity = 25 * 365 * kDay;
constexpr size_t kNonceBytes = 32;
constexpr size_t kSnpMeasurementBytes = 48;
constexpr size_t kChipIdBytes = 64;
constexpr size_t kImplementationIdBytes = 32;
constexpr int64_t kPsaLifecycleSecured = 0x3000;
// The state format SimPsaPlatform::Load reads (attest/sim_state.h).
constexpr char kPsaStateFormat[] = "teepnet-sim-psa/1";
constexpr std::string_view kArmImage = "edge-os-4.2/arm";
constexpr std::string_view kX86Image = "edge-os-4.2/x86";

// Seeded bytes: SHA-256 / SHA-384 over the seed, a purpose and an index, so every value the
// fleet needs is a pure function of the seed.
Bytes Derive(uint64_t seed, std::string_view purpose, uint64_t index, size_t size) {
  Bytes in;
  for (int i = 0; i < 8; ++i) in.push_back(static_cast<uint8_t>(seed >> (8 * i)));
  Append(in, AsBytes(purpose));
  for (int i = 0; i < 8; ++i) in.push_back(static_cast<uint8_t>(index >> (8 * i)));
  Bytes out;
  for (uint8_t block = 0; out.size() < size; ++block) {
    Bytes b = in;
    b.push_back(block);
    Append(out, crypto::Digest(crypto::HashAlgorithm::kSha384, b));
  }
  out.resize(size);
  return out;
}

// An EC private key from seeded bytes; a scalar out of range (probability ~2^-32) moves on to
// the next derivation.
Result<crypto::PrivateKey> DeriveKey(crypto::KeyType type, size_t scalar_bytes, uint64_t seed,
                                     std::string_view purpose, uint64_t index) {
  for (uint64_t attempt = 0; attempt < 16; ++attempt) {
    auto key = crypto::PrivateKey::FromRaw(
        type, Derive(seed, purpose, (index << 4) | attempt, scalar_bytes));
    if (key.ok()) return key;
  }
  return Error(Errc::kMalformed,
               "onprem-verifier: no valid key derived for " + std::string(purpose));
}

// splitmix64: the fleet's composition from the seed.
class SeededSequence {
 public:
  explicit SeededSequence(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  uint64_t state_;
};

std::string RouterName(RouterKind kind, size_t index) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), kind == RouterKind::kArmPsa ? "arm-edge-%03zu" : "x86-core-%03zu",
                index + 1);
  return buf;
}

std::vector<attest::PsaSwComponent> TamperedCopy(std::vector<attest::PsaSwComponent> sw) {
  // A patched second-stage component: the image the vendor never released.
  attest::PsaSwComponent& c = sw.at(std::min<size_t>(1, sw.size() - 1));
  c.measurement = crypto::Sha256(c.measurement);
  return sw;
}

// The AMD-side hierarchy every x86 router's chip hangs under (one ARK, one ASK).
struct AmdRoot {
  crypto::PrivateKey ark_key;
  crypto::PrivateKey ask_key;
  crypto::Certificate ark;
  crypto::Certificate ask;
};

Result<AmdRoot> MakeAmdRoot(const attest::SimSevSnpOptions& o) {
  TEEPNET_ASSIGN_OR_RETURN(auto ark_key, crypto::PrivateKey::Generate(crypto::KeyType::kRsa));
  TEEPNET_ASSIGN_OR_RETURN(auto ask_key, crypto::PrivateKey::Generate(crypto::KeyType::kRsa));
  const std::string line(attest::SnpProductName(o.product));
  const int64_t until = o.not_before + o.validity_seconds;
  TEEPNET_ASSIGN_OR_RETURN(
      auto ark, attest::IssueSnpCertificate(
                    {"ARK-" + line, "ARK-" + line, Bytes{1}, o.not_before, until, true, {}},
                    ark_key.public_key(), ark_key));
  TEEPNET_ASSIGN_OR_RETURN(
      auto ask, attest::IssueSnpCertificate(
                    {"SEV-" + line, "ARK-" + line, Bytes{2}, o.not_before, until, true, {}},
                    ask_key.public_key(), ark_key));
  return AmdRoot{std::move(ark_key), std::move(ask_key), std::move(ark), std::move(ask)};
}

// A VCEK for `chip_id` with the AMD extensions of VCEK spec 57230 §3 (Genoa: 64-byte hwID).
Result<crypto::Certificate> IssueVcek(const AmdRoot& root, const attest::SimSevSnpOptions& o,
                                      ByteView chip_id, const crypto::PrivateKey& vcek_key,
                                      Bytes serial) {
  using attest::DerSmallInteger;
  namespace oid = attest::snp_oid;
  std::vector<attest::SnpCertExtension> ext = {
      {"1.3.6.1.4.1.3704.1.1", DerSmallInteger(0)},  // structVersion
      {std::string(oid::kProductName),
       attest::DerIa5String(std::string(attest::SnpProductName(o.product)) + "-B0")},
      {std::string(oid::kBlSpl), DerSmallInteger(o.tcb.boot_loader)},
      {std::string(oid::kTeeSpl), DerSmallInteger(o.tcb.tee)},
      {std::string(oid::kSnpSpl), DerSmallInteger(o.tcb.snp)},
      {std::string(oid::kUcodeSpl), DerSmallInteger(o.tcb.microcode)},
      {std::string(oid::kHwId), ToBytes(chip_id)},
  };
  const std::string line(attest::SnpProductName(o.product));
  serial[0] = static_cast<uint8_t>((serial[0] & 0x7F) | 0x01);  // positive, no leading zero
  return attest::IssueSnpCertificate({"SEV-VCEK", "SEV-" + line, std::move(serial), o.not_before,
                                      o.not_before + o.validity_seconds, false, std::move(ext)},
                                     vcek_key.public_key(), root.ask_key);
}

struct Builder {
  const FleetOptions& options;
  Fleet fleet;
  Bytes implementation_id;
  std::vector<attest::PsaSwComponent> golden_arm;
  Bytes golden_x86;
  attest::SimSevSnpOptions snp_options;
  std::optional<AmdRoot> amd;

  Status AddArm(size_t index, const RouterPlan& plan) {
    TEEPNET_ASSIGN_OR_RETURN(crypto::PrivateKey iak,
                             DeriveKey(crypto::KeyType::kP256, 32, options.seed, "psa-iak", index));
    attest::SimState state;
    state.format = kPsaStateFormat;
    state.attestation_key = iak;
    state.implementation_id = implementation_id;
    state.lifecycle = kPsaLifecycleSecured;
    state.sw = plan.defect == Defect::kTamperedFirmware ? TamperedCopy(golden_arm) : golden_arm;
    TEEPNET_ASSIGN_OR_RETURN(attest::SimPsaPlatform platform,
                             attest::SimPsaPlatform::Load(attest::EncodeSimState(state).view()));
    if (plan.defect != Defect::kUnendorsedKey) {
      fleet.vendor.psa_anchors.push_back(
          PsaAnchor{implementation_id, platform.instance_id(), iak.public_key().ToSpkiDer()});
    }
    return AddEvidence(index, plan, platform);
  }

  Status AddX86(size_t index, const RouterPlan& plan) {
    if (!amd) {
      TEEPNET_ASSIGN_OR_RETURN(AmdRoot root, MakeAmdRoot(snp_options));
      amd.emplace(std::move(root));
      fleet.vendor.snp_roots.push_back(amd->ark.der());
      fleet.vendor.snp_intermediates.push_back(amd->ask.der());
    }
    attest::SimSevSnpOptions o = snp_options;
    o.measurement = golden_x86;
    if (plan.defect == Defect::kTamperedFirmware) {
      o.measurement = Derive(options.seed, "x86-tampered-image", index, kSnpMeasurementBytes);
    }
    Bytes chip_id = Derive(options.seed, "snp-chip-id", index, kChipIdBytes);
    TEEPNET_ASSIGN_OR_RETURN(
        crypto::PrivateKey vcek_key,
        DeriveKey(crypto::KeyType::kP384, 48, options.seed, "snp-vcek", index));
    TEEPNET_ASSIGN_OR_RETURN(
        crypto::Certificate vcek,
        IssueVcek(*amd, o, chip_id, vcek_key, Derive(options.seed, "snp-vcek-serial", index, 16)));
    if (plan.defect != Defect::kUnendorsedKey) fleet.vendor.snp_leaves.push_back(vcek.der());
    attest::SimSevSnpPlatform platform(std::move(o), std::move(chip_id), amd->ark_key, amd->ask_key,
                                       std::move(vcek_key), amd->ark, amd->ask, std::move(vcek));
    return AddEvidence(index, plan, platform);
  }

  Status AddEvidence(size_t index, const RouterPlan& plan, attest::Platform& platform) {
    RouterEvidence router;
    router.name = plan.name;
    router.nonce = Derive(options.seed, "nonce", index, kNonceBytes);
    const Bytes bound = plan.defect == Defect::kStaleNonce
                            ? Derive(options.seed, "earlier-nonce", index, kNonceBytes)
                            : router.nonce;
    TEEPNET_ASSIGN_OR_RETURN(router.evidence, platform.GetEvidence(bound));
    fleet.isp.routers.push_back(std::move(router));
    fleet.plan.push_back(plan);
    return OkStatus();
  }

  void AddVendorPolicies() {
    for (const attest::PsaSwComponent& c : golden_arm) {
      fleet.vendor.psa_references.push_back(
          PsaReference{implementation_id, c.type, c.version, c.signer_id, c.measurement});
    }
    nlohmann::json psa = {
        {"policy-id", "acme/edge-os-4.2/psa"},
        {"implementation-ids", nlohmann::json::array({ToHex(implementation_id)})}};
    nlohmann::json snp = {{"policy-id", "acme/edge-os-4.2/snp"},
                          {"measurements", nlohmann::json::array({ToHex(golden_x86)})}};
    fleet.vendor.policies.emplace("psa", psa.dump());
    fleet.vendor.policies.emplace("snp", snp.dump());
  }
};

// Which routers of one line (`first`..`first + count`) get which defect: a seeded choice of
// positions, the defects in turn.
void ChooseDefects(const FleetOptions& o, SeededSequence& seq, size_t first, size_t count,
                   std::vector<Defect>& out) {
  if (o.defect_every == 0 || count == 0) return;
  const size_t defective = std::max<size_t>(count / o.defect_every, std::min<size_t>(3, count));
  std::vector<size_t> positions(count);
  for (size_t i = 0; i < count; ++i) positions[i] = first + i;
  for (size_t i = count - 1; i > 0; --i) std::swap(positions[i], positions[seq.Next() % (i + 1)]);
  constexpr Defect kTurn[] = {Defect::kTamperedFirmware, Defect::kStaleNonce,
                              Defect::kUnendorsedKey};
  for (size_t i = 0; i < defective; ++i) out[positions[i]] = kTurn[i % 3];
}

}  // namespace

std::string_view DefectName(Defect defect) {
  switch (defect) {
    case Defect::kNone: return "none";
    case Defect::kTamperedFirmware: return "tampered-firmware";
    case Defect::kStaleNonce: return "stale-nonce";
    case Defect::kUnendorsedKey: return "unendorsed-key";
  }
  return "unknown";
}

RouterStatus ExpectedStatus(const RouterPlan& plan) {
  return plan.defect == Defect::kNone ? RouterStatus::kAffirming : RouterStatus::kContraindicated;
}

Result<Fleet> MakeFleet(const FleetOptions& options, int64_t now_unix) {
  const size_t total = options.arm_routers + options.x86_routers;
  if (total == 0 || total > kMaxRouters) {
    return Error(Errc::kTooLarge,
                 "onprem-verifier: a fleet has 1.." + std::to_string(kMaxRouters) + " routers");
  }
  Builder b{options, {}, {}, {}, {}, {}, std::nullopt};
  b.fleet.vendor.label = options.vendor_label;
  b.fleet.isp.label = options.isp_label;
  b.implementation_id = Derive(options.seed, "implementation-id", 0, kImplementationIdBytes);
  b.golden_arm = attest::SimFirmware(std::string(kArmImage));
  b.golden_x86 = crypto::Digest(crypto::HashAlgorithm::kSha384, AsBytes(kX86Image));
  b.snp_options.not_before = now_unix - kDay;
  b.snp_options.validity_seconds = kValidity;
  b.AddVendorPolicies();

  std::vector<Defect> defects(total, Defect::kNone);
  SeededSequence seq(options.seed);
  ChooseDefects(options, seq, 0, options.arm_routers, defects);
  ChooseDefects(options, seq, options.arm_routers, options.x86_routers, defects);
  for (size_t i = 0; i < total; ++i) {
    const bool arm = i < options.arm_routers;
    RouterPlan plan;
    plan.kind = arm ? RouterKind::kArmPsa : RouterKind::kX86Snp;
    plan.name = RouterName(plan.kind, arm ? i : i - options.arm_routers);
    plan.defect = defects[i];
    TEEPNET_RETURN_IF_ERROR(arm ? b.AddArm(i, plan) : b.AddX86(i, plan));
  }
  return std::move(b.fleet);
}

}  // namespace teepnet::workloads::onprem_verifier
