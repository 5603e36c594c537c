#include "teepnet/moc/failure_record.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/moc/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::moc {
namespace {

using teepnet::testing::FailsWith;

constexpr int64_t kNow = 1'800'000'100;

Request FailedRequest() {
  Request r;
  r.id = "req-00112233445566aa";
  r.tenant_id = "tnt-0011223344556677";
  r.use_case = 3;
  r.device_id = "ab12";
  r.state = RequestState::kFailed;
  r.error = "the TEEP Agent on ab12 did not attest: contraindicated";
  r.steps = {{RequestState::kSubmitted, 1'800'000'000, ""},
             {RequestState::kPlaced, 1'800'000'000, ""},
             {RequestState::kAttestingAgent, 1'800'000'010, ""},
             {RequestState::kFailed, 1'800'000'020, r.error}};
  return r;
}

crypto::PrivateKey Key(crypto::KeyType type = crypto::KeyType::kP256) {
  auto key = crypto::PrivateKey::Generate(type);
  EXPECT_TRUE(key.ok());
  return *std::move(key);
}

// A JWS over `header` and `claims`, signed by `key` as the issuer would.
std::string Jws(const nlohmann::json& header, const nlohmann::json& claims,
                const crypto::PrivateKey& key) {
  std::string input = eat::Base64UrlEncode(AsBytes(header.dump())) + "." +
                      eat::Base64UrlEncode(AsBytes(claims.dump()));
  auto sig = crypto::Sign(key, crypto::SignatureAlgorithm::kEcdsaSha256, AsBytes(input));
  EXPECT_TRUE(sig.ok());
  return input + "." + eat::Base64UrlEncode(*sig);
}

TEST(FailureRecord, NamesTheStepTheRequestFailedInAndWhy) {
  auto record = FailureRecordOf(FailedRequest(), kNow);
  TEEPNET_ASSERT_OK(record);
  EXPECT_EQ(record->request_id, "req-00112233445566aa");
  EXPECT_EQ(record->tenant_id, "tnt-0011223344556677");
  EXPECT_EQ(record->device_id, "ab12");
  EXPECT_EQ(record->use_case, 3);
  EXPECT_EQ(record->failed_step, RequestState::kAttestingAgent);
  EXPECT_EQ(record->failed_at, 1'800'000'020);
  EXPECT_EQ(record->issued_at, kNow);
  EXPECT_FALSE(record->ear_sha256.has_value());
}

TEST(FailureRecord, CarriesTheDigestOfTheEarTheRequestHad) {
  Request r = FailedRequest();
  r.ear = ToBytes(std::string_view("header.claims.signature"));
  auto record = FailureRecordOf(r, kNow);
  TEEPNET_ASSERT_OK(record);
  ASSERT_TRUE(record->ear_sha256.has_value());
  EXPECT_EQ(*record->ear_sha256, crypto::Sha256(r.ear));
}

TEST(FailureRecord, RefusesARequestThatDidNotFail) {
  for (RequestState state : {RequestState::kAttestingAgent, RequestState::kDone}) {
    Request r = FailedRequest();
    r.state = state;
    EXPECT_TRUE(FailsWith(FailureRecordOf(r, kNow), Errc::kRequestNotFailed));
  }
}

TEST(FailureRecord, VerifiesWithTheSignersKeyAndReadsBackWhatWasSigned) {
  const crypto::PrivateKey key = Key();
  Request r = FailedRequest();
  r.ear = Bytes{1, 2, 3};
  auto record = FailureRecordOf(r, kNow);
  TEEPNET_ASSERT_OK(record);
  auto jwt = IssueFailureRecord(*record, key);
  TEEPNET_ASSERT_OK(jwt);
  auto back = VerifyFailureRecord(*jwt, key.public_key());
  TEEPNET_ASSERT_OK(back);
  EXPECT_EQ(*back, *record);
}

TEST(FailureRecord, RefusesAnotherKeyATamperedPayloadAndTrailingParts) {
  const crypto::PrivateKey key = Key();
  auto jwt = IssueFailureRecord(*FailureRecordOf(FailedRequest(), kNow), key);
  TEEPNET_ASSERT_OK(jwt);
  EXPECT_TRUE(
      FailsWith(VerifyFailureRecord(*jwt, Key().public_key()), Errc::kFailureRecordInvalid));
  EXPECT_TRUE(FailsWith(VerifyFailureRecord(*jwt, Key(crypto::KeyType::kP384).public_key()),
                        Errc::kFailureRecordInvalid));
  // Another reason under the same signature.
  const size_t dot1 = jwt->find('.');
  const size_t dot2 = jwt->find('.', dot1 + 1);
  auto claims = eat::Base64UrlDecode(jwt->substr(dot1 + 1, dot2 - dot1 - 1));
  TEEPNET_ASSERT_OK(claims);
  nlohmann::json j = nlohmann::json::parse(AsChars(*claims));
  j["reason"] = "nothing went wrong";
  const std::string forged =
      jwt->substr(0, dot1 + 1) + eat::Base64UrlEncode(AsBytes(j.dump())) + jwt->substr(dot2);
  EXPECT_TRUE(
      FailsWith(VerifyFailureRecord(forged, key.public_key()), Errc::kFailureRecordInvalid));
  EXPECT_TRUE(
      FailsWith(VerifyFailureRecord(*jwt + ".x", key.public_key()), Errc::kFailureRecordInvalid));
  EXPECT_TRUE(FailsWith(VerifyFailureRecord("", key.public_key()), Errc::kFailureRecordInvalid));
}

TEST(FailureRecord, IsNeverTakenForAnEarNorAnEarForIt) {
  const crypto::PrivateKey key = Key();
  // An EAR from the same signer has typ "JWT": not a failure record.
  eat::Ear ear;
  ear.iat = kNow;
  ear.submods["sgx"].status = attest::Tier::kContraindicated;
  auto ear_jwt = eat::IssueEarJwt(ear, key);
  TEEPNET_ASSERT_OK(ear_jwt);
  EXPECT_TRUE(
      FailsWith(VerifyFailureRecord(*ear_jwt, key.public_key()), Errc::kFailureRecordInvalid));
  // A record's claims under an EAR's header are refused as well.
  auto record_jwt = IssueFailureRecord(*FailureRecordOf(FailedRequest(), kNow), key);
  TEEPNET_ASSERT_OK(record_jwt);
  const size_t dot1 = record_jwt->find('.');
  const size_t dot2 = record_jwt->find('.', dot1 + 1);
  auto claims = eat::Base64UrlDecode(record_jwt->substr(dot1 + 1, dot2 - dot1 - 1));
  TEEPNET_ASSERT_OK(claims);
  const std::string untyped =
      Jws({{"alg", "ES256"}, {"typ", "JWT"}}, nlohmann::json::parse(AsChars(*claims)), key);
  EXPECT_TRUE(
      FailsWith(VerifyFailureRecord(untyped, key.public_key()), Errc::kFailureRecordInvalid));
  // And the EAR verifier does not read a failure record as an EAR.
  EXPECT_FALSE(eat::VerifyEarJwt(*record_jwt, key.public_key()).ok());
}

TEST(FailureRecord, RefusesClaimsOfTheWrongShape) {
  const crypto::PrivateKey key = Key();
  const nlohmann::json header = {{"alg", "ES256"}, {"typ", std::string(kFailureRecordType)}};
  const nlohmann::json good = {
      {"iss", "teepnet-moc"},    {"iat", kNow},       {"request_id", "req-1"},
      {"tenant_id", "tnt-1"},    {"device_id", "ab"}, {"use_case", 2},
      {"failed_step", "placed"}, {"reason", "r"},     {"failed_at", kNow}};
  TEEPNET_ASSERT_OK(VerifyFailureRecord(Jws(header, good, key), key.public_key()));
  for (const auto& [name, value] : std::vector<std::pair<std::string, nlohmann::json>>{
           {"iss", "someone-else"},
           {"use_case", 5},
           {"failed_step", "sleeping"},
           {"failed_at", "yesterday"},
           {"ear_sha256", "AAAA"},
       }) {
    SCOPED_TRACE(name);
    nlohmann::json bad = good;
    bad[name] = value;
    EXPECT_TRUE(FailsWith(VerifyFailureRecord(Jws(header, bad, key), key.public_key()),
                          Errc::kFailureRecordInvalid));
  }
  nlohmann::json missing = good;
  missing.erase("reason");
  EXPECT_TRUE(FailsWith(VerifyFailureRecord(Jws(header, missing, key), key.public_key()),
                        Errc::kFailureRecordInvalid));
  nlohmann::json crit = header;
  crit["crit"] = {"exp"};
  EXPECT_TRUE(FailsWith(VerifyFailureRecord(Jws(crit, good, key), key.public_key()),
                        Errc::kFailureRecordInvalid));
}

}  // namespace
}  // namespace teepnet::moc
