// TamStore: everything the TAM core remembers, behind one interface so the services layer can
// back it with SQLite or PostgreSQL and tests with InMemoryTamStore (in_memory_tam_store.h).
//
// Shape of the state (docs/DESIGN.md §6, §9: a few KiB per device, nothing only one replica
// knows):
//   devices      enrolled Agents: RFC 9679 thumbprint -> public COSE_Key + label
//   packages     the catalog of signed SUIT envelopes, by (manifest id, sequence number)
//   desired      per device: which manifests should be installed, which removed
//   status       per device: what the Agent last reported, the last outcome, the appraisal
//   tokens       every Update token the TAM issued (purpose, device, expiry, consumed flag),
//                and the QueryRequest tokens responses have used (query_token.h: a QueryRequest
//                token is self-authenticating, so issuing one stores nothing)
//
// Every protocol step changes state through exactly one Commit(TamTransaction), and the core
// returns its reply only after that Commit succeeded, so a store that commits atomically
// guarantees "every protocol step that changes state commits before the reply leaves"
// (DESIGN §6). Reads may fail (a database is I/O), hence Result.
#ifndef TEEPNET_TAM_TAM_STORE_H_
#define TEEPNET_TAM_TAM_STORE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/agent/tc_claims.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/component_id.h"
#include "teepnet/teep/cipher_suite.h"
#include "teepnet/teep/types.h"

namespace teepnet::tam {

// A device is named by the RFC 9679 §3 SHA-256 thumbprint of its Agent's TEEP signing key,
// which is also the kid the Agent puts in its COSE_Sign1 protected header.
using DeviceId = Bytes;
// Lower-case hex, for logs and the CLI.
std::string DeviceIdHex(ByteView device_id);

struct DeviceRecord {
  DeviceId device_id;
  Bytes agent_key;    // the Agent's public COSE_Key, encoded (public members only)
  std::string label;  // platform / free-text label given at enrollment

  friend bool operator==(const DeviceRecord&, const DeviceRecord&) = default;
};

// One signed SUIT envelope in the TAM's catalog.
struct Package {
  suit::ComponentId manifest_id;  // the manifest's manifest-component-id
  uint64_t sequence_number = 0;   // its manifest-sequence-number
  Bytes manifest_digest;          // encoded SUIT_Digest from the authentication wrapper
  Bytes envelope;                 // the envelope as the Agent will receive it

  friend bool operator==(const Package&, const Package&) = default;
};

struct PackageRef {
  suit::ComponentId manifest_id;
  uint64_t sequence_number = 0;

  friend bool operator==(const PackageRef&, const PackageRef&) = default;
};

// What the operator wants on a device.
struct DesiredState {
  // Installed at this sequence number (or a higher one the Agent already has).
  std::vector<PackageRef> install;
  // Not installed: sent in unneeded-manifest-list while the Agent reports them.
  std::vector<suit::ComponentId> remove;

  friend bool operator==(const DesiredState&, const DesiredState&) = default;
};

enum class TokenPurpose : uint8_t { kQueryRequest, kUpdate };

// One issued token (draft §"Token"; digest §5: "keep a table of outstanding tokens per
// device ... expire a token after the first validly signed response").
struct TokenRecord {
  Bytes token;  // 16 bytes from the CSPRNG, or a QueryRequest token (query_token.h)
  TokenPurpose purpose = TokenPurpose::kQueryRequest;
  // Unset for a QueryRequest sent on a fresh connection (an empty POST names no device); the
  // first validly signed response binds it.
  std::optional<DeviceId> device_id;
  int64_t issued_at = 0;   // unix seconds
  int64_t expires_at = 0;  // unix seconds; the token is refused from this instant on
  bool consumed = false;
  // QueryRequest: what was asked, so the response can be checked against it.
  teep::DataItemsRequested data_items;
  std::optional<Bytes> challenge;
  // Update: what it carried, so a Success can update the device's recorded state.
  std::vector<PackageRef> sent_manifests;
  std::vector<suit::ComponentId> sent_removals;

  friend bool operator==(const TokenRecord&, const TokenRecord&) = default;
};

// What the last exchange with a device ended in (for `tam status` and metrics).
enum class LastResult : uint8_t {
  kNone,
  kUpToDate,           // QueryResponse: nothing to do (HTTP 204)
  kUpdateSent,         // QueryResponse: an Update with manifests / removals went out
  kSuccess,            // Success for the last Update
  kError,              // Error from the Agent
  kAttestationFailed,  // appraisal failed and policy requires it: Update with an err-code
  kBadResponse,        // QueryResponse failed the field/nonce checks: Update with an err-code
};
std::string_view LastResultName(LastResult result);

struct AppraisalRecord {
  bool affirming = false;
  int64_t appraised_at = 0;
  std::string reason;        // why not affirming, or the verifier's status word
  Bytes attestation_result;  // the AR (e.g. an EAR) when the appraiser issued one

  friend bool operator==(const AppraisalRecord&, const AppraisalRecord&) = default;
};

// What the TAM knows about a device from its messages.
struct DeviceStatus {
  std::vector<agent::InstalledTc> installed;     // last tc-list, adjusted after Success
  std::vector<teep::RequestedTcInfo> requested;  // last requested-tc-list
  std::vector<suit::ComponentId> unneeded;       // last unneeded-manifest-list
  std::optional<teep::CipherSuite> suite;        // the suite the Agent signs with
  int64_t last_contact = 0;                      // unix seconds of the last valid message
  LastResult last_result = LastResult::kNone;
  std::optional<uint64_t> last_error_code;        // wire err-code of the last Error
  std::optional<std::string> last_error_message;  // its err-msg
  std::optional<AppraisalRecord> appraisal;

  friend bool operator==(const DeviceStatus&, const DeviceStatus&) = default;
};

// The state change of one protocol step. A store applies all of it or none of it.
struct TamTransaction {
  // The device the step concerns (status / desired / token binding below apply to it).
  std::optional<DeviceId> device;
  // Marks this token consumed, and binds it to `device` when it had no device yet. The store
  // must refuse the whole transaction with tam::Errc::kTokenReplayed when the token is
  // already consumed (a compare-and-set, so two replicas racing on one token cannot both
  // win) and with tam::Errc::kUnknownToken when it does not exist.
  std::optional<Bytes> consume_token;
  // A token the store never saw (a self-authenticating QueryRequest token, query_token.h, that
  // the core has verified) to record as used: inserted with consumed set, bound to `device`,
  // kept until its expires_at. The store must refuse the whole transaction with
  // tam::Errc::kTokenReplayed when a token with these bytes is already recorded (a unique key,
  // so two replicas racing on one token cannot both win).
  std::optional<TokenRecord> record_used_token;
  // A new token (the one an outgoing QueryRequest or Update carries). A store may cap the
  // outstanding tokens per device by evicting the oldest (digest §5).
  std::optional<TokenRecord> issue_token;
  std::optional<DeviceStatus> status;   // replaces `device`'s status
  std::optional<DesiredState> desired;  // replaces `device`'s desired state

  bool empty() const {
    return !consume_token && !record_used_token && !issue_token && !status && !desired;
  }
};

class TamStore {
 public:
  virtual ~TamStore() = default;

  // --- Devices (operator side) ---
  // Inserts or replaces the device with this id.
  virtual Status PutDevice(const DeviceRecord& device) = 0;
  // Forgets the device, its desired state and status. kNotFound-coded error when unknown.
  virtual Status RemoveDevice(ByteView device_id) = 0;
  virtual Result<std::optional<DeviceRecord>> FindDevice(ByteView device_id) const = 0;
  virtual Result<std::vector<DeviceRecord>> ListDevices() const = 0;

  // --- Catalog (operator side) ---
  // Inserts or replaces the package with this (manifest id, sequence number).
  virtual Status PutPackage(const Package& package) = 0;
  virtual Result<std::optional<Package>> FindPackage(const suit::ComponentId& manifest_id,
                                                     uint64_t sequence_number) const = 0;
  // The package with the highest sequence number for this manifest id.
  virtual Result<std::optional<Package>> FindLatestPackage(
      const suit::ComponentId& manifest_id) const = 0;

  // --- Per-device state ---
  // Empty DesiredState when none was set.
  virtual Result<DesiredState> GetDesiredState(ByteView device_id) const = 0;
  virtual Status SetDesiredState(ByteView device_id, const DesiredState& desired) = 0;
  virtual Result<std::optional<DeviceStatus>> GetStatus(ByteView device_id) const = 0;

  // --- Tokens ---
  virtual Result<std::optional<TokenRecord>> FindToken(ByteView token) const = 0;
  // Deletes tokens whose expires_at <= now_unix (housekeeping; the core never needs it for
  // correctness because it checks expiry itself). Returns how many were deleted.
  virtual Result<size_t> PurgeTokens(int64_t now_unix) = 0;

  // --- One protocol step ---
  virtual Status Commit(const TamTransaction& txn) = 0;
};

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_TAM_STORE_H_
