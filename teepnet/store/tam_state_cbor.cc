#include "teepnet/store/tam_state_cbor.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/utf8.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/store/errc.h"

namespace teepnet::store {

namespace {

// The first element of both layouts; a later layout is a new number and a new migration.
constexpr uint64_t kLayoutVersion = 1;
// Members of the top-level arrays, the version included.
constexpr size_t kStatusMembers = 10;
constexpr size_t kDesiredMembers = 3;
constexpr size_t kInstalledMembers = 3;
constexpr size_t kRequestedMembers = 4;
constexpr size_t kAppraisalMembers = 4;

Error Bad(std::string_view what) {
  return Error(Errc::kBadColumn, "stored state: " + std::string(what) + " has the wrong shape");
}

cbor::DecodeOptions StoredStateOptions() {
  cbor::DecodeOptions o = cbor::DecodeOptions::Deterministic();
  o.limits.max_depth = kMaxStoredStateDepth;
  o.limits.max_container_items = kMaxStoredStateListItems;
  o.limits.max_string_length = kMaxStoredStateBytes;
  // Every item is at least one byte, so the column's size bounds the item count too.
  o.limits.max_total_items = kMaxStoredStateBytes;
  return o;
}

// --- encoding ---

// Writes the layouts and remembers the first list that is too long to read back.
class StateWriter {
 public:
  cbor::Writer& w() { return w_; }

  void List(size_t n, std::string_view what) {
    if (n > kMaxStoredStateListItems && !too_long_) too_long_ = std::string(what);
    w_.WriteArrayHeader(n);
  }
  void Segments(const std::vector<Bytes>& segments, std::string_view what) {
    List(segments.size(), what);
    for (const Bytes& s : segments) w_.WriteBytes(s);
  }
  void OptionalUint(const std::optional<uint64_t>& v) {
    if (v) {
      w_.WriteUint(*v);
    } else {
      w_.WriteNull();
    }
  }
  // The reader requires UTF-8 (RFC 8949 §3.1); a string that is not (the stored JSON replaced
  // such bytes too) gets U+FFFD for each sequence that does not decode.
  void Text(std::string_view text) {
    if (cbor::IsValidUtf8(AsBytes(text))) return w_.WriteText(text);
    std::string fixed;
    while (!text.empty()) {
      size_t bad = 0;
      if (cbor::IsValidUtf8(AsBytes(text), &bad)) {
        fixed.append(text);
        break;
      }
      fixed.append(text.substr(0, bad));
      fixed.append("\xEF\xBF\xBD");
      text.remove_prefix(bad + 1);
    }
    w_.WriteText(fixed);
  }

  Result<Bytes> Finish(std::string_view what) && {
    if (too_long_) {
      return Error(Errc::kBadColumn, std::string(what) + ": " + *too_long_ + " has more than " +
                                         std::to_string(kMaxStoredStateListItems) + " entries");
    }
    if (w_.size() > kMaxStoredStateBytes) {
      return Error(Errc::kBadColumn, std::string(what) + " is above " +
                                         std::to_string(kMaxStoredStateBytes) + " bytes");
    }
    return std::move(w_).Take();
  }

 private:
  cbor::Writer w_{256};
  std::optional<std::string> too_long_;
};

// --- decoding ---

// The schema helpers of cbor::Reader, plus the shapes the layouts share. A wrong item type is
// the column's fault (kBadColumn, naming the member); malformed CBOR keeps the reader's error.
class StateReader {
 public:
  explicit StateReader(ByteView column) : r_(column, StoredStateOptions()) {}

  Status Array(size_t expected, std::string_view what) {
    size_t n = 0;
    TEEPNET_RETURN_IF_ERROR(Typed(cbor::ItemType::kArray, what));
    TEEPNET_RETURN_IF_ERROR(r_.ReadArrayHeader(&n));
    if (n != expected) return Bad(what);
    return OkStatus();
  }
  Result<size_t> List(std::string_view what) {
    size_t n = 0;
    TEEPNET_RETURN_IF_ERROR(Typed(cbor::ItemType::kArray, what));
    TEEPNET_RETURN_IF_ERROR(r_.ReadArrayHeader(&n));
    return n;
  }
  Result<uint64_t> Uint(std::string_view what) {
    uint64_t v = 0;
    TEEPNET_RETURN_IF_ERROR(Typed(cbor::ItemType::kUnsigned, what));
    TEEPNET_RETURN_IF_ERROR(r_.ReadUint(&v));
    return v;
  }
  Result<int64_t> Int(std::string_view what) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType t, r_.PeekType());
    if (t != cbor::ItemType::kUnsigned && t != cbor::ItemType::kNegative) return Bad(what);
    int64_t v = 0;
    Status read = r_.ReadInt(&v);
    if (!read.ok() && read.error().Is(cbor::Errc::kIntegerOverflow)) return Bad(what);
    TEEPNET_RETURN_IF_ERROR(read);
    return v;
  }
  Result<bool> Bool(std::string_view what) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType t, r_.PeekType());
    if (t != cbor::ItemType::kTrue && t != cbor::ItemType::kFalse) return Bad(what);
    bool v = false;
    TEEPNET_RETURN_IF_ERROR(r_.ReadBool(&v));
    return v;
  }
  Result<Bytes> ByteString(std::string_view what) {
    ByteView v;
    TEEPNET_RETURN_IF_ERROR(Typed(cbor::ItemType::kBytes, what));
    TEEPNET_RETURN_IF_ERROR(r_.ReadBytes(&v));
    return ToBytes(v);
  }
  Result<std::string> TextString(std::string_view what) {
    std::string_view v;
    TEEPNET_RETURN_IF_ERROR(Typed(cbor::ItemType::kText, what));
    TEEPNET_RETURN_IF_ERROR(r_.ReadText(&v));
    return std::string(v);
  }
  // True (and the null consumed) when the next item is null: an absent optional member.
  Result<bool> Null() {
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType t, r_.PeekType());
    if (t != cbor::ItemType::kNull) return false;
    TEEPNET_RETURN_IF_ERROR(r_.ReadNull());
    return true;
  }
  Result<std::optional<uint64_t>> OptionalUint(std::string_view what) {
    TEEPNET_ASSIGN_OR_RETURN(bool null, Null());
    if (null) return std::optional<uint64_t>();
    TEEPNET_ASSIGN_OR_RETURN(uint64_t v, Uint(what));
    return std::optional<uint64_t>(v);
  }
  // A list of `what`, each entry read by `read_one(*this)`, which returns a Result<T>.
  template <typename T, typename ReadOne>
  Result<std::vector<T>> ListOf(std::string_view what, ReadOne read_one) {
    TEEPNET_ASSIGN_OR_RETURN(size_t n, List(what));
    std::vector<T> out;
    out.reserve(Reservable(n));
    for (size_t i = 0; i < n; ++i) {
      TEEPNET_ASSIGN_OR_RETURN(T item, read_one(*this));
      out.push_back(std::move(item));
    }
    return out;
  }
  Result<std::vector<Bytes>> Segments(std::string_view what) {
    return ListOf<Bytes>(what, [what](StateReader& r) { return r.ByteString(what); });
  }
  Result<std::vector<suit::ComponentId>> Ids(std::string_view what) {
    return ListOf<suit::ComponentId>(what, [what](StateReader& r) -> Result<suit::ComponentId> {
      TEEPNET_ASSIGN_OR_RETURN(std::vector<Bytes> segments, r.Segments(what));
      return suit::ComponentId{std::move(segments)};
    });
  }
  Status Version(size_t members, std::string_view what) {
    TEEPNET_RETURN_IF_ERROR(Array(members, what));
    TEEPNET_ASSIGN_OR_RETURN(uint64_t version, Uint(what));
    if (version != kLayoutVersion) {
      return Error(Errc::kBadColumn, std::string(what) + " has layout version " +
                                         std::to_string(version) + ", this build reads " +
                                         std::to_string(kLayoutVersion));
    }
    return OkStatus();
  }
  Status End() { return r_.ExpectEnd(); }
  // What to reserve for a list of `n`: a header may claim up to the limit on a short input,
  // and every entry takes at least one byte.
  size_t Reservable(size_t n) const { return std::min(n, r_.remaining()); }

 private:
  // A missing item is the reader's kTruncated; another type than the layout's is kBadColumn.
  Status Typed(cbor::ItemType type, std::string_view what) {
    TEEPNET_ASSIGN_OR_RETURN(cbor::ItemType t, r_.PeekType());
    if (t != type) return Bad(what);
    return OkStatus();
  }

  cbor::Reader r_;
};

Result<agent::InstalledTc> ReadInstalled(StateReader& r) {
  TEEPNET_RETURN_IF_ERROR(r.Array(kInstalledMembers, "installed"));
  agent::InstalledTc tc;
  TEEPNET_ASSIGN_OR_RETURN(std::vector<Bytes> id, r.Segments("installed.manifest_id"));
  tc.manifest_id = suit::ComponentId{std::move(id)};
  TEEPNET_ASSIGN_OR_RETURN(tc.manifest_digest, r.ByteString("installed.digest"));
  TEEPNET_ASSIGN_OR_RETURN(tc.sequence_number, r.OptionalUint("installed.seq"));
  return tc;
}

Result<teep::Extension> ReadExtension(StateReader& r) {
  TEEPNET_RETURN_IF_ERROR(r.Array(2, "requested.extensions"));
  teep::Extension x;
  TEEPNET_ASSIGN_OR_RETURN(x.label, r.Uint("extension.label"));
  TEEPNET_ASSIGN_OR_RETURN(x.value, r.ByteString("extension.value"));
  return x;
}

Result<teep::RequestedTcInfo> ReadRequested(StateReader& r) {
  TEEPNET_RETURN_IF_ERROR(r.Array(kRequestedMembers, "requested"));
  teep::RequestedTcInfo info;
  TEEPNET_ASSIGN_OR_RETURN(info.component_id, r.Segments("requested.component_id"));
  TEEPNET_ASSIGN_OR_RETURN(info.tc_manifest_sequence_number, r.OptionalUint("requested.seq"));
  TEEPNET_ASSIGN_OR_RETURN(bool no_binary_flag, r.Null());
  if (!no_binary_flag) {
    TEEPNET_ASSIGN_OR_RETURN(bool have_binary, r.Bool("requested.have_binary"));
    info.have_binary = have_binary;
  }
  TEEPNET_ASSIGN_OR_RETURN(info.extensions,
                           r.ListOf<teep::Extension>("requested.extensions", ReadExtension));
  return info;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

Result<Bytes> EncodeDeviceStatusCbor(const tam::DeviceStatus& s) {
  StateWriter out;
  cbor::Writer& w = out.w();
  w.WriteArrayHeader(kStatusMembers);
  w.WriteUint(kLayoutVersion);
  out.List(s.installed.size(), "installed");
  for (const agent::InstalledTc& tc : s.installed) {
    w.WriteArrayHeader(kInstalledMembers);
    out.Segments(tc.manifest_id.segments, "installed.manifest_id");
    w.WriteBytes(tc.manifest_digest);
    out.OptionalUint(tc.sequence_number);
  }
  out.List(s.requested.size(), "requested");
  for (const teep::RequestedTcInfo& r : s.requested) {
    w.WriteArrayHeader(kRequestedMembers);
    out.Segments(r.component_id, "requested.component_id");
    out.OptionalUint(r.tc_manifest_sequence_number);
    if (r.have_binary) {
      w.WriteBool(*r.have_binary);
    } else {
      w.WriteNull();
    }
    out.List(r.extensions.size(), "requested.extensions");
    for (const teep::Extension& x : r.extensions) {
      w.WriteArrayHeader(2);
      w.WriteUint(x.label);
      w.WriteBytes(x.value);
    }
  }
  out.List(s.unneeded.size(), "unneeded");
  for (const suit::ComponentId& id : s.unneeded) out.Segments(id.segments, "unneeded");
  if (s.suite) {
    out.List(s.suite->operations.size(), "suite");
    for (const teep::TeepOperation& op : s.suite->operations) {
      w.WriteArrayHeader(2);
      w.WriteInt(op.cose_type);
      w.WriteInt(op.alg);
    }
  } else {
    w.WriteNull();
  }
  w.WriteInt(s.last_contact);
  w.WriteUint(static_cast<uint64_t>(s.last_result));
  out.OptionalUint(s.last_error_code);
  if (s.last_error_message) {
    out.Text(*s.last_error_message);
  } else {
    w.WriteNull();
  }
  if (s.appraisal) {
    w.WriteArrayHeader(kAppraisalMembers);
    w.WriteBool(s.appraisal->affirming);
    w.WriteInt(s.appraisal->appraised_at);
    out.Text(s.appraisal->reason);
    w.WriteBytes(s.appraisal->attestation_result);
  } else {
    w.WriteNull();
  }
  return std::move(out).Finish("device status");
}

Result<tam::DeviceStatus> DecodeDeviceStatusCbor(ByteView column) {
  if (column.size() > kMaxStoredStateBytes) return Bad("device status (too long)");
  StateReader r(column);
  tam::DeviceStatus s;
  TEEPNET_RETURN_IF_ERROR(r.Version(kStatusMembers, "device status"));
  TEEPNET_ASSIGN_OR_RETURN(s.installed, r.ListOf<agent::InstalledTc>("installed", ReadInstalled));
  TEEPNET_ASSIGN_OR_RETURN(s.requested,
                           r.ListOf<teep::RequestedTcInfo>("requested", ReadRequested));
  TEEPNET_ASSIGN_OR_RETURN(s.unneeded, r.Ids("unneeded"));
  TEEPNET_ASSIGN_OR_RETURN(bool no_suite, r.Null());
  if (!no_suite) {
    TEEPNET_ASSIGN_OR_RETURN(size_t n, r.List("suite"));
    teep::CipherSuite suite;
    suite.operations.reserve(r.Reservable(n));
    for (size_t i = 0; i < n; ++i) {
      TEEPNET_RETURN_IF_ERROR(r.Array(2, "suite"));
      teep::TeepOperation op;
      TEEPNET_ASSIGN_OR_RETURN(op.cose_type, r.Int("suite"));
      TEEPNET_ASSIGN_OR_RETURN(op.alg, r.Int("suite"));
      suite.operations.push_back(op);
    }
    s.suite = std::move(suite);
  }
  TEEPNET_ASSIGN_OR_RETURN(s.last_contact, r.Int("last_contact"));
  TEEPNET_ASSIGN_OR_RETURN(uint64_t last_result, r.Uint("last_result"));
  if (last_result > static_cast<uint64_t>(tam::LastResult::kBadResponse)) {
    return Bad("last_result");
  }
  s.last_result = static_cast<tam::LastResult>(last_result);
  TEEPNET_ASSIGN_OR_RETURN(s.last_error_code, r.OptionalUint("last_error_code"));
  TEEPNET_ASSIGN_OR_RETURN(bool no_message, r.Null());
  if (!no_message) {
    TEEPNET_ASSIGN_OR_RETURN(s.last_error_message, r.TextString("last_error_message"));
  }
  TEEPNET_ASSIGN_OR_RETURN(bool no_appraisal, r.Null());
  if (!no_appraisal) {
    TEEPNET_RETURN_IF_ERROR(r.Array(kAppraisalMembers, "appraisal"));
    tam::AppraisalRecord a;
    TEEPNET_ASSIGN_OR_RETURN(a.affirming, r.Bool("appraisal.affirming"));
    TEEPNET_ASSIGN_OR_RETURN(a.appraised_at, r.Int("appraisal.appraised_at"));
    TEEPNET_ASSIGN_OR_RETURN(a.reason, r.TextString("appraisal.reason"));
    TEEPNET_ASSIGN_OR_RETURN(a.attestation_result, r.ByteString("appraisal.ar"));
    s.appraisal = std::move(a);
  }
  TEEPNET_RETURN_IF_ERROR(r.End());
  return s;
}

Result<Bytes> EncodeDesiredStateCbor(const tam::DesiredState& d) {
  StateWriter out;
  cbor::Writer& w = out.w();
  w.WriteArrayHeader(kDesiredMembers);
  w.WriteUint(kLayoutVersion);
  out.List(d.install.size(), "install");
  for (const tam::PackageRef& ref : d.install) {
    w.WriteArrayHeader(2);
    out.Segments(ref.manifest_id.segments, "install.manifest_id");
    w.WriteUint(ref.sequence_number);
  }
  out.List(d.remove.size(), "remove");
  for (const suit::ComponentId& id : d.remove) out.Segments(id.segments, "remove");
  return std::move(out).Finish("desired state");
}

Result<tam::DesiredState> DecodeDesiredStateCbor(ByteView column) {
  if (column.size() > kMaxStoredStateBytes) return Bad("desired state (too long)");
  StateReader r(column);
  tam::DesiredState d;
  TEEPNET_RETURN_IF_ERROR(r.Version(kDesiredMembers, "desired state"));
  TEEPNET_ASSIGN_OR_RETURN(size_t install, r.List("install"));
  d.install.reserve(r.Reservable(install));
  for (size_t i = 0; i < install; ++i) {
    TEEPNET_RETURN_IF_ERROR(r.Array(2, "install"));
    tam::PackageRef ref;
    TEEPNET_ASSIGN_OR_RETURN(std::vector<Bytes> id, r.Segments("install.manifest_id"));
    ref.manifest_id = suit::ComponentId{std::move(id)};
    TEEPNET_ASSIGN_OR_RETURN(ref.sequence_number, r.Uint("install.seq"));
    d.install.push_back(std::move(ref));
  }
  TEEPNET_ASSIGN_OR_RETURN(d.remove, r.Ids("remove"));
  TEEPNET_RETURN_IF_ERROR(r.End());
  return d;
}

}  // namespace teepnet::store
