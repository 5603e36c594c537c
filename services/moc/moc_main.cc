// teepnet-moc: the Network M/OC with its TAM (DESIGN §1). `serve` runs the TAM endpoint
// (POST /tam, TEEP over HTTP) and the admin API (/admin/v1/...) on one listen address, with
// its state in DIR:
//   DIR/tam-key.pem       the TAM's TEEP signing key (0600; created on first start)
//   DIR/tam-key.pub.pem   its public half, the trust anchor to give Agents
//   DIR/admin-token       bearer token for the admin API (0600)
//   DIR/enroll-token      bearer token that may only enroll devices (0600)
//   DIR/moc.db            the SQLite store (WAL), unless --store names another
//                         (e.g. postgres://moc@db:5432/moc, shared by several replicas)
//   DIR/moc.addr          the address actually bound ("127.0.0.1:41234"), written once
//                         listening, so tools can use --listen 127.0.0.1:0
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
#include "services/moc/tam_endpoint.h"
#include "services/net/http.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/file.h"
#include "teepnet/crypto/random.h"
#include "teepnet/store/sql_tam_store.h"
#include "teepnet/tam/tam_core.h"

namespace teepnet::moc {
namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
constexpr int kPurgeEveryMs = 60 * 1000;

struct Options {
  std::string listen = "127.0.0.1:8080";
  std::string data;
  std::string store;  // empty: sqlite:DIR/moc.db
  std::string key_type = "p256";
  int64_t threads = 2;
  int64_t token_lifetime_s = 6 * 3600;
  int64_t max_body_bytes = 4 << 20;
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
  if (!positional->empty() || (o.key_type != "p256" && o.key_type != "ed25519")) {
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
  auto tam = tam::TamCore::Create(std::move(config), **store, clock, crypto::SystemRandom::Get());
  if (!tam.ok()) return fail("tam-core", tam.error());

  TamEndpoint endpoint(**tam, log);
  AdminApi admin(**tam, **store, AdminTokens{*admin_token, *enroll_token}, log);
  net::HttpServerOptions server_options;
  server_options.listen = o.listen;
  server_options.threads = static_cast<int>(o.threads);
  server_options.max_body_bytes = static_cast<size_t>(o.max_body_bytes);
  auto server = net::HttpServer::Start(server_options, [&](const net::HttpRequest& request) {
    std::string_view path = request.Path();
    if (path == "/tam") return endpoint.Handle(request);
    if (path.substr(0, 10) == "/admin/v1/") return admin.Handle(request);
    return net::HttpResponse::Status(404);
  });
  if (!server.ok()) return fail("listen", server.error());
  const std::string address = (*server)->host() + ":" + std::to_string((*server)->port());
  if (Status s = WriteFileAtomic(o.data + "/moc.addr", AsBytes(address + "\n"), 0644); !s.ok()) {
    return fail("addr-file", s.error());
  }
  log.Info("listening", {{"address", address},
                         {"tam_uri", "http://" + address + "/tam"},
                         {"suite", key_is_ed25519 ? "ed25519" : "esp256"}});

  while (!signals.Wait(kPurgeEveryMs)) {
    auto purged = (*store)->PurgeTokens(clock.NowUnixSeconds());
    if (!purged.ok()) log.Warn("purge-tokens", {{"error", purged.error().ToString()}});
  }
  log.Info("stopping", {{"signal", signals.received()}});
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
