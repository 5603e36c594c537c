#include "teepnet/moc/moc_service.h"

#include <algorithm>
#include <utility>

#include "teepnet/crypto/hash.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/moc/errc.h"
#include "teepnet/moc/limits.h"
#include "teepnet/moc/placement.h"
#include "teepnet/moc/receipt_check.h"
#include "teepnet/moc/token.h"
#include "teepnet/suit/envelope.h"

namespace teepnet::moc {

namespace {

// A commit that lost a race on the request version or a slot is retried this often.
constexpr int kCommitAttempts = 3;

AuditEntry Audit(int64_t at, std::string_view actor, std::string action, std::string subject,
                 std::string detail) {
  return AuditEntry{at, std::string(actor), std::move(action), std::move(subject),
                    std::move(detail)};
}

Status CheckName(std::string_view name, std::string_view what) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return Error(Errc::kInvalidArgument, std::string(what) + " must be 1 to " +
                                             std::to_string(kMaxNameBytes) + " bytes long");
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Error(Errc::kInvalidArgument, std::string(what) + " contains a control character");
    }
  }
  return OkStatus();
}

// RFC 9110 §5.5 field values are visible ASCII and spaces; a key is an opaque token, so
// neither spaces nor anything a log could misread are allowed.
Status CheckIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyBytes) {
    return Error(Errc::kInvalidIdempotencyKey, "the Idempotency-Key must be 1 to " +
                                                   std::to_string(kMaxIdempotencyKeyBytes) +
                                                   " characters long");
  }
  for (char c : key) {
    if (c < 0x21 || c > 0x7e) {
      return Error(Errc::kInvalidIdempotencyKey,
                   "the Idempotency-Key may hold printable ASCII characters only, no spaces");
    }
  }
  return OkStatus();
}

// What "the same request body" means for an Idempotency-Key: the spec as parsed, so a client
// that re-serialises its JSON (member order, spaces) still repeats the same request. Each
// field is length-prefixed, so no two specs share an encoding.
Bytes SpecFingerprint(const RequestSpec& spec) {
  std::string text = "teepnet-request-spec-v1";
  auto field = [&text](std::string_view name, std::optional<std::string_view> value) {
    text += '|';
    text += name;
    if (!value) {
      text += '-';
      return;
    }
    text += '=' + std::to_string(value->size()) + ':';
    text += *value;
  };
  field("use_case", std::to_string(spec.use_case));
  field("instance", InstanceTypeName(spec.instance));
  field("hardware", spec.hardware
                        ? std::optional<std::string_view>(ArchitectureName(*spec.hardware))
                        : std::nullopt);
  field("ua", spec.ua_package ? std::optional<std::string_view>(*spec.ua_package) : std::nullopt);
  field("ta", spec.ta_package ? std::optional<std::string_view>(*spec.ta_package) : std::nullopt);
  return crypto::Sha256(AsBytes(text));
}

}  // namespace

Result<Principal> MocService::Authenticate(std::string_view bearer_token) const {
  const Error refused(Errc::kUnauthenticated, "the bearer token is missing or not valid");
  if (bearer_token.empty() || bearer_token.size() > kMaxTokenBytes) return refused;
  if (TokenMatches(bearer_token, admin_token_hash_)) return Principal{true, ""};
  const std::string_view tenant_id = TenantIdOfToken(bearer_token);
  if (tenant_id.empty()) return refused;
  TEEPNET_ASSIGN_OR_RETURN(std::optional<Tenant> tenant, store_.FindTenant(tenant_id));
  if (!tenant || !TokenMatches(bearer_token, tenant->token_hash)) return refused;
  return Principal{false, tenant->id};
}

Status MocService::RequireAdmin(const Principal& who) const {
  if (!who.admin) return Error(Errc::kAdminOnly, "this call needs the admin token");
  return OkStatus();
}

Status MocService::RequireTenant(const Principal& who) const {
  if (who.admin || who.tenant_id.empty()) {
    return Error(Errc::kTenantOnly,
                 "this call needs a tenant token; the admin owns no packages or requests");
  }
  return OkStatus();
}

Result<NewTenant> MocService::CreateTenant(const Principal& who, std::string_view name) {
  TEEPNET_RETURN_IF_ERROR(RequireAdmin(who));
  TEEPNET_RETURN_IF_ERROR(CheckName(name, "name"));
  NewTenant out;
  TEEPNET_ASSIGN_OR_RETURN(out.tenant.id, NewId("tnt", random_));
  TEEPNET_ASSIGN_OR_RETURN(out.token, NewTenantToken(out.tenant.id, random_));
  out.tenant.name = std::string(name);
  out.tenant.token_hash = HashToken(out.token);
  out.tenant.created_at = clock_.NowUnixSeconds();
  TEEPNET_RETURN_IF_ERROR(store_.CreateTenant(out.tenant));
  MocTransaction audit;
  audit.audit.push_back(
      Audit(out.tenant.created_at, "admin", "tenant.create", out.tenant.id, out.tenant.name));
  TEEPNET_RETURN_IF_ERROR(store_.Commit(audit));
  return out;
}

Result<std::vector<Tenant>> MocService::ListTenants(const Principal& who) const {
  TEEPNET_RETURN_IF_ERROR(RequireAdmin(who));
  return store_.ListTenants();
}

// The one place that decides whether a principal may see an object. Another tenant's object
// gets the same answer as a missing one.
Result<Request> MocService::OwnedRequest(const Principal& who, std::string_view request_id) const {
  TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  TEEPNET_ASSIGN_OR_RETURN(std::optional<Request> request, store_.FindRequest(request_id));
  if (!request || request->tenant_id != who.tenant_id) {
    return Error(Errc::kRequestNotFound, "no request " + std::string(request_id));
  }
  return *std::move(request);
}

Result<Package> MocService::OwnedPackage(const Principal& who, std::string_view package_id) const {
  TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  TEEPNET_ASSIGN_OR_RETURN(std::optional<Package> package, store_.FindPackage(package_id));
  if (!package || package->tenant_id != who.tenant_id) {
    return Error(Errc::kPackageNotFound, "no package " + std::string(package_id));
  }
  return *std::move(package);
}

Result<Package> MocService::UploadPackage(const Principal& who, PackageKind kind,
                                          std::string_view name, ByteView envelope) {
  TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  TEEPNET_RETURN_IF_ERROR(CheckName(name, "name"));
  if (envelope.size() > kMaxEnvelopeBytes) {
    return Error(Errc::kBodyTooLarge,
                 "a package may be at most " + std::to_string(kMaxEnvelopeBytes) + " bytes");
  }
  // The Agent verifies the signature against its trust anchors; the M/OC only refuses what is
  // not an envelope at all, so a user learns of a wrong file at upload and not on the device.
  Result<suit::Envelope> decoded = suit::DecodeEnvelope(envelope);
  if (!decoded.ok()) {
    return Error(Errc::kInvalidPackage,
                 "the body is not a SUIT envelope: " + decoded.error().ToString());
  }
  Package package;
  TEEPNET_ASSIGN_OR_RETURN(package.id, NewId("pkg", random_));
  package.tenant_id = who.tenant_id;
  package.kind = kind;
  package.name = std::string(name);
  package.envelope = ToBytes(envelope);
  package.digest = crypto::Sha256(envelope);
  package.created_at = clock_.NowUnixSeconds();
  TEEPNET_RETURN_IF_ERROR(store_.CreatePackage(package));
  MocTransaction audit;
  audit.audit.push_back(Audit(package.created_at, who.tenant_id, "package.upload", package.id,
                              std::string(PackageKindName(kind)) + " " + package.name));
  TEEPNET_RETURN_IF_ERROR(store_.Commit(audit));
  return package;
}

Result<Package> MocService::GetPackage(const Principal& who, std::string_view package_id) const {
  return OwnedPackage(who, package_id);
}

Result<std::vector<Package>> MocService::ListPackages(const Principal& who) const {
  TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  return store_.ListPackages(who.tenant_id);
}

Result<std::vector<PackageSummary>> MocService::FindPackagesByDigest(
    const Principal& who, std::optional<PackageKind> kind, ByteView digest) const {
  TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  if (digest.size() != 32) {
    return Error(Errc::kInvalidArgument, "a package digest is a SHA-256: 32 bytes, 64 hex digits");
  }
  std::vector<PackageSummary> out;
  for (PackageKind k : {PackageKind::kUa, PackageKind::kTa}) {
    if (kind && *kind != k) continue;
    TEEPNET_ASSIGN_OR_RETURN(std::vector<PackageSummary> found,
                             store_.FindPackagesByDigest(who.tenant_id, k, digest));
    for (PackageSummary& p : found) out.push_back(std::move(p));
  }
  return out;
}

Result<Request> MocService::CreateRequest(const Principal& who, const RequestSpec& spec) {
  TEEPNET_ASSIGN_OR_RETURN(CreatedRequest created, CreateRequestWithKey(who, spec, ""));
  return std::move(created.request);
}

Result<std::optional<Request>> MocService::Replay(const Principal& who, std::string_view key,
                                                  ByteView fingerprint) const {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<IdempotencyRecord> record,
                           store_.FindIdempotencyKey(who.tenant_id, key));
  if (!record) return std::optional<Request>();
  if (!Equal(record->fingerprint, fingerprint)) {
    return Error(Errc::kIdempotencyKeyReused,
                 "the Idempotency-Key was already used for request " + record->request_id +
                     " with another body; use a new key for a new request");
  }
  TEEPNET_ASSIGN_OR_RETURN(Request request, OwnedRequest(who, record->request_id));
  return std::optional<Request>(std::move(request));
}

Result<CreatedRequest> MocService::CreateRequestWithKey(const Principal& who,
                                                        const RequestSpec& spec,
                                                        std::string_view idempotency_key) {
  TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  const bool keyed = !idempotency_key.empty();
  Bytes fingerprint;
  if (keyed) {
    TEEPNET_RETURN_IF_ERROR(CheckIdempotencyKey(idempotency_key));
    fingerprint = SpecFingerprint(spec);
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Request> earlier,
                             Replay(who, idempotency_key, fingerprint));
    if (earlier) return CreatedRequest{*std::move(earlier), true};
  }
  TEEPNET_RETURN_IF_ERROR(CheckPackagesFitCase(spec.use_case, spec.ua_package.has_value(),
                                               spec.ta_package.has_value()));
  const std::pair<const std::optional<std::string>*, PackageKind> refs[] = {
      {&spec.ua_package, PackageKind::kUa}, {&spec.ta_package, PackageKind::kTa}};
  std::string channel_instance;
  for (const auto& [ref, kind] : refs) {
    if (!*ref) continue;
    TEEPNET_ASSIGN_OR_RETURN(Package package, OwnedPackage(who, **ref));
    if (package.kind != kind) {
      return Error(Errc::kPackageMismatch,
                   "package " + package.id + " is a " + std::string(PackageKindName(package.kind)) +
                       " package, named here as the " + std::string(PackageKindName(kind)));
    }
    if (kind != PackageKind::kTa || ChannelTargetFor(spec.use_case) != ChannelTarget::kTa) continue;
    // USE-CASES "TA instances": the user seals the PD to the instance the Agent names after
    // the TA package's component; the M/OC computes the same name from the manifest.
    Result<std::string> name = evidence::InstanceNameOfEnvelope(package.envelope);
    if (!name.ok()) {
      return Error(Errc::kInvalidPackage,
                   "package " + package.id + " names no TA component: " + name.error().ToString());
    }
    channel_instance = *std::move(name);
  }
  Error last(Errc::kStoreFailure, "no attempt made");
  for (int attempt = 0; attempt < kCommitAttempts; ++attempt) {
    TEEPNET_ASSIGN_OR_RETURN(std::vector<DeviceCapacity> devices, store_.ListDevices());
    TEEPNET_ASSIGN_OR_RETURN(Placement placement,
                             Place(devices, PlacementQuery{spec.instance, spec.hardware}));
    const int64_t now = clock_.NowUnixSeconds();
    TEEPNET_ASSIGN_OR_RETURN(std::string id, NewId("req", random_));
    Request request = NewRequest(std::move(id), who.tenant_id, spec.use_case, spec.instance,
                                 spec.hardware, spec.ua_package, spec.ta_package, now);
    request.channel_instance = channel_instance;
    TEEPNET_ASSIGN_OR_RETURN(
        Transition t,
        Apply(request, Event::Placed(placement.device_id, placement.architecture), now, limits_));
    request.version = 1;
    MocTransaction txn;
    txn.request = request;
    txn.reserve_slot = placement.device_id;
    txn.audit.push_back(
        Audit(now, who.tenant_id, "request.create", request.id,
              "use case " + std::to_string(spec.use_case) + " placed on " + placement.device_id));
    if (keyed) {
      txn.idempotency = IdempotencyRecord{who.tenant_id, std::string(idempotency_key), fingerprint,
                                          request.id, now};
    }
    Status committed = store_.Commit(txn);
    if (committed.ok()) {
      Drain(request);
      // The step is committed: a failed re-read must not make it look refused.
      Result<Request> reloaded = OwnedRequest(who, request.id);
      if (reloaded.ok()) return CreatedRequest{*std::move(reloaded), false};
      return CreatedRequest{std::move(request), false};
    }
    // The same POST, repeated, committed first (on this replica or another): answer with
    // what it created; nothing of this attempt was applied.
    if (keyed && committed.error().Is(Errc::kIdempotencyKeyReused)) {
      TEEPNET_ASSIGN_OR_RETURN(std::optional<Request> earlier,
                               Replay(who, idempotency_key, fingerprint));
      if (earlier) return CreatedRequest{*std::move(earlier), true};
      return std::move(committed).TakeError();
    }
    // Another request took the last slot between ListDevices and Commit: place again.
    if (!committed.error().Is(Errc::kNoCapacity)) return std::move(committed).TakeError();
    last = std::move(committed).TakeError();
  }
  return last;
}

Result<Request> MocService::GetRequest(const Principal& who, std::string_view request_id) const {
  return OwnedRequest(who, request_id);
}

Result<FailureRecord> MocService::GetFailureRecord(const Principal& who,
                                                   std::string_view request_id) const {
  TEEPNET_ASSIGN_OR_RETURN(Request request, OwnedRequest(who, request_id));
  return FailureRecordOf(request, clock_.NowUnixSeconds());
}

Result<std::vector<Request>> MocService::ListRequests(const Principal& who) const {
  TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  return store_.ListRequests(who.tenant_id);
}

Result<Request> MocService::PostSealedData(const Principal& who, std::string_view request_id,
                                           ByteView sealed) {
  TEEPNET_ASSIGN_OR_RETURN(Request request, OwnedRequest(who, request_id));
  if (sealed.empty()) return Error(Errc::kInvalidArgument, "the sealed body is empty");
  if (sealed.size() > kMaxSealedBytes) {
    return Error(Errc::kBodyTooLarge,
                 "sealed data may be at most " + std::to_string(kMaxSealedBytes) + " bytes");
  }
  RelayBlob blob;
  blob.device_id = request.device_id;
  blob.request_id = request.id;
  blob.target = ChannelTargetFor(request.use_case);
  blob.sealed = ToBytes(sealed);
  blob.digest = crypto::Sha256(sealed);
  blob.queued_at = clock_.NowUnixSeconds();
  const Event event = Event::SealedPosted(blob.digest);
  TEEPNET_RETURN_IF_ERROR(Step(request.id, event, who.tenant_id, std::move(blob)));
  return OwnedRequest(who, request_id);
}

Result<std::vector<DeviceCapacity>> MocService::ListDevices(const Principal& who) const {
  if (!who.admin) TEEPNET_RETURN_IF_ERROR(RequireTenant(who));
  return store_.ListDevices();
}

Result<std::vector<InboxItem>> MocService::Inbox(std::string_view device_id) const {
  TEEPNET_ASSIGN_OR_RETURN(std::vector<RelayBlob> blobs, store_.PendingRelay(device_id));
  std::vector<InboxItem> items;
  size_t sealed_bytes = 0;
  for (RelayBlob& blob : blobs) {
    if (items.size() == kMaxInboxItems) break;  // the rest follow once these are receipted
    if (!items.empty() && sealed_bytes + blob.sealed.size() > kMaxInboxSealedBytes) break;
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Request> request, store_.FindRequest(blob.request_id));
    // Only bytes a request still waits to have delivered: a blob whose request ended leaves
    // the queue in the commit that ended it, so this only skips what a replica is removing.
    if (!request || request->device_id != device_id ||
        request->state != RequestState::kSealedDataRelayed) {
      continue;
    }
    InboxItem item;
    item.request_id = std::move(blob.request_id);
    item.target = blob.target;
    item.instance = request->channel_instance;
    item.purpose = std::string(ChannelPurposeFor(request->use_case));
    item.instance_type = request->instance;
    if (request->ua_package && item.target == ChannelTarget::kTa) {
      // The UA went to the device through TEEP like the TA; the Broker starts it once the TA
      // has its PD. The name is what the Agent's store calls the component (unsigned reading,
      // as for the TA's instance: the Agent installed only what verified).
      TEEPNET_ASSIGN_OR_RETURN(std::optional<Package> ua, store_.FindPackage(*request->ua_package));
      if (ua) {
        if (Result<std::string> name = evidence::InstanceNameOfEnvelope(ua->envelope); name.ok()) {
          item.ua_component = *std::move(name);
        }
      }
    }
    item.digest = std::move(blob.digest);
    item.sealed = std::move(blob.sealed);
    sealed_bytes += item.sealed.size();
    items.push_back(std::move(item));
  }
  return items;
}

Result<Request> MocService::AcceptReceipt(std::string_view device_id, std::string_view request_id,
                                          ByteView receipt) {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<Request> stored, store_.FindRequest(request_id));
  // A request on another device is reported like a missing one: the device API has no
  // principal, so it reveals nothing about other devices' requests.
  if (!stored || stored->device_id.empty() || stored->device_id != device_id) {
    return Error(Errc::kRequestNotFound,
                 "no request " + std::string(request_id) + " on device " + std::string(device_id));
  }
  if (stored->state == RequestState::kDone && Equal(stored->receipt, receipt)) return *stored;
  if (stored->state != RequestState::kSealedDataRelayed) {
    return Error(Errc::kWrongState, "request " + stored->id +
                                        " is not waiting for a receipt; it is " +
                                        std::string(RequestStateName(stored->state)));
  }
  TEEPNET_RETURN_IF_ERROR(CheckReceipt(*stored, receipt));
  TEEPNET_RETURN_IF_ERROR(
      Step(stored->id, Event::Delivered(stored->device_id, stored->sealed_digest, ToBytes(receipt)),
           "device:" + stored->device_id));
  TEEPNET_ASSIGN_OR_RETURN(std::optional<Request> after, store_.FindRequest(request_id));
  if (!after) return Error(Errc::kRequestNotFound, "no request " + std::string(request_id));
  // Another replica may have committed a different (also valid) receipt first.
  if (!Equal(after->receipt, receipt)) {
    return Error(Errc::kWrongState, "request " + after->id + " already stored another receipt");
  }
  return *std::move(after);
}

Status MocService::ReportCapacity(const DeviceCapacity& report) {
  TEEPNET_RETURN_IF_ERROR(ValidateCapacityReport(report));
  DeviceCapacity stamped = report;
  stamped.updated_at = clock_.NowUnixSeconds();
  return store_.PutDeviceCapacity(stamped);
}

Status MocService::OverrideCapacity(std::string_view device_id, const CapacityOverride& override_) {
  TEEPNET_RETURN_IF_ERROR(
      store_.SetCapacityOverride(device_id, override_.slot_limit, override_.withheld_types));
  std::string detail = "slots " + (override_.slot_limit ? std::to_string(*override_.slot_limit)
                                                        : std::string("as claimed"));
  for (InstanceType type : override_.withheld_types) {
    detail += ", withholds " + std::string(InstanceTypeName(type));
  }
  MocTransaction audit;
  audit.audit.push_back(Audit(clock_.NowUnixSeconds(), "admin", "device.capacity-override",
                              std::string(device_id), std::move(detail)));
  return store_.Commit(audit);
}

Result<std::optional<DeviceCapacity>> MocService::FindDevice(std::string_view device_id) const {
  return store_.FindDevice(device_id);
}

Result<Transition> MocService::HandleEvent(std::string_view request_id, const Event& event) {
  const std::string actor =
      event.device_id.empty() ? std::string("moc") : "device:" + event.device_id;
  return Step(request_id, event, actor);
}

Result<Transition> MocService::Step(std::string_view request_id, const Event& event,
                                    std::string_view actor, std::optional<RelayBlob> blob) {
  for (int attempt = 0;; ++attempt) {
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Request> stored, store_.FindRequest(request_id));
    if (!stored) return Error(Errc::kRequestNotFound, "no request " + std::string(request_id));
    Request request = *stored;
    const int64_t now = clock_.NowUnixSeconds();
    TEEPNET_ASSIGN_OR_RETURN(Transition t, Apply(request, event, now, limits_));
    if (t.outcome == Outcome::kIgnored) return t;
    ++request.version;
    MocTransaction txn;
    txn.request = request;
    if (request.state == RequestState::kFailed && !request.device_id.empty()) {
      txn.release_slot = request.device_id;
    }
    for (const Action& action : t.actions) {
      if (action.kind == ActionKind::kRelaySealedData && blob) txn.enqueue = blob;
    }
    // Delivered (done) or given up (failed): nothing is left for the device to pick up.
    if (IsTerminal(request.state) && !request.sealed_digest.empty()) txn.dequeue = request.id;
    for (size_t i = stored->steps.size(); i < request.steps.size(); ++i) {
      txn.audit.push_back(Audit(
          now, actor, "request.step", request.id,
          std::string(RequestStateName(request.steps[i].state)) + ": " + request.steps[i].detail));
    }
    Status committed = store_.Commit(txn);
    if (!committed.ok()) {
      if (committed.error().Is(Errc::kConcurrentUpdate) && attempt + 1 < kCommitAttempts) {
        continue;
      }
      return std::move(committed).TakeError();
    }
    Drain(request);
    return t;
  }
}

size_t MocService::Drain(const Request& request) {
  std::vector<uint64_t> done;
  for (const Action& action : request.outbox) {
    if (!sink_.Execute(request, action).ok()) break;  // keep the order; retry on Resume
    done.push_back(action.seq);
  }
  if (done.empty()) return 0;
  for (int attempt = 0; attempt < kCommitAttempts; ++attempt) {
    Result<std::optional<Request>> stored = store_.FindRequest(request.id);
    if (!stored.ok() || !*stored) return done.size();
    Request retired = **stored;
    std::erase_if(retired.outbox, [&](const Action& a) {
      return std::find(done.begin(), done.end(), a.seq) != done.end();
    });
    ++retired.version;
    MocTransaction txn;
    txn.request = std::move(retired);
    Status committed = store_.Commit(txn);
    // A retire that never commits leaves the actions for Resume(); they are idempotent.
    if (committed.ok() || !committed.error().Is(Errc::kConcurrentUpdate)) break;
  }
  return done.size();
}

Result<size_t> MocService::Resume() {
  TEEPNET_ASSIGN_OR_RETURN(std::vector<Request> in_flight, store_.ListInFlightRequests());
  size_t carried_out = 0;
  for (const Request& request : in_flight) carried_out += Drain(request);
  return carried_out;
}

Result<size_t> MocService::CheckTimeouts() {
  TEEPNET_ASSIGN_OR_RETURN(std::vector<Request> in_flight, store_.ListInFlightRequests());
  size_t failed = 0;
  for (const Request& request : in_flight) {
    if (IsTerminal(request.state)) continue;
    TEEPNET_ASSIGN_OR_RETURN(Transition t, Step(request.id, Event::Timeout(), "moc"));
    if (t.outcome == Outcome::kApplied) ++failed;
  }
  return failed;
}

}  // namespace teepnet::moc
