#include "services/cli/inspect.h"

#include <cctype>
#include <cstdio>
#include <string>
#include <string_view>

#include "services/cli/annotator.h"
#include "services/cli/commands.h"
#include "services/cli/evidence_inspect.h"
#include "teepnet/base/file.h"
#include "teepnet/base/hex.h"
#include "teepnet/cbor/edn.h"

namespace teepnet::cli {

namespace {

constexpr const char* kUsage =
    "usage: teepnet inspect [FILE|-] [--hex HEX] [--edn] [--profile rfc|legacy]\n"
    "  Prints a CBOR item annotated (offset, head, description; COSE, SUIT and TEEP\n"
    "  structures named).\n"
    "  FILE may hold binary CBOR or hex text; '-' or no FILE reads standard input.\n"
    "  Attestation evidence (SEV-SNP report, SGX/TDX quote, Hygon CSV report, PSA and CCA\n"
    "  tokens) and EARs (JWT or CWT) are decoded field by field first; no signature is checked.\n"
    "  --hex HEX        take the item from the command line instead\n"
    "  --edn            print one-line RFC 8949 diagnostic notation instead\n"
    "  --profile NAME   TEEP numbering: rfc (IANA, default) or legacy (drafts up to a9d2fad)\n";

int Usage(const char* problem) {
  std::fprintf(stderr, "teepnet inspect: %s\n%s", problem, kUsage);
  return kExitUsageOrBadInput;
}

int BadInput(const Error& e) {
  std::string reason(e.reason_name().empty() ? CodeName(e.code()) : e.reason_name());
  if (!e.message().empty()) reason += " (" + e.message() + ")";
  if (e.has_offset()) {
    std::fprintf(stderr, "teepnet inspect: %s at byte offset %zu\n", reason.c_str(), e.offset());
  } else {
    std::fprintf(stderr, "teepnet inspect: %s\n", reason.c_str());
  }
  return kExitUsageOrBadInput;
}

Annotator* BuildAnnotator(const teep::WireProfile& profile) {
  auto* a = new Annotator();
  RegisterCoreTagNames(*a);
  RegisterCoseNames(*a);
  RegisterSuitNames(*a);
  RegisterTeepNames(*a, profile);
  return a;
}

// One annotator per TEEP wire profile, built on first use and kept for the process.
const Annotator& AnnotatorFor(const teep::WireProfile& profile) {
  static const Annotator* rfc = BuildAnnotator(teep::RfcProfile());
  static const Annotator* legacy = BuildAnnotator(teep::LegacyProfile());
  return profile.id == teep::ProfileId::kLegacy ? *legacy : *rfc;
}

}  // namespace

Result<Bytes> DecodeInspectInput(Bytes raw) {
  bool any_digit = false;
  for (uint8_t c : raw) {
    if (std::isxdigit(c)) {
      any_digit = true;
    } else if (!std::isspace(c)) {
      return raw;  // binary CBOR
    }
  }
  if (!any_digit) return raw;
  return FromHex(AsChars(raw));
}

Result<std::string> InspectCbor(ByteView cbor, bool edn) {
  return InspectCbor(cbor, edn, teep::RfcProfile());
}

Result<std::string> InspectCbor(ByteView cbor, bool edn, const teep::WireProfile& profile) {
  if (edn) {
    cbor::DecodeOptions options;
    options.reject_duplicate_keys = false;
    TEEPNET_ASSIGN_OR_RETURN(std::string text, cbor::ToEdn(cbor, options));
    return text + "\n";
  }
  return AnnotatorFor(profile).Annotate(cbor);
}

int RunInspect(std::span<char* const> args) {
  std::string file;
  std::string hex;
  bool have_file = false, have_hex = false, edn = false;
  const teep::WireProfile* profile = &teep::RfcProfile();
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string_view arg = args[i];
    if (arg == "--edn") {
      edn = true;
    } else if (arg == "--hex") {
      if (i + 1 >= args.size()) return Usage("--hex needs an argument");
      if (have_hex) return Usage("--hex given twice");
      hex = args[++i];
      have_hex = true;
    } else if (arg == "--profile") {
      if (i + 1 >= args.size()) return Usage("--profile needs an argument");
      Result<const teep::WireProfile*> named = teep::ProfileByName(args[++i]);
      if (!named.ok()) return Usage("--profile must be rfc or legacy");
      profile = *named;
    } else if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return kExitOk;
    } else if (arg.size() > 1 && arg[0] == '-') {
      return Usage(("unknown option " + std::string(arg)).c_str());
    } else {
      if (have_file) return Usage("more than one input file");
      file = std::string(arg);
      have_file = true;
    }
  }
  if (have_file && have_hex) return Usage("give either FILE or --hex, not both");

  Result<Bytes> raw = have_hex                      ? Result<Bytes>(ToBytes(std::string_view(hex)))
                      : (!have_file || file == "-") ? ReadStdin()
                                                    : ReadFile(file);
  if (!raw.ok()) {
    std::fprintf(stderr, "teepnet inspect: %s\n", raw.error().ToString().c_str());
    return kExitFailure;
  }
  Result<Bytes> input = have_hex ? FromHex(hex) : DecodeInspectInput(std::move(*raw));
  if (!input.ok()) return BadInput(input.error());
  // Attestation evidence and EARs get their fields decoded first (evidence_inspect.h).
  if (auto evidence = edn ? std::nullopt : InspectEvidence(*input)) {
    std::fputs(evidence->text.c_str(), stdout);
    if (!evidence->is_cbor) return kExitOk;
    std::fputs("CBOR:\n", stdout);
  }
  Result<std::string> listing = InspectCbor(*input, edn, *profile);
  if (!listing.ok()) return BadInput(listing.error());
  std::fputs(listing->c_str(), stdout);
  return kExitOk;
}

}  // namespace teepnet::cli
