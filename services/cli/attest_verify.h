// `teepnet attest verify` and `teepnet attest verify-ear`: the Verifier facade
// (teepnet/attest/verifier.h) and the Relying Party's EAR check from the command line.
#ifndef TEEPNET_SERVICES_CLI_ATTEST_VERIFY_H_
#define TEEPNET_SERVICES_CLI_ATTEST_VERIFY_H_

#include <nlohmann/json.hpp>
#include <span>
#include <string>

#include "teepnet/attest/verifier.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/eat/ear.h"

namespace teepnet::cli {

// `teepnet attest <verify|verify-ear> ...`; args exclude the program and "attest".
int RunAttest(std::span<char* const> args);
int RunAttestVerify(std::span<char* const> args);
int RunAttestVerifyEar(std::span<char* const> args);

// A file's bytes, hex-decoded when the file is nothing but hex digits and whitespace (the
// virtee SNP sample is stored that way).
Result<Bytes> ReadEvidenceFile(const std::string& path);

// The verdict as the JSON object `--json` prints: format, architecture, status,
// policy {id, sha256, ref}, trust_vector {claim: value}, claims, notes, report_data,
// evidence_digest.
nlohmann::json VerdictToJson(const attest::Verdict& verdict);
// The same as aligned text for people.
std::string VerdictToText(const attest::Verdict& verdict);
// The EAR trust vector spelled as EAR JSON names it ("instance-identity", ...), zero claims
// left out.
nlohmann::json TrustVectorJson(const attest::TrustVector& tv);
// "affirming" / "warning" / "contraindicated" / "none".
const char* TierWord(attest::Tier tier);

}  // namespace teepnet::cli

#endif  // TEEPNET_SERVICES_CLI_ATTEST_VERIFY_H_
