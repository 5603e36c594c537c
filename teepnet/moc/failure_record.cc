#include "teepnet/moc/failure_record.h"

#include <nlohmann/json.hpp>

#include <utility>

#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/signature.h"
#include "teepnet/eat/base64url.h"
#include "teepnet/moc/errc.h"

namespace teepnet::moc {

namespace {

using nlohmann::json;

constexpr size_t kSha256Bytes = 32;

struct JwsAlg {
  const char* name;
  crypto::KeyType key;
  crypto::SignatureAlgorithm sig;
};
// RFC 7518 §3.4: ECDSA with the curve's own hash, as the EAR's issuer uses.
constexpr JwsAlg kAlgs[] = {
    {"ES256", crypto::KeyType::kP256, crypto::SignatureAlgorithm::kEcdsaSha256},
    {"ES384", crypto::KeyType::kP384, crypto::SignatureAlgorithm::kEcdsaSha384},
    {"ES512", crypto::KeyType::kP521, crypto::SignatureAlgorithm::kEcdsaSha512},
};

const JwsAlg* AlgForKey(crypto::KeyType type) {
  for (const JwsAlg& a : kAlgs) {
    if (a.key == type) return &a;
  }
  return nullptr;
}

Error Invalid(std::string why) {
  return Error(Errc::kFailureRecordInvalid, std::move(why));
}

std::optional<RequestState> ParseRequestState(std::string_view name) {
  for (int s = 0; s <= static_cast<int>(RequestState::kFailed); ++s) {
    if (RequestStateName(static_cast<RequestState>(s)) == name) {
      return static_cast<RequestState>(s);
    }
  }
  return std::nullopt;
}

Result<std::string> Text(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_string()) {
    return Invalid(std::string("claim \"") + name + "\" is missing or not text");
  }
  return it->get<std::string>();
}

Result<int64_t> Number(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || !it->is_number_integer()) {
    return Invalid(std::string("claim \"") + name + "\" is missing or not an integer");
  }
  return it->get<int64_t>();
}

Result<json> DecodePart(std::string_view part, std::string_view what) {
  Result<Bytes> bytes = eat::Base64UrlDecode(part);
  if (!bytes.ok()) return Invalid(std::string(what) + " is not base64url");
  json j = json::parse(AsChars(*bytes), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object())
    return Invalid(std::string(what) + " is not a JSON object");
  return j;
}

}  // namespace

Result<FailureRecord> FailureRecordOf(const Request& request, int64_t now) {
  if (request.state != RequestState::kFailed) {
    return Error(Errc::kRequestNotFailed, "request " + request.id + " has not failed; it is " +
                                              std::string(RequestStateName(request.state)));
  }
  FailureRecord record;
  record.request_id = request.id;
  record.tenant_id = request.tenant_id;
  record.device_id = request.device_id;
  record.use_case = request.use_case;
  record.reason = request.error;
  record.issued_at = now;
  // The history ends with the failed step; the one before it is where the request was.
  const size_t n = request.steps.size();
  if (n > 0 && request.steps[n - 1].state == RequestState::kFailed) {
    record.failed_at = request.steps[n - 1].at;
    if (n > 1) record.failed_step = request.steps[n - 2].state;
  } else {
    record.failed_at = request.updated_at;
  }
  if (!request.ear.empty()) record.ear_sha256 = crypto::Sha256(request.ear);
  return record;
}

Result<std::string> IssueFailureRecord(const FailureRecord& record, const crypto::PrivateKey& key) {
  const JwsAlg* alg = AlgForKey(key.type());
  if (alg == nullptr) return Invalid("the record signing key is not P-256, P-384 or P-521");
  const json header = {{"alg", alg->name}, {"typ", std::string(kFailureRecordType)}};
  json claims = {{"iss", std::string(kFailureRecordIssuer)},
                 {"iat", record.issued_at},
                 {"request_id", record.request_id},
                 {"tenant_id", record.tenant_id},
                 {"device_id", record.device_id},
                 {"use_case", record.use_case},
                 {"failed_step", std::string(RequestStateName(record.failed_step))},
                 {"reason", record.reason},
                 {"failed_at", record.failed_at}};
  if (record.ear_sha256) claims["ear_sha256"] = eat::Base64UrlEncode(*record.ear_sha256);
  // RFC 7515 §7.1: BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature).
  std::string input = eat::Base64UrlEncode(AsBytes(header.dump())) + "." +
                      eat::Base64UrlEncode(AsBytes(claims.dump()));
  TEEPNET_ASSIGN_OR_RETURN(Bytes sig, crypto::Sign(key, alg->sig, AsBytes(input)));
  return input + "." + eat::Base64UrlEncode(sig);
}

Result<FailureRecord> VerifyFailureRecord(std::string_view jwt, const crypto::PublicKey& key) {
  if (jwt.size() > kMaxFailureRecordBytes) return Invalid("larger than a failure record can be");
  const size_t dot1 = jwt.find('.');
  const size_t dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos) {
    return Invalid("not a compact JWS (three dot-separated parts)");
  }
  TEEPNET_ASSIGN_OR_RETURN(json header, DecodePart(jwt.substr(0, dot1), "the JWS header"));
  // RFC 7515 §4.1.11: a crit parameter we do not understand makes the JWS invalid; we
  // understand none.
  if (header.contains("crit")) return Invalid("critical JWS header parameters");
  const JwsAlg* alg = AlgForKey(key.type());
  auto alg_it = header.find("alg");
  if (alg == nullptr || alg_it == header.end() || !alg_it->is_string() ||
      alg_it->get<std::string>() != alg->name) {
    return Invalid("the JWS alg does not match the verifier key");
  }
  auto typ = header.find("typ");
  if (typ == header.end() || !typ->is_string() || typ->get<std::string>() != kFailureRecordType) {
    return Invalid("the JWS typ is not " + std::string(kFailureRecordType));
  }
  Result<Bytes> sig = eat::Base64UrlDecode(jwt.substr(dot2 + 1));
  if (!sig.ok()) return Invalid("the signature is not base64url");
  if (!crypto::Verify(key, alg->sig, AsBytes(jwt.substr(0, dot2)), *sig).ok()) {
    return Invalid("the signature does not verify with the verifier key");
  }
  TEEPNET_ASSIGN_OR_RETURN(json claims,
                           DecodePart(jwt.substr(dot1 + 1, dot2 - dot1 - 1), "the JWS payload"));
  FailureRecord r;
  TEEPNET_ASSIGN_OR_RETURN(std::string iss, Text(claims, "iss"));
  if (iss != kFailureRecordIssuer)
    return Invalid("the issuer is not " + std::string(kFailureRecordIssuer));
  TEEPNET_ASSIGN_OR_RETURN(r.issued_at, Number(claims, "iat"));
  TEEPNET_ASSIGN_OR_RETURN(r.request_id, Text(claims, "request_id"));
  TEEPNET_ASSIGN_OR_RETURN(r.tenant_id, Text(claims, "tenant_id"));
  TEEPNET_ASSIGN_OR_RETURN(r.device_id, Text(claims, "device_id"));
  TEEPNET_ASSIGN_OR_RETURN(int64_t use_case, Number(claims, "use_case"));
  if (use_case < 1 || use_case > 4) return Invalid("use_case is not 1 to 4");
  r.use_case = static_cast<int>(use_case);
  TEEPNET_ASSIGN_OR_RETURN(std::string step, Text(claims, "failed_step"));
  std::optional<RequestState> state = ParseRequestState(step);
  if (!state) return Invalid("failed_step names no request state");
  r.failed_step = *state;
  TEEPNET_ASSIGN_OR_RETURN(r.reason, Text(claims, "reason"));
  TEEPNET_ASSIGN_OR_RETURN(r.failed_at, Number(claims, "failed_at"));
  if (claims.contains("ear_sha256")) {
    TEEPNET_ASSIGN_OR_RETURN(std::string text, Text(claims, "ear_sha256"));
    Result<Bytes> digest = eat::Base64UrlDecode(text);
    if (!digest.ok() || digest->size() != kSha256Bytes) {
      return Invalid("ear_sha256 is not a base64url SHA-256 digest");
    }
    r.ear_sha256 = *std::move(digest);
  }
  return r;
}

}  // namespace teepnet::moc
