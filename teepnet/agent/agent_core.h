// AgentCore: the TEEP Agent without I/O (draft-ietf-teep-protocol §"TEEP Agent Processing"
// and the conceptual APIs of RFC 9397 §6.2.1). TEEP bytes, a clock and randomness go in;
// signed TEEP bytes and component-store changes come out.
//
//   TEEPNET_ASSIGN_OR_RETURN(auto agent, agent::AgentCore::Create(std::move(config), store,
//                                                                 &fetcher, clock, random));
//   agent::AgentResult r = agent->ProcessMessage(body_from_tam);
//   if (r.response) broker_posts(*r.response);
//
// ProcessMessage:
//   invalid message (any validation step)  -> signed Error with the err-code of
//                                             teep::AgentErrorCodeFor (draft: the Agent
//                                             "MUST respond with an Error message")
//   QueryRequest -> with require_tam_attestation: no acceptable TAM attestation-payload
//                   -> Error ERR_ATTESTATION_REQUIRED with a fresh challenge (see below);
//                   a TAM SUIT report in an unsupported suit-cose-profile -> Error
//                   ERR_UNSUPPORTED_SUIT_REPORT with the Agent's profiles;
//                   then negotiate version / suite / freshness (Error 3, 4 or 5 with the Agent's
//                   lists on failure) -> QueryResponse: token echoed, tc-list of installed
//                   manifests (tc_claims.h), requested-tc-list / unneeded-manifest-list from
//                   RequestTA / UnrequestTA, attestation-payload from the EvidenceProvider
//   Update       -> unlink every unneeded manifest, then run the SUIT update procedure on
//                   each manifest-list entry, all staged: the component store sees one commit
//                   when everything passed, nothing otherwise. Success with one SUIT report
//                   per manifest (suit-report-nonce = token), or Error
//                   ERR_MANIFEST_PROCESSING_FAILED with the reports.
//   Update carrying err-code -> recorded (last_tam_error()), no reply.
//
// TAM attestation (AgentConfig::require_tam_attestation, off by default; digest §6.2 step
// 2.1: "If the Agent requires TAM attestation and no attestation-payload came: send Error
// ERR_ATTESTATION_REQUIRED with supported-freshness-mechanisms and a challenge"). The challenge
// (kTamChallengeSize bytes of the injected Random) is remembered for the TAM whose key verified the
// QueryRequest, at most kMaxOutstandingTamChallenges of them (the oldest is forgotten) for
// tam_challenge_lifetime_seconds. A retried QueryRequest's attestation-payload goes to the
// TamAttestationVerifier; it is accepted when the verdict is affirming and its eat_nonce equals
// an outstanding challenge of that TAM, which is then used up (the attested QueryRequest's
// replay protection, digest §5). Anything else gets another ERR_ATTESTATION_REQUIRED.
//
// Not thread-safe: one Agent processes one message at a time (it is a single TEE).
#ifndef TEEPNET_AGENT_AGENT_CORE_H_
#define TEEPNET_AGENT_AGENT_CORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/agent/errc.h"
#include "teepnet/agent/evidence_provider.h"
#include "teepnet/agent/tam_attestation_verifier.h"
#include "teepnet/agent/tc_store.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/suit/authenticator.h"
#include "teepnet/suit/encryption.h"
#include "teepnet/suit/environment.h"
#include "teepnet/suit/report.h"
#include "teepnet/teep/secure_message.h"
#include "teepnet/teep/types.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::agent {

// A TAM this Agent trusts (its TEEP signing keys) and where to reach it.
struct TrustedTam {
  std::string uri;                  // the TAM URI the Broker POSTs to
  std::vector<teep::PeerKey> keys;  // TAM signing keys (one per suite it signs with)
};

struct AgentConfig {
  const teep::WireProfile* profile = &teep::RfcProfile();
  // The Agent's TEEP key and its one suite (the Agent MUST implement at least one suite:
  // draft §"Ciphersuites"). When kid is unset, Create sets it to the key's RFC 9679
  // thumbprint, which is how the TAM identifies the device. Required.
  std::optional<teep::SigningKey> signing_key;
  std::vector<TrustedTam> tams;
  // Trust anchors for Trusted Component Signers (SUIT manifest signer keys) and payload keys.
  suit::TrustAnchors tc_signers;
  suit::PayloadKeys payload_keys;
  suit::DeviceIdentity device;
  std::vector<uint32_t> versions = {0};
  std::vector<uint64_t> freshness_mechanisms = {teep::kFreshnessNonce};
  // SUIT COSE profiles the Agent supports (reported with ERR_UNSUPPORTED_SUIT_REPORT).
  // Empty: the two profiles of the Agent's signing algorithm.
  std::vector<teep::SuitCoseProfile> suit_cose_profiles;
  // Require every QueryRequest to carry the TAM's own attestation-payload (see the file
  // comment). Needs a TamAttestationVerifier and the nonce freshness mechanism.
  bool require_tam_attestation = false;
  // How long a challenge sent in ERR_ATTESTATION_REQUIRED stays acceptable.
  int64_t tam_challenge_lifetime_seconds = 600;
};

// The challenge of ERR_ATTESTATION_REQUIRED: `bstr .size (8..512)`; 32 bytes is well clear of
// guessing.
inline constexpr size_t kTamChallengeSize = 32;
// Outstanding challenges the Agent remembers (a Broker can make it issue any number).
inline constexpr size_t kMaxOutstandingTamChallenges = 16;

// What an Agent knows about one TAM when RequestTA / UnrequestTA could attach an unsolicited
// QueryResponse (RFC 9397 §6.2.1; digest §6.2).
struct UnsolicitedQueryResponseFacts {
  struct LastQueryRequest {
    bool had_token = false;
    bool had_challenge = false;
    int64_t received_at = 0;  // unix seconds
  };
  std::optional<LastQueryRequest> last_query_request;  // the last one validly received
  std::optional<int64_t> last_process_error_at;        // the last ProcessError for this TAM's URI
  bool tam_key_cached = false;                         // the Agent holds the TAM's key or cert
  std::optional<int64_t> tam_key_not_after;            // its certificate's expiry; unset: no expiry
};

// digest §6.2 (RequestTA, the draft's Agent rules over RFC 9397 §6.2.1): an unsolicited
// QueryResponse is allowed only if all three hold: "the last QueryRequest from that TAM had no
// token and no challenge"; "ProcessError has not been called for that TAM since"; "the TAM's key or
// cert is cached and unexpired". With no QueryRequest seen the first cannot be established, so the
// answer is no; a ProcessError in the same second as that QueryRequest counts as "since".
//
// teepnet's TamCore puts a token in every QueryRequest and drops a QueryResponse without one
// (tam::Errc::kMissingToken), so against a teepnet TAM the first condition never holds. The
// core therefore never attaches a message to a TamContact; this check is for a Broker or an
// Agent that talks to another TAM.
bool MayAttachUnsolicitedQueryResponse(const UnsolicitedQueryResponseFacts& facts,
                                       int64_t now_unix);

enum class AgentOutcome : uint8_t {
  kQueryResponseSent,
  kSuccessSent,
  kErrorSent,  // invalid message, failed negotiation or failed Update: see `error`
  kNoReply,    // an Update that only reported a TAM error
  kFailed,     // the Agent could not even sign an Error (see `error`); nothing to send
};
std::string_view AgentOutcomeName(AgentOutcome outcome);

struct AgentResult {
  std::optional<Bytes> response;  // the signed reply for the Broker to POST
  AgentOutcome outcome = AgentOutcome::kFailed;
  std::optional<Error> error;               // why an Error was sent / nothing could be sent
  std::optional<teep::ErrorCode> err_code;  // the err-code of the Error sent
  std::vector<suit::Report> reports;        // SUIT reports of an Update (success or failure)
};

// What RequestTA / UnrequestTA / RequestPolicyCheck hand the Broker (RFC 9397 §6.2.1).
struct TamContact {
  std::string tam_uri;
  std::optional<Bytes> message;  // an unsolicited message to POST; never set by this core
};

class AgentCore {
 public:
  // kBadConfig unless the signing key has a single COSE_Sign1 suite the profile defines and at
  // least one TAM with at least one key is configured. `fetcher` may be null (manifests with
  // remote URIs then fail with suit::Errc::kFetchFailed); `evidence` may be null (a
  // QueryRequest with the attestation bit then gets an Error). `tam_verifier` is required
  // when config.require_tam_attestation is set (kBadConfig otherwise, as is that policy
  // without the nonce freshness mechanism or with a non-positive challenge lifetime); it is
  // not called without that policy.
  // All references must outlive the core.
  static Result<std::unique_ptr<AgentCore>> Create(AgentConfig config, TcStore& store,
                                                   suit::Fetcher* fetcher, const Clock& clock,
                                                   Random& random,
                                                   EvidenceProvider* evidence = nullptr,
                                                   TamAttestationVerifier* tam_verifier = nullptr);

  // ProcessTeepMessage (see the file comment).
  AgentResult ProcessMessage(ByteView wire);

  // RequestTA: nothing when `manifest_id` is installed; otherwise it is added to the next
  // requested-tc-list (with `min_sequence_number` as tc-manifest-sequence-number) and a TAM
  // URI is returned: `tam_hint` when it names a configured TAM, else the first TAM.
  std::optional<TamContact> RequestTA(const suit::ComponentId& manifest_id,
                                      std::optional<uint64_t> min_sequence_number = std::nullopt,
                                      std::string_view tam_hint = {});
  // UnrequestTA: nothing when `manifest_id` is not installed; otherwise it is added to the
  // next unneeded-manifest-list and a TAM URI is returned.
  std::optional<TamContact> UnrequestTA(const suit::ComponentId& manifest_id,
                                        std::string_view tam_hint = {});
  // One TAM URI per call, each configured TAM once, then nothing (and the cycle restarts), so
  // the Broker loops until nothing is returned (otrp-over-http §"TEEP/HTTP Client").
  std::optional<TamContact> RequestPolicyCheck();
  // The transport to `tam_uri` failed. Recorded; the TAM stays in the rotation.
  void ProcessError(std::string_view tam_uri);

  // --- Inspection ---
  const Bytes& kid() const;  // the RFC 9679 thumbprint the Agent signs with
  crypto::PublicKey public_key() const;
  const std::vector<teep::RequestedTcInfo>& pending_requests() const { return requested_; }
  const std::vector<suit::ComponentId>& pending_unrequests() const { return unrequested_; }
  // err-code / err-msg of the last Update that reported a TAM-side error.
  const std::optional<std::pair<uint64_t, std::string>>& last_tam_error() const {
    return last_tam_error_;
  }
  size_t transport_errors() const { return transport_errors_; }
  // Challenges sent in ERR_ATTESTATION_REQUIRED and not yet used up (expired ones included
  // until the next QueryRequest prunes them).
  size_t outstanding_tam_challenges() const { return tam_challenges_.size(); }

 private:
  AgentCore(AgentConfig config, TcStore& store, suit::Fetcher* fetcher, const Clock& clock,
            Random& random, EvidenceProvider* evidence, TamAttestationVerifier* tam_verifier);
  struct Handlers;
  friend struct Handlers;
  std::string PickTam(std::string_view hint) const;
  // Drops requests the store now satisfies (installed / no longer installed).
  void ForgetSatisfiedRequests();

  AgentConfig config_;
  TcStore& store_;
  suit::Fetcher* fetcher_;
  const Clock& clock_;
  Random& random_;
  EvidenceProvider* evidence_;
  std::vector<teep::PeerKey> tam_keys_;  // every trusted TAM key, flattened
  std::vector<teep::RequestedTcInfo> requested_;
  std::vector<suit::ComponentId> unrequested_;
  std::vector<suit::Report> last_reports_;  // re-sent when a QueryRequest asks for suit-reports
  std::optional<std::pair<uint64_t, std::string>> last_tam_error_;
  size_t policy_cursor_ = 0;
  size_t transport_errors_ = 0;
  TamAttestationVerifier* tam_verifier_ = nullptr;
  std::vector<size_t> tam_key_owner_;  // per tam_keys_ entry: its index in config_.tams
  struct TamChallenge {
    Bytes challenge;
    size_t tam = 0;  // index in config_.tams
    int64_t expires_at = 0;
  };
  std::vector<TamChallenge> tam_challenges_;  // oldest first, at most kMaxOutstandingTamChallenges
};

}  // namespace teepnet::agent

#endif  // TEEPNET_AGENT_AGENT_CORE_H_
