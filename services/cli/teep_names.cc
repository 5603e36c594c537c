// Names for TEEP messages (draft-ietf-teep-protocol §4-§6 and its CDDL, Appendix C) in the
// numbering of one wire profile. The numbers and names come from teepnet/teep (names.h,
// message_schema.h), so the listing always agrees with the codec.
#include <string_view>
#include <utility>

#include "services/cli/annotator.h"
#include "teepnet/teep/message_schema.h"
#include "teepnet/teep/names.h"

namespace teepnet::cli {

namespace {

Member Named(std::string_view name, std::string context = "") {
  Member m;
  m.name = std::string(name);
  m.context = std::move(context);
  return m;
}

std::map<int64_t, std::string> ToNameMap(const std::vector<teep::NamedValue>& table) {
  std::map<int64_t, std::string> out;
  for (const teep::NamedValue& v : table) out[static_cast<int64_t>(v.value)] = std::string(v.name);
  return out;
}

std::string TypeContext(teep::MessageType type) {
  return "teep-" + std::string(teep::MessageTypeName(type));
}

// `data-item-requested = uint .bits data-item-requested`: every combination of the profile's
// bits, e.g. 3 => "attestation|trusted-components".
std::map<int64_t, std::string> DataItemNames(const teep::WireProfile& profile) {
  uint64_t all = 0;
  for (size_t i = 0; i < teep::kDataItemCount; ++i) {
    all |= profile.Bit(static_cast<teep::DataItem>(i));
  }
  std::map<int64_t, std::string> out;
  for (uint64_t v = 1; v <= all; ++v) {
    if ((v & ~all) != 0) continue;
    std::string text;
    for (std::string_view name : teep::DescribeDataItems(profile, v)) {
      if (!text.empty()) text += '|';
      text += name;
    }
    out[static_cast<int64_t>(v)] = text;
  }
  return out;
}

void RegisterAlgorithmLists(Annotator& a, const teep::WireProfile& profile) {
  std::map<int64_t, std::string> algs = CoseAlgorithmNames();
  for (const auto& [alg, name] : teep::SuiteAlgorithmNames(profile)) {
    algs.emplace(alg, std::string(name));
  }
  // §8: teep-cipher-suite = [ + teep-operation ], teep-operation = [ cose-type, cose-alg ].
  a.MutableContext("teep-cipher-suites").rest = Named("teep-cipher-suite", "teep-cipher-suite");
  a.MutableContext("teep-cipher-suite").rest = Named("teep-operation", "teep-operation");
  Member cose_type = Named("cose-type");
  cose_type.value_names = {{teep::kCoseTypeSign1, "cose-sign1"}};
  Member cose_alg = Named("cose-alg");
  cose_alg.value_names = algs;
  a.MutableContext("teep-operation").positions = {cose_type, cose_alg};

  // $suit-cose-profile: [digest alg, authentication alg, key exchange alg, encryption alg]
  // (draft-ietf-suit-mti §3).
  a.MutableContext("teep-suit-cose-profiles").rest =
      Named("suit-cose-profile", "teep-suit-cose-profile");
  Context& suit_profile = a.MutableContext("teep-suit-cose-profile");
  for (std::string_view name :
       {"suit-digest-alg", "suit-auth-alg", "suit-key-exchange-alg", "suit-encryption-alg"}) {
    Member m = Named(name);
    m.value_names = algs;
    suit_profile.positions.push_back(std::move(m));
  }
}

// The member shown for the value of option `field`.
Member OptionMember(teep::Field field, const teep::WireProfile& profile) {
  using teep::Field;
  Member m = Named(teep::FieldName(field));
  switch (field) {
    case Field::kSupportedTeepCipherSuites: m.context = "teep-cipher-suites"; break;
    case Field::kSupportedSuitCoseProfiles: m.context = "teep-suit-cose-profiles"; break;
    case Field::kSupportedFreshnessMechanisms: m.context = "teep-freshness-mechanisms"; break;
    // tc-list => [ + system-property-claims ] (suit-report-18 §4).
    case Field::kTcList: m.context = "teep-tc-list"; break;
    case Field::kRequestedTcList: m.context = "teep-requested-tc-list"; break;
    case Field::kUnneededManifestList: m.context = "SUIT_Components"; break;
    case Field::kComponentId: m.context = "SUIT_Component_Identifier"; break;
    // manifest-list => [ + bstr .cbor SUIT_Envelope ]; suit-reports => [ + bstr .cbor
    // (SUIT_Report_Protected / SUIT_Report_Unprotected) ]: each entry found by shape.
    case Field::kManifestList:
    case Field::kSuitReports: m.context = "teep-bstr-wrapped-list"; break;
    case Field::kErrCode: m.value_names = ToNameMap(teep::ErrorCodeNames(profile)); break;
    case Field::kChallenge:
    case Field::kVersions:
    case Field::kSelectedVersion:
    case Field::kAttestationPayload:
    case Field::kExtList:
    case Field::kMsg:
    case Field::kErrMsg:
    case Field::kAttestationPayloadFormat:
    case Field::kTcManifestSequenceNumber:
    case Field::kHaveBinary:
    case Field::kToken:
    case Field::kErrLang: break;
  }
  return m;
}

void RegisterOptions(Annotator& a, const teep::WireProfile& profile) {
  Context& options = a.MutableContext("teep-options");
  for (size_t i = 0; i < teep::kFieldCount; ++i) {
    const auto field = static_cast<teep::Field>(i);
    options.keys[static_cast<int64_t>(profile.Label(field))] = OptionMember(field, profile);
  }
  // requested-tc-info = { component-id, ? tc-manifest-sequence-number, ? have-binary }: keys
  // are TEEP labels, so the same table names them.
  a.MutableContext("teep-requested-tc-list").rest = Named("requested-tc-info", "teep-options");
  a.MutableContext("teep-tc-list").rest =
      Named("system-property-claims", "suit-system-property-claims");
  Member entry;
  entry.bstr_wrapped = true;
  a.MutableContext("teep-bstr-wrapped-list").rest = entry;
  // $freshness-mechanism: FRESHNESS_NONCE = 0, FRESHNESS_TIMESTAMP = 1.
  Member mechanism;
  mechanism.value_names = {{0, "FRESHNESS_NONCE"}, {1, "FRESHNESS_TIMESTAMP"}};
  a.MutableContext("teep-freshness-mechanisms").rest = mechanism;
}

void RegisterMessages(Annotator& a, const teep::WireProfile& profile) {
  const std::map<int64_t, std::string> type_names = ToNameMap(teep::MessageTypeNames(profile));
  for (size_t t = 0; t < teep::kMessageTypeCount; ++t) {
    const auto type = static_cast<teep::MessageType>(t);
    Context& message = a.MutableContext(TypeContext(type));
    message.positions.clear();
    for (std::string_view name : teep::PositionalNames(type)) {
      Member m = Named(name);
      if (name == "type") {
        m.value_names = type_names;
      } else if (name == "options") {
        m.context = "teep-options";
      } else if (name == "supported-teep-cipher-suites") {
        m.context = "teep-cipher-suites";
      } else if (name == "supported-suit-cose-profiles") {
        m.context = "teep-suit-cose-profiles";
      } else if (name == "data-item-requested") {
        m.value_names = DataItemNames(profile);
      } else if (name == "err-code") {
        m.value_names = ToNameMap(teep::ErrorCodeNames(profile));
      }
      message.positions.push_back(std::move(m));
    }
  }
}

}  // namespace

void RegisterTeepNames(Annotator& a, const teep::WireProfile& profile) {
  RegisterAlgorithmLists(a, profile);
  RegisterOptions(a, profile);
  RegisterMessages(a, profile);
  // §4.1: every TEEP message is `[ type: uint, options: map, * positional ]`; a bare one is an
  // array whose first member is a type this profile assigns and whose second is a map.
  const teep::WireProfile* p = &profile;
  a.RegisterClassifier([p](cbor::Reader item) -> std::optional<Member> {
    Result<cbor::Item> head = item.Next();
    if (!head.ok() || head->type != cbor::ItemType::kArray || head->indefinite ||
        head->argument < 2) {
      return std::nullopt;
    }
    Result<cbor::Item> type = item.Next();
    if (!type.ok() || type->type != cbor::ItemType::kUnsigned) return std::nullopt;
    const std::optional<teep::MessageType> known = p->MessageTypeOf(type->argument);
    Result<cbor::ItemType> options = item.PeekType();
    if (!known.has_value() || !options.ok() || *options != cbor::ItemType::kMap) {
      return std::nullopt;
    }
    return Named("TEEP " + std::string(teep::MessageTypeName(*known)), TypeContext(*known));
  });
}

}  // namespace teepnet::cli
