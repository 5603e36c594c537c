#include "teepnet/moc/user_api_router.h"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "teepnet/evidence/instance_keyring.h"
#include "teepnet/moc/api_errors.h"
#include "teepnet/moc/in_memory_moc_store.h"
#include "teepnet/moc/limits.h"
#include "teepnet/moc/moc_test_support.h"
#include "teepnet/moc/token.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using nlohmann::json;
using testing::CountingRandom;
using testing::Device;
using ::testing::HasSubstr;
using testing::RecordingSink;
using testing::TestEnvelope;

constexpr std::string_view kAdmin = "Bearer admin-token-for-tests";

class UserApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    TEEPNET_ASSERT_OK(service_.ReportCapacity(
        Device("sgx-1", Architecture::kSgx, {InstanceType::kProcess, InstanceType::kContainer})));
    alice_ = NewTenant("alice");
    bob_ = NewTenant("bob");
  }

  ApiResponse Call(std::string method, std::string target, std::string_view auth, Bytes body = {}) {
    return router_.Handle(
        ApiRequest{std::move(method), std::move(target), std::string(auth), std::move(body)});
  }
  ApiResponse CallWithKey(std::string target, std::string_view auth, std::string body,
                          std::string key) {
    ApiRequest request{"POST", std::move(target), std::string(auth), ToBytes(body)};
    request.idempotency_key = std::move(key);
    return router_.Handle(request);
  }
  static json Body(const ApiResponse& r) { return json::parse(AsChars(r.body)); }
  static std::string ErrorCode(const ApiResponse& r) {
    const json body = Body(r);
    return body.at("error").at("code").get<std::string>();
  }
  std::string NewTenant(std::string_view name) {
    const ApiResponse r =
        Call("POST", "/api/v1/tenants", kAdmin, ToBytes(json{{"name", name}}.dump()));
    EXPECT_EQ(r.status, 201);
    return "Bearer " + Body(r).at("token").get<std::string>();
  }
  std::string UploadTa(const std::string& auth) {
    const ApiResponse r =
        Call("POST", "/api/v1/packages?kind=ta&name=data%20analysis", auth, TestEnvelope("ta"));
    EXPECT_EQ(r.status, 201);
    return Body(r).at("id").get<std::string>();
  }
  std::string CreateCase1(const std::string& auth) {
    const ApiResponse r = Call("POST", "/api/v1/requests", auth,
                               ToBytes(R"({"use_case":1,"instance":"process","hardware":"sgx"})"));
    EXPECT_EQ(r.status, 201) << AsChars(r.body);
    return Body(r).at("id").get<std::string>();
  }

  InMemoryMocStore store_;
  FakeClock clock_{1'800'000'000};
  CountingRandom random_;
  RecordingSink sink_;
  MocService service_{store_, clock_, random_, sink_, HashToken("admin-token-for-tests")};
  UserApiRouter router_{service_};
  std::string alice_;
  std::string bob_;
};

TEST_F(UserApiTest, RefusesCallsWithoutAValidBearerToken) {
  for (std::string_view auth : {"", "Bearer ", "Basic YWRtaW4=", "Bearer nope"}) {
    const ApiResponse r = Call("GET", "/api/v1/devices", auth);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(ErrorCode(r), "unauthenticated");
    EXPECT_FALSE(Body(r).at("error").at("message").get<std::string>().empty());
  }
  EXPECT_EQ(Call("GET", "/api/v1/devices", "bearer admin-token-for-tests").status, 200);
}

TEST_F(UserApiTest, LetsOnlyTheAdminManageTenants) {
  const ApiResponse r = Call("GET", "/api/v1/tenants", alice_);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(ErrorCode(r), "admin_only");
  const ApiResponse list = Call("GET", "/api/v1/tenants", kAdmin);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Body(list).size(), 2u);
  EXPECT_FALSE(Body(list)[0].contains("token"));
}

TEST_F(UserApiTest, UploadsListsAndReadsPackages) {
  const std::string id = UploadTa(alice_);
  const ApiResponse one = Call("GET", "/api/v1/packages/" + id, alice_);
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(Body(one).at("name"), "data analysis");
  EXPECT_EQ(Body(one).at("kind"), "ta");
  EXPECT_EQ(Body(Call("GET", "/api/v1/packages", alice_)).size(), 1u);
  const ApiResponse bad =
      Call("POST", "/api/v1/packages?kind=pd&name=x", alice_, TestEnvelope("x"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(ErrorCode(bad), "invalid_argument");
  const ApiResponse junk =
      Call("POST", "/api/v1/packages?kind=ta&name=x", alice_, ToBytes(std::string_view("junk")));
  EXPECT_EQ(ErrorCode(junk), "invalid_package");
}

TEST_F(UserApiTest, FindsTheCallersPackagesByTheirEnvelopesSha256) {
  const std::string id = UploadTa(alice_);
  const std::string sha256 =
      Body(Call("GET", "/api/v1/packages/" + id, alice_)).at("sha256").get<std::string>();
  ASSERT_EQ(sha256.size(), 64u);
  const auto ids = [&](const std::string& auth, const std::string& query) {
    const ApiResponse r = Call("GET", "/api/v1/packages?" + query, auth);
    EXPECT_EQ(r.status, 200) << AsChars(r.body);
    std::vector<std::string> out;
    for (const json& p : Body(r)) out.push_back(p.at("id").get<std::string>());
    return out;
  };
  EXPECT_EQ(ids(alice_, "sha256=" + sha256), std::vector<std::string>{id});
  EXPECT_EQ(ids(alice_, "sha256=" + sha256 + "&kind=ta"), std::vector<std::string>{id});
  EXPECT_TRUE(ids(alice_, "sha256=" + sha256 + "&kind=ua").empty());
  EXPECT_TRUE(ids(alice_, "sha256=" + std::string(64, '0')).empty());
  // Another tenant holding nothing with those bytes learns nothing of alice's package.
  EXPECT_TRUE(ids(bob_, "sha256=" + sha256).empty());

  for (const std::string& query : {std::string("sha256=abc"), "sha256=" + std::string(64, 'g'),
                                   "sha256=" + sha256 + "&kind=pd", std::string("kind=ta")}) {
    const ApiResponse bad = Call("GET", "/api/v1/packages?" + query, alice_);
    EXPECT_EQ(bad.status, 400) << query;
    EXPECT_EQ(ErrorCode(bad), "invalid_argument") << query;
  }
}

TEST_F(UserApiTest, AnswersAnotherTenantsObjectsWith404LikeMissingOnes) {
  const std::string package = UploadTa(alice_);
  const std::string request = CreateCase1(alice_);
  for (const std::string& target :
       {"/api/v1/requests/" + request, "/api/v1/requests/" + request + "/ear"}) {
    const ApiResponse theirs = Call("GET", target, bob_);
    EXPECT_EQ(theirs.status, 404);
    EXPECT_EQ(ErrorCode(theirs), "request_not_found");
  }
  const ApiResponse missing = Call("GET", "/api/v1/requests/req-0000000000000000", bob_);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(ErrorCode(missing), "request_not_found");
  EXPECT_EQ(ErrorCode(Call("GET", "/api/v1/packages/" + package, bob_)), "package_not_found");
  EXPECT_EQ(Call("POST", "/api/v1/requests/" + request + "/channel", bob_, Bytes{1, 2}).status,
            404);
  EXPECT_TRUE(Body(Call("GET", "/api/v1/requests", bob_)).empty());
}

TEST_F(UserApiTest, WalksCase1ThroughEarAndChannel) {
  const std::string id = CreateCase1(alice_);
  const ApiResponse before = Call("GET", "/api/v1/requests/" + id + "/ear", alice_);
  EXPECT_EQ(before.status, 404);
  EXPECT_EQ(ErrorCode(before), "ear_not_issued");
  const ApiResponse early = Call("POST", "/api/v1/requests/" + id + "/channel", alice_, Bytes{1});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(ErrorCode(early), "wrong_state");

  const Bytes ear = ToBytes(std::string_view("eyJhbGciOiJFUzI1NiJ9.e30.sig"));
  TEEPNET_ASSERT_OK(service_.HandleEvent(id, Event::Affirmed("sgx-1", ear, "application/eat+jwt")));
  const ApiResponse got = Call("GET", "/api/v1/requests/" + id + "/ear", alice_);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.content_type, "application/eat+jwt");
  EXPECT_EQ(got.body, ear);

  const ApiResponse posted =
      Call("POST", "/api/v1/requests/" + id + "/channel", alice_, Bytes(100, 0x5a));
  ASSERT_EQ(posted.status, 202);
  EXPECT_EQ(Body(posted).at("state"), "sealed_data_relayed");
  EXPECT_EQ(Body(posted).at("channel_target"), "agent");
  EXPECT_EQ(Body(posted).at("channel"),
            json({{"target", "agent"}, {"instance", ""}, {"purpose", "bundle"}}));
  EXPECT_TRUE(Body(posted).at("receipt").is_null());
  // The same bytes again are accepted (a retry); other bytes are not.
  EXPECT_EQ(Call("POST", "/api/v1/requests/" + id + "/channel", alice_, Bytes(100, 0x5a)).status,
            202);
  const ApiResponse other =
      Call("POST", "/api/v1/requests/" + id + "/channel", alice_, Bytes(100, 0x5b));
  EXPECT_EQ(other.status, 409);
  EXPECT_EQ(ErrorCode(other), "channel_already_used");

  const json request = Body(Call("GET", "/api/v1/requests/" + id, alice_));
  EXPECT_EQ(request.at("device_id"), "sgx-1");
  std::vector<std::string> states;
  for (const json& step : request.at("steps")) {
    states.push_back(step.at("state").get<std::string>());
    EXPECT_EQ(step.at("at"), "2027-01-15T08:00:00Z");
  }
  EXPECT_THAT(states, ::testing::ElementsAre("submitted", "placed", "attesting_agent", "ear_issued",
                                             "awaiting_user_channel", "sealed_data_relayed"));
}

TEST_F(UserApiTest, ServesASignedFailureRecordOnlyForAFailedRequestOfTheCaller) {
  const auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TEEPNET_ASSERT_OK(key);
  const std::string id = CreateCase1(alice_);
  const std::string path = "/api/v1/requests/" + id + "/failure";
  // Under way: nothing failed, so there is nothing to sign.
  router_.SetRecordSigner(&*key);
  const ApiResponse early = Call("GET", path, alice_);
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(ErrorCode(early), "request_not_failed");

  TEEPNET_ASSERT_OK(service_.HandleEvent(id, Event::Contraindicated("sgx-1", "debug enabled")));
  // Another tenant's request is not found, as for every other read.
  const ApiResponse foreign = Call("GET", path, bob_);
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(ErrorCode(foreign), "request_not_found");
  EXPECT_EQ(Call("GET", path, kAdmin).status, 403);
  EXPECT_EQ(Call("POST", path, alice_).status, 405);

  const ApiResponse got = Call("GET", path, alice_);
  ASSERT_EQ(got.status, 200) << AsChars(got.body);
  EXPECT_EQ(got.content_type, kFailureRecordMediaType);
  auto record = VerifyFailureRecord(AsChars(got.body), key->public_key());
  TEEPNET_ASSERT_OK(record);
  EXPECT_EQ(record->request_id, id);
  EXPECT_EQ(record->device_id, "sgx-1");
  EXPECT_EQ(record->use_case, 1);
  EXPECT_EQ(record->failed_step, RequestState::kAttestingAgent);
  EXPECT_THAT(record->reason, HasSubstr("debug enabled"));
  EXPECT_FALSE(record->ear_sha256.has_value());

  // Without a signing key there is no record, but still no leak.
  router_.SetRecordSigner(nullptr);
  const ApiResponse unsigned_record = Call("GET", path, alice_);
  EXPECT_EQ(unsigned_record.status, 404);
  EXPECT_EQ(ErrorCode(unsigned_record), "no_verifier_key");
}

TEST_F(UserApiTest, ServesTheVerifierKeyWithoutAToken) {
  ApiResponse none = Call("GET", "/api/v1/verifier-key", "");
  EXPECT_EQ(none.status, 404);
  EXPECT_EQ(ErrorCode(none), "no_verifier_key");
  const std::string pem =
      crypto::PrivateKey::Generate(crypto::KeyType::kP256)->public_key().ToPem();
  router_.SetVerifierKeyPem(pem);
  const ApiResponse got = Call("GET", "/api/v1/verifier-key", "");
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.content_type, "application/x-pem-file");
  EXPECT_EQ(AsChars(got.body), pem);
  EXPECT_EQ(Call("POST", "/api/v1/verifier-key", kAdmin).status, 405);
}

TEST_F(UserApiTest, NamesTheTaInstanceTheChannelIsBoundToInCase3) {
  const std::string ta = UploadTa(alice_);
  const ApiResponse r = Call(
      "POST", "/api/v1/requests", alice_,
      ToBytes(json{{"use_case", 3}, {"instance", "process"}, {"packages", {{"ta", ta}}}}.dump()));
  ASSERT_EQ(r.status, 201) << AsChars(r.body);
  const json channel = Body(r).at("channel");
  EXPECT_EQ(channel.at("target"), "ta");
  EXPECT_EQ(channel.at("purpose"), "pd");
  EXPECT_EQ(channel.at("instance"), *evidence::InstanceNameOfEnvelope(TestEnvelope("ta")));
}

TEST_F(UserApiTest, ExplainsAnImpossiblePlacement) {
  const ApiResponse r = Call("POST", "/api/v1/requests", alice_,
                             ToBytes(R"({"use_case":4,"instance":"vm","hardware":"trustzone"})"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(ErrorCode(r), "instance_not_on_hardware");
  EXPECT_THAT(Body(r).at("error").at("message").get<std::string>(),
              HasSubstr("Figure 2 allows a confidential VM only on SEV-SNP, CCA, TDX, CSV"));
  const ApiResponse none =
      Call("POST", "/api/v1/requests", alice_, ToBytes(R"({"use_case":4,"instance":"vm"})"));
  EXPECT_EQ(none.status, 409);
  EXPECT_EQ(ErrorCode(none), "no_suitable_device");
}

TEST_F(UserApiTest, RefusesMalformedCalls) {
  struct Case {
    std::string method, target, body, code;
    int status;
  };
  const Case cases[] = {
      {"POST", "/api/v1/requests", "{", "invalid_json", 400},
      {"POST", "/api/v1/requests", "[1]", "invalid_json", 400},
      {"POST", "/api/v1/requests", R"({"use_case":1,"instance":"process","hardwear":"sgx"})",
       "invalid_argument", 400},
      {"POST", "/api/v1/requests", R"({"use_case":7,"instance":"process"})", "invalid_argument",
       400},
      {"POST", "/api/v1/requests", R"({"use_case":2,"instance":"process"})", "package_mismatch",
       422},
      {"DELETE", "/api/v1/requests", "", "method_not_allowed", 405},
      {"GET", "/api/v1/nothing", "", "route_not_found", 404},
      {"POST", "/api/v1/packages?kind=ta&name=%4", "x", "invalid_argument", 400},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.method + " " + c.target + " " + c.body);
    const ApiResponse r = Call(c.method, c.target, alice_, ToBytes(c.body));
    EXPECT_EQ(r.status, c.status);
    EXPECT_EQ(ErrorCode(r), c.code);
  }
}

TEST_F(UserApiTest, BoundsBodiesBeforeReadingThem) {
  const ApiResponse json_too_big =
      Call("POST", "/api/v1/requests", alice_, Bytes(kMaxJsonBodyBytes + 1, ' '));
  EXPECT_EQ(json_too_big.status, 413);
  EXPECT_EQ(ErrorCode(json_too_big), "body_too_large");
  const ApiResponse too_big = Call("POST", "/api/v1/packages?kind=ta&name=x", alice_,
                                   Bytes(UserApiRouter::MaxBodyBytes() + 1, 0));
  EXPECT_EQ(too_big.status, 413);
}

TEST_F(UserApiTest, AnswersARepeatedPostWithAnIdempotencyKeyWithTheRequestItCreated) {
  const ApiResponse first =
      CallWithKey("/api/v1/requests", alice_,
                  R"({"use_case":1,"instance":"process","hardware":"sgx"})", "key-1");
  ASSERT_EQ(first.status, 201) << AsChars(first.body);
  const std::string id = Body(first).at("id").get<std::string>();
  // The same spec in another member order and spacing is the same body.
  const ApiResponse again =
      CallWithKey("/api/v1/requests", alice_,
                  R"({ "hardware":"sgx", "instance":"process", "use_case":1 })", "key-1");
  ASSERT_EQ(again.status, 200) << AsChars(again.body);
  EXPECT_EQ(Body(again).at("id").get<std::string>(), id);

  // One request, one slot, one creation in the audit log.
  const ApiResponse list = Call("GET", "/api/v1/requests", alice_);
  EXPECT_EQ(Body(list).size(), 1u);
  const InMemoryMocStore::State state = store_.Snapshot();
  EXPECT_EQ(state.devices.at("sgx-1").slots_used, 1u);
  EXPECT_EQ(std::count_if(state.audit.begin(), state.audit.end(),
                          [](const AuditEntry& e) { return e.action == "request.create"; }),
            1);

  // A restarted M/OC over the same store answers the same.
  InMemoryMocStore restarted_store(store_.Snapshot());
  MocService restarted(restarted_store, clock_, random_, sink_, HashToken("admin-token-for-tests"));
  UserApiRouter restarted_router(restarted);
  ApiRequest repeat{"POST", "/api/v1/requests", alice_,
                    ToBytes(R"({"use_case":1,"instance":"process","hardware":"sgx"})")};
  repeat.idempotency_key = "key-1";
  const ApiResponse after_restart = restarted_router.Handle(repeat);
  ASSERT_EQ(after_restart.status, 200) << AsChars(after_restart.body);
  EXPECT_EQ(Body(after_restart).at("id").get<std::string>(), id);
  EXPECT_EQ(restarted_store.Snapshot().requests.size(), 1u);
}

TEST_F(UserApiTest, RefusesAnIdempotencyKeyReusedForAnotherBody) {
  ASSERT_EQ(CallWithKey("/api/v1/requests", alice_,
                        R"({"use_case":1,"instance":"process","hardware":"sgx"})", "key-1")
                .status,
            201);
  for (const char* other : {R"({"use_case":4,"instance":"process","hardware":"sgx"})",
                            R"({"use_case":1,"instance":"process"})",
                            R"({"use_case":1,"instance":"container","hardware":"sgx"})"}) {
    const ApiResponse r = CallWithKey("/api/v1/requests", alice_, other, "key-1");
    EXPECT_EQ(r.status, 409) << other;
    EXPECT_EQ(ErrorCode(r), "idempotency_key_reused") << other;
  }
  EXPECT_EQ(store_.Snapshot().requests.size(), 1u);
}

TEST_F(UserApiTest, KeepsIdempotencyKeysPerTenant) {
  const std::string body = R"({"use_case":1,"instance":"process","hardware":"sgx"})";
  const ApiResponse alice = CallWithKey("/api/v1/requests", alice_, body, "shared-key");
  const ApiResponse bob = CallWithKey("/api/v1/requests", bob_, body, "shared-key");
  ASSERT_EQ(alice.status, 201);
  ASSERT_EQ(bob.status, 201) << AsChars(bob.body);
  EXPECT_NE(Body(alice).at("id"), Body(bob).at("id"));
  // Bob's repeat names Bob's request, never Alice's.
  const ApiResponse bob_again = CallWithKey("/api/v1/requests", bob_, body, "shared-key");
  ASSERT_EQ(bob_again.status, 200);
  EXPECT_EQ(Body(bob_again).at("id"), Body(bob).at("id"));
}

TEST_F(UserApiTest, BoundsIdempotencyKeysAndStoresNoneForARefusedRequest) {
  const std::string body = R"({"use_case":1,"instance":"process","hardware":"sgx"})";
  for (const std::string& bad :
       {std::string(kMaxIdempotencyKeyBytes + 1, 'k'), std::string("two words"),
        std::string("tab	here"), std::string("cafÃ©")}) {
    const ApiResponse r = CallWithKey("/api/v1/requests", alice_, body, bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_EQ(ErrorCode(r), "invalid_idempotency_key") << bad;
  }
  EXPECT_TRUE(store_.Snapshot().requests.empty());
  // An impossible placement is refused and keeps no key: the same key works once the
  // request is possible.
  const ApiResponse vm = CallWithKey("/api/v1/requests", alice_,
                                     R"({"use_case":1,"instance":"vm","hardware":"sgx"})", "key-2");
  EXPECT_EQ(vm.status, 422) << AsChars(vm.body);
  EXPECT_TRUE(store_.Snapshot().idempotency.empty());
  const ApiResponse longest =
      CallWithKey("/api/v1/requests", alice_, body, std::string(kMaxIdempotencyKeyBytes, '~'));
  EXPECT_EQ(longest.status, 201) << AsChars(longest.body);
}

TEST_F(UserApiTest, ListsDevicesWithTheirCapacity) {
  CreateCase1(alice_);
  const json devices = Body(Call("GET", "/api/v1/devices", bob_));
  ASSERT_EQ(devices.size(), 1u);
  EXPECT_EQ(devices[0].at("architecture"), "sgx");
  EXPECT_EQ(devices[0].at("slots_used"), 1);
  EXPECT_EQ(devices[0].at("slots_free"), 3);
}

TEST(PercentDecode, DecodesEscapesAndRefusesBrokenOnes) {
  EXPECT_EQ(*PercentDecode("a%20b+c%2F"), "a b c/");
  EXPECT_FALSE(PercentDecode("%").ok());
  EXPECT_FALSE(PercentDecode("%4").ok());
  EXPECT_FALSE(PercentDecode("%g0").ok());
}

// Every code the API can return is listed in docs/api/openapi.yaml's ErrorCode enum, and the
// enum lists nothing else.
TEST(ApiErrors, AreTheCodesDocumentedInOpenApi) {
  const char* source = std::getenv("TEEPNET_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::ifstream file(std::string(source) + "/docs/api/openapi.yaml");
  ASSERT_TRUE(file.good());
  std::set<std::string> documented;
  std::string line;
  bool in_schema = false, in_enum = false;
  while (std::getline(file, line)) {
    if (line == "    ErrorCode:") {
      in_schema = true;
      continue;
    }
    if (in_schema && line == "      enum:") {
      in_enum = true;
      continue;
    }
    if (in_enum) {
      if (line.rfind("        - ", 0) != 0) break;
      documented.insert(line.substr(10));
    }
  }
  std::set<std::string> table = {"internal", "unavailable"};
  for (const ApiErrorEntry& entry : ApiErrorTable()) table.insert(std::string(entry.code));
  EXPECT_EQ(documented, table);
  // The table covers every reason of moc::Errc, in order.
  uint16_t expected = 1;
  for (const ApiErrorEntry& entry : ApiErrorTable()) {
    EXPECT_EQ(static_cast<uint16_t>(entry.reason), expected++);
    EXPECT_EQ(ApiErrorFor(Error(entry.reason, "x")).code, entry.code);
  }
  EXPECT_EQ(expected - 1, static_cast<uint16_t>(Errc::kFailureRecordInvalid));
}

}  // namespace
}  // namespace teepnet::moc
