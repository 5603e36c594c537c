// Agent op 5 (USE-CASES "Agent op 5"): the Agent receives a Network User's sealed bytes, relayed
// by the Broker, and delivers them to a TA running in an instance (teepnet/runtime), returning
// the delivery receipt (channel/receipt.h).
//
//   target agent (cases 1, 4): the Agent opens the sealed bundle with its own HPKE key (its
//     replay guard), starts the bundle's TA with a form-1 (plaintext) PD, waits for the TA's
//     kResponse frame, and signs the receipt with its TEEP key; case 1 also returns the UA.
//   target ta (cases 2, 3): the Agent starts the installed component named by the instance
//     with a form-2 PD (the sealed bytes, the instance's HPKE and proof private keys and the
//     delivery context); the TA opens the bytes itself and answers with the receipt signed by
//     its proof key, which the Agent verifies before passing it on.
//
// The request names the instance type (op 5 key 6): a confidential process runs on the backend
// given to Create; a confidential container on the backend options.make_container_backend
// creates the first time one is asked for (runtime/container_backend.h packs the TA bytes into
// a one-layer OCI image); a confidential VM likewise on options.make_vm_backend's
// (runtime/vm_backend.h puts the TA bytes into the guest's initramfs). Either way the receipt's
// measurement is SHA-256 of the TA bytes, what was attested or sealed: a process's launch
// measurement is taken over its sealed memfd and must equal it; a container's (manifest digest
// + runtime config) and a VM's (launch digest over kernel, initramfs, command line and
// configuration) name the whole image, not the TA, so the Agent checks SHA-256 of the bytes it
// handed to the backend instead and logs the instance's launch measurement.
//
// A confidential VM is its own TEE (runtime/vm_guest_key.h): its guest agent announces a key it
// made at boot with the platform's evidence for it, and the Agent releases the PD into the guest
// only after options.appraise_guest accepted that evidence (the launch digest of exactly this VM,
// the key bound); the PD frame then travels sealed to the guest key, so neither the VM backend
// nor anything else on the host sees the PD or, for cases 2 and 3, the instance's keys.
//
// Every failure is an error value with a precise reason; an instance that failed is stopped and
// its state removed before Deliver returns. A bundle the Agent opened stays consumed by its
// replay guard even when the delivery then fails (the user seals again); a TA delivery is
// remembered only once the TA's receipt verified. An instance that answered stays running (it is
// the workload) until the Delivery is destroyed; at most max_running run at once, and the oldest is
// stopped to make room for a new one.
//
// The channel of an instance that answered stays open while it runs, so the request's UA can
// talk to it (op 6, RelayToTa): the Agent remembers which request each running instance served
// and relays a UA message only to the instance of the request the Broker names, waiting at most
// options.ua_answer_timeout_ms for the answer. A TA that lets a message go unanswered (or
// answers with anything but a kToUa frame) has its UA channel closed: a late answer would
// otherwise be taken as the answer to the next message. An instance that exited is forgotten,
// and so are its request's UA channel and UA release (op 7, FetchUa).
//
// Not thread-safe: the Agent handles one request at a time, and Start() must run on the thread
// that outlives the instances (they die with it: runtime/instance.h).
#ifndef TEEPNET_SERVICES_AGENT_DELIVERY_H_
#define TEEPNET_SERVICES_AGENT_DELIVERY_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "services/agent/agent_protocol.h"
#include "services/agent/agent_service.h"
#include "services/common/json_log.h"
#include "teepnet/agent/tc_store.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/result.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/channel/replay_guard.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/runtime/instance.h"

namespace teepnet::agentd {

// How long a TA has, from its start, to answer the PD (a TA that needs longer is broken or
// hostile; the Broker's request must not hang on it).
inline constexpr int kTaResponseTimeoutMs = 10'000;
// TAs kept running after their delivery.
inline constexpr size_t kMaxRunningInstances = 8;
// SIGTERM grace before SIGKILL when an instance is stopped.
inline constexpr int kStopGraceMs = 1'000;
// A TA's answer: an acknowledgement, or a receipt (with a workload's sealed outputs).
inline constexpr size_t kMaxTaResponseBytes = channel::kMaxReceiptBytes;
// Frames for the UA a TA may send before its answer; they are dropped (a UA's messages are
// answered one by one through op 6, RelayToTa).
inline constexpr size_t kMaxFramesBeforeResponse = 16;
// How long a TA has to answer one message of its UA (op 6); the Broker waits on the Agent
// meanwhile, so this bounds how long a silent TA can hold the channel.
inline constexpr int kUaAnswerTimeoutMs = 5'000;
// Sealed messages remembered for TA deliveries (see Delivery::SeenTaMessages).
inline constexpr size_t kMaxRememberedTaMessages = 100'000;

struct DeliveryOptions {
  // TA stdout/stderr go to <log_dir>/<instance name>.log (0600). Required.
  std::string log_dir;
  // The sealed message's acceptance window (channel::OpenPolicy).
  int64_t max_age_seconds = 600;
  int64_t max_skew_seconds = 60;
  size_t max_running = kMaxRunningInstances;
  int response_timeout_ms = kTaResponseTimeoutMs;
  int ua_answer_timeout_ms = kUaAnswerTimeoutMs;
  runtime::ResourceLimits limits;
  std::vector<std::string> instance_env;  // "KEY=value" for every TA (tests: ASAN_OPTIONS)
  // Makes the backend for instance_type container, once, on the first such delivery (probing
  // runc, umoci and user namespaces forks a few children; an Agent that never runs a container
  // never pays for it). Its error is kept and every container delivery fails with it. Unset:
  // container deliveries are refused.
  std::function<Result<std::unique_ptr<runtime::InstanceBackend>>()> make_container_backend;
  // The same for instance_type vm (runtime/vm_backend.h boots a qemu guest around the TA bytes;
  // Start returns once the guest agent is up, so the answer deadline excludes the boot). Unset:
  // VM deliveries are refused.
  std::function<Result<std::unique_ptr<runtime::InstanceBackend>>()> make_vm_backend;
  // Appraises a VM guest's evidence before anything is released into it: OkStatus when
  // `evidence` verifies, binds `report_data` and names `launch_measurement`
  // (evidence::GuestAppraiser). Unset: VM deliveries fail (nothing goes to an unattested
  // guest).
  std::function<Status(ByteView evidence, ByteView report_data, ByteView launch_measurement)>
      appraise_guest;
  // How long a booted guest has to announce its key (it asks the platform first).
  int guest_key_timeout_ms = 30'000;
  // Launches are logged here when set (the container measurement, which no receipt carries).
  const common::JsonLog* log = nullptr;
};

class Delivery final : public SealedDeliverer {
 public:
  // `teep_key` signs Agent receipts and names the device (its RFC 9679 thumbprint is the
  // channel binding's device id). `hpke_key` opens bundles sealed to the Agent; nullptr when the
  // platform has none (sim-generic: target agent is then refused). `keyring` holds the TA
  // instance identities (nullptr: target ta is refused). Everything borrowed must outlive the
  // Delivery.
  static Result<std::unique_ptr<Delivery>> Create(const crypto::PrivateKey& teep_key,
                                                  const crypto::PrivateKey* hpke_key,
                                                  runtime::InstanceBackend& backend,
                                                  const evidence::InstanceKeyring* keyring,
                                                  const agent::TcStore& store, const Clock& clock,
                                                  DeliveryOptions options);
  ~Delivery() override;  // stops every instance still running

  Result<Delivered> Deliver(const DeliverSealed& request) override;
  // Op 6: writes the UA's message to the TA that runs for `message.request_id` and returns its
  // answer. Code::kNotFound when no instance of that request runs (never delivered, or exited),
  // kFailedPrecondition when its UA channel was closed, common::Errc::kTimeout when the TA did
  // not answer in time (the channel is closed then).
  Result<Bytes> RelayToTa(const UaMessage& message) override;
  // Op 7: the bytes of the installed component `request.component` for the REE deployer, only
  // while an instance of `request.request_id` runs here (a UA is released for a request this
  // Agent served, and never as the request's own TA). Code::kNotFound when no instance of the
  // request runs or the component is not installed.
  Result<Bytes> FetchUa(const UaFetch& request) override;

  // Instances still running after their delivery (exited ones are reaped first).
  size_t running();
  const Bytes& device_id() const { return device_id_; }

 private:
  struct Running {
    std::unique_ptr<runtime::Instance> instance;
    int host_fd = -1;         // the Agent's end of the instance channel, open while it runs
    std::string request_id;   // the request whose delivery it answered
    std::string ta_instance;  // the TA instance name (cases 2, 3); "" for a bundle's TA
    bool ua_closed = false;   // a UA message went unanswered: the channel is out of step
  };

  Delivery(const crypto::PrivateKey& teep_key, const crypto::PrivateKey* hpke_key,
           runtime::InstanceBackend& backend, const evidence::InstanceKeyring* keyring,
           const agent::TcStore& store, const Clock& clock, DeliveryOptions options,
           Bytes device_id);

  Result<Delivered> DeliverToAgent(const DeliverSealed& request);
  Result<Delivered> DeliverToTa(const DeliverSealed& request);
  // A backend made on first use (containers, VMs), or the reason it could not be.
  struct LazyBackend {
    std::unique_ptr<runtime::InstanceBackend> backend;
    std::optional<Error> error;
  };
  // The backend for `type` (creating the container or VM backend on first use).
  Result<runtime::InstanceBackend*> BackendFor(InstanceType type);
  // Starts `executable` on the backend for `type`, sends the kPd frame `pd_payload` (wiped
  // afterwards) and waits for the TA's kResponse payload. On success the instance is kept in
  // `running_` and `*measurement` is SHA-256 of the TA that runs: a process's launch
  // measurement, or for a container the digest of the bytes handed to its backend. On
  // failure the instance is stopped and gone.
  Result<Bytes> StartAndAwait(ByteView executable, InstanceType type, Bytes& pd_payload,
                              Bytes* measurement);
  Result<Bytes> AwaitResponse(int fd);
  // A VM guest's key announcement, appraised; the PD payload sealed to the guest's key.
  Result<Bytes> ReleaseIntoGuest(int fd, const runtime::Instance& instance, ByteView pd_payload,
                                 const std::string& log_path);
  void Reap();
  void MakeRoom();
  // The newest running instance that served `request_id`, or nullptr.
  Running* FindRunning(std::string_view request_id);
  static void StopRunning(Running& r);

  // TA deliveries: the Agent does not open what is sealed to an instance, so it remembers the
  // HPKE message (SHA-256 over ek and ciphertext, which fix the plaintext) of each delivery
  // the TA accepted, until no acceptance window could admit it again. Only ids of messages the
  // TA authenticated are recorded, so garbage cannot fill the memory.
  bool SeenTaMessage(ByteView id, int64_t now);
  void RememberTaMessage(ByteView id, int64_t now);

  const crypto::PrivateKey& teep_key_;
  const crypto::PrivateKey* hpke_key_;
  runtime::InstanceBackend& backend_;
  const evidence::InstanceKeyring* keyring_;
  const agent::TcStore& store_;
  const Clock& clock_;
  DeliveryOptions options_;
  Bytes device_id_;
  channel::InMemoryReplayGuard guard_;
  std::map<Bytes, int64_t> ta_messages_;  // message digest -> expires_at (unix seconds)
  LazyBackend containers_;
  LazyBackend vms_;
  std::deque<Running> running_;  // oldest first
  uint64_t started_ = 0;         // names instances ta-1, ta-2, ...
};

}  // namespace teepnet::agentd

#endif  // TEEPNET_SERVICES_AGENT_DELIVERY_H_
