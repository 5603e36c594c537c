// TamCore: the TAM side of TEEP without I/O (draft-ietf-teep-protocol §"TAM Processing",
// draft-ietf-teep-otrp-over-http §"TEEP/HTTP Server Behavior"). Bytes, a clock and randomness
// go in; bytes and TamStore changes come out.
//
//   TEEPNET_ASSIGN_OR_RETURN(auto tam, tam::TamCore::Create(config, store, clock, random));
//   // empty POST body:
//   tam::TamResult r = tam->ProcessConnect();          // 200 + r.response (a QueryRequest)
//   // non-empty body:
//   tam::TamResult r = tam->ProcessMessage(body);      // 200 + r.response, or 204 when empty
//   if (r.outcome == tam::Outcome::kDropped) log(r.drop_reason->ToString());
//   if (r.outcome == tam::Outcome::kFailed)  reply 5xx (the store or the CSPRNG failed)
//
// Devices are identified by the kid in the Agent's COSE_Sign1 protected header, which must be
// the RFC 9679 thumbprint of a key enrolled with EnrollDevice. Messages from unknown keys, with
// bad signatures, malformed payloads, unknown / forged / expired / replayed tokens or wrong
// report nonces are dropped (draft §"Validating a TEEP Message": "the TAM ... MUST drop"), with
// no store change. A state change happens in one TamStore::Commit per step, before the reply is
// returned; sending a QueryRequest is no state change (its token carries what it asked).
//
// An Agent's Error ERR_ATTESTATION_REQUIRED answering the first QueryRequest of a session
// (digest §6.1: "the TAM MUST send a new QueryRequest with its own attestation-payload")
// gets a new QueryRequest carrying the TamAttester's payload, whose eat_nonce is the Error's
// challenge, signed with the suite the Agent signed its Error with. Without an attester, when
// it fails, or when the Error answers a QueryRequest that was itself such a retry (so a TAM
// whose attestation the Agent refuses does not loop), the Error is recorded instead and
// DeviceStatus::last_error_message says that the device requires TAM attestation this TAM
// could not provide (drop_reason: tam::Errc::kTamAttestationUnavailable).
//
// Thread safety: a TamCore holds no mutable state of its own (all of it is in the store), so
// several threads may call it if the store, clock and random are thread-safe.
#ifndef TEEPNET_TAM_TAM_CORE_H_
#define TEEPNET_TAM_TAM_CORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/tam/agent_key_cache.h"
#include "teepnet/tam/errc.h"
#include "teepnet/tam/evidence_appraiser.h"
#include "teepnet/tam/query_token.h"
#include "teepnet/tam/tam_attester.h"
#include "teepnet/tam/tam_store.h"
#include "teepnet/teep/secure_message.h"
#include "teepnet/teep/types.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::tam {

enum class AttestationPolicy : uint8_t {
  kNone,     // attestation bit clear; no challenge
  kRequest,  // ask for it, appraise it when an appraiser is set, store the result, proceed
  kRequire,  // ask for it; a device whose payload does not appraise as affirming gets no
             // manifests, only an Update with ERR_ATTESTATION_REQUIRED (draft §"TAM
             // Processing": "Attestation failed ... send an Update with ERR_ATTESTATION_...")
};

struct TamConfig {
  const teep::WireProfile* profile = &teep::RfcProfile();
  // The TAM's signing keys, one per cipher suite it offers, in preference order (the TAM MUST
  // implement both ESP256 and Ed25519 suites: draft §"Ciphersuites"). The suites offered in
  // supported-teep-cipher-suites are exactly these keys' suites.
  std::vector<teep::SigningKey> signing_keys;
  // Sign the first QueryRequest as a COSE_Sign with one signature per key, so an Agent that
  // supports only one algorithm can verify it (digest §3.1). False: COSE_Sign1 with the first.
  bool multi_sign_query_request = true;
  // Offered in the QueryRequest (the TAM can parse SUIT reports of these profiles). Empty:
  // the four draft-ietf-suit-mti profiles of the draft's example.
  std::vector<teep::SuitCoseProfile> suit_cose_profiles;
  // Lifetime of a token (digest §5: "recommended minimum: several hours"; an Update can take
  // hours on the device).
  int64_t token_lifetime_seconds = 6 * 3600;
  AttestationPolicy attestation = AttestationPolicy::kNone;
  // Also set the suit-reports bit of data-item-requested.
  bool request_suit_reports = false;
  // Install a TC from requested-tc-list when the catalog has it (at the requested minimum
  // sequence number or above), even if the desired state does not list it. The installed
  // package is then added to the desired state.
  bool honour_requested_tcs = true;
  // Honour unneeded-manifest-list: send the removal and drop the manifest from the desired
  // state so the next poll does not reinstall it.
  bool honour_unneeded = true;
};

enum class Outcome : uint8_t {
  kQueryRequestSent,  // ProcessConnect, or a retry after an Agent Error
  kUpdateSent,        // manifests and/or removals (or an err-code Update) go out
  kUpToDate,          // valid QueryResponse, nothing to change: no body (HTTP 204)
  kSuccessRecorded,   // Success for an Update: recorded, no body
  kErrorRecorded,     // Error from the Agent: recorded, no body
  kDropped,           // invalid message: nothing recorded, no body; see drop_reason
  kFailed,            // the TAM could not produce a result (store / CSPRNG / signing): 5xx
};
std::string_view OutcomeName(Outcome outcome);

struct TamResult {
  std::optional<Bytes> response;  // the signed TEEP message to return, if any
  Outcome outcome = Outcome::kDropped;
  std::optional<Error> drop_reason;   // kDropped and kFailed: why
  std::optional<DeviceId> device_id;  // the device, once the signature identified it
};

class TamCore {
 public:
  // Validates the config (at least one signing key, each a single COSE_Sign1 suite the
  // profile defines: tam::Errc::kBadConfig). All references must outlive the core;
  // `appraiser` may be null (no appraisal: with kRequire every device then fails attestation).
  // `attester` may be null (the TAM cannot attest itself to an Agent that requires it).
  static Result<std::unique_ptr<TamCore>> Create(TamConfig config, TamStore& store,
                                                 const Clock& clock, Random& random,
                                                 EvidenceAppraiser* appraiser = nullptr,
                                                 TamAttester* attester = nullptr);

  // A new TEEP session (empty POST): a signed QueryRequest with a fresh self-authenticating
  // token (query_token.h). Writes nothing to the store: an unauthenticated client cannot make
  // the TAM write by connecting; the token is recorded when a validly signed response uses it.
  TamResult ProcessConnect();
  // A non-empty POST body: a QueryResponse, Success or Error from an Agent.
  TamResult ProcessMessage(ByteView body);

  // --- Operator side, used by the services layer ---
  // Enrolls the Agent whose public TEEP key is `agent_cose_key` (an encoded COSE_Key, public
  // members only) and returns its device id (the RFC 9679 thumbprint). kBadDeviceKey when the
  // key is not EC2 P-256 or OKP Ed25519. Re-enrolling the same key replaces the label.
  Result<DeviceId> EnrollDevice(ByteView agent_cose_key, std::string label);
  // Adds a signed SUIT envelope to the catalog. The TAM does not hold the TC signers' keys,
  // so the envelope is decoded, not authenticated (the Agent authenticates it); it must carry
  // a manifest-component-id (kBadPackage otherwise).
  Result<Package> AddPackage(Bytes envelope);
  // Replaces the desired state of an enrolled device. Every install entry must name a package
  // in the catalog (kUnknownPackage); kUnknownDevice for an unknown device.
  Status SetDesiredState(ByteView device_id, const DesiredState& desired);

  const TamConfig& config() const { return config_; }

 private:
  TamCore(TamConfig config, QueryTokens query_tokens, TamStore& store, const Clock& clock,
          Random& random, EvidenceAppraiser* appraiser, TamAttester* attester);
  struct Steps;
  friend struct Steps;

  TamConfig config_;
  // Keyed from the first signing key, so replicas with the same TAM key accept each other's.
  QueryTokens query_tokens_;
  TamStore& store_;
  const Clock& clock_;
  Random& random_;
  EvidenceAppraiser* appraiser_;
  TamAttester* attester_ = nullptr;
  AgentKeyCache agent_keys_;
};

}  // namespace teepnet::tam

#endif  // TEEPNET_TAM_TAM_CORE_H_
