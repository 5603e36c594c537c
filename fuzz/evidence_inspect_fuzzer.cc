// deps: teepnet_cli_evidence teepnet_attest_verifier teepnet_base
// Target: the format-recognition and listing path every untrusted evidence or EAR input takes
// before any appraiser sees it (teepnet/attest/verifier.h DetectFormat, `teepnet inspect`'s
// InspectEvidence). Properties: no crash; DetectFormat fails only with kUnknownEvidenceFormat;
// a Verifier without endorsements refuses every input with an error and never a verdict;
// evidence recognised as an SEV-SNP report (fixed size, no variable part) is always listed.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "services/cli/evidence_inspect.h"
#include "teepnet/attest/errc.h"
#include "teepnet/attest/verifier.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace teepnet;
  const ByteView input(data, size);
  auto format = attest::DetectFormat(input);
  if (!format.ok() && !format.error().Is(attest::Errc::kUnknownEvidenceFormat)) std::abort();

  static const attest::Verifier* empty = new attest::Verifier(attest::VerifierConfig{});
  if (empty->Verify(input, std::nullopt, std::nullopt, 1790000000).ok()) std::abort();

  auto listing = cli::InspectEvidence(input);
  if (format.ok() && *format == attest::EvidenceFormat::kSevSnpReport &&
      (!listing || listing->text.rfind("SEV-SNP", 0) != 0)) {
    std::abort();
  }
  return 0;
}
