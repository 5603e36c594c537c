#include "services/cli/request_flow.h"

#include <chrono>
#include <ctime>
#include <thread>
#include <utility>

#include "services/cli/moc_client.h"
#include "teepnet/base/hex.h"
#include "teepnet/channel/bundle.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/recipient.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/evidence/instance_keyring.h"

namespace teepnet::cli {

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// How long a post of the sealed bytes is retried while the M/OC is unreachable.
constexpr int kPostRetryMs = 20000;
// docs/api/openapi.yaml: "package envelopes and sealed data 4 MiB"; only used to explain a
// refusal, the M/OC decides.
constexpr size_t kApiSealedLimit = size_t{4} << 20;

bool ToTa(int use_case) {
  return use_case == 2 || use_case == 3;
}

std::string PurposeOf(int use_case) {
  switch (use_case) {
    case 1: return "bundle";
    case 4: return "ta+pd";
    default: return "pd";
  }
}

// Which inputs each case takes (openapi.yaml, "Use cases and the packages each request names").
std::string CheckInputs(const FlowInput& in) {
  if (in.use_case < 1 || in.use_case > 4) return "the use case must be 1, 2, 3 or 4";
  if (!in.ta) return "every use case needs a TA (--ta)";
  if (in.use_case == 1 && !in.ua) return "case 1 needs the UA executable (--ua)";
  if (in.use_case == 2 && !in.ua) return "case 2 needs the UA package (--ua)";
  if (in.use_case == 4 && in.ua) return "case 4 takes no UA";
  if (in.make_pd && !ToTa(in.use_case)) return "a PD built after the EAR check is for cases 2, 3";
  if (!in.make_pd && in.pd.empty()) return "the PD (--pd) must not be empty";
  return "";
}

class Flow {
 public:
  Flow(const FlowInput& in, FlowObserver* observer)
      : in_(in),
        observer_(observer),
        start_(Clock::now()),
        deadline_(start_ + std::chrono::milliseconds(in.timeout_ms)),
        last_(start_) {}

  FlowResult Run() {
    if (std::string why = CheckInputs(in_); !why.empty()) return Fail(why);
    auto client = MocClient::Create(in_.moc_url, in_.ca_file, in_.token);
    if (!client.ok()) return Fail("the M/OC URL: " + client.error().message());
    client_.emplace(std::move(client).value());
    if (!VerifierKey()) return Finish();
    if (!Create()) return Finish();
    if (!FollowUntil({"awaiting_user_channel"})) return Finish();
    std::optional<channel::AttestedRecipient> recipient = VerifyEar();
    if (!recipient) return Finish();
    if (!SealAndPost(*recipient)) return Finish();
    if (!FollowUntil({"done"})) return Finish();
    CheckReceipt(*recipient);
    return Finish();
  }

 private:
  FlowResult Fail(std::string why) {
    r_.error = std::move(why);
    return Finish();
  }
  FlowResult Finish() {
    r_.ok = r_.error.empty();
    r_.ms = Elapsed();
    return std::move(r_);
  }
  bool Refuse(std::string why) {
    r_.error = std::move(why);
    return false;
  }
  int64_t Elapsed() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start_).count();
  }
  void Step(std::string name, std::string detail) {
    const Clock::time_point now = Clock::now();
    FlowStep step{std::move(name), std::move(detail), Elapsed(),
                  std::chrono::duration_cast<std::chrono::milliseconds>(now - last_).count()};
    last_ = now;
    if (observer_ != nullptr) observer_->OnStep(step);
    r_.steps.push_back(std::move(step));
  }

  Result<MocReply> Call(std::string_view method, const std::string& target,
                        std::string_view content_type, ByteView body, Retry retry) {
    return client_->Call(method, target, content_type, body, retry, deadline_,
                         in_.poll_interval_ms);
  }

  bool VerifierKey() {
    if (in_.verifier_key) {
      key_ = *in_.verifier_key;
      r_.verifier_key_pinned = true;
    } else {
      auto reply = Call("GET", "/api/v1/verifier-key", "", {}, Retry::kUntilDeadline);
      if (!reply.ok()) return Refuse("fetching the verifier key: " + reply.error().ToString());
      if (reply->status != 200) {
        return Refuse("fetching the verifier key: " + reply->ErrorText());
      }
      auto key = crypto::PublicKey::FromPem(AsChars(reply->body));
      if (!key.ok()) return Refuse("the M/OC's verifier key: " + key.error().ToString());
      key_ = *std::move(key);
    }
    if (key_->type() != crypto::KeyType::kP256) {
      return Refuse("the verifier key must be P-256 (EARs are ES256)");
    }
    r_.verifier_key_sha256 = KeyFingerprint(*key_);
    // Trust on first use unless pinned: the fingerprint is printed so the user can compare it
    // with the operator's and pin it next time (--verifier-key).
    Step("verifier-key", "sha256:" + r_.verifier_key_sha256 +
                             (r_.verifier_key_pinned ? " (pinned)" : " (fetched)"));
    return true;
  }

  // A package the tenant already uploaded with these exact bytes (packages are immutable, so
  // the SHA-256 names its content): reusing it spares sending MiBs again for every request.
  // Each answer is checked against the digest and kind asked for, so an M/OC that ignores the
  // filter (listing everything) cannot make the flow pick another package. Any failure here
  // only means uploading.
  std::optional<std::string> StoredPackage(const char* kind, ByteView envelope) {
    const std::string sha256 = ToHex(crypto::Sha256(envelope));
    auto reply =
        Call("GET", "/api/v1/packages?sha256=" + sha256 + "&kind=" + kind, "", {}, Retry::kNo);
    if (!reply.ok() || reply->status != 200) return std::nullopt;
    const json body = reply->Json();
    if (!body.is_array()) return std::nullopt;
    for (const json& p : body) {
      if (p.is_object() && p.value("sha256", std::string()) == sha256 &&
          p.value("kind", std::string()) == kind &&
          p.value("size", uint64_t{0}) == envelope.size()) {
        const std::string id = p.value("id", std::string());
        if (!id.empty()) return id;
      }
    }
    return std::nullopt;
  }

  std::optional<std::string> Upload(const char* kind, ByteView envelope) {
    if (std::optional<std::string> stored = StoredPackage(kind, envelope)) {
      reused_packages_ += reused_packages_.empty() ? "" : ", ";
      reused_packages_ += kind;
      return stored;
    }
    auto reply = Call("POST", std::string("/api/v1/packages?kind=") + kind + "&name=" + kind,
                      "application/suit-envelope+cbor", envelope, Retry::kNo);
    if (!reply.ok()) {
      Refuse(std::string("uploading the ") + kind + " package: " + reply.error().ToString());
      return std::nullopt;
    }
    const json body = reply->Json();
    if (reply->status != 201 || !body.is_object() || !body.contains("id")) {
      Refuse(std::string("uploading the ") + kind + " package: " + reply->ErrorText());
      return std::nullopt;
    }
    return body.value("id", std::string());
  }

  bool Create() {
    json spec = {{"use_case", in_.use_case}, {"instance", in_.instance}};
    if (!in_.hardware.empty()) spec["hardware"] = in_.hardware;
    if (ToTa(in_.use_case)) {
      auto name = evidence::InstanceNameOfEnvelope(*in_.ta);
      if (!name.ok()) return Refuse("the TA package: " + name.error().ToString());
      r_.instance_name = *name;
      json packages = json::object();
      std::optional<std::string> ta = Upload("ta", *in_.ta);
      if (!ta) return false;
      packages["ta"] = *ta;
      if (in_.ua) {
        std::optional<std::string> ua = Upload("ua", *in_.ua);
        if (!ua) return false;
        packages["ua"] = *ua;
      }
      std::string detail = "ta " + *ta;
      if (packages.contains("ua")) detail += ", ua " + packages["ua"].get<std::string>();
      if (!reused_packages_.empty()) detail += " (" + reused_packages_ + " already stored)";
      spec["packages"] = std::move(packages);
      Step("upload", detail + ", TA instance " + r_.instance_name.substr(0, 19) + "…");
    }
    const std::string text = spec.dump();
    // A fresh key per run names this one request: a POST whose connection failed (the M/OC
    // restarting, the answer lost) is sent again with the same key, and the M/OC answers with
    // the request the first one created, if it did, instead of creating a second (openapi.yaml
    // "Idempotency-Key"). 503 answers (no capacity) are final here, as before.
    Bytes key(16);
    if (Status filled = crypto::SystemRandom::Get().Fill(key); !filled.ok()) {
      return Refuse("making an Idempotency-Key: " + filled.error().ToString());
    }
    const auto post_deadline =
        std::min(deadline_, Clock::now() + std::chrono::milliseconds(kPostRetryMs));
    auto reply = client_->Call("POST", "/api/v1/requests", "application/json", AsBytes(text),
                               Retry::kTransportOnly, post_deadline, in_.poll_interval_ms,
                               {{"Idempotency-Key", ToHex(key)}});
    if (!reply.ok()) return Refuse("creating the request: " + reply.error().ToString());
    if (reply->status != 201 && reply->status != 200) {
      return Refuse("the M/OC refused the request: " + reply->ErrorText());
    }
    return Absorb(reply->Json());
  }

  // Takes a request JSON: prints the steps not yet seen, keeps state, device and error.
  bool Absorb(const json& request) {
    if (!request.is_object()) return Refuse("the M/OC answered something that is not a request");
    if (r_.request_id.empty()) r_.request_id = request.value("id", std::string());
    if (request.contains("device_id") && request["device_id"].is_string()) {
      r_.device_id = request["device_id"].get<std::string>();
    }
    if (request.contains("device_architecture") && request["device_architecture"].is_string()) {
      r_.device_architecture = request["device_architecture"].get<std::string>();
    }
    r_.state = request.value("state", std::string());
    if (request.contains("steps") && request["steps"].is_array()) {
      const json& steps = request["steps"];
      for (size_t i = seen_steps_; i < steps.size(); ++i) {
        if (!steps[i].is_object()) continue;
        Step(steps[i].value("state", std::string("?")), steps[i].value("detail", std::string()));
      }
      seen_steps_ = std::max(seen_steps_, steps.size());
    }
    if (request.contains("receipt") && request["receipt"].is_string()) {
      receipt_b64_ = request["receipt"].get<std::string>();
    }
    last_request_ = request;
    return true;
  }

  // Polls the request until its state is `until`; false (with the reason) when it failed, or
  // the deadline passed.
  bool FollowUntil(std::initializer_list<std::string_view> until) {
    for (;;) {
      for (std::string_view s : until) {
        if (r_.state == s) return true;
      }
      if (r_.state == "failed") {
        std::string why = last_request_.is_object() && last_request_.contains("error") &&
                                  last_request_["error"].is_string()
                              ? last_request_["error"].get<std::string>()
                              : std::string("no reason given");
        ReadEarStatus();
        return Refuse("the request failed: " + why);
      }
      if (r_.state == "done" && std::string(*until.begin()) != "done") {
        return Refuse("the request finished without waiting for the user's channel");
      }
      if (Clock::now() >= deadline_) {
        return Refuse("timed out at step " + r_.state + " after " + std::to_string(Elapsed()) +
                      " ms");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(in_.poll_interval_ms));
      auto reply = Call("GET", "/api/v1/requests/" + r_.request_id, "", {}, Retry::kUntilDeadline);
      if (!reply.ok()) return Refuse("following the request: " + reply.error().ToString());
      if (reply->status != 200) return Refuse("following the request: " + reply->ErrorText());
      if (!Absorb(reply->Json())) return false;
    }
  }

  std::optional<std::string> FetchEar() {
    auto reply =
        Call("GET", "/api/v1/requests/" + r_.request_id + "/ear", "", {}, Retry::kUntilDeadline);
    if (!reply.ok() || reply->status != 200) return std::nullopt;
    return std::string(AsChars(reply->body));
  }

  // The worst submodule status of a signature-checked EAR, whatever it is (so a refusal can
  // say what the Verifier concluded).
  void NoteStatus(std::string_view jwt) {
    eat::RelyingPartyPolicy any;
    any.now = std::time(nullptr);
    any.max_age_seconds = INT64_C(10) * 365 * 86400;
    any.worst_accepted = attest::Tier::kContraindicated;
    auto ear = eat::AcceptEarJwt(jwt, *key_, any);
    if (!ear.ok()) return;
    attest::Tier worst = attest::Tier::kNone;
    for (const auto& [name, sub] : ear->submods) worst = std::max(worst, sub.status);
    r_.ear_status = eat::StatusName(worst);
  }

  void ReadEarStatus() {
    if (r_.request_id.empty() || !r_.ear_status.empty()) return;
    if (std::optional<std::string> jwt = FetchEar()) NoteStatus(*jwt);
  }

  std::optional<channel::AttestedRecipient> VerifyEar() {
    std::optional<std::string> jwt = FetchEar();
    if (!jwt) {
      Refuse("the request is waiting for the user's channel but its EAR cannot be read");
      return std::nullopt;
    }
    NoteStatus(*jwt);
    auto device = FromHex(r_.device_id);
    if (!device.ok() || device->empty()) {
      Refuse("the request names no device");
      return std::nullopt;
    }
    channel::Expectations expect;
    expect.device_id = *std::move(device);
    if (ToTa(in_.use_case)) expect.instance = r_.instance_name;
    eat::RelyingPartyPolicy policy;
    policy.now = std::time(nullptr);
    auto recipient = channel::AcceptRecipient(*jwt, *key_, policy, expect);
    if (!recipient.ok()) {
      // DESIGN §5: the user is the Relying Party; without an EAR it accepts, nothing leaves.
      Refuse("the EAR is not acceptable (" +
             (r_.ear_status.empty() ? std::string("unverifiable") : r_.ear_status) +
             "), nothing was sent: " + recipient.error().ToString());
      return std::nullopt;
    }
    Step("verify-ear", r_.ear_status + ", device " + r_.device_id.substr(0, 16) + "…, " +
                           (ToTa(in_.use_case) ? "TA instance key " : "Agent key ") +
                           ToHex(recipient->kid).substr(0, 16) + "…");
    return *std::move(recipient);
  }

  bool SealAndPost(const channel::AttestedRecipient& recipient) {
    // The M/OC relays to the instance it names; ours comes from the package we uploaded. If
    // they differ the TA could not open the bytes anyway: say so rather than send them.
    if (ToTa(in_.use_case) && last_request_.contains("channel") &&
        last_request_["channel"].is_object()) {
      const std::string theirs = last_request_["channel"].value("instance", std::string());
      if (!theirs.empty() && theirs != r_.instance_name) {
        return Refuse("the M/OC would relay to TA instance " + theirs + ", not " +
                      r_.instance_name + "; nothing was sent");
      }
    }
    channel::Binding binding;
    binding.request_id = r_.request_id;
    binding.device_id = *FromHex(r_.device_id);
    binding.instance = ToTa(in_.use_case) ? r_.instance_name : "";
    binding.purpose = PurposeOf(in_.use_case);
    if (in_.make_pd) {
      auto pd = in_.make_pd(PdContext{recipient.key, binding});
      if (!pd.ok()) return Refuse("building the PD: " + pd.error().ToString());
      pd_ = std::move(pd).value();
      Step("build-pd", std::to_string(pd_.size()) + " bytes, sealed by its parties");
    } else {
      pd_ = in_.pd.Clone();
    }
    Bytes content;
    if (ToTa(in_.use_case)) {
      content = ToBytes(pd_.view());
    } else {
      std::optional<ByteView> ua;
      if (in_.ua) ua = ByteView(*in_.ua);
      content = channel::EncodeBundle(*in_.ta, pd_.view(), ua);
    }
    SecretBytes plaintext(content);
    std::fill(content.begin(), content.end(), uint8_t{0});
    auto sealed = channel::Seal(recipient.key, plaintext.view(), binding, std::time(nullptr),
                                crypto::SystemRandom::Get());
    if (!sealed.ok()) return Refuse("sealing: " + sealed.error().ToString());
    Step("seal", std::to_string(plaintext.size()) + " bytes (" + binding.purpose + ") -> " +
                     std::to_string(sealed->size()) + " sealed");
    // The API accepts the same bytes again as a retry, so a restarting M/OC is waited out, for
    // a while: a body the M/OC will not read also ends in a cut connection.
    const auto post_deadline =
        std::min(deadline_, Clock::now() + std::chrono::milliseconds(kPostRetryMs));
    auto reply = client_->Call("POST", "/api/v1/requests/" + r_.request_id + "/channel",
                               "application/octet-stream", *sealed, Retry::kUntilDeadline,
                               post_deadline, in_.poll_interval_ms);
    if (!reply.ok()) {
      return Refuse("posting " + std::to_string(sealed->size()) +
                    " sealed bytes: " + reply.error().ToString() +
                    (sealed->size() > kApiSealedLimit
                         ? " (larger than the 4 MiB the user API documents for sealed data)"
                         : ""));
    }
    if (reply->status != 202 && reply->status != 200) {
      return Refuse("posting the sealed bytes: " + reply->ErrorText());
    }
    r_.sent = true;
    Step("post-channel", "sha256:" + ToHex(crypto::Sha256(*sealed)).substr(0, 16) + "…");
    return Absorb(reply->Json());
  }

  void CheckReceipt(const channel::AttestedRecipient& recipient) {
    r_.pd_digest = crypto::Sha256(pd_.view());
    r_.measurement = ToTa(in_.use_case) ? recipient.measurement : crypto::Sha256(*in_.ta);
    if (receipt_b64_.empty()) {
      Refuse("the request is done but carries no receipt");
      return;
    }
    auto receipt = eat::Base64UrlDecode(receipt_b64_);
    if (!receipt.ok()) {
      Refuse("the receipt is not base64url");
      return;
    }
    if (!recipient.receipt_key) {
      Refuse("the EAR names no key for receipts");
      return;
    }
    auto kid = channel::ReceiptKeyId(*receipt);
    auto want_kid = cose::CoseKey::FromPublicKey(*recipient.receipt_key).Thumbprint();
    if (!kid.ok() || !want_kid.ok() || *kid != *want_kid) {
      Refuse("the receipt is not signed by the key the EAR names");
      return;
    }
    auto verified = channel::VerifyReceipt(*receipt, *recipient.receipt_key);
    if (!verified.ok()) {
      Refuse("the receipt does not verify: " + verified.error().ToString());
      return;
    }
    const std::string instance = ToTa(in_.use_case) ? r_.instance_name : "";
    if (verified->request_id != r_.request_id || verified->instance != instance) {
      Refuse("the receipt is for another request or instance");
      return;
    }
    if (verified->pd_digest != r_.pd_digest) {
      Refuse("the receipt's PD digest differs from the PD sent");
      return;
    }
    if (r_.measurement.empty() || verified->measurement != r_.measurement) {
      Refuse("the receipt's measurement differs from the attested TA");
      return;
    }
    r_.receipt_result = verified->result;
    Step("verify-receipt",
         "pd sha256:" + ToHex(r_.pd_digest).substr(0, 16) + "… received by TA " +
             ToHex(r_.measurement).substr(0, 16) + "…" +
             (verified->result ? ", with " + std::to_string(verified->result->size()) +
                                     " bytes of sealed outputs"
                               : ""));
  }

  const FlowInput& in_;
  FlowObserver* observer_;
  Clock::time_point start_;
  Clock::time_point deadline_;
  Clock::time_point last_;
  std::optional<MocClient> client_;
  std::optional<crypto::PublicKey> key_;
  std::string reused_packages_;  // kinds of the packages found already stored ("ta, ua")
  size_t seen_steps_ = 0;
  json last_request_;
  std::string receipt_b64_;
  SecretBytes pd_;  // the PD sent (in_.pd, or what make_pd built)
  FlowResult r_;
};

}  // namespace

std::string KeyFingerprint(const crypto::PublicKey& key) {
  return ToHex(crypto::Sha256(key.ToSpkiDer()));
}

FlowResult RunRequestFlow(const FlowInput& input, FlowObserver* observer) {
  return Flow(input, observer).Run();
}

json FlowResultJson(const FlowInput& input, const FlowResult& r) {
  json steps = json::array();
  for (const FlowStep& s : r.steps) {
    steps.push_back({{"step", s.name}, {"detail", s.detail}, {"at_ms", s.at_ms}, {"ms", s.ms}});
  }
  auto or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
  return {
      {"request_id", or_null(r.request_id)},
      {"case", input.use_case},
      {"instance", input.instance},
      {"hardware", or_null(r.device_architecture.empty() ? input.hardware : r.device_architecture)},
      {"device_id", or_null(r.device_id)},
      {"ta_instance", or_null(r.instance_name)},
      {"ok", r.ok},
      {"state", or_null(r.state)},
      {"ear_status", or_null(r.ear_status)},
      {"sent", r.sent},
      {"error", or_null(r.error)},
      {"verifier_key_sha256", or_null(r.verifier_key_sha256)},
      {"pd_sha256", r.pd_digest.empty() ? json(nullptr) : json(ToHex(r.pd_digest))},
      {"measurement", r.measurement.empty() ? json(nullptr) : json(ToHex(r.measurement))},
      {"steps", std::move(steps)},
      {"ms", r.ms}};
}

}  // namespace teepnet::cli
