#include "teepnet/agent/agent_core.h"

#include <algorithm>
#include <utility>

#include "teepnet/agent/staging_store.h"
#include "teepnet/agent/tc_claims.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/suit/errc.h"
#include "teepnet/suit/processor.h"
#include "teepnet/teep/agent_error.h"
#include "teepnet/teep/limits.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/negotiation.h"

namespace teepnet::agent {
namespace {

// err-msg is `text .size (1..128)` (draft §"Error Message"): the error's text, cut at a UTF-8
// character boundary.
std::string ShortMessage(const Error& error) {
  std::string text = error.ToString();
  if (text.empty()) text = "error";
  if (text.size() <= teep::kMaxMsgSize) return text;
  size_t cut = teep::kMaxMsgSize;
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80) --cut;
  text.resize(cut);
  return text;
}

// The suit-cose-profiles of draft-ietf-suit-mti that use `alg` for signing.
std::vector<teep::SuitCoseProfile> DefaultSuitProfiles(int64_t alg) {
  constexpr int64_t kSha256 = -16;
  constexpr int64_t kEcdhEsA128Kw = -29;
  constexpr int64_t kA128Ctr = -65534;
  constexpr int64_t kA128Gcm = 1;
  constexpr int64_t kChaChaPoly = 24;
  const int64_t second =
      (alg == teep::kAlgEd25519 || alg == teep::kAlgEdDSA) ? kChaChaPoly : kA128Gcm;
  return {teep::SuitCoseProfile{{kSha256, alg, kEcdhEsA128Kw, kA128Ctr}},
          teep::SuitCoseProfile{{kSha256, alg, kEcdhEsA128Kw, second}}};
}

// Encodes reports with their nonce set to the Update's token (draft §"Success Message": "the
// suit-report-nonce ... MUST match the token").
std::vector<Bytes> EncodeReports(std::vector<suit::Report>& reports,
                                 const std::optional<Bytes>& token) {
  std::vector<Bytes> out;
  out.reserve(reports.size());
  for (suit::Report& report : reports) {
    report.nonce = token;
    out.push_back(suit::EncodeReport(report));
  }
  return out;
}

// A TAM SUIT report (QueryRequest suit-reports) is `bstr .cbor (SUIT_Report_Protected /
// SUIT_Report_Unprotected)`. An unprotected one is a SUIT_Report map and involves no COSE
// profile; a protected one must be a COSE_Sign1 signed with the signing algorithm of a
// suit-cose-profile this Agent supports. Anything else is kUnsupportedTamReport.
Status CheckTamReportProfile(ByteView report, const std::vector<teep::SuitCoseProfile>& profiles) {
  cbor::Reader reader(report);
  auto type = reader.PeekType();
  if (type.ok() && *type == cbor::ItemType::kMap) return OkStatus();
  auto sign1 = cose::Sign1Message::Decode(report, cose::Tagging::kOptional);
  if (!sign1.ok()) {
    return Error(
        Errc::kUnsupportedTamReport,
        "a TAM SUIT report that is not a SUIT_Report or a COSE_Sign1: " + sign1.error().ToString());
  }
  const int64_t alg = static_cast<int64_t>(sign1->algorithm().id);
  for (const teep::SuitCoseProfile& profile : profiles) {
    if (profile.algs[1] == alg) return OkStatus();
  }
  return Error(Errc::kUnsupportedTamReport,
               "a TAM SUIT report signed with COSE algorithm " + std::to_string(alg));
}

}  // namespace

std::string_view AgentOutcomeName(AgentOutcome outcome) {
  switch (outcome) {
    case AgentOutcome::kQueryResponseSent: return "query-response-sent";
    case AgentOutcome::kSuccessSent: return "success-sent";
    case AgentOutcome::kErrorSent: return "error-sent";
    case AgentOutcome::kNoReply: return "no-reply";
    case AgentOutcome::kFailed: return "failed";
  }
  return "unknown";
}

// The message handlers, with access to the core's state.
struct AgentCore::Handlers {
  static AgentResult Sign(AgentCore& core, const teep::TeepMessage& message, AgentOutcome outcome) {
    AgentResult result;
    auto signed_message =
        teep::SignMessage(message, *core.config_.profile, (*core.config_.signing_key));
    if (!signed_message.ok()) {
      result.outcome = AgentOutcome::kFailed;
      result.error = Error(Errc::kSigningFailed, signed_message.error().ToString());
      return result;
    }
    result.response = std::move(signed_message).value();
    result.outcome = outcome;
    return result;
  }

  // A signed Error. The supported-lists the code makes mandatory are always included
  // (draft §"Error Message": e.g. ERR_UNSUPPORTED_CIPHER_SUITES "MUST" carry
  // supported-teep-cipher-suites).
  static AgentResult ReplyError(AgentCore& core, const std::optional<Bytes>& token,
                                teep::ErrorCode code, const Error& why,
                                std::vector<Bytes> suit_reports = {},
                                std::optional<Bytes> challenge = std::nullopt) {
    teep::ErrorMessage m;
    m.token = token;
    m.err_code = code;
    m.err_msg = ShortMessage(why);
    m.suit_reports = std::move(suit_reports);
    m.challenge = std::move(challenge);
    switch (code) {
      case teep::ErrorCode::kUnsupportedCipherSuites:
        m.supported_teep_cipher_suites = {(*core.config_.signing_key).suite};
        break;
      case teep::ErrorCode::kUnsupportedFreshnessMechanisms:
      // digest §6.2 step 2.1: ERR_ATTESTATION_REQUIRED goes out "with
      // supported-freshness-mechanisms" so the TAM can pick one for its own attestation.
      case teep::ErrorCode::kAttestationRequired:
        m.supported_freshness_mechanisms = core.config_.freshness_mechanisms;
        break;
      case teep::ErrorCode::kUnsupportedMsgVersion: m.versions = core.config_.versions; break;
      case teep::ErrorCode::kUnsupportedSuitReport:
        m.supported_suit_cose_profiles = core.config_.suit_cose_profiles;
        break;
      default: break;
    }
    // ERR_UNSUPPORTED_CIPHER_SUITES "MUST be signed with one of the TAM-mandatory suites":
    // both TEEP suites are TAM-mandatory, and the Agent's key uses one of them.
    AgentResult result = Sign(core, m, AgentOutcome::kErrorSent);
    if (result.outcome == AgentOutcome::kErrorSent) {
      result.error = why;
      result.err_code = code;
    }
    return result;
  }

  // ERR_ATTESTATION_REQUIRED with a fresh challenge, remembered for `tam` once the Error is
  // signed (digest §6.2 step 2.1: "... ERR_ATTESTATION_REQUIRED with ... a challenge"; §2.5: the
  // TAM puts it in its EAT's eat_nonce when it retries).
  static AgentResult RequireTamAttestation(AgentCore& core, const std::optional<Bytes>& token,
                                           size_t tam, const Error& why) {
    Bytes challenge(kTamChallengeSize);
    Status filled = core.random_.Fill(challenge);
    if (!filled.ok()) {
      return ReplyError(core, token, teep::ErrorCode::kTemporaryError, filled.error());
    }
    AgentResult result =
        ReplyError(core, token, teep::ErrorCode::kAttestationRequired, why, {}, challenge);
    if (result.outcome != AgentOutcome::kErrorSent) return result;
    std::vector<TamChallenge>& pending = core.tam_challenges_;
    if (pending.size() >= kMaxOutstandingTamChallenges) pending.erase(pending.begin());
    pending.push_back(
        TamChallenge{std::move(challenge), tam,
                     core.clock_.NowUnixSeconds() + core.config_.tam_challenge_lifetime_seconds});
    return result;
  }

  // Uses up the outstanding, unexpired challenge of `tam` equal to `nonce`; false when there
  // is none.
  static bool UseTamChallenge(AgentCore& core, size_t tam, ByteView nonce) {
    std::vector<TamChallenge>& pending = core.tam_challenges_;
    for (auto it = pending.begin(); it != pending.end(); ++it) {
      if (it->tam == tam && crypto::ConstantTimeEqual(it->challenge, nonce)) {
        pending.erase(it);
        return true;
      }
    }
    return false;
  }

  // digest §6.2 step 2.1, before negotiation: "If the Agent requires TAM attestation and no
  // attestation-payload came" -> ERR_ATTESTATION_REQUIRED. A payload goes to the verifier
  // (step 2.2), and its eat_nonce must be a challenge this Agent sent the same TAM. nullopt:
  // the TAM is attested.
  static std::optional<AgentResult> CheckTamAttestation(AgentCore& core,
                                                        const teep::QueryRequest& q,
                                                        size_t peer_key_index) {
    const size_t tam = core.tam_key_owner_[peer_key_index];
    const int64_t now = core.clock_.NowUnixSeconds();
    std::erase_if(core.tam_challenges_, [&](const TamChallenge& c) { return now >= c.expires_at; });
    if (!q.attestation_payload) {
      return RequireTamAttestation(
          core, q.token, tam,
          Error(Errc::kTamAttestationRequired, "the QueryRequest carries no attestation-payload"));
    }
    TamAttestationInput input;
    input.payload = *q.attestation_payload;
    if (q.attestation_payload_format) input.format = *q.attestation_payload_format;
    input.tam_key = &core.tam_keys_[peer_key_index].key;
    auto verdict = core.tam_verifier_->Verify(input);
    if (!verdict.ok()) {
      return ReplyError(core, q.token, teep::ErrorCode::kTemporaryError,
                        Error(Errc::kTamVerifierFailed, verdict.error().ToString()));
    }
    if (!verdict->affirming) {
      return RequireTamAttestation(
          core, q.token, tam,
          Error(Errc::kTamAttestationRequired, "TAM attestation refused: " + verdict->reason));
    }
    if (!verdict->eat_nonce || !UseTamChallenge(core, tam, *verdict->eat_nonce)) {
      return RequireTamAttestation(
          core, q.token, tam,
          Error(Errc::kTamAttestationRequired,
                "the TAM's eat_nonce is not an outstanding challenge of this Agent"));
    }
    return std::nullopt;
  }

  static AgentResult OnQueryRequest(AgentCore& core, const teep::QueryRequest& q,
                                    size_t peer_key_index) {
    const AgentConfig& config = core.config_;
    if (config.require_tam_attestation) {
      if (auto refused = CheckTamAttestation(core, q, peer_key_index)) return std::move(*refused);
    }
    // digest §6.2 step 2.3: "If a TAM SUIT Report uses an unsupported profile: send Error
    // ERR_UNSUPPORTED_SUIT_REPORT plus the list."
    for (const Bytes& report : q.suit_reports) {
      Status supported = CheckTamReportProfile(report, config.suit_cose_profiles);
      if (!supported.ok()) {
        return ReplyError(core, q.token, teep::ErrorCode::kUnsupportedSuitReport,
                          supported.error());
      }
    }
    // draft §"QueryRequest Message" processing, negotiation: version, suite, freshness; each
    // failure answers with the Agent's own list.
    auto version = teep::SelectVersion(q.versions, config.versions);
    if (!version.ok()) {
      return ReplyError(core, q.token, teep::ErrorCode::kUnsupportedMsgVersion, version.error());
    }
    auto suite =
        teep::SelectCipherSuite(q.supported_teep_cipher_suites, {config.signing_key->suite});
    if (!suite.ok()) {
      return ReplyError(core, q.token, teep::ErrorCode::kUnsupportedCipherSuites, suite.error());
    }
    teep::QueryResponse r;
    r.token = q.token;  // "MUST match the value of the token in the QueryRequest"
    r.selected_version = *version;
    if (q.data_item_requested.attestation) {
      auto mechanism = teep::SelectFreshnessMechanism(q.supported_freshness_mechanisms,
                                                      config.freshness_mechanisms);
      if (!mechanism.ok()) {
        return ReplyError(core, q.token, teep::ErrorCode::kUnsupportedFreshnessMechanisms,
                          mechanism.error());
      }
      // "attestation-payload ... MUST be present if the attestation bit is set".
      if (core.evidence_ == nullptr) {
        return ReplyError(core, q.token, teep::ErrorCode::kPermanentError,
                          Error(Errc::kAttestationUnavailable, "this Agent has no attester"));
      }
      const crypto::PublicKey agent_key = core.public_key();
      EvidenceRequest request;
      if (q.challenge) request.challenge = ByteView(*q.challenge);
      if (q.token) request.token = ByteView(*q.token);
      request.freshness_mechanism = *mechanism;
      request.agent_key = &agent_key;
      auto evidence = core.evidence_->Collect(request);
      if (!evidence.ok()) {
        return ReplyError(core, q.token, teep::ErrorCode::kTemporaryError,
                          Error(Errc::kEvidenceFailed, evidence.error().ToString()));
      }
      r.attestation_payload = std::move(evidence->payload);
      r.attestation_payload_format = std::move(evidence->format);
    }
    if (q.data_item_requested.trusted_components) {
      for (const suit::ManifestRecord& record : core.store_.ListManifests()) {
        r.tc_list.push_back(
            ToClaims(InstalledTc{record.manifest_id, record.sequence_number, record.digest}));
      }
    }
    if (q.data_item_requested.suit_reports && !core.last_reports_.empty()) {
      r.suit_reports = EncodeReports(core.last_reports_, q.token);
    }
    r.requested_tc_list = core.requested_;
    for (const suit::ComponentId& id : core.unrequested_) {
      r.unneeded_manifest_list.push_back(ToTeepId(id));
    }
    return Sign(core, r, AgentOutcome::kQueryResponseSent);
  }

  static AgentResult OnUpdate(AgentCore& core, const teep::Update& u) {
    if (u.err_code) {
      // draft §"Update Message": err-code lets the TAM report an error to the Agent.
      core.last_tam_error_ =
          std::make_pair(u.err_code->ToWire(*core.config_.profile), u.err_msg.value_or(""));
      if (u.manifest_list.empty() && u.unneeded_manifest_list.empty()) {
        AgentResult result;
        result.outcome = AgentOutcome::kNoReply;
        return result;
      }
    }
    internal::StagingStore staging(core.store_);
    suit::Processor processor({&core.config_.tc_signers, &core.config_.payload_keys,
                               &core.config_.device, &staging, core.fetcher_, nullptr});
    std::vector<suit::Report> reports;
    // draft §"Update Message" processing step 1: "unlink every manifest in
    // unneeded-manifest-list" first.
    for (const teep::ComponentId& id : u.unneeded_manifest_list) {
      suit::Report report = processor.Uninstall(FromTeepId(id));
      // Already gone is what was asked for (a retransmitted Update, a stale TAM view).
      if (!report.success && report.error && report.error->Is(suit::Errc::kNotInstalled)) {
        continue;
      }
      if (!report.success) {
        Error why(Errc::kUnlinkFailed,
                  FromTeepId(id).ToString() + ": " + suit::ReportStatus(report).error().ToString());
        reports.push_back(std::move(report));
        return FailUpdate(core, u, std::move(reports), why);
      }
      reports.push_back(std::move(report));
    }
    // Step 2: the SUIT update procedure on every manifest, all staged.
    for (const Bytes& envelope : u.manifest_list) {
      suit::InstallOptions options;
      options.report_nonce = u.token;
      suit::Report report = processor.Install(envelope, options);
      if (!report.success) {
        Error why(Errc::kManifestFailed, suit::ReportStatus(report).error().ToString());
        reports.push_back(std::move(report));
        return FailUpdate(core, u, std::move(reports), why);
      }
      reports.push_back(std::move(report));
    }
    // Step 3: "reply with Success only after all manifests succeed" - and only after the
    // component store holds the result.
    suit::StoreTransaction txn = staging.Combined();
    if (!txn.empty()) {
      Status committed = core.store_.Commit(txn);
      if (!committed.ok()) {
        return ReplyError(core, u.token, teep::ErrorCode::kTemporaryError,
                          Error(Errc::kCommitFailed, committed.error().ToString()));
      }
    }
    core.ForgetSatisfiedRequests();
    teep::Success s;
    s.token = u.token;
    s.suit_reports = EncodeReports(reports, u.token);
    AgentResult result = Sign(core, s, AgentOutcome::kSuccessSent);
    result.reports = reports;
    core.last_reports_ = std::move(reports);
    return result;
  }

  // Nothing of the Update is kept; the reports say what failed.
  static AgentResult FailUpdate(AgentCore& core, const teep::Update& u,
                                std::vector<suit::Report> reports, const Error& why) {
    std::vector<Bytes> encoded = EncodeReports(reports, u.token);
    AgentResult result = ReplyError(core, u.token, teep::ErrorCode::kManifestProcessingFailed, why,
                                    std::move(encoded));
    result.reports = reports;
    core.last_reports_ = std::move(reports);
    return result;
  }
};

Result<std::unique_ptr<AgentCore>> AgentCore::Create(AgentConfig config, TcStore& store,
                                                     suit::Fetcher* fetcher, const Clock& clock,
                                                     Random& random, EvidenceProvider* evidence,
                                                     TamAttestationVerifier* tam_verifier) {
  if (config.profile == nullptr) return Error(Errc::kBadConfig, "no wire profile");
  if (!config.signing_key) return Error(Errc::kBadConfig, "no Agent signing key");
  const std::vector<teep::CipherSuite> suites = config.profile->CipherSuites();
  const auto alg = config.signing_key->suite.Sign1Alg();
  if (!alg || std::find(suites.begin(), suites.end(), config.signing_key->suite) == suites.end()) {
    return Error(Errc::kBadConfig,
                 "signing suite " + config.signing_key->suite.ToString() + " is not a TEEP suite");
  }
  if (config.tams.empty()) return Error(Errc::kBadConfig, "no trusted TAM");
  for (const TrustedTam& tam : config.tams) {
    if (tam.keys.empty()) return Error(Errc::kBadConfig, "TAM " + tam.uri + " has no key");
  }
  if (!config.signing_key->kid) {
    // The TAM identifies the device by this thumbprint (RFC 9679 §3).
    auto thumbprint =
        cose::CoseKey::FromPublicKey(config.signing_key->key.public_key()).Thumbprint();
    if (!thumbprint.ok()) {
      return Error(Errc::kBadConfig, "signing key: " + thumbprint.error().ToString());
    }
    config.signing_key->kid = std::move(thumbprint).value();
  }
  if (config.suit_cose_profiles.empty()) config.suit_cose_profiles = DefaultSuitProfiles(*alg);
  if (config.require_tam_attestation) {
    if (tam_verifier == nullptr) {
      return Error(Errc::kBadConfig, "TAM attestation is required but no verifier is set");
    }
    // The challenge of ERR_ATTESTATION_REQUIRED is the nonce mechanism's input.
    const auto& mechanisms = config.freshness_mechanisms;
    if (std::find(mechanisms.begin(), mechanisms.end(), teep::kFreshnessNonce) ==
        mechanisms.end()) {
      return Error(Errc::kBadConfig, "TAM attestation needs the nonce freshness mechanism");
    }
    if (config.tam_challenge_lifetime_seconds <= 0) {
      return Error(Errc::kBadConfig, "TAM challenge lifetime must be positive");
    }
  }
  return std::unique_ptr<AgentCore>(
      new AgentCore(std::move(config), store, fetcher, clock, random, evidence, tam_verifier));
}

AgentCore::AgentCore(AgentConfig config, TcStore& store, suit::Fetcher* fetcher, const Clock& clock,
                     Random& random, EvidenceProvider* evidence,
                     TamAttestationVerifier* tam_verifier)
    : config_(std::move(config)),
      store_(store),
      fetcher_(fetcher),
      clock_(clock),
      random_(random),
      evidence_(evidence),
      tam_verifier_(tam_verifier) {
  for (size_t i = 0; i < config_.tams.size(); ++i) {
    const TrustedTam& tam = config_.tams[i];
    tam_keys_.insert(tam_keys_.end(), tam.keys.begin(), tam.keys.end());
    tam_key_owner_.insert(tam_key_owner_.end(), tam.keys.size(), i);
  }
}

AgentResult AgentCore::ProcessMessage(ByteView wire) {
  // draft §"Validating a TEEP Message" steps 1-5; on failure the Agent "MUST respond with an
  // Error message". The token of an unverified message is not trusted, so it is not echoed.
  auto verified = teep::VerifyMessage(wire, *config_.profile, tam_keys_);
  if (!verified.ok()) {
    return Handlers::ReplyError(*this, std::nullopt, teep::AgentErrorCodeFor(verified.error()),
                                verified.error());
  }
  teep::TeepMessage& message = verified->message;
  if (const auto* q = std::get_if<teep::QueryRequest>(&message)) {
    return Handlers::OnQueryRequest(*this, *q, verified->peer_key_index);
  }
  if (const auto* u = std::get_if<teep::Update>(&message)) return Handlers::OnUpdate(*this, *u);
  // A TAM does not send QueryResponse, Success or Error.
  std::optional<Bytes> token;
  if (const auto* r = std::get_if<teep::QueryResponse>(&message)) token = r->token;
  if (const auto* s = std::get_if<teep::Success>(&message)) token = s->token;
  if (const auto* e = std::get_if<teep::ErrorMessage>(&message)) token = e->token;
  return Handlers::ReplyError(
      *this, token, teep::ErrorCode::kPermanentError,
      Error(Errc::kUnexpectedMessage,
            "a TAM sent a " + std::string(teep::MessageTypeName(teep::TypeOf(message)))));
}

bool MayAttachUnsolicitedQueryResponse(const UnsolicitedQueryResponseFacts& facts,
                                       int64_t now_unix) {
  // 1. "the last QueryRequest from that TAM had no token and no challenge".
  const auto& last = facts.last_query_request;
  if (!last || last->had_token || last->had_challenge) return false;
  // 2. "ProcessError has not been called for that TAM since".
  if (facts.last_process_error_at && *facts.last_process_error_at >= last->received_at) {
    return false;
  }
  // 3. "the TAM's key or cert is cached and unexpired".
  if (!facts.tam_key_cached) return false;
  return !facts.tam_key_not_after || now_unix < *facts.tam_key_not_after;
}

std::string AgentCore::PickTam(std::string_view hint) const {
  for (const TrustedTam& tam : config_.tams) {
    if (tam.uri == hint) return tam.uri;
  }
  return config_.tams.front().uri;
}

std::optional<TamContact> AgentCore::RequestTA(const suit::ComponentId& manifest_id,
                                               std::optional<uint64_t> min_sequence_number,
                                               std::string_view tam_hint) {
  // RFC 9397 §6.2.1 / draft §"Agent": "if the TC is already installed ... return no TAM".
  if (store_.FindManifest(manifest_id)) return std::nullopt;
  const teep::ComponentId id = ToTeepId(manifest_id);
  auto it = std::find_if(requested_.begin(), requested_.end(),
                         [&](const teep::RequestedTcInfo& r) { return r.component_id == id; });
  if (it == requested_.end()) {
    teep::RequestedTcInfo info;
    info.component_id = id;
    info.tc_manifest_sequence_number = min_sequence_number;
    requested_.push_back(std::move(info));
  } else {
    it->tc_manifest_sequence_number = min_sequence_number;
  }
  unrequested_.erase(std::remove(unrequested_.begin(), unrequested_.end(), manifest_id),
                     unrequested_.end());
  return TamContact{PickTam(tam_hint), std::nullopt};
}

std::optional<TamContact> AgentCore::UnrequestTA(const suit::ComponentId& manifest_id,
                                                 std::string_view tam_hint) {
  if (!store_.FindManifest(manifest_id)) return std::nullopt;
  if (std::find(unrequested_.begin(), unrequested_.end(), manifest_id) == unrequested_.end()) {
    unrequested_.push_back(manifest_id);
  }
  const teep::ComponentId id = ToTeepId(manifest_id);
  requested_.erase(
      std::remove_if(requested_.begin(), requested_.end(),
                     [&](const teep::RequestedTcInfo& r) { return r.component_id == id; }),
      requested_.end());
  return TamContact{PickTam(tam_hint), std::nullopt};
}

std::optional<TamContact> AgentCore::RequestPolicyCheck() {
  // "return one TAM URI per call until none are left, so the Broker loops".
  if (policy_cursor_ >= config_.tams.size()) {
    policy_cursor_ = 0;
    return std::nullopt;
  }
  return TamContact{config_.tams[policy_cursor_++].uri, std::nullopt};
}

void AgentCore::ProcessError(std::string_view /*tam_uri*/) {
  ++transport_errors_;
}

const Bytes& AgentCore::kid() const {
  return *config_.signing_key->kid;
}

crypto::PublicKey AgentCore::public_key() const {
  return config_.signing_key->key.public_key();
}

void AgentCore::ForgetSatisfiedRequests() {
  requested_.erase(
      std::remove_if(requested_.begin(), requested_.end(),
                     [&](const teep::RequestedTcInfo& r) {
                       return store_.FindManifest(FromTeepId(r.component_id)).has_value();
                     }),
      requested_.end());
  unrequested_.erase(std::remove_if(unrequested_.begin(), unrequested_.end(),
                                    [&](const suit::ComponentId& id) {
                                      return !store_.FindManifest(id).has_value();
                                    }),
                     unrequested_.end());
}

}  // namespace teepnet::agent
