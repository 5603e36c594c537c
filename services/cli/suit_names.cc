// Names for SUIT structures: the envelope, authentication wrapper and manifest
// (draft-ietf-suit-manifest-37 §8), the trust-domains additions (draft-ietf-suit-trust-domains-11
// §5-§6), encryption info (draft-ietf-suit-firmware-encryption-24 §5) and SUIT reports
// (draft-ietf-suit-report-18 §4). Names are the CDDL rule names, so that a listing can be read
// next to the specs.
#include <string_view>
#include <utility>

#include "services/cli/annotator.h"

namespace teepnet::cli {

namespace {

Member Named(std::string name, std::string context = "") {
  Member m;
  m.name = std::move(name);
  m.context = std::move(context);
  return m;
}

// A `bstr .cbor X` member.
Member Wrapped(std::string name, std::string context) {
  Member m = Named(std::move(name), std::move(context));
  m.bstr_wrapped = true;
  return m;
}

// A severable manifest member (manifest-37 §8.4.11): inline as `bstr .cbor X`, or severed and
// replaced by its SUIT_Digest.
Member Severable(std::string name, std::string context) {
  Member m = Wrapped(std::move(name), std::move(context));
  m.non_bstr_context = "SUIT_Digest";
  return m;
}

// "A" for 1, "A|B" for 3 ...: every combination of the named bits below 2^names.size().
std::map<int64_t, std::string> BitCombinations(std::initializer_list<std::string_view> names) {
  std::map<int64_t, std::string> out;
  const int64_t limit = int64_t{1} << names.size();
  for (int64_t v = 1; v < limit; ++v) {
    std::string text;
    int64_t bit = 0;
    for (std::string_view name : names) {
      if ((v & (int64_t{1} << bit)) != 0) {
        if (!text.empty()) text += '|';
        text += name;
      }
      ++bit;
    }
    out[v] = text;
  }
  return out;
}

// manifest-37 §8.4.3 SUIT_Digest: suit-digest-algorithm-ids (COSE algorithm values).
std::map<int64_t, std::string> DigestAlgorithmNames() {
  return {
      {-16, "SHA-256"}, {-18, "SHAKE128"}, {-43, "SHA-384"}, {-44, "SHA-512"}, {-45, "SHAKE256"}};
}

// manifest-37 §8.4 SUIT_Manifest members (trust-domains-11 adds 5, 15, 18 and 24).
std::map<int64_t, std::string> ManifestMemberNames() {
  return {{1, "suit-manifest-version"},
          {2, "suit-manifest-sequence-number"},
          {3, "suit-common"},
          {4, "suit-reference-uri"},
          {5, "suit-manifest-component-id"},
          {7, "suit-validate"},
          {8, "suit-load"},
          {9, "suit-invoke"},
          {15, "suit-dependency-resolution"},
          {16, "suit-payload-fetch"},
          {18, "suit-candidate-verification"},
          {20, "suit-install"},
          {23, "suit-text"},
          {24, "suit-uninstall"}};
}

// manifest-37 §8.4.10 commands; trust-domains-11 §6 adds 7, 8, 11, 19 and 33. Conditions and
// directives share one number space.
std::map<int64_t, std::string> CommandNames() {
  return {{1, "suit-condition-vendor-identifier"},
          {2, "suit-condition-class-identifier"},
          {3, "suit-condition-image-match"},
          {5, "suit-condition-component-slot"},
          {6, "suit-condition-check-content"},
          {7, "suit-condition-dependency-integrity"},
          {8, "suit-condition-is-dependency"},
          {11, "suit-directive-process-dependency"},
          {12, "suit-directive-set-component-index"},
          {14, "suit-condition-abort"},
          {15, "suit-directive-try-each"},
          {18, "suit-directive-write"},
          {19, "suit-directive-set-parameters"},
          {20, "suit-directive-override-parameters"},
          {21, "suit-directive-fetch"},
          {22, "suit-directive-copy"},
          {23, "suit-directive-invoke"},
          {24, "suit-condition-device-identifier"},
          {31, "suit-directive-swap"},
          {32, "suit-directive-run-sequence"},
          {33, "suit-directive-unlink"}};
}

void RegisterEnvelope(Annotator& a) {
  // manifest-37 §8.2: SUIT_Envelope; severed members sit here under their manifest key.
  Context& envelope = a.MutableContext("SUIT_Envelope");
  envelope.keys[1] = Named("suit-delegation");
  envelope.keys[2] = Wrapped("suit-authentication-wrapper", "SUIT_Authentication");
  envelope.keys[3] = Wrapped("suit-manifest", "SUIT_Manifest");
  envelope.keys[15] = Wrapped("suit-dependency-resolution", "SUIT_Command_Sequence");
  envelope.keys[16] = Wrapped("suit-payload-fetch", "SUIT_Command_Sequence");
  envelope.keys[18] = Wrapped("suit-candidate-verification", "SUIT_Command_Sequence");
  envelope.keys[20] = Wrapped("suit-install", "SUIT_Command_Sequence");
  envelope.keys[23] = Wrapped("suit-text", "SUIT_Text_Map");
  // manifest-37 §7.6 / trust-domains-11 §5.3: "* tstr => bstr" integrated payloads and
  // dependencies; the classifier shows an integrated dependency as a nested envelope.
  envelope.other_text_keys = Named("suit-integrated-payload");

  // manifest-37 §8.3: [ bstr .cbor SUIT_Digest, * bstr .cbor SUIT_Authentication_Block ].
  Context& auth = a.MutableContext("SUIT_Authentication");
  auth.positions = {Wrapped("suit-digest", "SUIT_Digest")};
  Member block = Named("suit-authentication-block");
  block.bstr_wrapped = true;  // a tagged COSE_Sign1 / Sign / Mac0 / Mac
  auth.rest = block;

  Member alg = Named("suit-digest-algorithm-id");
  alg.value_names = DigestAlgorithmNames();
  a.MutableContext("SUIT_Digest").positions = {alg, Named("suit-digest-bytes")};
}

void RegisterManifest(Annotator& a) {
  Context& manifest = a.MutableContext("SUIT_Manifest");
  for (const auto& [key, name] : ManifestMemberNames()) manifest.keys[key] = Named(name);
  manifest.keys[3] = Wrapped("suit-common", "SUIT_Common");
  manifest.keys[5] = Named("suit-manifest-component-id", "SUIT_Component_Identifier");
  for (int64_t key : {7, 8, 9, 24}) {
    manifest.keys[key] = Wrapped(manifest.keys[key].name, "SUIT_Command_Sequence");
  }
  for (int64_t key : {15, 16, 18, 20}) {
    manifest.keys[key] = Severable(manifest.keys[key].name, "SUIT_Command_Sequence");
  }
  manifest.keys[23] = Severable("suit-text", "SUIT_Text_Map");

  // manifest-37 §8.4.5 SUIT_Common; trust-domains-11 §6.1 suit-dependencies.
  Context& common = a.MutableContext("SUIT_Common");
  common.keys[1] = Named("suit-dependencies", "SUIT_Dependencies");
  common.keys[2] = Named("suit-components", "SUIT_Components");
  common.keys[4] = Wrapped("suit-shared-sequence", "SUIT_Command_Sequence");
  // { + uint (component index) => SUIT_Dependency_Metadata }
  a.MutableContext("SUIT_Dependencies").other_keys =
      Named("suit-dependency", "SUIT_Dependency_Metadata");
  a.MutableContext("SUIT_Dependency_Metadata").keys[1] =
      Named("suit-dependency-prefix", "SUIT_Component_Identifier");
  a.MutableContext("SUIT_Components").rest = Named("", "SUIT_Component_Identifier");
  // SUIT_Component_Identifier = [* bstr]: plain segments, no names.
  a.MutableContext("SUIT_Component_Identifier");
}

void RegisterCommands(Annotator& a) {
  // manifest-37 §8.4.9 SUIT_Rep_Policy bits.
  Member policy = Named("suit-reporting-policy");
  policy.value_names = BitCombinations({"suit-send-record-success", "suit-send-record-failure",
                                        "suit-send-sysinfo-success", "suit-send-sysinfo-failure"});

  Context& sequence = a.MutableContext("SUIT_Command_Sequence");
  sequence.pairs = true;
  sequence.pair_id.value_names = CommandNames();
  for (const auto& entry : CommandNames()) sequence.pair_args[entry.first] = policy;
  // §8.4.10.1: uint, true (all components) or [+ uint].
  sequence.pair_args[12] = Named("suit-component-index");
  // §8.4.10.2: [2* bstr .cbor SUIT_Command_Sequence, ? nil].
  sequence.pair_args[15] = Named("suit-directive-try-each-argument", "SUIT_Try_Each");
  Member alternative = Wrapped("", "SUIT_Command_Sequence");
  a.MutableContext("SUIT_Try_Each").rest = alternative;
  sequence.pair_args[19] = Named("suit-parameters", "SUIT_Parameters");
  sequence.pair_args[20] = Named("suit-parameters", "SUIT_Parameters");
  sequence.pair_args[32] = Wrapped("suit-command-sequence", "SUIT_Command_Sequence");
  // Custom commands (nint below -256) take an argument this tool cannot know.
  sequence.pair_other_arg = Named("argument");
}

// manifest-37 §8.4.8 SUIT_Parameters; firmware-encryption-24 §5 adds 19.
std::map<int64_t, Member> ParameterMembers() {
  std::map<int64_t, Member> p;
  p[1] = Named("suit-parameter-vendor-identifier");
  p[2] = Named("suit-parameter-class-identifier");
  p[3] = Wrapped("suit-parameter-image-digest", "SUIT_Digest");
  p[5] = Named("suit-parameter-component-slot");
  p[12] = Named("suit-parameter-strict-order");
  p[13] = Named("suit-parameter-soft-failure");
  p[14] = Named("suit-parameter-image-size");
  p[18] = Named("suit-parameter-content");
  // bstr .cbor SUIT_Encryption_Info: a tagged COSE_Encrypt / COSE_Encrypt0 with detached
  // ciphertext; the COSE tables name its inside.
  p[19] = Wrapped("suit-parameter-encryption-info", "");
  p[21] = Named("suit-parameter-uri");
  p[22] = Named("suit-parameter-source-component");
  p[23] = Named("suit-parameter-invoke-args");
  p[24] = Named("suit-parameter-device-identifier");
  p[25] = Named("suit-parameter-fetch-arguments");
  return p;
}

void RegisterText(Annotator& a) {
  // manifest-37 §8.4.4 SUIT_Text_Map = { + tstr (language) => SUIT_Text_LMap }.
  a.MutableContext("SUIT_Text_Map").other_text_keys = Named("suit-text-language", "SUIT_Text_LMap");
  Context& lmap = a.MutableContext("SUIT_Text_LMap");
  lmap.keys[1] = Named("suit-text-manifest-description");
  lmap.keys[2] = Named("suit-text-update-description");
  lmap.keys[3] = Named("suit-text-manifest-json-source");
  lmap.keys[4] = Named("suit-text-manifest-yaml-source");
  // Component identifiers (arrays) as keys; their maps name the component texts.
  lmap.other_keys = Named("", "SUIT_Text_Component_Keys");
  Context& component = a.MutableContext("SUIT_Text_Component_Keys");
  component.keys[1] = Named("suit-text-vendor-name");
  component.keys[2] = Named("suit-text-model-name");
  component.keys[3] = Named("suit-text-vendor-domain");
  component.keys[4] = Named("suit-text-model-info");
  component.keys[5] = Named("suit-text-component-description");
  component.keys[6] = Named("suit-text-component-version");
}

void RegisterReport(Annotator& a) {
  // suit-report-18 §4.
  Context& report = a.MutableContext("SUIT_Report");
  report.keys[99] = Named("suit-reference", "SUIT_Reference");
  report.keys[2] = Named("suit-report-nonce");
  report.keys[3] = Named("suit-report-records", "SUIT_Report_Records");
  report.keys[4] = Named("suit-report-result", "SUIT_Report_Result");
  report.keys[8] = Named("suit-report-capability-report");
  a.MutableContext("SUIT_Reference").positions = {
      Named("suit-report-manifest-uri"), Named("suit-report-manifest-digest", "SUIT_Digest")};
  // Records are SUIT_Record arrays or system-property-claims maps; one context names both.
  a.MutableContext("SUIT_Report_Records").rest_context = "SUIT_Record";
  Context& result = a.MutableContext("SUIT_Report_Result");
  result.keys[5] = Named("suit-report-result-code");
  result.keys[6] = Named("suit-report-result-record", "SUIT_Record");
  Member reason = Named("suit-report-result-reason");
  reason.value_names = {{0, "suit-report-reason-ok"},
                        {1, "suit-report-reason-cbor-parse"},
                        {2, "suit-report-reason-cose-unsupported"},
                        {3, "suit-report-reason-alg-unsupported"},
                        {4, "suit-report-reason-unauthorised"},
                        {5, "suit-report-reason-command-unsupported"},
                        {6, "suit-report-reason-component-unsupported"},
                        {7, "suit-report-reason-component-unauthorised"},
                        {8, "suit-report-reason-parameter-unsupported"},
                        {9, "suit-report-reason-severing-unsupported"},
                        {10, "suit-report-reason-condition-failed"},
                        {11, "suit-report-reason-operation-failed"},
                        {12, "suit-report-reason-invoke-pending"}};
  result.keys[7] = reason;

  // system-property-claims = { system-component-id (0) => SUIT_Component_Identifier,
  //                            + $$SUIT_Parameters } (also TEEP's tc-list entries).
  Context& claims = a.MutableContext("suit-system-property-claims");
  claims.keys = ParameterMembers();
  claims.keys[0] = Named("system-component-id", "SUIT_Component_Identifier");
  Context& record = a.MutableContext("SUIT_Record");
  record.keys = claims.keys;
  Member section = Named("suit-record-manifest-section");
  section.value_names = ManifestMemberNames();
  record.positions = {Named("suit-record-manifest-id"), section,
                      Named("suit-record-section-offset"), Named("suit-record-component-index"),
                      Named("suit-record-properties", "SUIT_Parameters")};
}

// Map shape tests for the classifier. Looks only at keys and the major type of their values.
struct MapShape {
  std::map<int64_t, cbor::ItemType> int_keys;
  std::map<int64_t, uint64_t> uint_values;
};

std::optional<MapShape> ReadMapShape(cbor::Reader r) {
  Result<cbor::Item> head = r.Next();
  if (!head.ok() || head->type != cbor::ItemType::kMap || head->indefinite) return std::nullopt;
  MapShape shape;
  for (uint64_t i = 0; i < head->argument; ++i) {
    Result<cbor::ItemType> key_type = r.PeekType();
    if (!key_type.ok()) return std::nullopt;
    if (*key_type != cbor::ItemType::kUnsigned && *key_type != cbor::ItemType::kNegative) {
      if (!r.SkipItem().ok() || !r.SkipItem().ok()) return std::nullopt;  // key and value
      continue;
    }
    Result<cbor::Item> key = r.Next();
    Result<cbor::ItemType> value_type = r.PeekType();
    if (!key.ok() || !value_type.ok()) return std::nullopt;
    if (key->argument <= static_cast<uint64_t>(INT64_MAX)) {
      const int64_t k = key->type == cbor::ItemType::kUnsigned
                            ? static_cast<int64_t>(key->argument)
                            : -1 - static_cast<int64_t>(key->argument);
      shape.int_keys[k] = *value_type;
      if (*value_type == cbor::ItemType::kUnsigned) {
        cbor::Reader value = r;
        Result<cbor::Item> v = value.Next();
        if (v.ok()) shape.uint_values[k] = v->argument;
      }
    }
    if (!r.SkipItem().ok()) return std::nullopt;
  }
  return shape;
}

bool Has(const MapShape& shape, int64_t key, cbor::ItemType type) {
  auto it = shape.int_keys.find(key);
  return it != shape.int_keys.end() && it->second == type;
}

// Untagged SUIT structures (the TEEP examples carry untagged envelopes, digest (a) tag 107).
std::optional<Member> ClassifySuit(cbor::Reader item) {
  const std::optional<MapShape> shape = ReadMapShape(std::move(item));
  if (!shape.has_value()) return std::nullopt;
  // SUIT_Envelope: authentication-wrapper (2) and manifest (3), both bstr.
  if (Has(*shape, 2, cbor::ItemType::kBytes) && Has(*shape, 3, cbor::ItemType::kBytes)) {
    return Named("SUIT_Envelope", "SUIT_Envelope");
  }
  // SUIT_Manifest: manifest-version (1) = 1, a sequence number (2) and common (3) as bstr.
  auto version = shape->uint_values.find(1);
  if (version != shape->uint_values.end() && version->second == 1 &&
      Has(*shape, 2, cbor::ItemType::kUnsigned) && Has(*shape, 3, cbor::ItemType::kBytes)) {
    return Named("SUIT_Manifest", "SUIT_Manifest");
  }
  // SUIT_Report: suit-reference (99) is mandatory and unique to reports.
  if (Has(*shape, 99, cbor::ItemType::kArray) && shape->int_keys.count(3) != 0) {
    return Named("SUIT_Report", "SUIT_Report");
  }
  return std::nullopt;
}

}  // namespace

void RegisterSuitNames(Annotator& a) {
  RegisterEnvelope(a);
  RegisterManifest(a);
  RegisterCommands(a);
  Context& parameters = a.MutableContext("SUIT_Parameters");
  parameters.keys = ParameterMembers();
  RegisterText(a);
  RegisterReport(a);
  // manifest-37 §8.2 SUIT_Envelope_Tagged, §8.4 SUIT_Manifest_Tagged.
  a.RegisterTag(107, "SUIT_Envelope_Tagged", "SUIT_Envelope");
  a.RegisterTag(1070, "SUIT_Manifest_Tagged", "SUIT_Manifest");
  a.RegisterClassifier(ClassifySuit);
}

}  // namespace teepnet::cli
