// The M/OC's vocabulary (seed §3-§5, DESIGN §2-§3): tenants, the packages they upload, the
// requests for confidential compute with their step history, and the devices' capacity.
// Plain values: the store persists them, the state machine (request_machine.h) changes them.
#ifndef TEEPNET_MOC_MODEL_H_
#define TEEPNET_MOC_MODEL_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/attest/appraisal.h"
#include "teepnet/base/bytes.h"

namespace teepnet::moc {

// The hardware architectures of seed §5 ("[TrustZone], [SGX], [SEV-SNP], [CCA], [TDX] and
// [CSV]"). Figure 2 writes "SEV" in the VM column; a device reports SEV-SNP, the only SEV
// generation whose evidence our Verifier appraises. The same enum the Verifier reports, so an
// attested architecture is placed on without translation.
using Architecture = attest::Architecture;
inline constexpr std::array<Architecture, 6> kAllArchitectures = {
    Architecture::kTrustZone, Architecture::kSgx, Architecture::kSevSnp,
    Architecture::kCca,       Architecture::kTdx, Architecture::kCsv};
// "trustzone", "sgx", "sev-snp", "cca", "tdx", "csv": the API's spelling.
using attest::ArchitectureName;
// "TrustZone", "SGX", "SEV-SNP", ...: the seed's spelling, for messages.
std::string_view ArchitectureTitle(Architecture arch);
std::optional<Architecture> ParseArchitecture(std::string_view name);

// Seed Figure 2's columns.
enum class InstanceType : uint8_t { kProcess, kContainer, kVm };
inline constexpr std::array<InstanceType, 3> kAllInstanceTypes = {
    InstanceType::kProcess, InstanceType::kContainer, InstanceType::kVm};
std::string_view InstanceTypeName(InstanceType type);   // "process", "container", "vm"
std::string_view InstanceTypeTitle(InstanceType type);  // "confidential process", ...
std::optional<InstanceType> ParseInstanceType(std::string_view name);

// What an uploaded package holds. PD never reaches the M/OC in the clear (DESIGN §2: "The TAM
// never sees PD in plaintext, in any case"), so there is no PD kind: bundles that carry PD
// (case 1's (UA, TA, PD), case 4's (TA, PD)) travel sealed over the user channel instead.
enum class PackageKind : uint8_t { kUa, kTa };
std::string_view PackageKindName(PackageKind kind);  // "ua", "ta"
std::optional<PackageKind> ParsePackageKind(std::string_view name);

struct Tenant {
  std::string id;  // "tnt-" + 16 hex digits
  std::string name;
  Bytes token_hash;  // SHA-256 of the tenant's bearer token; the token itself is never stored
  int64_t created_at = 0;

  friend bool operator==(const Tenant&, const Tenant&) = default;
};

struct Package {
  std::string id;  // "pkg-" + 16 hex digits
  std::string tenant_id;
  PackageKind kind = PackageKind::kTa;
  std::string name;
  Bytes envelope;  // the SUIT envelope as uploaded, integrated payloads included
  Bytes digest;    // SHA-256 of `envelope`
  int64_t created_at = 0;

  friend bool operator==(const Package&, const Package&) = default;
};

// A package without its envelope's bytes: what the user API shows of it, and what a lookup by
// digest reads (a stored TA is several MiB).
struct PackageSummary {
  std::string id;
  std::string tenant_id;
  PackageKind kind = PackageKind::kTa;
  std::string name;
  uint64_t size = 0;  // of the envelope
  Bytes digest;       // SHA-256 of the envelope
  int64_t created_at = 0;

  friend bool operator==(const PackageSummary&, const PackageSummary&) = default;
};
PackageSummary Summarize(const Package& package);

// The steps of DESIGN §2, as request states. Not every case passes every state:
//   case 1: placed, attesting_agent, ear_issued, awaiting_user_channel, sealed_data_relayed
//           (the (UA, TA, PD) bundle, to the Agent), workload_running, done
//   case 2: placed, deploying_ua_ta (SGX: deploying_ua then deploying_ta), attesting_agent,
//           ear_issued, awaiting_user_channel, sealed_data_relayed (PD, to the TA), ...
//   case 3: placed, [deploying_ua,] deploying_ta, attesting_agent, ... (PD, to the TA), ...
//   case 4: placed, attesting_agent, ... sealed_data_relayed ((TA, PD), to the Agent), ...
enum class RequestState : uint8_t {
  kSubmitted,
  kPlaced,
  kDeployingUa,
  kDeployingTa,
  kDeployingUaTa,
  kAttestingAgent,
  kEarIssued,
  kAwaitingUserChannel,
  kSealedDataRelayed,
  kWorkloadRunning,
  kDone,
  kFailed,
};
std::string_view RequestStateName(RequestState state);  // "deploying_ua", ...
bool IsTerminal(RequestState state);

// Where the user's sealed bytes go: DESIGN §2, "secure channel to the Agent" (cases 1, 4) or
// "to the TA" (cases 2, 3).
enum class ChannelTarget : uint8_t { kAgent, kTa };
std::string_view ChannelTargetName(ChannelTarget target);  // "agent", "ta"
ChannelTarget ChannelTargetFor(int use_case);
// The purpose the user and the recipient bind the sealed bytes to (channel::Binding::purpose,
// USE-CASES "The channel"): "bundle" (case 1), "pd" (cases 2, 3), "ta+pd" (case 4).
std::string_view ChannelPurposeFor(int use_case);

struct Step {
  RequestState state = RequestState::kSubmitted;
  int64_t at = 0;      // unix seconds
  std::string detail;  // what happened, for a person

  friend bool operator==(const Step&, const Step&) = default;
};

// Something the core asks the world to do. Actions are recorded in the request's outbox in
// the same commit as the step that produced them and leave it only once carried out, so a
// restarted M/OC carries out exactly the ones that were not (request_service.h).
enum class ActionKind : uint8_t {
  kSetDesiredState,     // the TAM should install `packages` on `device_id`
  kRemovePackages,      // the TAM should no longer keep `packages` on `device_id`
  kRequestAttestation,  // the TAM should challenge `device_id`'s Agent (att Agent)
  kEmitEar,             // tell the user the EAR is ready
  kRelaySealedData,     // sealed bytes (`digest`) are queued for `device_id` (committed)
  kFailRequest,         // tell the user the request failed with `reason`
};
std::string_view ActionKindName(ActionKind kind);

struct Action {
  uint64_t seq = 0;  // unique within the request, increasing
  ActionKind kind = ActionKind::kSetDesiredState;
  std::string device_id;
  std::vector<std::string> packages;  // package ids
  ChannelTarget target = ChannelTarget::kAgent;
  Bytes digest;
  std::string reason;

  friend bool operator==(const Action&, const Action&) = default;
};

struct Request {
  std::string id;  // "req-" + 16 hex digits
  std::string tenant_id;
  int use_case = 1;  // seed §5.1-§5.4
  InstanceType instance = InstanceType::kProcess;
  std::optional<Architecture> hardware;  // as requested; unset = any that Figure 2 allows
  std::optional<std::string> ua_package;
  std::optional<std::string> ta_package;
  // Placement.
  std::string device_id;  // empty until placed
  std::optional<Architecture> device_architecture;
  // Progress.
  RequestState state = RequestState::kSubmitted;
  std::vector<Step> steps;
  bool ua_deploy_issued = false;
  bool ta_deploy_issued = false;
  bool ua_installed = false;
  bool ta_installed = false;
  bool attestation_requested = false;
  Bytes ear;  // the attestation result the Verifier issued for this request's device
  std::string ear_media_type;
  Bytes sealed_digest;  // SHA-256 of the sealed bytes relayed, once
  // The TA instance the sealed bytes are for (cases 2, 3): evidence::InstanceNameOfEnvelope of
  // the TA package, fixed at creation; "" when the Agent is the recipient (cases 1, 4).
  std::string channel_instance;
  // The recipient's signed receipt (channel/receipt.h COSE_Sign1), once the delivery committed.
  Bytes receipt;
  std::string error;  // why the request failed
  // Actions committed but not yet carried out.
  std::vector<Action> outbox;
  uint64_t next_action_seq = 1;
  // Incremented by every commit; the store refuses a commit built on an older version.
  uint64_t version = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;

  friend bool operator==(const Request&, const Request&) = default;
};

// Where a device's instance types and slots come from (attested_capacity.h).
enum class CapacitySource : uint8_t {
  kOperator,  // the admin registered them (PUT .../capacity): a device without evidence, or
              // one whose evidence carries no capacity claim
  kEvidence,  // the device's own claim (teepnet_capacity) in evidence the Verifier appraised
};
std::string_view CapacitySourceName(CapacitySource source);  // "operator", "evidence"

// What a device offers (DESIGN §3). The architecture is the one its attestation evidence
// proved (the platform evidence format the Verifier appraised), not a claim; with attestation
// off the operator vouches for it. `instance_types` and `slots_total` are what the source
// stated; an operator override of an evidence-backed capacity (slot_limit, withheld_types)
// only lowers them, and placement uses the lowered values (OfferedTypes, slots_offered).
struct DeviceCapacity {
  std::string device_id;  // hex RFC 9679 thumbprint of the Agent's key (tam_store.h)
  Architecture architecture = Architecture::kTrustZone;
  bool architecture_attested = false;
  std::vector<InstanceType> instance_types;
  uint32_t slots_total = 0;
  uint32_t slots_used = 0;
  int64_t updated_at = 0;
  CapacitySource source = CapacitySource::kOperator;
  // The operator's override; it applies to an evidence-backed capacity only.
  std::optional<uint32_t> slot_limit;
  std::vector<InstanceType> withheld_types;

  // The instance types and slots placement may use.
  std::vector<InstanceType> OfferedTypes() const;
  uint32_t slots_offered() const;
  uint32_t slots_free() const {
    const uint32_t offered = slots_offered();
    return slots_used >= offered ? 0 : offered - slots_used;
  }
  bool Offers(InstanceType type) const;
  friend bool operator==(const DeviceCapacity&, const DeviceCapacity&) = default;
};

// Sealed bytes the user posted, waiting for the device's Broker to pick them up. Opaque to
// the M/OC: HPKE-sealed to a key only the attested Agent or TA holds (DESIGN §5).
struct RelayBlob {
  std::string device_id;
  std::string request_id;
  ChannelTarget target = ChannelTarget::kAgent;
  Bytes sealed;
  Bytes digest;  // SHA-256 of `sealed`
  int64_t queued_at = 0;

  friend bool operator==(const RelayBlob&, const RelayBlob&) = default;
};

// The Idempotency-Key a tenant created a request under (openapi.yaml, POST /requests): the
// same tenant, key and request body name the request created first, however often the POST is
// repeated and on whichever replica. Stored in the commit that creates the request, so a
// request and its key exist together or not at all.
struct IdempotencyRecord {
  std::string tenant_id;
  std::string key;
  Bytes fingerprint;  // SHA-256 over the request spec as parsed (moc_service.cc)
  std::string request_id;
  int64_t created_at = 0;

  friend bool operator==(const IdempotencyRecord&, const IdempotencyRecord&) = default;
};

struct AuditEntry {
  int64_t at = 0;
  std::string actor;    // "admin", a tenant id, "device:<id>", "moc"
  std::string action;   // "tenant.create", "request.step", ...
  std::string subject;  // the object's id
  std::string detail;

  friend bool operator==(const AuditEntry&, const AuditEntry&) = default;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_MODEL_H_
