// `teepnet inspect` names TEEP and SUIT structures: every official TEEP message vector (both
// numberings, with the matching --profile), the Appendix E SUIT envelopes, the envelope nested
// in the Update's manifest-list, and shapes the vectors do not cover (a COSE-carried TEEP
// message, a SUIT report, a severed member, try-each / run-sequence).
#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "teepnet/testing/vectors.h"

namespace {

struct CliRun {
  int status = -1;
  std::string output;  // stdout and stderr together
};

CliRun Teepnet(const std::string& args) {
  CliRun run;
  const std::string command = std::string(TEEPNET_CLI) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return run;
  char buf[4096];
  size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof(buf), pipe)) > 0) run.output.append(buf, n);
  const int raw = pclose(pipe);
  run.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return run;
}

std::string VectorPath(const std::string& relative) {
  return teepnet::testing::VectorPath("teep/" + relative);
}

CliRun InspectVector(const std::string& relative, const std::string& profile) {
  return Teepnet("inspect --profile " + profile + " " + VectorPath(relative));
}

void ExpectAllShown(const CliRun& run, const std::vector<std::string>& texts,
                    const std::string& what) {
  ASSERT_EQ(run.status, 0) << what << ": " << run.output;
  for (const std::string& text : texts) {
    EXPECT_NE(run.output.find(text), std::string::npos) << what << " lacks " << text << "\n"
                                                        << run.output;
  }
}

// The description column of a listing line starts after "OOOO  " and an 18-character head;
// two spaces of indentation per nesting level.
constexpr size_t kDescriptionColumn = 26;

struct ListingLine {
  size_t depth = 0;
  std::string text;
};

std::vector<ListingLine> ParseListing(const std::string& listing) {
  std::vector<ListingLine> lines;
  std::istringstream in(listing);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() <= kDescriptionColumn) continue;
    const std::string rest = line.substr(kDescriptionColumn);
    const size_t indent = rest.find_first_not_of(' ');
    lines.push_back(ListingLine{indent / 2, rest.substr(indent)});
  }
  return lines;
}

// The map key lines that carry no field name. A map's members are the lines one level deeper
// than its header, alternately key and value.
std::vector<std::string> UnnamedMapKeys(const std::string& listing) {
  const std::vector<ListingLine> lines = ParseListing(listing);
  std::vector<std::string> unnamed;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& text = lines[i].text;
    const size_t map_at = text.find("map(");
    if (map_at == std::string::npos || text.find("<<") != std::string::npos) continue;
    bool is_key = true;
    for (size_t j = i + 1; j < lines.size() && lines[j].depth > lines[i].depth; ++j) {
      if (lines[j].depth != lines[i].depth + 1) continue;
      if (is_key && lines[j].text.back() != ')') unnamed.push_back(lines[j].text);
      is_key = !is_key;
    }
  }
  return unnamed;
}

struct TeepCase {
  std::string file;
  std::vector<std::string> shown;
};

std::vector<TeepCase> TeepCases(const std::string& err_code) {
  return {
      {"query_request.cbor",
       {"[TEEP query-request] array(5)", "(query-request)", "(token)", "(versions)",
        "[supported-teep-cipher-suites]", "[cose-alg] -9 (ESP256)", "[cose-alg] -19 (Ed25519)",
        "[supported-suit-cose-profiles]", "-65534 (A128CTR)",
        "[data-item-requested] 3 (attestation|trusted-components)"}},
      {"query_response.cbor",
       {"[TEEP query-response] array(2)", "(token)", "(selected-version)", "(attestation-payload)",
        "(tc-list)", "[system-property-claims]", "(system-component-id)",
        "(suit-parameter-image-digest)", "[suit-digest-algorithm-id] -16 (SHA-256)"}},
      {"update.cbor",
       {"[TEEP update] array(2)", "(token)", "(manifest-list)", "[SUIT_Envelope] map(2)",
        "(suit-authentication-wrapper)", "(suit-manifest)", "(suit-manifest-sequence-number)",
        "(suit-common)", "(suit-components)", "(suit-directive-override-parameters)",
        "(suit-parameter-uri)", "(suit-directive-fetch)", "(suit-condition-image-match)"}},
      {"teep_success.cbor", {"[TEEP success] array(2)", "(success)", "(token)"}},
      {"teep_error.cbor",
       {"[TEEP error] array(3)", "(error)", "(token)", "(err-msg)", "\"disk-full\"",
        "[err-code] " + err_code + " (ERR_MANIFEST_PROCESSING_FAILED)"}},
  };
}

TEST(InspectNamesCliTest, EveryTeepVectorNamesItsTypeAndOptionsInItsOwnProfile) {
  size_t inspected = 0;
  for (const auto& [folder, profile, err_code] :
       {std::tuple<std::string, std::string, std::string>{"renumbered-15c643e", "rfc", "11"},
        {"master-a9d2fad", "legacy", "17"}}) {
    for (const TeepCase& c : TeepCases(err_code)) {
      const std::string what = folder + "/" + c.file;
      const CliRun run = InspectVector(what, profile);
      ExpectAllShown(run, c.shown, what);
      EXPECT_EQ(run.output.find("unknown"), std::string::npos) << what << "\n" << run.output;
      EXPECT_TRUE(UnnamedMapKeys(run.output).empty())
          << what << ": first unnamed key " << UnnamedMapKeys(run.output).front();
      ++inspected;
    }
  }
  EXPECT_EQ(inspected, 10u);
}

TEST(InspectNamesCliTest, TheUnnamedKeyCheckFlagsKeysWithoutANameAtAnyDepth) {
  // {42: 0, 1: [{7: 0}]}: no context applies, so every key is unnamed.
  const CliRun run = Teepnet("inspect --hex a2182a000181a10700");
  ASSERT_EQ(run.status, 0) << run.output;
  EXPECT_EQ(UnnamedMapKeys(run.output), (std::vector<std::string>{"42", "1", "7"}));
}

TEST(InspectNamesCliTest, TheOtherProfileDoesNotNameTheSparseErrorCode) {
  // ERR_MANIFEST_PROCESSING_FAILED is 17 in the legacy numbering and 11 in the rfc one.
  const CliRun rfc = InspectVector("master-a9d2fad/teep_error.cbor", "rfc");
  ASSERT_EQ(rfc.status, 0) << rfc.output;
  EXPECT_EQ(rfc.output.find("ERR_MANIFEST_PROCESSING_FAILED"), std::string::npos) << rfc.output;
  // Legacy type 6 (error) is no TEEP type in the rfc numbering: no message name at all.
  EXPECT_EQ(rfc.output.find("[TEEP "), std::string::npos) << rfc.output;
  const CliRun by_default = Teepnet("inspect " + VectorPath("renumbered-15c643e/teep_error.cbor"));
  ExpectAllShown(by_default, {"[err-code] 11 (ERR_MANIFEST_PROCESSING_FAILED)"}, "default");
}

TEST(InspectNamesCliTest, AnUnknownProfileIsAUsageError) {
  EXPECT_EQ(Teepnet("inspect --profile ietf --hex 00").status, 2);
  EXPECT_EQ(Teepnet("inspect --hex 00 --profile").status, 2);
}

TEST(InspectNamesCliTest, AppendixESuitEnvelopesNameEveryMember) {
  const std::vector<std::string> common = {
      "[SUIT_Envelope] map(",
      "(suit-authentication-wrapper)",
      "[suit-digest] bytes(36) << bstr-wrapped CBOR >>",
      "[suit-authentication-block]",
      "tag 18 (COSE_Sign1)",
      "-9 (ESP256)",
      "(suit-manifest)",
      "1 (suit-manifest-version)",
      "2 (suit-manifest-sequence-number)",
      "(suit-common)",
      "(suit-components)",
      "(suit-shared-sequence)",
      "(suit-manifest-component-id)",
      "(suit-directive-override-parameters)",
      "[suit-parameters] map(",
      "(suit-parameter-vendor-identifier)",
      "(suit-parameter-class-identifier)",
      "(suit-condition-vendor-identifier)",
      "(suit-condition-class-identifier)",
      "[suit-reporting-policy] 15 (suit-send-record-success|suit-send-record-failure|"
      "suit-send-sysinfo-success|suit-send-sysinfo-failure)",
      "(suit-install)",
      "(suit-uninstall)",
      "(suit-directive-unlink)",
      "(suit-parameter-image-digest)",
  };
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"suit_uri.cbor",
       {"(suit-parameter-uri)", "(suit-directive-fetch)", "(suit-condition-image-match)",
        "(suit-parameter-image-size)"}},
      {"suit_integrated.cbor",
       {"text(3) \"#tc\" (suit-integrated-payload)", "(suit-parameter-uri)",
        "(suit-directive-fetch)", "(suit-condition-image-match)"}},
      {"suit_personalization.cbor",
       {"(suit-dependencies)", "(suit-dependency)", "(suit-dependency-prefix)", "(suit-validate)",
        "(suit-dependency-resolution)", "(suit-directive-set-component-index)",
        "[suit-component-index] 0", "(suit-directive-process-dependency)",
        "(suit-parameter-content)", "(suit-parameter-encryption-info)", "tag 96 (COSE_Encrypt)",
        "-65534 (A128CTR)", "-29 (ECDH-ES+A128KW)", "(ephemeral key)", "(suit-directive-write)"}},
  };
  for (const auto& [file, specific] : cases) {
    // The envelopes are only published in the a9d2fad tree; SUIT numbers do not depend on
    // the TEEP profile.
    const std::string what = "master-a9d2fad/" + file;
    for (const std::string profile : {"rfc", "legacy"}) {
      const CliRun run = InspectVector(what, profile);
      ExpectAllShown(run, common, what);
      ExpectAllShown(run, specific, what);
      EXPECT_EQ(run.output.find("unknown"), std::string::npos) << what << "\n" << run.output;
      const std::vector<std::string> unnamed = UnnamedMapKeys(run.output);
      EXPECT_TRUE(unnamed.empty()) << what << ": first unnamed key " << unnamed.front();
    }
  }
}

TEST(InspectNamesCliTest, ATeepMessageInACoseSign1PayloadIsNamed) {
  // 18([<<{1: -9}>>, {}, <<[4, {19: h'01'}]>>, h'00'])
  const CliRun run = Teepnet("inspect --hex d28443a10128a0468204a11341014100");
  ExpectAllShown(run,
                 {"[payload] bytes(6) << bstr-wrapped CBOR >>", "[TEEP success] array(2)",
                  "[type] 4 (success)", "19 (token)"},
                 "COSE_Sign1");
  // The same bytes read in the legacy numbering: 4 is no message type there.
  const CliRun legacy = Teepnet("inspect --profile legacy --hex d28443a10128a0468204a11341014100");
  ASSERT_EQ(legacy.status, 0) << legacy.output;
  EXPECT_EQ(legacy.output.find("[TEEP "), std::string::npos) << legacy.output;
}

TEST(InspectNamesCliTest, ASuitReportIsNamedByItsShape) {
  // {99: ["uri", [-16, h'00']], 3: [], 4: {5: 1, 6: [[0], 7, 2, 0, {}], 7: 10}}
  const CliRun run =
      Teepnet("inspect --hex a318638263757269822f4100038004a3050106858100070200a0070a");
  ExpectAllShown(
      run,
      {"[SUIT_Report] map(3)", "99 (suit-reference)", "[suit-report-manifest-uri] text(3) \"uri\"",
       "[suit-digest-algorithm-id] -16 (SHA-256)", "3 (suit-report-records)",
       "4 (suit-report-result)", "5 (suit-report-result-code)",
       "[suit-record-manifest-section] 7 (suit-validate)", "[suit-record-section-offset] 2",
       "[suit-record-properties] map(0)", "10 (suit-report-reason-condition-failed)"},
      "SUIT report");
}

TEST(InspectNamesCliTest, ASeveredMemberIsShownAsItsDigest) {
  // 1070({1: 1, 2: 1, 20: [-16, h'00']})
  const CliRun run = Teepnet("inspect --hex d9042ea30101020114822f4100");
  ExpectAllShown(run,
                 {"tag 1070 (SUIT_Manifest_Tagged)", "20 (suit-install)",
                  "[suit-digest-algorithm-id] -16 (SHA-256)", "[suit-digest-bytes] bytes(1)"},
                 "severed install");
}

TEST(InspectNamesCliTest, NestedCommandSequencesAreNamed) {
  // 1070({1: 1, 2: 1, 7: <<[15, [<<[3, 15]>>, null], 32, <<[23, 0]>>]>>})
  const CliRun run = Teepnet("inspect --hex d9042ea301010201074e840f824382030ff6182043821700");
  ExpectAllShown(run,
                 {"(suit-validate)", "15 (suit-directive-try-each)",
                  "[suit-directive-try-each-argument] array(2)", "3 (suit-condition-image-match)",
                  "32 (suit-directive-run-sequence)", "[suit-command-sequence] bytes(3)",
                  "23 (suit-directive-invoke)", "[suit-reporting-policy] 0"},
                 "command sequences");
}

TEST(InspectNamesCliTest, EdnOfATeepVectorIsTheSameInEitherProfile) {
  const std::string file = VectorPath("renumbered-15c643e/teep_success.cbor");
  const CliRun rfc = Teepnet("inspect --edn " + file);
  const CliRun legacy = Teepnet("inspect --edn --profile legacy " + file);
  ASSERT_EQ(rfc.status, 0) << rfc.output;
  EXPECT_EQ(rfc.output, "[4, {19: h'a0a1a2a3a4a5a6a7a8a9aaabacadaeaf'}]\n");
  EXPECT_EQ(legacy.output, rfc.output);
}

}  // namespace
