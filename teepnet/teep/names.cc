#include "teepnet/teep/names.h"

#include <algorithm>

namespace teepnet::teep {
namespace {

std::string_view AlgName(int64_t alg) {
  switch (alg) {
    case kAlgESP256: return "ESP256";
    case kAlgEd25519: return "Ed25519";
    case kAlgES256: return "ES256";
    case kAlgEdDSA: return "EdDSA";
    default: return "unknown";
  }
}

template <typename Enum, size_t N, typename NameFn>
std::vector<NamedValue> Table(const std::array<uint64_t, N>& wire, NameFn name) {
  std::vector<NamedValue> out;
  for (size_t i = 0; i < N; ++i) out.push_back(NamedValue{wire[i], name(static_cast<Enum>(i))});
  std::sort(out.begin(), out.end(),
            [](const NamedValue& a, const NamedValue& b) { return a.value < b.value; });
  return out;
}

}  // namespace

std::optional<std::string_view> DescribeLabel(const WireProfile& profile, uint64_t label) {
  if (auto field = profile.FieldOf(label)) return FieldName(*field);
  return std::nullopt;
}

std::optional<std::string_view> DescribeMessageType(const WireProfile& profile, uint64_t type) {
  if (auto t = profile.MessageTypeOf(type)) return MessageTypeName(*t);
  return std::nullopt;
}

std::optional<std::string_view> DescribeErrorCode(const WireProfile& profile, uint64_t code) {
  if (auto c = profile.ErrorCodeOf(code)) return ErrorCodeName(*c);
  return std::nullopt;
}

std::vector<std::string_view> DescribeDataItems(const WireProfile& profile, uint64_t bits) {
  std::vector<std::string_view> out;
  for (size_t i = 0; i < kDataItemCount; ++i) {
    const auto item = static_cast<DataItem>(i);
    if ((bits & profile.Bit(item)) != 0) out.push_back(DataItemName(item));
  }
  return out;
}

std::vector<NamedValue> MessageTypeNames(const WireProfile& profile) {
  return Table<MessageType>(profile.message_type, MessageTypeName);
}

std::vector<NamedValue> LabelNames(const WireProfile& profile) {
  return Table<Field>(profile.label, FieldName);
}

std::vector<NamedValue> ErrorCodeNames(const WireProfile& profile) {
  return Table<ErrorCode>(profile.error_code, ErrorCodeName);
}

std::vector<std::pair<int64_t, std::string_view>> SuiteAlgorithmNames(const WireProfile& profile) {
  std::vector<std::pair<int64_t, std::string_view>> out;
  for (size_t i = 0; i < profile.suite_count; ++i) {
    out.emplace_back(profile.suites[i].alg, AlgName(profile.suites[i].alg));
  }
  return out;
}

}  // namespace teepnet::teep
