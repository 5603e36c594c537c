#include "teepnet/tam/tam_core.h"

#include <algorithm>
#include <utility>

#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/manifest.h"
#include "teepnet/tam/report_nonce.h"
#include "teepnet/tam/update_planner.h"
#include "teepnet/teep/limits.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/query_response.h"

namespace teepnet::tam {
namespace {

// draft §"Token": 8..64 bytes from a CSPRNG; 16 is the simple safe choice (digest §5). Update
// tokens; QueryRequest tokens are query_token.h's.
constexpr size_t kTokenSize = 16;

// The four draft-ietf-suit-mti profiles of the draft's QueryRequest example.
std::vector<teep::SuitCoseProfile> DefaultSuitProfiles() {
  return {teep::SuitCoseProfile{{-16, -9, -29, -65534}},
          teep::SuitCoseProfile{{-16, -19, -29, -65534}}, teep::SuitCoseProfile{{-16, -9, -29, 1}},
          teep::SuitCoseProfile{{-16, -19, -29, 24}}};
}

// err-msg is `text .size (1..128)`.
std::string ShortMessage(const Error& error) {
  std::string text = error.ToString();
  if (text.empty()) text = "error";
  if (text.size() <= teep::kMaxMsgSize) return text;
  size_t cut = teep::kMaxMsgSize;
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

TamResult Dropped(Error why, std::optional<DeviceId> device = std::nullopt) {
  TamResult r;
  r.outcome = Outcome::kDropped;
  r.drop_reason = std::move(why);
  r.device_id = std::move(device);
  return r;
}

TamResult Failed(Error why, std::optional<DeviceId> device = std::nullopt) {
  TamResult r;
  r.outcome = Outcome::kFailed;
  r.drop_reason = std::move(why);
  r.device_id = std::move(device);
  return r;
}

// A commit the store refused because the token was used meanwhile (another request, or another
// replica, committed it first) is a replay, dropped like any other; every other refusal is the
// TAM's problem (5xx), and no reply leaves.
TamResult CommitRefused(Error why, std::optional<DeviceId> device) {
  if (why.Is(Errc::kTokenReplayed) || why.Is(Errc::kUnknownToken)) {
    return Dropped(std::move(why), std::move(device));
  }
  return Failed(std::move(why), std::move(device));
}

// A response's token, matched: a record from the store, or a self-authenticating QueryRequest
// token (query_token.h) whose record was rebuilt from its verified contents.
struct MatchedToken {
  TokenRecord record;
  bool stateless = false;
};

// Marks the matched token used in `txn`: the stored one flips to consumed; a self-authenticating
// one is inserted as used (so its second use is a replay), kept until it expires anyway.
void UseToken(TamTransaction& txn, const MatchedToken& matched) {
  if (!matched.stateless) {
    txn.consume_token = matched.record.token;
    return;
  }
  TokenRecord used = matched.record;
  used.challenge.reset();  // derivable from the token; nothing reads it back
  used.consumed = true;
  txn.record_used_token = std::move(used);
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kQueryRequestSent: return "query-request-sent";
    case Outcome::kUpdateSent: return "update-sent";
    case Outcome::kUpToDate: return "up-to-date";
    case Outcome::kSuccessRecorded: return "success-recorded";
    case Outcome::kErrorRecorded: return "error-recorded";
    case Outcome::kDropped: return "dropped";
    case Outcome::kFailed: return "failed";
  }
  return "unknown";
}

// The per-message steps, with access to the core's collaborators.
struct TamCore::Steps {
  TamCore& core;
  int64_t now;

  Result<Bytes> FreshBytes(size_t n) {
    Bytes out(n);
    TEEPNET_RETURN_IF_ERROR(core.random_.Fill(out));
    return out;
  }

  // The TAM key for the suite the Agent chose (draft §"Ciphersuites": "the selected suite is
  // used in both directions").
  const teep::SigningKey& KeyFor(const teep::CipherSuite& suite) const {
    for (const teep::SigningKey& key : core.config_.signing_keys) {
      if (key.suite == suite) return key;
    }
    return core.config_.signing_keys.front();
  }

  // A QueryRequest with a fresh token, recorded before it is returned. `device` and `suite`
  // are set for a retry to a known device (then COSE_Sign1 with that suite); `own` is the
  // TAM's attestation-payload for an Agent that requires it.
  TamResult QueryRequest(const std::optional<DeviceId>& device,
                         const std::optional<teep::CipherSuite>& suite, TamTransaction txn,
                         std::optional<TamAttestation> own = std::nullopt) {
    const TamConfig& config = core.config_;
    teep::QueryRequest q;
    q.versions = {0};
    // draft §"QueryRequest Message": the trusted-components bit asks for tc-list, which the
    // Update is computed from.
    q.data_item_requested.trusted_components = true;
    q.data_item_requested.suit_reports = config.request_suit_reports;
    q.data_item_requested.attestation = config.attestation != AttestationPolicy::kNone;
    // The token carries what was asked (and, for a retry, is bound to the device), so nothing
    // is stored until a validly signed response uses it.
    auto token = core.query_tokens_.Issue(
        now, q.data_item_requested,
        device ? std::optional<ByteView>(*device) : std::optional<ByteView>(), core.random_);
    if (!token.ok()) return Failed(token.error(), device);
    q.token = *token;
    if (q.data_item_requested.attestation) {
      // challenge "MUST be absent if the attestation bit is clear"; with it set, the Agent puts
      // it in the EAT's eat_nonce. Derived from the token, so it need not be stored either.
      auto challenge = core.query_tokens_.Challenge(*token);
      if (!challenge.ok()) return Failed(challenge.error(), device);
      q.challenge = std::move(challenge).value();
    }
    for (const teep::SigningKey& key : config.signing_keys) {
      q.supported_teep_cipher_suites.push_back(key.suite);
    }
    q.supported_suit_cose_profiles =
        config.suit_cose_profiles.empty() ? DefaultSuitProfiles() : config.suit_cose_profiles;
    if (own) {
      // digest §2.1: attestation-payload is "the TAM's own Evidence or Attestation Result".
      q.attestation_payload = std::move(own->payload);
      q.attestation_payload_format = std::move(own->format);
    }

    Result<Bytes> wire = Error(Code::kInternal, "unsigned");
    if (suite) {
      wire = teep::SignMessage(q, *config.profile, KeyFor(*suite));
    } else if (config.multi_sign_query_request && config.signing_keys.size() > 1) {
      // digest §3.1: one signature per offered algorithm so any Agent can verify.
      wire = teep::SignMessageMulti(q, *config.profile, config.signing_keys);
    } else {
      wire = teep::SignMessage(q, *config.profile, config.signing_keys.front());
    }
    if (!wire.ok()) return Failed(wire.error(), device);

    // A retry commits the Error's step (its token used, the status); a new session commits
    // nothing at all.
    if (!txn.empty()) {
      Status committed = core.store_.Commit(txn);
      if (!committed.ok()) return CommitRefused(committed.error(), device);
    }
    TamResult r;
    r.response = std::move(wire).value();
    r.outcome = Outcome::kQueryRequestSent;
    r.device_id = device;
    return r;
  }

  // Matches a response's token against the table (digest §5: ignore unknown, expired and
  // already used tokens; a token answers only the device it went to).
  Result<MatchedToken> MatchToken(const std::optional<Bytes>& token, const DeviceId& device,
                                  std::initializer_list<TokenPurpose> purposes) {
    if (!token) return Error(Errc::kMissingToken, "the response carries no token");
    if (QueryTokens::IsQueryToken(*token)) {
      // Self-authenticating: the tag and the age decide here; whether it was used before is
      // decided by the store when this step commits (TamTransaction::record_used_token).
      TEEPNET_ASSIGN_OR_RETURN(
          QueryTokenClaims claims,
          core.query_tokens_.Verify(*token, device, now, core.config_.token_lifetime_seconds));
      if (std::find(purposes.begin(), purposes.end(), TokenPurpose::kQueryRequest) ==
          purposes.end()) {
        return Error(Errc::kTokenPurposeMismatch, "token answers another message type");
      }
      MatchedToken matched;
      matched.stateless = true;
      TokenRecord& record = matched.record;
      record.token = *token;
      record.purpose = TokenPurpose::kQueryRequest;
      if (claims.device_bound) record.device_id = device;
      record.issued_at = claims.issued_at;
      record.expires_at = claims.expires_at;
      record.data_items = claims.data_items;
      if (claims.data_items.attestation) {
        TEEPNET_ASSIGN_OR_RETURN(record.challenge, core.query_tokens_.Challenge(*token));
      }
      return matched;
    }
    auto found = core.store_.FindToken(*token);
    if (!found.ok()) return Error(Errc::kStoreFailure, found.error().ToString());
    if (!found->has_value()) return Error(Errc::kUnknownToken, "token was never issued");
    TokenRecord record = std::move(**found);
    if (record.consumed) return Error(Errc::kTokenReplayed, "token was already used");
    if (now >= record.expires_at) return Error(Errc::kTokenExpired, "token has expired");
    if (record.device_id && *record.device_id != device) {
      return Error(Errc::kTokenDeviceMismatch, "token was issued to another device");
    }
    if (std::find(purposes.begin(), purposes.end(), record.purpose) == purposes.end()) {
      return Error(Errc::kTokenPurposeMismatch, "token answers another message type");
    }
    return MatchedToken{std::move(record), false};
  }

  Result<DeviceStatus> CurrentStatus(const DeviceId& device) {
    auto status = core.store_.GetStatus(device);
    if (!status.ok()) return Error(Errc::kStoreFailure, status.error().ToString());
    return status->value_or(DeviceStatus());
  }

  // A signed Update, committed with `txn` first.
  TamResult SendUpdate(const DeviceId& device, const teep::CipherSuite& suite,
                       const teep::Update& update, TamTransaction txn, std::optional<Error> why) {
    auto wire = teep::SignMessage(update, *core.config_.profile, KeyFor(suite));
    if (!wire.ok()) return Failed(wire.error(), device);
    Status committed = core.store_.Commit(txn);
    if (!committed.ok()) return CommitRefused(committed.error(), device);
    TamResult r;
    r.response = std::move(wire).value();
    r.outcome = Outcome::kUpdateSent;
    r.drop_reason = std::move(why);
    r.device_id = device;
    return r;
  }

  // draft §"TAM Processing": a QueryResponse that fails the checks, or a device that fails
  // attestation, gets an Update carrying err-code (no token: nothing answers it).
  TamResult ErrorUpdate(const DeviceId& device, const teep::CipherSuite& suite,
                        teep::ErrorCode code, const Error& why, DeviceStatus status,
                        LastResult result, const MatchedToken& token) {
    teep::Update update;
    update.err_code = code;
    update.err_msg = ShortMessage(why);
    status.last_result = result;
    status.last_contact = now;
    TamTransaction txn;
    txn.device = device;
    UseToken(txn, token);
    txn.status = std::move(status);
    return SendUpdate(device, suite, update, std::move(txn), why);
  }

  TamResult OnQueryResponse(const teep::QueryResponse& response, const DeviceId& device,
                            const crypto::PublicKey& agent_key, const teep::CipherSuite& suite) {
    auto matched = MatchToken(response.token, device, {TokenPurpose::kQueryRequest});
    if (!matched.ok()) return DropOrFail(matched.error(), device);
    const TokenRecord& record = matched->record;
    auto status_or = CurrentStatus(device);
    if (!status_or.ok()) return Failed(status_or.error(), device);
    DeviceStatus status = std::move(status_or).value();
    status.suite = suite;

    // digest §5 "TAM checks on QueryResponse": the data items the bits asked for are present,
    // and every SUIT report carries the token as its nonce. tc-list is not required here: it is
    // `[+ ...]`, so an Agent with nothing installed cannot send it (a conflict in the draft;
    // absent means "nothing installed").
    teep::QueryRequest asked;
    asked.token = record.token;
    asked.data_item_requested = record.data_items;
    asked.data_item_requested.trusted_components = false;
    Status checks = teep::CheckAnswers(response, asked);
    if (checks.ok()) checks = CheckReportNonces(response.suit_reports, record.token);
    std::vector<agent::InstalledTc> installed;
    for (const teep::SystemPropertyClaims& claims : response.tc_list) {
      if (!checks.ok()) break;
      auto tc = agent::FromClaims(claims);
      if (!tc.ok()) {
        checks = Error(Errc::kBadTcList, tc.error().ToString());
        break;
      }
      installed.push_back(std::move(tc).value());
    }
    if (!checks.ok()) {
      return ErrorUpdate(device, suite, teep::ErrorCode::kPermanentError, checks.error(),
                         std::move(status), LastResult::kBadResponse, *matched);
    }
    status.installed = installed;
    status.requested = response.requested_tc_list;
    status.unneeded.clear();
    for (const teep::ComponentId& id : response.unneeded_manifest_list) {
      status.unneeded.push_back(agent::FromTeepId(id));
    }

    if (record.data_items.attestation) {
      status.appraisal = Appraise(response, record, device, agent_key);
      if (core.config_.attestation == AttestationPolicy::kRequire &&
          !(status.appraisal && status.appraisal->affirming)) {
        const std::string reason = status.appraisal ? status.appraisal->reason : "not appraised";
        return ErrorUpdate(device, suite, teep::ErrorCode::kAttestationRequired,
                           Error(Errc::kAttestationFailed, reason), std::move(status),
                           LastResult::kAttestationFailed, *matched);
      }
    }

    auto desired = core.store_.GetDesiredState(device);
    if (!desired.ok())
      return Failed(Error(Errc::kStoreFailure, desired.error().ToString()), device);
    PlannerPolicy policy{core.config_.honour_requested_tcs, core.config_.honour_unneeded};
    auto plan = PlanUpdate(policy, core.store_, *desired, installed, response.requested_tc_list,
                           status.unneeded);
    if (!plan.ok()) return Failed(plan.error(), device);

    TamTransaction txn;
    txn.device = device;
    UseToken(txn, *matched);
    txn.desired = plan->new_desired;
    status.last_contact = now;
    if (plan->empty()) {
      status.last_result = LastResult::kUpToDate;
      txn.status = std::move(status);
      Status committed = core.store_.Commit(txn);
      if (!committed.ok()) return CommitRefused(committed.error(), device);
      TamResult r;
      r.outcome = Outcome::kUpToDate;
      r.device_id = device;
      return r;
    }
    auto token = FreshBytes(kTokenSize);
    if (!token.ok()) return Failed(token.error(), device);
    teep::Update update;
    update.token = *token;
    TokenRecord sent;
    sent.token = *token;
    sent.purpose = TokenPurpose::kUpdate;
    sent.device_id = device;
    sent.issued_at = now;
    sent.expires_at = now + core.config_.token_lifetime_seconds;
    for (const suit::ComponentId& id : plan->remove) {
      update.unneeded_manifest_list.push_back(agent::ToTeepId(id));
      sent.sent_removals.push_back(id);
    }
    for (const Package& package : plan->install) {
      update.manifest_list.push_back(package.envelope);
      sent.sent_manifests.push_back(PackageRef{package.manifest_id, package.sequence_number});
    }
    status.last_result = LastResult::kUpdateSent;
    txn.status = std::move(status);
    txn.issue_token = std::move(sent);
    return SendUpdate(device, suite, update, std::move(txn), std::nullopt);
  }

  std::optional<AppraisalRecord> Appraise(const teep::QueryResponse& response,
                                          const TokenRecord& record, const DeviceId& device,
                                          const crypto::PublicKey& agent_key) {
    if (core.appraiser_ == nullptr) {
      if (core.config_.attestation != AttestationPolicy::kRequire) return std::nullopt;
      return AppraisalRecord{false, now, "no evidence appraiser is configured", {}};
    }
    AttestationInput input;
    input.payload = *response.attestation_payload;  // CheckAnswers made sure it is there
    if (response.attestation_payload_format) input.format = *response.attestation_payload_format;
    if (record.challenge) input.challenge = ByteView(*record.challenge);
    input.token = record.token;
    input.device_id = device;
    input.agent_key = &agent_key;
    auto appraisal = core.appraiser_->Appraise(input);
    if (!appraisal.ok()) {
      return AppraisalRecord{false, now, "appraisal failed: " + appraisal.error().ToString(), {}};
    }
    return AppraisalRecord{appraisal->affirming, now, appraisal->reason,
                           appraisal->attestation_result};
  }

  TamResult OnSuccess(const teep::Success& success, const DeviceId& device) {
    auto matched = MatchToken(success.token, device, {TokenPurpose::kUpdate});
    if (!matched.ok()) return DropOrFail(matched.error(), device);
    const TokenRecord& record = matched->record;
    // digest §6.1: "Success/Error: check the nonces" - otherwise drop.
    Status nonces = CheckReportNonces(success.suit_reports, record.token);
    if (!nonces.ok()) return Dropped(nonces.error(), device);
    auto status_or = CurrentStatus(device);
    if (!status_or.ok()) return Failed(status_or.error(), device);
    DeviceStatus status = std::move(status_or).value();
    // The Agent applied the whole Update (it answers Success only then).
    for (const suit::ComponentId& id : record.sent_removals) {
      std::erase_if(status.installed,
                    [&](const agent::InstalledTc& tc) { return tc.manifest_id == id; });
    }
    for (const PackageRef& ref : record.sent_manifests) {
      auto package = core.store_.FindPackage(ref.manifest_id, ref.sequence_number);
      if (!package.ok())
        return Failed(Error(Errc::kStoreFailure, package.error().ToString()), device);
      agent::InstalledTc tc{ref.manifest_id, ref.sequence_number,
                            package->has_value() ? (*package)->manifest_digest : Bytes()};
      auto it = std::find_if(
          status.installed.begin(), status.installed.end(),
          [&](const agent::InstalledTc& t) { return t.manifest_id == ref.manifest_id; });
      if (it == status.installed.end()) {
        status.installed.push_back(std::move(tc));
      } else {
        *it = std::move(tc);
      }
    }
    status.last_result = LastResult::kSuccess;
    status.last_contact = now;
    status.last_error_code.reset();
    status.last_error_message.reset();
    TamTransaction txn;
    txn.device = device;
    UseToken(txn, *matched);
    txn.status = std::move(status);
    Status committed = core.store_.Commit(txn);
    if (!committed.ok()) return CommitRefused(committed.error(), device);
    TamResult r;
    r.outcome = Outcome::kSuccessRecorded;
    r.device_id = device;
    return r;
  }

  // The TAM's own attestation for an Agent that answered ERR_ATTESTATION_REQUIRED, with the
  // Error's challenge as eat_nonce; kTamAttestationUnavailable when the TAM cannot give one.
  Result<TamAttestation> AttestSelf(const teep::ErrorMessage& error, const TokenRecord& record,
                                    const DeviceId& device, const teep::CipherSuite& suite) {
    // Only the first QueryRequest of a session (issued to no device yet) is retried: an Agent
    // that refuses the attestation of a retry would otherwise make the TAM loop.
    if (record.device_id) {
      return Error(Errc::kTamAttestationUnavailable,
                   "the Agent asked again after the TAM's retried QueryRequest");
    }
    if (core.attester_ == nullptr) {
      return Error(Errc::kTamAttestationUnavailable, "this TAM has no attester");
    }
    const crypto::PublicKey tam_key = KeyFor(suite).key.public_key();
    TamAttestationRequest request;
    if (error.challenge) request.challenge = ByteView(*error.challenge);
    request.freshness_mechanisms = &error.supported_freshness_mechanisms;
    request.device_id = device;
    request.tam_key = &tam_key;
    auto attestation = core.attester_->Attest(request);
    if (!attestation.ok()) {
      return Error(Errc::kTamAttestationUnavailable,
                   "the TAM attester failed: " + attestation.error().ToString());
    }
    return attestation;
  }

  TamResult OnError(const teep::ErrorMessage& error, const DeviceId& device,
                    const teep::CipherSuite& suite) {
    const teep::WireProfile& profile = *core.config_.profile;
    const uint64_t code = error.err_code.ToWire(profile);
    auto matched =
        MatchToken(error.token, device, {TokenPurpose::kQueryRequest, TokenPurpose::kUpdate});
    if (!matched.ok()) {
      // Kept in the drop reason so the operator can still see what the Agent said.
      return DropOrFail(matched.error().WithContext("Error err-code " + std::to_string(code) + " " +
                                                    error.err_msg.value_or("")),
                        device);
    }
    const TokenRecord& record = matched->record;
    Status nonces = CheckReportNonces(error.suit_reports, record.token);
    if (!nonces.ok()) return Dropped(nonces.error(), device);
    auto status_or = CurrentStatus(device);
    if (!status_or.ok()) return Failed(status_or.error(), device);
    DeviceStatus status = std::move(status_or).value();
    status.last_result = LastResult::kError;
    status.last_contact = now;
    status.last_error_code = code;
    status.last_error_message = error.err_msg;
    // digest §6.1: "ERR_ATTESTATION_REQUIRED from the Agent: the TAM MUST send a new
    // QueryRequest with its own attestation-payload. Use the challenge from the Error for
    // eat_nonce."
    std::optional<Error> unattested;
    std::optional<TamAttestation> own;
    if (record.purpose == TokenPurpose::kQueryRequest &&
        error.err_code.Is(teep::ErrorCode::kAttestationRequired)) {
      auto attestation = AttestSelf(error, record, device, suite);
      if (attestation.ok()) {
        own = std::move(attestation).value();
      } else {
        unattested = attestation.error();
        // What the operator needs to see: the device wants TAM attestation this TAM lacks.
        status.last_error_message =
            "device requires TAM attestation: " + attestation.error().message();
      }
    }
    TamTransaction txn;
    txn.device = device;
    UseToken(txn, *matched);
    txn.status = std::move(status);
    // draft §"Error Message", ERR_UNSUPPORTED_CIPHER_SUITES: the Agent lists its suites and
    // "the TAM retries" - with one of them, when the TAM holds a key for it.
    if (record.purpose == TokenPurpose::kQueryRequest &&
        error.err_code.Is(teep::ErrorCode::kUnsupportedCipherSuites)) {
      for (const teep::CipherSuite& offered : error.supported_teep_cipher_suites) {
        for (const teep::SigningKey& key : core.config_.signing_keys) {
          if (key.suite == offered) return QueryRequest(device, offered, std::move(txn));
        }
      }
    }
    if (own) return QueryRequest(device, suite, std::move(txn), std::move(own));
    Status committed = core.store_.Commit(txn);
    if (!committed.ok()) return CommitRefused(committed.error(), device);
    TamResult r;
    r.outcome = Outcome::kErrorRecorded;
    r.drop_reason = std::move(unattested);  // why no attested QueryRequest went out, if so
    r.device_id = device;
    return r;
  }

  // Matching failures: store failures are the TAM's problem (5xx); everything else is the
  // message's (drop).
  static TamResult DropOrFail(const Error& error, const DeviceId& device) {
    if (error.Is(Errc::kStoreFailure)) return Failed(error, device);
    return Dropped(error, device);
  }
};

Result<std::unique_ptr<TamCore>> TamCore::Create(TamConfig config, TamStore& store,
                                                 const Clock& clock, Random& random,
                                                 EvidenceAppraiser* appraiser,
                                                 TamAttester* attester) {
  if (config.profile == nullptr) return Error(Errc::kBadConfig, "no wire profile");
  if (config.signing_keys.empty()) return Error(Errc::kBadConfig, "no TAM signing key");
  const std::vector<teep::CipherSuite> suites = config.profile->CipherSuites();
  for (const teep::SigningKey& key : config.signing_keys) {
    if (std::find(suites.begin(), suites.end(), key.suite) == suites.end()) {
      return Error(Errc::kBadConfig, "signing suite " + key.suite.ToString() +
                                         " is not a suite of the " +
                                         std::string(config.profile->name) + " profile");
    }
  }
  if (config.token_lifetime_seconds <= 0) {
    return Error(Errc::kBadConfig, "token lifetime must be positive");
  }
  TEEPNET_ASSIGN_OR_RETURN(QueryTokens query_tokens,
                           QueryTokens::FromSigningKey(config.signing_keys.front().key));
  return std::unique_ptr<TamCore>(new TamCore(std::move(config), std::move(query_tokens), store,
                                              clock, random, appraiser, attester));
}

TamCore::TamCore(TamConfig config, QueryTokens query_tokens, TamStore& store, const Clock& clock,
                 Random& random, EvidenceAppraiser* appraiser, TamAttester* attester)
    : config_(std::move(config)),
      query_tokens_(std::move(query_tokens)),
      store_(store),
      clock_(clock),
      random_(random),
      appraiser_(appraiser),
      attester_(attester) {}

TamResult TamCore::ProcessConnect() {
  Steps steps{*this, clock_.NowUnixSeconds()};
  return steps.QueryRequest(std::nullopt, std::nullopt, TamTransaction());
}

TamResult TamCore::ProcessMessage(ByteView body) {
  Steps steps{*this, clock_.NowUnixSeconds()};
  // Who signed it: an Agent signs with its one key, as a COSE_Sign1 whose kid is the key's
  // RFC 9679 thumbprint. The full validation (draft §"Validating a TEEP Message" steps 1-5)
  // follows in VerifyMessage with that device's enrolled key.
  auto sign1 = cose::Sign1Message::Decode(body, cose::Tagging::kOptional);
  if (!sign1.ok()) return Dropped(sign1.error());
  auto kid = sign1->headers().Kid();
  if (!kid.ok()) return Dropped(kid.error());
  if (!kid->has_value()) return Dropped(Error(Errc::kMissingKid, "the COSE_Sign1 has no kid"));
  const DeviceId device = ToBytes(**kid);
  auto found = store_.FindDevice(device);
  if (!found.ok()) return Failed(Error(Errc::kStoreFailure, found.error().ToString()));
  if (!found->has_value()) {
    return Dropped(Error(Errc::kUnknownDevice, "no enrolled device " + DeviceIdHex(device)));
  }
  // Parsed once per enrolled key, not per message (agent_key_cache.h).
  auto agent_key = agent_keys_.Get((*found)->agent_key);
  if (!agent_key.ok()) return Failed(agent_key.error(), device);

  // Any suite of the profile is accepted: "the TAM MUST implement both" suites (draft
  // §"Ciphersuites"), and an Agent's ERR_UNSUPPORTED_CIPHER_SUITES is signed with its own.
  auto verified = teep::VerifyMessage(body, *config_.profile, {teep::PeerKey{*agent_key, device}});
  // "If the message is not valid, the TAM MUST drop it" - nothing is recorded.
  if (!verified.ok()) return Dropped(verified.error(), device);

  const teep::TeepMessage& message = verified->message;
  if (const auto* r = std::get_if<teep::QueryResponse>(&message)) {
    return steps.OnQueryResponse(*r, device, *agent_key, verified->suite);
  }
  if (const auto* s = std::get_if<teep::Success>(&message)) return steps.OnSuccess(*s, device);
  if (const auto* e = std::get_if<teep::ErrorMessage>(&message)) {
    return steps.OnError(*e, device, verified->suite);
  }
  return Dropped(
      Error(Errc::kUnexpectedMessage,
            "an Agent sent a " + std::string(teep::MessageTypeName(teep::TypeOf(message)))),
      device);
}

Result<DeviceId> TamCore::EnrollDevice(ByteView agent_cose_key, std::string label) {
  auto key = cose::CoseKey::DecodePublic(agent_cose_key);
  if (!key.ok()) return Error(Errc::kBadDeviceKey, key.error().ToString());
  auto type = key->KeyType();
  if (!type.ok() || (*type != crypto::KeyType::kP256 && *type != crypto::KeyType::kEd25519)) {
    return Error(Errc::kBadDeviceKey, "an Agent key must be P-256 or Ed25519");
  }
  auto public_key = key->ToPublicKey();
  if (!public_key.ok()) return Error(Errc::kBadDeviceKey, public_key.error().ToString());
  // RFC 9679 §3 thumbprint over the required members only; the stored key is re-encoded
  // without kid/alg so the record holds exactly what the thumbprint covers.
  const cose::CoseKey canonical = cose::CoseKey::FromPublicKey(*public_key);
  TEEPNET_ASSIGN_OR_RETURN(Bytes thumbprint, canonical.Thumbprint());
  DeviceRecord record{thumbprint, canonical.Encode(false), std::move(label)};
  TEEPNET_RETURN_IF_ERROR(store_.PutDevice(record));
  return thumbprint;
}

Result<Package> TamCore::AddPackage(Bytes envelope_bytes) {
  Package package;
  {
    auto envelope = suit::DecodeEnvelope(ByteView(envelope_bytes));
    if (!envelope.ok()) return Error(Errc::kBadPackage, envelope.error().ToString());
    auto manifest = suit::DecodeManifest(envelope->manifest);
    if (!manifest.ok()) return Error(Errc::kBadPackage, manifest.error().ToString());
    if (!manifest->manifest_component_id) {
      return Error(Errc::kBadPackage, "the manifest has no manifest-component-id");
    }
    package.manifest_id = *manifest->manifest_component_id;
    package.sequence_number = manifest->sequence_number;
    package.manifest_digest = ToBytes(envelope->digest_encoded);
  }
  package.envelope = std::move(envelope_bytes);
  TEEPNET_RETURN_IF_ERROR(store_.PutPackage(package));
  return package;
}

Status TamCore::SetDesiredState(ByteView device_id, const DesiredState& desired) {
  TEEPNET_ASSIGN_OR_RETURN(std::optional<DeviceRecord> device, store_.FindDevice(device_id));
  if (!device) return Error(Errc::kUnknownDevice, DeviceIdHex(device_id) + " is not enrolled");
  for (const PackageRef& ref : desired.install) {
    TEEPNET_ASSIGN_OR_RETURN(std::optional<Package> package,
                             store_.FindPackage(ref.manifest_id, ref.sequence_number));
    if (!package) {
      return Error(Errc::kUnknownPackage,
                   ref.manifest_id.ToString() + " sequence " + std::to_string(ref.sequence_number));
    }
  }
  return store_.SetDesiredState(device_id, desired);
}

}  // namespace teepnet::tam
