// teepnet-moc: the Network M/OC with its TAM (DESIGN §1). `serve` runs the TAM endpoint
// (POST /tam, TEEP over HTTP) and the admin API (/admin/v1/...) on one listen address, with
// its state in DIR:
//   DIR/tam-key.pem       the TAM's TEEP signing key (0600; created on first start)
//   DIR/tam-key.pub.pem   its public half, the trust anchor to give Agents
//   DIR/admin-token       bearer token for the admin API (0600)
//   DIR/enroll-token      bearer token that may only enroll devices (0600)
//   DIR/moc.db            the SQLite store (WAL), unless --store names another
//                         (e.g. postgres://moc@db:5432/moc, shared by several replicas)
//   DIR/ear-key.pem       the key EARs (with --attestation) and failure records
//                         (moc/failure_record.h) are signed with (P-256, ES256; 0600; created
//                         on first start) and DIR/ear-key.pub.pem, its public half, which
//                         Relying Parties verify both with (GET /api/v1/verifier-key)
//   DIR/moc.addr          the address actually bound ("127.0.0.1:41234"), written once
//                         listening, so tools can use --listen 127.0.0.1:0
// The user REST API (docs/api/openapi.yaml) is served under /api/v1/ on the same address, its
// tenants, packages and requests in the same --store database (store/sql_moc_store.h); the
// admin token creates tenants there too. Devices poll the relay under /device/v1/ (USE-CASES
// "Device channel API") and long-poll GET /device/v1/devices/{id}/wait for work between their
// rounds (device_wakeups.h).
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <new>
#include <span>
#include <string>

#include "services/common/data_dir.h"
#include "services/common/flags.h"
#include "services/common/json_log.h"
#include "services/common/shutdown.h"
#include "services/moc/admin_api.h"
#include "services/moc/capacity_api.h"
#include "services/moc/capacity_sync.h"
#include "services/moc/device_api.h"
#include "services/moc/device_wait_api.h"
#include "services/moc/device_wakeups.h"
#include "services/moc/request_loop.h"
#include "services/moc/tam_action_sink.h"
#include "services/moc/tam_endpoint.h"
#include "services/moc/tam_reconciler.h"
#include "services/moc/user_api.h"
#include "services/net/http.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/crypto/random.h"
#include "teepnet/evidence/tam_appraiser.h"
#include "teepnet/moc/device_api_router.h"
#include "teepnet/moc/moc_service.h"
#include "teepnet/moc/token.h"
#include "teepnet/moc/user_api_router.h"
#include "teepnet/store/sql_moc_store.h"
#include "teepnet/store/sql_tam_store.h"
#include "teepnet/tam/tam_core.h"

namespace teepnet::moc {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kPurgeEveryMs = 60 * 1000;
// The request loop (request_loop.h) turns TAM facts into request events and fails requests
// past their deadline as soon as the TAM commits a step or a user calls, and at least this
// often: the safety net, and how replicas sharing a store see each other's steps.
constexpr int kReconcileEveryMs = 1000;
constexpr int kSignalCheckMs = 1000;

struct Options {
  std::string listen = "127.0.0.1:8080";
  std::string data;
  std::string store;  // empty: sqlite:DIR/moc.db
  std::string key_type = "p256";
  int64_t threads = 2;
  int64_t token_lifetime_s = 6 * 3600;
  int64_t max_body_bytes = 4 << 20;
  std::string endorsements;
  std::string attestation;
  std::string tls_cert;  // with tls_key: serve HTTPS
  std::string tls_key;
};

int Serve(std::span<char* const> args) {
  common::ShutdownSignals signals;  // first: server threads inherit the blocked mask
  Options o;
  common::FlagSet flags(
      "teepnet-moc serve --listen ADDR:PORT --data DIR [flags]",
      "Runs the M/OC: the TAM endpoint POST /tam (TEEP over HTTP, draft-ietf-teep-otrp-over-\n"
      "http-15) and the admin API under /admin/v1/ on one address. On first start it creates\n"
      "DIR with the TAM key, the admin and enrollment tokens and the SQLite store.\n"
      "SIGTERM or SIGINT stops it gracefully.");
  flags.String("listen", &o.listen, "ADDR:PORT", "listen address (port 0 picks a free port)");
  flags.String("data", &o.data, "DIR", "data directory", true);
  flags.String("store", &o.store, "URL",
               "TAM store: sqlite:PATH or postgres://USER@HOST:PORT/DB "
               "(default sqlite:DIR/moc.db)");
  flags.String("key-type", &o.key_type, "p256|ed25519",
               "TAM key on first start: P-256 (ESP256 suite) or Ed25519");
  flags.Int("threads", &o.threads, "N", "HTTP server threads", 1, 64);
  flags.Int("token-lifetime-s", &o.token_lifetime_s, "S", "lifetime of a TEEP token", 1,
            INT64_C(30) * 86400);
  flags.Int("max-body-bytes", &o.max_body_bytes, "N", "largest request body accepted", 1024,
            INT64_C(256) << 20);
  flags.String("endorsements", &o.endorsements, "DIR",
               "Verifier endorsements, reference values and policies (the layout of\n"
               "attest/verifier.h; for simulated devices: their sim-vendors/public); re-read\n"
               "when it changes");
  flags.String("attestation", &o.attestation, "off|request|require",
               "ask devices for Evidence; require: refuse Updates unless it appraises as\n"
               "affirming (default: require with --endorsements, else off)");
  flags.String("tls-cert", &o.tls_cert, "FILE",
               "serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key");
  flags.String("tls-key", &o.tls_key, "FILE", "PEM private key for --tls-cert");
  auto positional = flags.Parse(args);
  if (!positional.ok()) {
    std::fprintf(stderr, "teepnet-moc: %s\n\n%s", positional.error().message().c_str(),
                 flags.Help().c_str());
    return kExitUsage;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Help().c_str(), stdout);
    return kExitOk;
  }
  if (o.attestation.empty()) o.attestation = o.endorsements.empty() ? "off" : "require";
  if (!positional->empty() || (o.key_type != "p256" && o.key_type != "ed25519") ||
      (o.attestation != "off" && o.attestation != "request" && o.attestation != "require") ||
      (o.attestation != "off" && o.endorsements.empty()) ||
      o.tls_cert.empty() != o.tls_key.empty()) {
    std::fprintf(stderr, "teepnet-moc: bad arguments\n\n%s", flags.Help().c_str());
    return kExitUsage;
  }

  common::JsonLog log("teepnet-moc");
  auto fail = [&](std::string_view what, const Error& e) {
    log.Error(what, {{"error", e.ToString()}});
    return kExitFailure;
  };
  if (Status s = common::EnsureDirectory(o.data, 0700); !s.ok()) return fail("data-dir", s.error());
  const bool ed25519 = o.key_type == "ed25519";
  auto key = common::LoadOrCreateKey(o.data + "/tam-key.pem",
                                     ed25519 ? crypto::KeyType::kEd25519 : crypto::KeyType::kP256);
  if (!key.ok()) return fail("tam-key", key.error());
  // The existing key decides the suite, whatever --key-type says on later starts.
  const bool key_is_ed25519 = key->type() == crypto::KeyType::kEd25519;
  std::string public_pem = key->public_key().ToPem();
  if (Status s = WriteFileAtomic(o.data + "/tam-key.pub.pem", AsBytes(public_pem), 0644); !s.ok()) {
    return fail("tam-key", s.error());
  }
  auto admin_token = common::LoadOrCreateToken(o.data + "/admin-token");
  if (!admin_token.ok()) return fail("admin-token", admin_token.error());
  auto enroll_token = common::LoadOrCreateToken(o.data + "/enroll-token");
  if (!enroll_token.ok()) return fail("enroll-token", enroll_token.error());
  const std::string store_url = o.store.empty() ? "sqlite:" + o.data + "/moc.db" : o.store;
  auto store = store::SqlTamStore::Open(store_url);
  if (!store.ok()) return fail("store", store.error());

  tam::TamConfig config;
  config.signing_keys.push_back(teep::SigningKey{
      *key, teep::CipherSuite::Sign1(key_is_ed25519 ? teep::kAlgEd25519 : teep::kAlgESP256),
      std::nullopt});
  config.token_lifetime_seconds = o.token_lifetime_s;
  SystemClock clock;
  // Attestation (DESIGN §5, background-check model): the TAM appraises the Agent's Evidence
  // against the endorsements and keeps the EAR it issues.
  std::unique_ptr<evidence::EndorsementDirectory> endorsements;
  std::unique_ptr<evidence::TeepEvidenceAppraiser> appraiser;
  // The M/OC's signing key for what it attests to users: EARs and failure records. Made also
  // without attestation, so a failed request's record can always be signed.
  auto ear_key = common::LoadOrCreateKey(o.data + "/ear-key.pem", crypto::KeyType::kP256);
  if (!ear_key.ok()) return fail("ear-key", ear_key.error());
  if (ear_key->type() != crypto::KeyType::kP256) {
    return fail("ear-key", Error(Code::kInvalidArgument, "ear-key.pem must be P-256 (ES256)"));
  }
  const std::string verifier_key_pem = ear_key->public_key().ToPem();  // GET /verifier-key
  if (Status s = WriteFileAtomic(o.data + "/ear-key.pub.pem", AsBytes(verifier_key_pem), 0644);
      !s.ok()) {
    return fail("ear-key", s.error());
  }
  if (o.attestation != "off") {
    config.attestation = o.attestation == "require" ? tam::AttestationPolicy::kRequire
                                                    : tam::AttestationPolicy::kRequest;
    endorsements = std::make_unique<evidence::EndorsementDirectory>(o.endorsements);
    // Load once now so a broken directory is reported at start, not at the first device.
    if (auto v = endorsements->Current(); !v.ok()) return fail("endorsements", v.error());
    appraiser = std::make_unique<evidence::TeepEvidenceAppraiser>(*endorsements, *ear_key, clock);
  }
  auto tam = tam::TamCore::Create(std::move(config), **store, clock, crypto::SystemRandom::Get(),
                                  appraiser.get());
  if (!tam.ok()) return fail("tam-core", tam.error());

  // The user side (DESIGN §6): tenants, packages and requests in the same database as the
  // TAM's state, their deploy actions carried out on that state (tam_action_sink.h).
  auto moc_store = store::SqlMocStore::Open(store_url);
  if (!moc_store.ok()) return fail("moc-store", moc_store.error());
  TamActionSink action_sink(**moc_store, **store);
  // Devices long-poll GET /device/v1/devices/{id}/wait; the sink tells them of new work.
  DeviceWakeups wakeups;
  action_sink.OnDeviceWork([&wakeups](std::string_view device) { wakeups.Notify(device); });
  DeviceWaitApi wait_api(wakeups);
  MocService service(**moc_store, clock, crypto::SystemRandom::Get(), action_sink,
                     HashToken(*admin_token));
  UserApiRouter user_router(service);
  user_router.SetVerifierKeyPem(verifier_key_pem);
  user_router.SetRecordSigner(&*ear_key);
  UserApi user_api(user_router);
  DeviceApiRouter device_router(service);
  DeviceApi device_api(device_router);
  // With attestation, a device's architecture and capacity come from its appraised evidence
  // (capacity_sync.h); the admin's PUT only lowers them (capacity_api.h).
  const bool capacity_from_evidence = o.attestation != "off";
  CapacityApi capacity_api(service, **store, capacity_from_evidence);
  CapacitySync capacity_sync(**store, service);
  if (capacity_from_evidence) {
    if (auto synced = capacity_sync.All(); !synced.ok()) {
      log.Warn("capacity-sync", {{"error", synced.error().ToString()}});
    }
  }
  TamReconciler reconciler(**moc_store, **store, service);
  // Actions a previous run committed but did not carry out (moc_service.h).
  if (auto resumed = service.Resume(); !resumed.ok()) {
    log.Warn("resume", {{"error", resumed.error().ToString()}});
  } else if (*resumed > 0) {
    log.Info("resumed", {{"actions", static_cast<int64_t>(*resumed)}});
  }

  TamEndpoint endpoint(**tam, log);
  RequestLoop request_loop(
      [&] {
        // The reconciler, the timeouts and Resume act only on requests in flight. The TAM
        // wakes this loop on every TEEP step it commits, and mostly nothing is in flight: then
        // one indexed lookup replaces the three listings (a failed lookup runs the pass, whose
        // own listings report the error).
        if (auto any = (*moc_store)->AnyRequestInFlight(); any.ok() && !*any) return;
        // Every replica runs these; events and actions are idempotent (tam_reconciler.h).
        if (auto r = reconciler.RunOnce(); !r.ok()) {
          log.Warn("reconcile", {{"error", r.error().ToString()}});
        }
        if (auto t = service.CheckTimeouts(); !t.ok()) {
          log.Warn("check-timeouts", {{"error", t.error().ToString()}});
        }
        if (auto resumed = service.Resume(); !resumed.ok()) {
          log.Warn("resume", {{"error", resumed.error().ToString()}});
        }
      },
      kReconcileEveryMs);
  endpoint.OnCommitted([&request_loop] { request_loop.Wake(); });
  if (capacity_from_evidence) {
    endpoint.OnDeviceCommitted([&capacity_sync, &log](ByteView device) {
      auto note = capacity_sync.Device(device);
      if (!note.ok()) {
        // The device's next exchange tries again.
        log.Warn("capacity-sync",
                 {{"device_id", ToHex(device)}, {"error", note.error().ToString()}});
      } else if (!note->empty()) {
        log.Info("capacity", {{"device_id", ToHex(device)}, {"change", *note}});
      }
    });
  }
  AdminApi admin(**tam, **store, AdminTokens{*admin_token, *enroll_token}, log);
  net::HttpServerOptions server_options;
  server_options.listen = o.listen;
  server_options.threads = static_cast<int>(o.threads);
  server_options.max_body_bytes = static_cast<size_t>(o.max_body_bytes);
  // The user API bounds each route itself (moc/limits.h); the server must let its largest in.
  server_options.max_body_bytes = std::max(server_options.max_body_bytes, UserApi::MaxBodyBytes());
  server_options.tls_cert_file = o.tls_cert;
  server_options.tls_key_file = o.tls_key;
  auto server = net::HttpServer::Start(
      server_options,
      [&](const net::HttpRequest& request) {
        std::string_view path = request.Path();
        if (path == "/tam") return endpoint.Handle(request);
        if (CapacityApi::Serves(path)) return capacity_api.Handle(request);
        if (UserApi::Serves(path)) {
          net::HttpResponse r = user_api.Handle(request);
          // A user's step (sealed bytes posted, a request created) may let the loop move on.
          if (request.method != "GET") request_loop.Wake();
          return r;
        }
        if (DeviceApi::Serves(path)) return device_api.Handle(request);
        if (path.substr(0, 10) == "/admin/v1/") return admin.Handle(request);
        return net::HttpResponse::Status(404);
      },
      [&](const net::HttpRequest& request, const net::HttpResponder& respond) {
        return wait_api.Take(request, respond);
      });
  if (!server.ok()) return fail("listen", server.error());
  const std::string address = (*server)->host() + ":" + std::to_string((*server)->port());
  if (Status s = WriteFileAtomic(o.data + "/moc.addr", AsBytes(address + "\n"), 0644); !s.ok()) {
    return fail("addr-file", s.error());
  }
  log.Info("listening",
           {{"address", address},
            {"tam_uri", (o.tls_cert.empty() ? "http://" : "https://") + address + "/tam"},
            {"suite", key_is_ed25519 ? "ed25519" : "esp256"},
            {"attestation", o.attestation}});

  int64_t last_purge_ms = clock.MonotonicMillis();
  while (!signals.Wait(kSignalCheckMs)) {
    if (clock.MonotonicMillis() - last_purge_ms < kPurgeEveryMs) continue;
    last_purge_ms = clock.MonotonicMillis();
    auto purged = (*store)->PurgeTokens(clock.NowUnixSeconds());
    if (!purged.ok()) log.Warn("purge-tokens", {{"error", purged.error().ToString()}});
  }
  log.Info("stopping", {{"signal", signals.received()}});
  request_loop.Stop();
  wakeups.Close();  // answers the waiting devices while the server can still write
  (*server)->Stop();
  log.Info("stopped", {{"requests", endpoint.counters().requests.load()},
                       {"dropped", endpoint.counters().dropped.load()},
                       {"failed", endpoint.counters().failed.load()}});
  return kExitOk;
}

int Main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "serve") == 0) {
    return Serve(std::span<char* const>(argv + 2, static_cast<size_t>(argc - 2)));
  }
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
    char help[] = "--help";
    char* fake[] = {help};
    return Serve(std::span<char* const>(fake, 1));
  }
  std::fprintf(stderr, "usage: teepnet-moc serve [flags]   (teepnet-moc serve --help)\n");
  return kExitUsage;
}

}  // namespace
}  // namespace teepnet::moc

int main(int argc, char** argv) {
  try {
    return teepnet::moc::Main(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fputs("teepnet-moc: out of memory\n", stderr);
    return 1;
  }
}
