// The conditions and directives (draft-ietf-suit-manifest-37 §8.4.10, trust-domains-11 §6,
// firmware-encryption-24 §5).
#include <string>

#include "teepnet/cbor/reader.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/suit/command_sequence.h"
#include "teepnet/suit/decode_util.h"
#include "teepnet/suit/encryption.h"
#include "teepnet/suit/errc.h"
#include "teepnet/suit/ids.h"
#include "teepnet/suit/session.h"

namespace teepnet::suit::internal {
namespace {

Error ConditionFailed(const CommandEntry& c, std::string why) {
  return Error(Errc::kConditionFailed, std::string(CommandName(c.id)) + ": " + why, c.offset);
}

// Parameters reported in a record when the policy asks for system information.
constexpr Parameter kReportedParameters[] = {Parameter::kVendorId,    Parameter::kClassId,
                                             Parameter::kImageDigest, Parameter::kComponentSlot,
                                             Parameter::kImageSize,   Parameter::kUri};

ReportRecord MakeRecord(const ManifestRun& run, const CommandEntry& c, uint64_t index,
                        bool with_sysinfo) {
  ReportRecord record;
  record.manifest_id = run.path;
  record.section = run.section;
  record.offset = c.offset;
  record.component_index = index;
  if (with_sysinfo) {
    auto it = run.params.find(index);
    if (it != run.params.end()) {
      for (Parameter p : kReportedParameters) {
        auto v = it->second.values().find(static_cast<int64_t>(p));
        if (v != it->second.values().end()) record.properties.emplace_back(v->first, v->second);
      }
    }
  }
  return record;
}

Result<std::vector<uint64_t>> ParseIndices(const ManifestRun& run, const CommandEntry& c) {
  cbor::Reader r(c.argument, SuitDecodeOptions());
  TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, PeekType(r, "set-component-index"));
  std::vector<uint64_t> out;
  const Manifest& m = run.manifest();
  if (type == cbor::ItemType::kTrue) {
    // `true` selects every component (manifest-37 §8.4.10.2), not the dependencies.
    for (uint64_t i = 0; i < m.common.components.size(); ++i) out.push_back(i);
    return out;
  }
  if (type == cbor::ItemType::kUnsigned) {
    uint64_t i = 0;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadUint(&i), "set-component-index"));
    out.push_back(i);
  } else {
    size_t n = 0;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&n), "set-component-index"));
    for (size_t k = 0; k < n; ++k) {
      uint64_t i = 0;
      TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadUint(&i), "set-component-index"));
      out.push_back(i);
    }
  }
  for (uint64_t i : out) {
    if (!m.IsValidIndex(i)) {
      return Error(Errc::kComponentIndexOutOfRange,
                   "component index " + std::to_string(i) + " names no component", c.offset);
    }
  }
  return out;
}

// Decrypts `data` when the component's parameters hold encryption-info
// (firmware-encryption-24 §5: write and copy "decrypt ... if encryption-info is set").
Result<Bytes> MaybeDecrypt(const ManifestRun& run, const Parameters& params, Bytes data) {
  if (!params.Has(Parameter::kEncryptionInfo)) return data;
  TEEPNET_ASSIGN_OR_RETURN(ByteView info, params.GetBytes(Parameter::kEncryptionInfo));
  const PayloadKeys* keys = run.session->context.keys;
  if (keys == nullptr) return Error(Errc::kDecryptionFailed, "no payload keys configured");
  TEEPNET_ASSIGN_OR_RETURN(SecretBytes plaintext, DecryptPayload(info, data, *keys));
  // The plaintext becomes a component image, which the store keeps as ordinary bytes.
  return ToBytes(plaintext.view());
}

// The bytes of a dependency envelope at `index`: staged by fetch/copy or already stored.
Result<Bytes> DependencyEnvelope(const ManifestRun& run, uint64_t index) {
  if (!run.manifest().IsDependencyIndex(index)) {
    return Error(Errc::kNotADependency,
                 "component index " + std::to_string(index) + " is not a dependency");
  }
  auto bytes = run.session->ReadContent(run.IdOf(index));
  if (!bytes) return Error(Errc::kComponentMissing, "the dependency envelope is not present");
  return std::move(*bytes);
}

Result<Bytes> FetchUri(const ManifestRun& run, const std::string& uri) {
  // manifest-37 §7.5: a URI "#name" names an integrated payload in the envelope. A nested
  // manifest may reference payloads integrated in the envelopes around it.
  if (!uri.empty() && uri[0] == '#') {
    for (const ManifestRun* r = &run; r != nullptr; r = r->parent) {
      const IntegratedPayload* p = r->envelope.FindIntegrated(uri);
      if (p != nullptr) return ToBytes(p->contents);
    }
    return Error(Errc::kFetchFailed, "no integrated payload " + uri);
  }
  Fetcher* fetcher = run.session->context.fetcher;
  if (fetcher == nullptr) return Error(Errc::kFetchFailed, "no fetcher for " + uri);
  auto fetched = fetcher->Fetch(uri);
  if (!fetched.ok()) {
    if (fetched.error().domain() == Domain::kSuit) return fetched.error();
    return Error(Errc::kFetchFailed, uri + ": " + fetched.error().ToString());
  }
  return fetched;
}

Status ImageMatch(const ManifestRun& run, const CommandEntry& c, uint64_t index,
                  const Parameters& params) {
  TEEPNET_ASSIGN_OR_RETURN(Digest expected, params.GetDigest(Parameter::kImageDigest));
  if (run.manifest().IsDependencyIndex(index)) {
    // trust-domains-11 §6.3: for a dependency, the image is the dependency's manifest, so the
    // digest to compare is the one in its authentication wrapper (the size of an envelope is
    // not the size of the manifest and is not compared).
    TEEPNET_ASSIGN_OR_RETURN(Bytes env_bytes, DependencyEnvelope(run, index));
    TEEPNET_ASSIGN_OR_RETURN(Envelope env, DecodeEnvelope(env_bytes, run.session->limits));
    if (env.digest.algorithm != expected.algorithm ||
        !crypto::ConstantTimeEqual(env.digest.bytes, expected.bytes)) {
      return ConditionFailed(c, "dependency digest differs");
    }
    return OkStatus();
  }
  auto content = run.session->ReadContent(run.IdOf(index));
  if (!content) return ConditionFailed(c, "component " + run.IdOf(index).ToString() + " is empty");
  if (params.Has(Parameter::kImageSize)) {
    TEEPNET_ASSIGN_OR_RETURN(uint64_t size, params.GetUint(Parameter::kImageSize));
    if (size != content->size()) return ConditionFailed(c, "image size differs");
  }
  TEEPNET_ASSIGN_OR_RETURN(bool matches, DigestMatches(expected, *content));
  if (!matches) return ConditionFailed(c, "image digest differs");
  return OkStatus();
}

Status CheckIdentifier(const CommandEntry& c, const Parameters& params, Parameter p,
                       const std::vector<Bytes>& accepted) {
  TEEPNET_ASSIGN_OR_RETURN(ByteView expected, params.GetBytes(p));
  for (const Bytes& a : accepted) {
    if (Equal(a, expected)) return OkStatus();
  }
  return ConditionFailed(c, "identifier does not match this device");
}

Status DependencyIntegrity(ManifestRun& run, const CommandEntry& c, uint64_t index,
                           const Parameters& params) {
  // trust-domains-11 §6.3.1: authenticate the dependency and compare its digest with
  // image-digest.
  TEEPNET_ASSIGN_OR_RETURN(Bytes env_bytes, DependencyEnvelope(run, index));
  TEEPNET_ASSIGN_OR_RETURN(Envelope env, DecodeEnvelope(env_bytes, run.session->limits));
  TEEPNET_RETURN_IF_ERROR(AuthenticateEnvelope(env, *run.session->context.anchors));
  TEEPNET_ASSIGN_OR_RETURN(Digest expected, params.GetDigest(Parameter::kImageDigest));
  if (env.digest.algorithm != expected.algorithm ||
      !crypto::ConstantTimeEqual(env.digest.bytes, expected.bytes)) {
    return ConditionFailed(c, "dependency digest differs");
  }
  run.integrity_passed.insert(index);
  return OkStatus();
}

Status ProcessDependency(ManifestRun& run, const CommandEntry& c, uint64_t index,
                         const Parameters& params) {
  Session& session = *run.session;
  if (session.depth + 1 > session.limits.max_nesting) {
    return Error(Errc::kNestingTooDeep, "dependencies nest too deeply", c.offset);
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes env_bytes, DependencyEnvelope(run, index));
  // OpenRun authenticates the dependency with the trust anchors (trust-domains-11 §6.3.2:
  // a dependency is processed only when its integrity is established). When image-digest is
  // set, the dependency must also be the one the dependent names.
  TEEPNET_ASSIGN_OR_RETURN(auto child, OpenRun(session, &run, {}, std::move(env_bytes)));
  if (run.integrity_passed.count(index) == 0 && params.Has(Parameter::kImageDigest)) {
    TEEPNET_ASSIGN_OR_RETURN(Digest expected, params.GetDigest(Parameter::kImageDigest));
    if (child->envelope.digest.algorithm != expected.algorithm ||
        !crypto::ConstantTimeEqual(child->envelope.digest.bytes, expected.bytes)) {
      return Error(Errc::kDigestMismatch, "dependency is not the manifest named", c.offset);
    }
  }
  const Dependency* dep = run.manifest().FindDependency(index);
  if (dep->prefix && child->manifest().manifest_component_id &&
      *dep->prefix != *child->manifest().manifest_component_id) {
    return Error(Errc::kDependencyMismatch,
                 "dependency declares " + child->manifest().manifest_component_id->ToString() +
                     ", expected " + dep->prefix->ToString(),
                 c.offset);
  }
  // firmware-encryption-24 §8 (dependency example): parameters the dependent set for a
  // component carry into the dependency when it names the same component ("consumes the
  // SUIT_Encryption_Info set by the dependent").
  for (uint64_t i = 0; i < child->manifest().common.components.size(); ++i) {
    for (const auto& [parent_index, parent_params] : run.params) {
      if (run.manifest().IsValidIndex(parent_index) &&
          run.IdOf(parent_index) == child->manifest().common.components[i]) {
        child->params[i] = parent_params;
      }
    }
  }
  child->path.push_back(index);
  if (session.kind == ProcedureKind::kInstall) {
    TEEPNET_RETURN_IF_ERROR(CheckRollback(session, child->manifest()));
  }
  ++session.depth;
  // trust-domains-11 §6.4.1: run the dependency's shared sequence, then its sequence for the
  // section currently executing.
  Status s = RunSection(*child, run.section);
  --session.depth;
  TEEPNET_RETURN_IF_ERROR(s);
  const ComponentId key = ManifestKeyFor(child->manifest());
  if (session.kind == ProcedureKind::kInstall) {
    ManifestRecord record;
    record.manifest_id = key;
    record.sequence_number = child->manifest().sequence_number;
    record.envelope = child->owned_envelope;
    record.digest = ToBytes(child->envelope.digest_encoded);
    session.txn.installed_manifests.push_back(std::move(record));
  } else if (session.kind == ProcedureKind::kUninstall) {
    // The dependency is uninstalled with its dependent: its record and its stored envelope
    // go (no reference counting across dependents yet).
    session.txn.removed_manifests.insert(key);
    session.StageRemove(run.IdOf(index));
  }
  return OkStatus();
}

// One condition or directive applied to one component.
Status RunForComponent(ManifestRun& run, const CommandEntry& c, uint64_t index) {
  Session& session = *run.session;
  const Parameters& params = run.params[index];
  const ComponentId id = run.IdOf(index);
  const DeviceIdentity& device = *session.context.device;
  switch (static_cast<Command>(c.id)) {
    case Command::kVendorIdentifier:
      return CheckIdentifier(c, params, Parameter::kVendorId, {device.vendor_id});
    case Command::kClassIdentifier:
      return CheckIdentifier(c, params, Parameter::kClassId, device.class_ids);
    case Command::kDeviceIdentifier: {
      if (!device.device_id) return ConditionFailed(c, "the device has no device identifier");
      return CheckIdentifier(c, params, Parameter::kDeviceId, {*device.device_id});
    }
    case Command::kImageMatch: return ImageMatch(run, c, index, params);
    case Command::kComponentSlot: {
      TEEPNET_ASSIGN_OR_RETURN(uint64_t slot, params.GetUint(Parameter::kComponentSlot));
      auto it = device.slots.find(id);
      const uint64_t current = it == device.slots.end() ? 0 : it->second;
      if (slot != current) return ConditionFailed(c, "component is in another slot");
      return OkStatus();
    }
    case Command::kCheckContent: {
      TEEPNET_ASSIGN_OR_RETURN(ByteView expected, params.GetBytes(Parameter::kContent));
      auto content = session.ReadContent(id);
      // manifest-37 §8.4.10.1: compared in constant time, since content may be secret.
      if (!content || !crypto::ConstantTimeEqual(*content, expected)) {
        return ConditionFailed(c, "content differs");
      }
      return OkStatus();
    }
    case Command::kAbort: return Error(Errc::kAborted, "condition-abort", c.offset);
    case Command::kIsDependency:
      if (!run.manifest().IsDependencyIndex(index)) return ConditionFailed(c, "not a dependency");
      return OkStatus();
    case Command::kDependencyIntegrity: return DependencyIntegrity(run, c, index, params);
    case Command::kProcessDependency: return ProcessDependency(run, c, index, params);
    case Command::kWrite: {
      TEEPNET_ASSIGN_OR_RETURN(ByteView content, params.GetBytes(Parameter::kContent));
      TEEPNET_ASSIGN_OR_RETURN(Bytes image, MaybeDecrypt(run, params, ToBytes(content)));
      session.StageWrite(id, std::move(image));
      return OkStatus();
    }
    case Command::kFetch: {
      TEEPNET_ASSIGN_OR_RETURN(std::string uri, params.GetText(Parameter::kUri));
      TEEPNET_ASSIGN_OR_RETURN(Bytes fetched, FetchUri(run, uri));
      TEEPNET_ASSIGN_OR_RETURN(Bytes image, MaybeDecrypt(run, params, std::move(fetched)));
      session.StageWrite(id, std::move(image));
      return OkStatus();
    }
    case Command::kCopy:
    case Command::kSwap: {
      TEEPNET_ASSIGN_OR_RETURN(uint64_t source, params.GetUint(Parameter::kSourceComponent));
      if (!run.manifest().IsValidIndex(source)) {
        return Error(Errc::kComponentIndexOutOfRange, "source-component names no component",
                     c.offset);
      }
      const ComponentId source_id = run.IdOf(source);
      auto data = session.ReadContent(source_id);
      if (!data) return Error(Errc::kComponentMissing, "source component is empty", c.offset);
      if (static_cast<Command>(c.id) == Command::kCopy) {
        TEEPNET_ASSIGN_OR_RETURN(Bytes image, MaybeDecrypt(run, params, std::move(*data)));
        session.StageWrite(id, std::move(image));
        return OkStatus();
      }
      auto mine = session.ReadContent(id);
      if (!mine) return Error(Errc::kComponentMissing, "component to swap is empty", c.offset);
      session.StageWrite(id, std::move(*data));
      session.StageWrite(source_id, std::move(*mine));
      return OkStatus();
    }
    case Command::kInvoke: {
      Invoker* invoker = session.context.invoker;
      if (invoker == nullptr) return Error(Errc::kOperationFailed, "no invoker", c.offset);
      auto image = session.ReadContent(id);
      if (!image) return Error(Errc::kComponentMissing, "nothing to invoke", c.offset);
      ByteView args;
      if (params.Has(Parameter::kInvokeArgs)) {
        TEEPNET_ASSIGN_OR_RETURN(args, params.GetBytes(Parameter::kInvokeArgs));
      }
      Status s = invoker->Invoke(id, *image, args);
      if (!s.ok())
        return Error(Errc::kOperationFailed, "invoke: " + s.error().ToString(), c.offset);
      return OkStatus();
    }
    case Command::kUnlink:
      // trust-domains-11 §6.4.3: the component is no longer needed by this manifest.
      session.StageRemove(id);
      return OkStatus();
    default: break;
  }
  return Error(Errc::kUnsupportedCommand, "command " + std::to_string(c.id) + " is not supported",
               c.offset);
}

struct Snapshot {
  std::map<uint64_t, Parameters> params;
  std::vector<uint64_t> current;
  StoreTransaction txn;
};

Snapshot Take(const ManifestRun& run) {
  return Snapshot{run.params, run.current, run.session->txn};
}
void Restore(ManifestRun& run, Snapshot s) {
  run.params = std::move(s.params);
  run.current = std::move(s.current);
  run.session->txn = std::move(s.txn);
}

bool IsSoftFailure(const Error& e) {
  return e.Is(Errc::kConditionFailed) || e.Is(Errc::kAborted);
}

Status RunNested(ManifestRun& run, ByteView sequence, size_t offset) {
  Session& session = *run.session;
  if (session.depth + 1 > session.limits.max_nesting) {
    return Error(Errc::kNestingTooDeep, "command sequences nest too deeply", offset);
  }
  ++session.depth;
  Status s = RunCommands(run, sequence);
  --session.depth;
  return s;
}

Status TryEach(ManifestRun& run, const CommandEntry& c) {
  cbor::Reader r(c.argument, SuitDecodeOptions());
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadArrayHeader(&n), "try-each"));
  std::optional<Error> last;
  for (size_t i = 0; i < n; ++i) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType type, PeekType(r, "try-each"));
    if (type == cbor::ItemType::kNull) {
      // manifest-37 §8.4.10.2: a final nil makes try-each pass when no sequence did.
      return OkStatus();
    }
    ByteView sequence;
    TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadBytes(&sequence), "try-each"));
    Snapshot before = Take(run);
    // Soft-failure is true inside each try-each sequence: a failed condition moves on to
    // the next sequence; anything else aborts.
    Status s = RunNested(run, sequence, c.offset);
    if (s.ok()) return s;
    if (!IsSoftFailure(s.error())) return s;
    last = s.error();
    Restore(run, std::move(before));
  }
  return Error(Errc::kConditionFailed,
               "no try-each sequence passed" + (last ? ": " + last->message() : ""), c.offset);
}

Status RunSequenceDirective(ManifestRun& run, const CommandEntry& c) {
  cbor::Reader r(c.argument, SuitDecodeOptions());
  ByteView sequence;
  TEEPNET_RETURN_IF_ERROR(Wrap(r.ReadBytes(&sequence), "run-sequence"));
  Snapshot before = Take(run);
  Status s = RunNested(run, sequence, c.offset);
  if (s.ok() || !IsSoftFailure(s.error())) return s;
  // With soft-failure set, a failed condition ends the nested sequence without failing the
  // enclosing one (manifest-37 §8.4.8.13).
  TEEPNET_ASSIGN_OR_RETURN(bool soft,
                           run.params[run.current.front()].GetBool(Parameter::kSoftFailure, false));
  if (!soft) return s;
  Restore(run, std::move(before));
  return OkStatus();
}

}  // namespace

Status RunCommands(ManifestRun& run, ByteView sequence) {
  Session& session = *run.session;
  TEEPNET_ASSIGN_OR_RETURN(std::vector<CommandEntry> commands,
                           DecodeCommandSequence(sequence, session.limits));
  for (const CommandEntry& c : commands) {
    switch (static_cast<Command>(c.id)) {
      case Command::kSetComponentIndex: {
        TEEPNET_ASSIGN_OR_RETURN(run.current, ParseIndices(run, c));
        continue;
      }
      case Command::kSetParameters:
      case Command::kOverrideParameters: {
        const bool override = static_cast<Command>(c.id) == Command::kOverrideParameters;
        for (uint64_t index : run.current) {
          Status s = run.params[index].Apply(c.argument, override);
          if (!s.ok()) return s.error().WithOffsetBase(c.offset);
        }
        continue;
      }
      case Command::kTryEach: {
        TEEPNET_RETURN_IF_ERROR(TryEach(run, c));
        continue;
      }
      case Command::kRunSequence: {
        TEEPNET_RETURN_IF_ERROR(RunSequenceDirective(run, c));
        continue;
      }
      default: break;
    }
    const uint64_t policy = ReportingPolicyOf(c);
    for (uint64_t index : run.current) {
      if (!run.manifest().IsValidIndex(index)) {
        return Error(Errc::kComponentIndexOutOfRange,
                     "component index " + std::to_string(index) + " names no component", c.offset);
      }
      Status s = RunForComponent(run, c, index);
      if (!s.ok()) {
        ReportRecord record = MakeRecord(run, c, index, (policy & kSysInfoOnFailure) != 0);
        if ((policy & kRecordOnFailure) != 0) session.report.records.push_back(record);
        session.last_failure = std::move(record);
        return s;
      }
      if ((policy & kRecordOnSuccess) != 0) {
        session.report.records.push_back(
            MakeRecord(run, c, index, (policy & kSysInfoOnSuccess) != 0));
      }
    }
  }
  return OkStatus();
}

}  // namespace teepnet::suit::internal
