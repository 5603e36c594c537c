// MocService: the M/OC's user-facing operations over a MocStore, without I/O of its own. The
// REST router (user_api_router.h) calls it for users; the services layer calls it with what the
// TAM and the devices report (HandleEvent, ReportCapacity) and after a restart (Resume).
//
// Every step follows one order (DESIGN §6):
//   1. the state machine (request_machine.h) applies the event to a copy of the request;
//   2. the new request, with the actions it produced in its outbox, commits in one
//      MocTransaction (slot reservation, relay blob and audit entries ride along);
//   3. only then is the step acknowledged and are the actions carried out through ActionSink;
//   4. a second commit retires the actions that were carried out.
// A crash between 2 and 4 leaves the actions in the outbox; Resume() carries them out again,
// which is why ActionSink operations must be idempotent (a desired state, not "install now").
// An action retired in 4 is never carried out again, and a replayed event is ignored by the
// machine, so nothing is deployed twice.
//
// Tenant isolation lives in one place: every read of a package or request by a user passes
// through OwnedBy() below, and another tenant's object is reported exactly like a missing one
// (moc::Errc::kRequestNotFound / kPackageNotFound, HTTP 404), so ids do not reveal existence.
#ifndef TEEPNET_MOC_MOC_SERVICE_H_
#define TEEPNET_MOC_MOC_SERVICE_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/clock.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/moc/attested_capacity.h"
#include "teepnet/moc/failure_record.h"
#include "teepnet/moc/moc_store.h"
#include "teepnet/moc/request_machine.h"

namespace teepnet::moc {

class ActionSink {
 public:
  virtual ~ActionSink() = default;
  // Carries out one committed action. Must be idempotent (see above). An error leaves the
  // action in the outbox for the next Resume().
  virtual Status Execute(const Request& request, const Action& action) = 0;
};

struct Principal {
  bool admin = false;
  std::string tenant_id;  // set when !admin
};

struct NewTenant {
  Tenant tenant;
  std::string token;  // shown once; only its hash is stored
};

// One sealed blob waiting for a device (USE-CASES "Device channel API", GET inbox).
struct InboxItem {
  std::string request_id;
  ChannelTarget target = ChannelTarget::kAgent;
  std::string instance;  // the TA instance (cases 2, 3), "" for the Agent
  std::string purpose;   // ChannelPurposeFor(use case)
  Bytes digest;          // SHA-256 of `sealed`
  Bytes sealed;
  // What the TA runs in (the request's instance type).
  InstanceType instance_type = InstanceType::kProcess;
  // Cases 2 and 3 with a UA package: the UA's component name ("tc-<hex>" of its manifest's
  // component), which the Broker asks the Agent for once the PD is delivered (USE-CASES "Agent
  // op 7"); "" otherwise.
  std::string ua_component;

  friend bool operator==(const InboxItem&, const InboxItem&) = default;
};

struct RequestSpec {
  int use_case = 1;
  InstanceType instance = InstanceType::kProcess;
  std::optional<Architecture> hardware;
  std::optional<std::string> ua_package;
  std::optional<std::string> ta_package;
};

// What CreateRequestWithKey answers: the request, and whether an earlier POST with the same
// Idempotency-Key and body created it (then nothing new was created).
struct CreatedRequest {
  Request request;
  bool replayed = false;
};

class MocService {
 public:
  // `admin_token_hash` is SHA-256 of the admin token (token.h HashToken). All references must
  // outlive the service.
  MocService(MocStore& store, const Clock& clock, Random& random, ActionSink& sink,
             Bytes admin_token_hash, MachineLimits limits = MachineLimits())
      : store_(store),
        clock_(clock),
        random_(random),
        sink_(sink),
        admin_token_hash_(std::move(admin_token_hash)),
        limits_(limits) {}

  // The principal a bearer token names; moc::Errc::kUnauthenticated otherwise.
  Result<Principal> Authenticate(std::string_view bearer_token) const;

  // --- Admin ---
  Result<NewTenant> CreateTenant(const Principal& who, std::string_view name);
  Result<std::vector<Tenant>> ListTenants(const Principal& who) const;

  // --- Tenants ---
  // Decodes the envelope structurally (suit::DecodeEnvelope) before storing it.
  Result<Package> UploadPackage(const Principal& who, PackageKind kind, std::string_view name,
                                ByteView envelope);
  Result<Package> GetPackage(const Principal& who, std::string_view package_id) const;
  Result<std::vector<Package>> ListPackages(const Principal& who) const;
  // The caller's packages whose envelope has SHA-256 `digest` (32 bytes, else
  // kInvalidArgument), of `kind` or of either kind: what a user checks before uploading bytes
  // the M/OC may already hold (packages are immutable, so an equal digest is the same package).
  Result<std::vector<PackageSummary>> FindPackagesByDigest(const Principal& who,
                                                           std::optional<PackageKind> kind,
                                                           ByteView digest) const;
  // Checks the packages against the use case, places the request (placement.h) and commits it
  // with its slot; an impossible placement is refused and nothing is stored.
  Result<Request> CreateRequest(const Principal& who, const RequestSpec& spec);
  // The same under an Idempotency-Key (openapi.yaml): the key is stored with the request in
  // its creating commit, per tenant. A key the tenant used before with the same spec answers
  // the request it created (replayed, nothing created), also after a restart or on another
  // replica sharing the store; with another spec it is refused with kIdempotencyKeyReused.
  // kInvalidIdempotencyKey for a key that is not 1 to kMaxIdempotencyKeyBytes printable ASCII
  // characters. An empty key is no key: plain CreateRequest.
  Result<CreatedRequest> CreateRequestWithKey(const Principal& who, const RequestSpec& spec,
                                              std::string_view idempotency_key);
  Result<Request> GetRequest(const Principal& who, std::string_view request_id) const;
  Result<std::vector<Request>> ListRequests(const Principal& who) const;
  // What a failure record (failure_record.h) of the tenant's request states, issued now:
  // kRequestNotFound as for GetRequest, kRequestNotFailed unless the request failed.
  Result<FailureRecord> GetFailureRecord(const Principal& who, std::string_view request_id) const;
  // The user's sealed bytes, opaque to the M/OC, queued for the placed device's relay.
  Result<Request> PostSealedData(const Principal& who, std::string_view request_id,
                                 ByteView sealed);
  // Any authenticated principal may see the devices and their capacity.
  Result<std::vector<DeviceCapacity>> ListDevices(const Principal& who) const;

  // --- The device channel (no principal: sealed bytes are opaque, receipts verify) ---
  // The sealed blobs waiting for `device_id`, oldest first, at most kMaxInboxItems; an empty
  // list for a device nothing waits for (or that does not exist).
  Result<std::vector<InboxItem>> Inbox(std::string_view device_id) const;
  // A receipt the device's Broker got from the Agent or TA. Checked against the request's EAR
  // (receipt_check.h); on success the request is done, its receipt stored and its blob off the
  // inbox, in one commit. kRequestNotFound for an unknown request or one placed on another
  // device, kWrongState when it is not waiting for a receipt, kReceiptInvalid when the receipt
  // does not verify; nothing changes then. Posting the stored receipt again returns the
  // request unchanged (a Broker that lost the first answer).
  Result<Request> AcceptReceipt(std::string_view device_id, std::string_view request_id,
                                ByteView receipt);

  // --- Devices and the TAM (service layer) ---
  // Records what a device offers (validated against seed Figure 2), keeping the slots used
  // and any operator override.
  Status ReportCapacity(const DeviceCapacity& report);
  // The operator's override of an evidence-backed capacity (attested_capacity.h OverrideFor).
  Status OverrideCapacity(std::string_view device_id, const CapacityOverride& override_);
  Result<std::optional<DeviceCapacity>> FindDevice(std::string_view device_id) const;
  Result<Transition> HandleEvent(std::string_view request_id, const Event& event);
  // After a restart: carries out every committed action still in an outbox. Returns how many
  // were carried out.
  Result<size_t> Resume();
  // Fails requests that waited too long in a step. Returns how many failed.
  Result<size_t> CheckTimeouts();

 private:
  Status RequireTenant(const Principal& who) const;
  Status RequireAdmin(const Principal& who) const;
  Result<Request> OwnedRequest(const Principal& who, std::string_view request_id) const;
  Result<Package> OwnedPackage(const Principal& who, std::string_view package_id) const;
  // The request the tenant created under `key`, if any; kIdempotencyKeyReused when that one
  // was created from a spec with another fingerprint.
  Result<std::optional<Request>> Replay(const Principal& who, std::string_view key,
                                        ByteView fingerprint) const;
  // Steps 1-4 above for a stored request.
  Result<Transition> Step(std::string_view request_id, const Event& event, std::string_view actor,
                          std::optional<RelayBlob> blob = {});
  // Steps 3-4: carries out the outbox and retires what was carried out. Errors of the sink
  // leave actions in place; they are not the caller's errors (the step is committed).
  size_t Drain(const Request& request);

  MocStore& store_;
  const Clock& clock_;
  Random& random_;
  ActionSink& sink_;
  Bytes admin_token_hash_;
  MachineLimits limits_;
};

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_MOC_SERVICE_H_
