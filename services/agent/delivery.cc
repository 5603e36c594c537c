#include "services/agent/delivery.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <utility>

#include "services/common/errc.h"
#include "teepnet/base/hex.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/channel/bundle.h"
#include "teepnet/channel/errc.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/sealed.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/random.h"
#include "teepnet/runtime/log_tail.h"
#include "teepnet/runtime/ta_wire.h"
#include "teepnet/runtime/vm_guest_key.h"
#include "teepnet/suit/component_id.h"

namespace teepnet::agentd {
namespace {

// draft-ietf-cose-hpke: the encapsulated key travels in the unprotected header "ek" (-4).
constexpr int64_t kLabelEk = -4;
// The tail of a failed TA's log that is read; its last line is quoted up to kMaxLogLineInError.
constexpr size_t kLogTailBytes = 4096;
constexpr size_t kMaxLogLineInError = 300;

// The component an instance is named after: "tc-" + hex of its deterministic CBOR
// (USE-CASES "TA instances"), so the name itself says which component to read.
Result<suit::ComponentId> ComponentOfInstance(std::string_view name) {
  const std::string_view prefix = evidence::kInstanceNamePrefix;
  if (name.substr(0, prefix.size()) != prefix) {
    return Error(Code::kInvalidArgument, "instance " + std::string(name) + " is not tc-<hex>");
  }
  auto encoded = FromHex(name.substr(prefix.size()));
  if (!encoded.ok()) {
    return Error(Code::kInvalidArgument, "instance " + std::string(name) + " is not tc-<hex>");
  }
  cbor::Reader r(*encoded, cbor::DecodeOptions::Deterministic());
  auto id = suit::ReadComponentId(r);
  if (!id.ok() || !r.ExpectEnd().ok()) {
    return Error(Code::kInvalidArgument,
                 "instance " + std::string(name) + " does not name a SUIT component");
  }
  return *std::move(id);
}

// SHA-256 over (ek length, ek, ciphertext) of a COSE-HPKE Encrypt0: the same pair always opens
// to the same plaintext under the instance's key, and any change to either fails the TA's
// authentication, so it identifies a message however its envelope is re-encoded.
Result<Bytes> HpkeMessageId(ByteView sealed) {
  auto message = cose::Encrypt0Message::Decode(sealed, cose::Tagging::kRequired);
  if (!message.ok()) {
    return Error(channel::Errc::kMalformed, "not a COSE_Encrypt0: " + message.error().ToString());
  }
  auto ek = message->headers().unprotected.GetBytes(kLabelEk);
  if (!ek.ok() || !ek->has_value() || !message->ciphertext().has_value()) {
    return Error(channel::Errc::kMalformed, "COSE_Encrypt0 without ek or ciphertext");
  }
  Bytes material;
  const uint32_t ek_size = static_cast<uint32_t>((*ek)->size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    material.push_back(static_cast<uint8_t>(ek_size >> shift));
  }
  Append(material, **ek);
  Append(material, *message->ciphertext());
  return crypto::Sha256(material);
}

// The last line a failed TA wrote, so the failure names its reason (" (log: ...)"), or "".
// The log is the device's file (runtime/instance.h), so nothing leaves the TEE that the REE
// could not read already.
std::string LastLogLine(const std::string& path) {
  const std::string tail = runtime::ReadLogTail(path, kLogTailBytes);
  std::string_view text(tail);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  const size_t start = text.find_last_of('\n');
  std::string_view line = start == std::string_view::npos ? text : text.substr(start + 1);
  if (line.empty()) return "";
  if (line.size() > kMaxLogLineInError) line = line.substr(line.size() - kMaxLogLineInError);
  std::string out(line);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return " (log: " + out + ")";
}

}  // namespace

Result<std::unique_ptr<Delivery>> Delivery::Create(const crypto::PrivateKey& teep_key,
                                                   const crypto::PrivateKey* hpke_key,
                                                   runtime::InstanceBackend& backend,
                                                   const evidence::InstanceKeyring* keyring,
                                                   const agent::TcStore& store, const Clock& clock,
                                                   DeliveryOptions options) {
  if (options.log_dir.empty()) {
    return Error(common::Errc::kBadConfig, "delivery: a TA log directory is required");
  }
  if (options.max_running == 0) {
    return Error(common::Errc::kBadConfig, "delivery: max_running must be at least 1");
  }
  // The device id the user bound its message to: the RFC 9679 thumbprint of the TEEP key.
  TEEPNET_ASSIGN_OR_RETURN(Bytes device_id,
                           cose::CoseKey::FromPublicKey(teep_key.public_key()).Thumbprint());
  return std::unique_ptr<Delivery>(new Delivery(teep_key, hpke_key, backend, keyring, store, clock,
                                                std::move(options), std::move(device_id)));
}

Delivery::Delivery(const crypto::PrivateKey& teep_key, const crypto::PrivateKey* hpke_key,
                   runtime::InstanceBackend& backend, const evidence::InstanceKeyring* keyring,
                   const agent::TcStore& store, const Clock& clock, DeliveryOptions options,
                   Bytes device_id)
    : teep_key_(teep_key),
      hpke_key_(hpke_key),
      backend_(backend),
      keyring_(keyring),
      store_(store),
      clock_(clock),
      options_(std::move(options)),
      device_id_(std::move(device_id)) {}

Delivery::~Delivery() {
  for (Running& r : running_) StopRunning(r);
}

size_t Delivery::running() {
  Reap();
  return running_.size();
}

Result<Delivered> Delivery::Deliver(const DeliverSealed& request) {
  Reap();
  return request.to_ta ? DeliverToTa(request) : DeliverToAgent(request);
}

Result<Delivered> Delivery::DeliverToAgent(const DeliverSealed& request) {
  if (hpke_key_ == nullptr) {
    return Error(common::Errc::kBadConfig,
                 "this Agent has no HPKE key (platform sim-generic): nothing can be sealed to it");
  }
  const channel::Binding binding{request.request_id, device_id_, "", request.purpose};
  channel::OpenPolicy policy;
  policy.now_unix = clock_.NowUnixSeconds();
  policy.max_age_seconds = options_.max_age_seconds;
  policy.max_skew_seconds = options_.max_skew_seconds;
  auto opened = channel::Open(request.sealed, *hpke_key_, binding, policy, guard_);
  if (!opened.ok()) return opened.error().WithContext("open the sealed bundle");
  auto bundle = channel::DecodeBundle(opened->content.view());
  if (!bundle.ok()) return bundle.error().WithContext("the sealed content");

  const Bytes ta_digest = crypto::Sha256(bundle->ta);
  channel::Receipt receipt;
  receipt.request_id = request.request_id;
  receipt.pd_digest = crypto::Sha256(bundle->pd.view());
  Bytes pd_payload = runtime::EncodePlaintextPd(bundle->pd.view());
  Bytes measurement;
  auto answer = StartAndAwait(bundle->ta, request.instance_type, pd_payload, &measurement);
  if (!answer.ok()) return std::move(answer).TakeError();
  // The measurement is of what runs (StartAndAwait); it must be the TA the user sent, or the
  // receipt would name a TA that did not run.
  if (!Equal(measurement, ta_digest)) {
    StopRunning(running_.back());
    running_.pop_back();
    return Error(Code::kInternal, "the TA's launch measurement differs from the bundle's TA");
  }
  receipt.measurement = measurement;
  auto signed_receipt = channel::SignReceipt(receipt, teep_key_);
  if (!signed_receipt.ok()) {
    StopRunning(running_.back());
    running_.pop_back();
    return signed_receipt.error().WithContext("sign the receipt");
  }
  running_.back().request_id = request.request_id;
  return Delivered{*std::move(signed_receipt), std::move(bundle->ua)};
}

Result<Delivered> Delivery::DeliverToTa(const DeliverSealed& request) {
  if (keyring_ == nullptr) {
    return Error(common::Errc::kBadConfig, "this Agent keeps no TA instance identities");
  }
  if (request.sealed.size() > channel::kMaxSealedBytes) {
    return Error(channel::Errc::kTooLarge, "sealed bytes exceed the channel limit");
  }
  const evidence::InstanceIdentity* identity = keyring_->Find(request.instance);
  if (identity == nullptr) {
    return Error(Code::kNotFound, "no TA instance " + request.instance +
                                      " (not installed, or not attested since its install)");
  }
  TEEPNET_ASSIGN_OR_RETURN(suit::ComponentId component, ComponentOfInstance(identity->name));
  std::optional<Bytes> image = store_.ReadComponent(component);
  if (!image) {
    return Error(Code::kNotFound, "instance " + request.instance + " has no installed component");
  }
  // The EAR names this measurement next to the instance's keys: run only the attested image.
  if (!Equal(crypto::Sha256(*image), identity->measurement)) {
    return Error(Code::kFailedPrecondition,
                 "instance " + request.instance +
                     ": the installed component is not the attested one (attest again)");
  }
  TEEPNET_ASSIGN_OR_RETURN(Bytes message_id, HpkeMessageId(request.sealed));
  const int64_t now = clock_.NowUnixSeconds();
  if (SeenTaMessage(message_id, now)) {
    return Error(channel::Errc::kReplayed, "this sealed message was already delivered");
  }
  if (ta_messages_.size() >= kMaxRememberedTaMessages) {
    return Error(channel::Errc::kTooLarge, "too many recent TA deliveries to remember another");
  }

  runtime::DeliveryContext context;
  context.request_id = request.request_id;
  context.device_id = device_id_;
  context.instance = request.instance;
  context.purpose = request.purpose;
  context.measurement = identity->measurement;
  Bytes pd_payload;
  {
    SecretBytes hpke = identity->hpke.RawPrivate();
    SecretBytes proof = identity->proof.RawPrivate();
    pd_payload = runtime::EncodeSealedPd(request.sealed, hpke.view(), proof.view(), context);
  }
  Bytes measurement;
  auto answer = StartAndAwait(*image, request.instance_type, pd_payload, &measurement);
  if (!answer.ok()) return std::move(answer).TakeError();

  // The TA's answer is its receipt, signed by the proof key the EAR names. A TA that answers
  // anything else has not proven the delivery.
  auto fail = [&](Error e) -> Result<Delivered> {
    StopRunning(running_.back());
    running_.pop_back();
    return e;
  };
  auto receipt = channel::VerifyReceipt(*answer, identity->proof.public_key());
  if (!receipt.ok()) return fail(receipt.error().WithContext("the TA's receipt"));
  if (receipt->request_id != request.request_id || receipt->instance != request.instance) {
    return fail(
        Error(channel::Errc::kMalformed, "the TA's receipt names another request or instance"));
  }
  if (!Equal(receipt->measurement, identity->measurement) ||
      !Equal(measurement, identity->measurement)) {
    return fail(Error(channel::Errc::kMalformed,
                      "the TA's receipt or launch measurement is not the attested one"));
  }
  RememberTaMessage(message_id, now);
  running_.back().request_id = request.request_id;
  running_.back().ta_instance = request.instance;
  return Delivered{*std::move(answer), std::nullopt};
}

Result<Bytes> Delivery::RelayToTa(const UaMessage& message) {
  Reap();
  Running* r = FindRunning(message.request_id);
  if (r == nullptr) {
    return Error(Code::kNotFound, "no TA of request " + message.request_id + " runs here");
  }
  if (r->ua_closed) {
    return Error(Code::kFailedPrecondition, "the TA of request " + message.request_id +
                                                " left a UA message unanswered; its UA channel "
                                                "is closed");
  }
  if (message.message.size() > kMaxUaMessageBytes) {
    return Error(common::Errc::kFrameTooLarge, "the UA message exceeds its limit");
  }
  // Both directions are bounded: a TA that stops reading cannot block the write, and one that
  // sends half a frame cannot block the read (AwaitResponse set a longer receive timeout).
  const int timeout_ms = options_.ua_answer_timeout_ms;
  timeval tv{};
  tv.tv_sec = timeout_ms / 1000;
  tv.tv_usec = (timeout_ms % 1000) * 1000;
  ::setsockopt(r->host_fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  ::setsockopt(r->host_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  auto out_of_step = [&](Error e) -> Result<Bytes> {
    r->ua_closed = true;
    if (options_.log != nullptr) {
      options_.log->Warn("ua-channel-closed",
                         {{"request_id", message.request_id}, {"error", e.ToString()}});
    }
    return e;
  };
  if (Status sent = runtime::WriteFrame(r->host_fd, runtime::FrameType::kFromUa, message.message);
      !sent.ok()) {
    return out_of_step(sent.error().WithContext("relay the UA message to the TA"));
  }
  pollfd p{r->host_fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, timeout_ms);
  if (ready == 0) {
    return out_of_step(Error(common::Errc::kTimeout, "the TA did not answer its UA within " +
                                                         std::to_string(timeout_ms) + " ms"));
  }
  if (ready < 0) return out_of_step(Error(common::Errc::kIo, "poll on the TA channel failed"));
  auto frame = runtime::ReadFrame(r->host_fd, kMaxUaMessageBytes);
  if (!frame.ok()) return out_of_step(frame.error().WithContext("the TA's answer to its UA"));
  if (frame->type != runtime::FrameType::kToUa) {
    return out_of_step(
        Error(common::Errc::kBadResponse, "the TA answered its UA with another kind of frame"));
  }
  return std::move(frame->payload);
}

Result<Bytes> Delivery::FetchUa(const UaFetch& request) {
  Reap();
  const Running* r = FindRunning(request.request_id);
  if (r == nullptr) {
    return Error(Code::kNotFound, "no TA of request " + request.request_id +
                                      " runs here: a UA is released only for a request whose "
                                      "TA this Agent delivered to");
  }
  if (request.component == r->ta_instance) {
    return Error(Code::kInvalidArgument,
                 request.component + " is the TA of request " + request.request_id);
  }
  TEEPNET_ASSIGN_OR_RETURN(suit::ComponentId component, ComponentOfInstance(request.component));
  // The store holds only what a SUIT install committed: a manifest whose signature verified
  // against the TC signer trust anchors and whose payload matched its image digest
  // (condition-image-match). So the REE deployer runs bytes the Agent vouched for.
  std::optional<Bytes> ua = store_.ReadComponent(component);
  if (!ua) return Error(Code::kNotFound, "no component " + request.component + " is installed");
  if (ua->empty() || ua->size() > kMaxUaImageBytes) {
    return Error(Code::kResourceExhausted,
                 "component " + request.component + " is empty or too large to release as a UA");
  }
  if (options_.log != nullptr) {
    options_.log->Info("ua-released", {{"request_id", request.request_id},
                                       {"component", request.component},
                                       {"ua_sha256", ToHex(crypto::Sha256(*ua))}});
  }
  return std::move(ua).value();
}

Result<runtime::InstanceBackend*> Delivery::BackendFor(InstanceType type) {
  if (type == InstanceType::kProcess) return &backend_;
  const bool vm = type == InstanceType::kVm;
  LazyBackend& lazy = vm ? vms_ : containers_;
  const auto& make = vm ? options_.make_vm_backend : options_.make_container_backend;
  const char* what = vm ? "a confidential VM" : "a confidential container";
  if (lazy.backend) return lazy.backend.get();
  if (!lazy.error) {
    if (!make) {
      lazy.error = Error(common::Errc::kBadConfig,
                         vm ? "this Agent runs no VMs" : "this Agent runs no containers");
    } else {
      auto made = make();
      if (made.ok()) {
        lazy.backend = *std::move(made);
        return lazy.backend.get();
      }
      lazy.error = std::move(made).TakeError();
    }
  }
  return lazy.error->WithContext(what);
}

Result<Bytes> Delivery::StartAndAwait(ByteView executable, InstanceType type, Bytes& pd_payload,
                                      Bytes* measurement) {
  struct Wipe {
    Bytes& b;
    ~Wipe() { SecureWipe(b.data(), b.size()); }
  } wipe{pd_payload};
  if (type == InstanceType::kVm && !options_.appraise_guest) {
    return Error(common::Errc::kBadConfig,
                 "this Agent cannot appraise confidential VM evidence (no simulated platform)");
  }
  TEEPNET_ASSIGN_OR_RETURN(runtime::InstanceBackend * backend, BackendFor(type));
  MakeRoom();
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    return Error(common::Errc::kIo, "socketpair for the TA channel failed");
  }
  runtime::InstanceSpec spec;
  spec.name = "ta-" + std::to_string(++started_);
  spec.executable = ToBytes(executable);
  spec.channel_fd = fds[1];
  spec.log_path = options_.log_dir + "/" + spec.name + ".log";
  spec.env = options_.instance_env;
  spec.limits = options_.limits;
  // A container or VM runs an image the backend builds around these bytes; what it was handed
  // is what the receipt may name.
  const Bytes handed = crypto::Sha256(spec.executable);
  auto started = backend->Start(spec);
  ::close(fds[1]);
  if (!started.ok()) {
    ::close(fds[0]);
    return started.error().WithContext("start the TA");
  }
  Running r;
  r.instance = *std::move(started);
  r.host_fd = fds[0];
  Result<Bytes> frame_payload = pd_payload;
  if (type == InstanceType::kVm) {
    frame_payload = ReleaseIntoGuest(r.host_fd, *r.instance, pd_payload, spec.log_path);
    if (!frame_payload.ok()) {
      ::close(r.host_fd);
      r.instance->Stop(kStopGraceMs);
      return frame_payload.error().WithContext("nothing released into the VM");
    }
  }
  Status sent = runtime::WriteFrame(r.host_fd, runtime::FrameType::kPd, *frame_payload);
  if (type == InstanceType::kVm) SecureWipe(frame_payload->data(), frame_payload->size());
  auto answer = sent.ok() ? AwaitResponse(r.host_fd) : Result<Bytes>(sent.error());
  if (!answer.ok()) {
    ::close(r.host_fd);
    const runtime::ExitInfo exit = r.instance->Stop(kStopGraceMs);
    return answer.error().WithContext("the TA (" + exit.ToString() + ") gave no answer" +
                                      LastLogLine(spec.log_path));
  }
  if (type != InstanceType::kProcess) {
    *measurement = handed;
  } else {
    *measurement = r.instance->measurement();
  }
  if (options_.log != nullptr) {
    options_.log->Info("ta-started", {{"instance", spec.name},
                                      {"instance_type", std::string(InstanceTypeName(type))},
                                      {"backend", std::string(backend->kind())},
                                      {"ta_sha256", ToHex(*measurement)},
                                      {"launch_measurement", ToHex(r.instance->measurement())}});
  }
  running_.push_back(std::move(r));
  return answer;
}

Result<Bytes> Delivery::ReleaseIntoGuest(int fd, const runtime::Instance& instance,
                                         ByteView pd_payload, const std::string& log_path) {
  pollfd p{fd, POLLIN, 0};
  const int ready = ::poll(&p, 1, options_.guest_key_timeout_ms);
  if (ready <= 0) {
    return Error(common::Errc::kTimeout, "the guest announced no key within " +
                                             std::to_string(options_.guest_key_timeout_ms) + " ms" +
                                             LastLogLine(log_path));
  }
  TEEPNET_ASSIGN_OR_RETURN(runtime::Frame frame,
                           runtime::ReadFrame(fd, runtime::kMaxGuestEvidenceBytes + 8192));
  if (frame.type != runtime::FrameType::kGuestKey) {
    return Error(common::Errc::kBadResponse, "the guest's first frame is not its key");
  }
  TEEPNET_ASSIGN_OR_RETURN(runtime::GuestKey key, runtime::DecodeGuestKey(frame.payload));
  if (key.evidence.empty()) {
    return Error(common::Errc::kBadResponse, "the guest brought no evidence: " + key.reason);
  }
  const Bytes report_data = runtime::GuestReportData(key.public_key);
  if (Status appraised = options_.appraise_guest(key.evidence, report_data, instance.measurement());
      !appraised.ok()) {
    return appraised.error().WithContext("appraise the guest");
  }
  TEEPNET_ASSIGN_OR_RETURN(crypto::PublicKey guest,
                           crypto::PublicKey::FromRaw(crypto::KeyType::kX25519, key.public_key));
  if (options_.log != nullptr) {
    options_.log->Info("guest-attested", {{"instance", std::string(instance.name())},
                                          {"launch_measurement", ToHex(instance.measurement())},
                                          {"evidence_sha256", ToHex(crypto::Sha256(key.evidence))},
                                          {"guest_key", ToHex(key.public_key)}});
  }
  return runtime::SealPdForGuest(guest, pd_payload, crypto::SystemRandom::Get());
}

Result<Bytes> Delivery::AwaitResponse(int fd) {
  // A TA that sends half a frame and stalls must not hang the Agent either: reads time out.
  timeval tv{};
  tv.tv_sec = options_.response_timeout_ms / 1000;
  tv.tv_usec = (options_.response_timeout_ms % 1000) * 1000;
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.response_timeout_ms);
  for (size_t dropped = 0;; ++dropped) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    const int ready = left.count() <= 0 ? 0 : ::poll(&p, 1, static_cast<int>(left.count()));
    if (ready == 0) {
      return Error(common::Errc::kTimeout,
                   "no answer within " + std::to_string(options_.response_timeout_ms) + " ms");
    }
    if (ready < 0) return Error(common::Errc::kIo, "poll on the TA channel failed");
    TEEPNET_ASSIGN_OR_RETURN(runtime::Frame frame, runtime::ReadFrame(fd, kMaxTaResponseBytes));
    if (frame.type == runtime::FrameType::kResponse) return std::move(frame.payload);
    if (frame.type != runtime::FrameType::kToUa || dropped >= kMaxFramesBeforeResponse) {
      return Error(common::Errc::kBadResponse, "the TA sent frames other than its answer");
    }
  }
}

void Delivery::Reap() {
  for (auto it = running_.begin(); it != running_.end();) {
    if (it->instance->GetStatus().running) {
      ++it;
      continue;
    }
    StopRunning(*it);  // releases the state and closes the channel
    it = running_.erase(it);
  }
}

Delivery::Running* Delivery::FindRunning(std::string_view request_id) {
  for (auto it = running_.rbegin(); it != running_.rend(); ++it) {
    if (it->request_id == request_id) return &*it;
  }
  return nullptr;
}

void Delivery::MakeRoom() {
  Reap();
  while (running_.size() >= options_.max_running) {
    StopRunning(running_.front());
    running_.pop_front();
  }
}

void Delivery::StopRunning(Running& r) {
  // Closing the channel first lets a TA finish on its own (the TA API reports kPeerClosed);
  // a TA is pid 1 of its pid namespace, where SIGTERM without a handler does nothing.
  if (r.host_fd >= 0) ::close(r.host_fd);
  r.host_fd = -1;
  if (r.instance) r.instance->Stop(kStopGraceMs);
  r.instance.reset();
}

bool Delivery::SeenTaMessage(ByteView id, int64_t now) {
  for (auto it = ta_messages_.begin(); it != ta_messages_.end();) {
    it = it->second <= now ? ta_messages_.erase(it) : std::next(it);
  }
  return ta_messages_.count(ToBytes(id)) != 0;
}

void Delivery::RememberTaMessage(ByteView id, int64_t now) {
  // A message the TA accepted at `now` was sent no later than now + max_skew; once it is older
  // than max_age the TA's own freshness check refuses it, so the memory may forget it then.
  ta_messages_[ToBytes(id)] = now + options_.max_age_seconds + options_.max_skew_seconds + 1;
}

}  // namespace teepnet::agentd
