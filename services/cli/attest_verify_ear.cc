// `teepnet attest verify-ear`: the Relying Party's check of an EAR (JWT or CWT): signature with
// the Verifier's key, profile, freshness window and optional nonce; then prints the claims.
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "services/cli/attest_verify.h"
#include "services/cli/commands.h"
#include "teepnet/attest/dcap_collateral.h"
#include "teepnet/base/clock.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/eat/ear_token.h"
#include "teepnet/eat/errc.h"
#include "teepnet/eat/jwk.h"

namespace teepnet::cli {
namespace {

constexpr const char* kUsage =
    "usage: teepnet attest verify-ear --ear FILE --key FILE [options]\n"
    "  Verifies an EAR as a Relying Party and prints its claims. Exit status: 0 accepted,\n"
    "  1 rejected (signature, profile, freshness, nonce or status), 2 unusable input.\n"
    "  --ear FILE         the EAR: a JWT (compact JWS text) or a CWT (COSE_Sign1, binary)\n"
    "  --key FILE         the Verifier's public key: PEM, or a JWK (JSON)\n"
    "  --nonce HEX        the nonce the Relying Party sent; eat_nonce must equal it\n"
    "  --max-age SECONDS  how old iat may be (default 300); 30 s of clock skew are allowed\n"
    "  --at RFC3339       check freshness at this time instead of now\n"
    "  --accept TIER      worst ear.status accepted: affirming, warning (default) or\n"
    "                     contraindicated\n"
    "  --json             print the EAR claims as JSON\n";

int Usage(const char* problem) {
  std::fprintf(stderr, "teepnet attest verify-ear: %s\n%s", problem, kUsage);
  return kExitUsageOrBadInput;
}

int Report(int status, const std::string& what, const Error& e) {
  std::string reason(e.reason_name().empty() ? CodeName(e.code()) : e.reason_name());
  std::fprintf(stderr, "teepnet attest verify-ear: %s: %s%s%s\n", what.c_str(), reason.c_str(),
               e.message().empty() ? "" : ": ", e.message().c_str());
  return status;
}

Result<crypto::PublicKey> LoadKey(const std::string& path) {
  TEEPNET_ASSIGN_OR_RETURN(Bytes raw, ReadFile(path));
  auto pem = crypto::PublicKey::FromPem(AsChars(raw));
  if (pem.ok()) return pem;
  nlohmann::json j = nlohmann::json::parse(AsChars(raw), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return pem.error();
  return eat::PublicKeyFromJwk(j);
}

bool LooksLikeJwt(ByteView b) {
  for (uint8_t c : b) {
    if (!(std::isalnum(c) || c == '-' || c == '_' || c == '.' || std::isspace(c))) return false;
  }
  return !b.empty();
}

std::string Trim(std::string_view s) {
  size_t a = 0, z = s.size();
  while (a < z && std::isspace(static_cast<unsigned char>(s[a]))) ++a;
  while (z > a && std::isspace(static_cast<unsigned char>(s[z - 1]))) --z;
  return std::string(s.substr(a, z - a));
}

// Errors of the Relying Party's policy (not of the input's form) mean "rejected".
bool IsRejection(const Error& e) {
  return e.Is(eat::Errc::kSignatureInvalid) || e.Is(eat::Errc::kStale) ||
         e.Is(eat::Errc::kNonceMismatch) || e.Is(eat::Errc::kNotAffirming) ||
         e.Is(eat::Errc::kWrongProfile);
}

}  // namespace

int RunAttestVerifyEar(std::span<char* const> args) {
  std::optional<std::string> ear_path, key_path, nonce_hex, at_text;
  int64_t max_age = 300;
  attest::Tier accept = attest::Tier::kWarning;
  bool json = false;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    if (a == "--help" || a == "-h") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    }
    if (a == "--json") {
      json = true;
      continue;
    }
    if (i + 1 >= args.size()) return Usage(("missing value after " + a).c_str());
    std::string v = args[++i];
    if (a == "--ear") {
      ear_path = v;
    } else if (a == "--key") {
      key_path = v;
    } else if (a == "--nonce") {
      nonce_hex = v;
    } else if (a == "--at") {
      at_text = v;
    } else if (a == "--max-age") {
      char* end = nullptr;
      long long n = std::strtoll(v.c_str(), &end, 10);
      if (v.empty() || *end != '\0' || n < 0) return Usage("--max-age must be seconds");
      max_age = n;
    } else if (a == "--accept") {
      if (v == "affirming") {
        accept = attest::Tier::kAffirming;
      } else if (v == "warning") {
        accept = attest::Tier::kWarning;
      } else if (v == "contraindicated") {
        accept = attest::Tier::kContraindicated;
      } else {
        return Usage("--accept must be affirming, warning or contraindicated");
      }
    } else {
      return Usage(("unknown option " + a).c_str());
    }
  }
  if (!ear_path || !key_path) return Usage("--ear and --key are required");

  eat::RelyingPartyPolicy rp;
  rp.now = SystemClock().NowUnixSeconds();
  rp.max_age_seconds = max_age;
  rp.worst_accepted = accept;
  if (at_text) {
    auto t = attest::ParseUtcTime(*at_text);
    if (!t.ok()) return Usage("--at must look like 2025-06-01T00:00:00Z");
    rp.now = *t;
  }
  if (nonce_hex) {
    auto n = FromHex(*nonce_hex);
    if (!n.ok()) return Usage("--nonce must be hex");
    rp.nonce = std::move(n).value();
  }
  auto key = LoadKey(*key_path);
  if (!key.ok()) return Report(kExitUsageOrBadInput, "reading " + *key_path, key.error());
  auto raw = ReadFile(*ear_path);
  if (!raw.ok()) return Report(kExitUsageOrBadInput, "reading " + *ear_path, raw.error());

  Result<eat::Ear> ear = LooksLikeJwt(*raw) ? eat::AcceptEarJwt(Trim(AsChars(*raw)), *key, rp)
                                            : eat::AcceptEarCwt(*raw, *key, rp);
  if (!ear.ok()) {
    return Report(IsRejection(ear.error()) ? kExitFailure : kExitUsageOrBadInput, "EAR rejected",
                  ear.error());
  }
  if (json) {
    std::printf("%s\n", eat::EarToJson(*ear).dump(2).c_str());
    return kExitOk;
  }
  std::printf("EAR accepted\n  profile   %s\n  iat       %lld\n", ear->profile.c_str(),
              static_cast<long long>(ear->iat));
  if (ear->nonce) std::printf("  nonce     %s\n", ToHex(*ear->nonce).c_str());
  std::printf("  verifier  %s / %s\n", ear->verifier_developer.c_str(),
              ear->verifier_build.c_str());
  for (const auto& [name, a] : ear->submods) {
    std::printf("submod %s:\n  ear.status  %s\n", name.c_str(), TierWord(a.status));
    for (const auto& p : a.policy_ids) std::printf("  policy      %s\n", p.c_str());
    if (a.evidence_digest)
      std::printf("  evidence    sha256:%s\n", ToHex(*a.evidence_digest).c_str());
    const nlohmann::json tv = TrustVectorJson(a.trust);
    for (const auto& [claim, value] : tv.items()) {
      int8_t n = value.get<int8_t>();
      std::printf("  %-18s %d (%s)\n", claim.c_str(), n, TierWord(attest::TierOf(n)));
    }
  }
  return kExitOk;
}

}  // namespace teepnet::cli
