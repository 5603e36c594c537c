#include "teepnet/teep/test_message_builder.h"

#include <functional>
#include <string>

#include "teepnet/cbor/writer.h"

namespace teepnet::teep::testing {
namespace {

Bytes Enc(const std::function<void(cbor::Writer&)>& f) {
  cbor::Writer w;
  f(w);
  return std::move(w).Take();
}

Bytes Uint(uint64_t v) {
  return Enc([&](cbor::Writer& w) { w.WriteUint(v); });
}
Bytes Bstr(size_t n, uint8_t fill = 0xA5) {
  return Enc([&](cbor::Writer& w) { w.WriteBytes(Bytes(n, fill)); });
}
Bytes Text(std::string_view s) {
  return Enc([&](cbor::Writer& w) { w.WriteText(s); });
}

Bytes Suites() {
  return Enc([](cbor::Writer& w) {
    w.WriteArrayHeader(2);
    for (int64_t alg : {-9, -19}) {
      w.WriteArrayHeader(1);
      w.WriteArrayHeader(2);
      w.WriteUint(18);
      w.WriteInt(alg);
    }
  });
}

Bytes Profiles() {
  return Enc([](cbor::Writer& w) {
    w.WriteArrayHeader(1);
    w.WriteArrayHeader(4);
    for (int64_t alg : {-16, -9, -29, -65534}) w.WriteInt(alg);
  });
}

Bytes ComponentIdList() {
  return Enc([](cbor::Writer& w) {
    w.WriteArrayHeader(1);
    w.WriteArrayHeader(2);
    w.WriteBytes(Bytes{0x01});
    w.WriteBytes(Bytes{0x02});
  });
}

}  // namespace

TestMessageBuilder::TestMessageBuilder(MessageType type, const WireProfile& profile)
    : type_(type), profile_(profile), type_bytes_(Uint(profile.Type(type))) {
  SetOption(Field::kToken, Bstr(16));
  switch (type) {
    case MessageType::kQueryRequest:
      SetOption(Field::kSupportedFreshnessMechanisms, Enc([](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteUint(0);
                }));
      SetOption(Field::kChallenge, Bstr(32, 0x11));
      SetOption(Field::kVersions, Enc([](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteUint(0);
                }));
      SetOption(Field::kAttestationPayloadFormat, Text("application/eat+cwt"));
      SetOption(Field::kAttestationPayload, Bstr(4));
      positional_ = {Suites(), Profiles(), Uint(0x0F)};
      break;
    case MessageType::kQueryResponse:
      SetOption(Field::kSelectedVersion, Uint(0));
      SetOption(Field::kAttestationPayload, Bstr(8));
      SetOption(Field::kSuitReports, Enc([](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteBytes(Bytes{0xA0});
                }));
      SetOption(Field::kTcList, Enc([](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteMapHeader(2);
                  w.WriteUint(0);
                  w.WriteArrayHeader(1);
                  w.WriteBytes(Bytes{0x01});
                  w.WriteUint(3);
                  w.WriteBytes(Bytes(4, 0xD1));
                }));
      SetOption(Field::kRequestedTcList, Enc([&](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteMapHeader(3);
                  w.WriteUint(profile.Label(Field::kComponentId));
                  w.WriteArrayHeader(1);
                  w.WriteBytes(Bytes{0x02});
                  w.WriteUint(profile.Label(Field::kTcManifestSequenceNumber));
                  w.WriteUint(7);
                  w.WriteUint(profile.Label(Field::kHaveBinary));
                  w.WriteBool(true);
                }));
      SetOption(Field::kUnneededManifestList, ComponentIdList());
      SetOption(Field::kExtList, Enc([](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteUint(1);
                }));
      break;
    case MessageType::kUpdate:
      SetOption(Field::kUnneededManifestList, ComponentIdList());
      SetOption(Field::kManifestList, Enc([](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteBytes(Bytes{0xA1, 0x01, 0x01});
                }));
      SetOption(Field::kErrCode, Uint(profile.Code(ErrorCode::kAttestationRequired)));
      SetOption(Field::kErrMsg, Text("attest first"));
      SetOption(Field::kErrLang, Text("en-US"));
      break;
    case MessageType::kSuccess: SetOption(Field::kMsg, Text("installed")); break;
    case MessageType::kError:
      SetOption(Field::kErrMsg, Text("disk-full"));
      SetOption(Field::kErrLang, Text("en"));
      SetOption(Field::kSupportedTeepCipherSuites, Suites());
      positional_ = {Uint(profile.Code(ErrorCode::kUnsupportedCipherSuites))};
      break;
  }
}

Bytes TestMessageBuilder::LabelKey(Field field) const {
  return Uint(profile_.Label(field));
}

TestMessageBuilder& TestMessageBuilder::SetOption(Field field, Bytes value) {
  const Bytes key = LabelKey(field);
  for (Option& o : options_) {
    if (o.key == key) {
      o.value = std::move(value);
      return *this;
    }
  }
  options_.push_back(Option{key, std::move(value)});
  return *this;
}

TestMessageBuilder& TestMessageBuilder::RemoveOption(Field field) {
  const Bytes key = LabelKey(field);
  std::erase_if(options_, [&](const Option& o) { return o.key == key; });
  return *this;
}

TestMessageBuilder& TestMessageBuilder::AddRawOption(Bytes key, Bytes value) {
  options_.push_back(Option{std::move(key), std::move(value)});
  return *this;
}

void TestMessageBuilder::ReplaceMember(size_t index, Bytes value) {
  if (index < positional_.size()) positional_[index] = std::move(value);
}

TestMessageBuilder& TestMessageBuilder::With(Defect defect) {
  switch (defect) {
    case Defect::kNotAnArray: not_array_ = true; break;
    case Defect::kOptionsNotMap: options_not_map_ = true; break;
    case Defect::kExtraMember: extra_member_ = true; break;
    case Defect::kMissingMember: missing_member_ = true; break;
    case Defect::kTypeOutOfRange: type_bytes_ = Uint(24); break;
    case Defect::kTypeUnassigned: type_bytes_ = Uint(0); break;
    case Defect::kTypeNotUint: type_bytes_ = Text("query"); break;
    case Defect::kTrailingByte: trailing_byte_ = true; break;
    case Defect::kIndefiniteOptions: indefinite_options_ = true; break;
    case Defect::kNonPreferredType: type_bytes_ = Bytes{0x18, type_bytes_[0]}; break;
    case Defect::kLabelNotUint:
      AddRawOption(Enc([](cbor::Writer& w) { w.WriteInt(-1); }), Uint(0));
      break;
    case Defect::kDuplicateLabel: AddRawOption(LabelKey(Field::kToken), Bstr(16)); break;
    case Defect::kForeignField:
      // manifest-list belongs to Update only; tc-list to QueryResponse only.
      if (type_ == MessageType::kUpdate) {
        SetOption(Field::kTcList, Bytes{0x80});
      } else {
        SetOption(Field::kManifestList, Bytes{0x80});
      }
      break;
    case Defect::kUnknownLabelWithDuplicateKeys:
      AddRawOption(Uint(23), Bytes{0xA2, 0x01, 0x01, 0x01, 0x02});
      break;
    case Defect::kTokenTooShort: SetOption(Field::kToken, Bstr(7)); break;
    case Defect::kTokenTooLong: SetOption(Field::kToken, Bstr(65)); break;
    case Defect::kTokenNotBstr: SetOption(Field::kToken, Text("0123456789abcdef")); break;
    case Defect::kChallengeTooShort: SetOption(Field::kChallenge, Bstr(7)); break;
    case Defect::kChallengeTooLong: SetOption(Field::kChallenge, Bstr(513)); break;
    case Defect::kChallengeWithoutAttestation:
      RemoveOption(Field::kSupportedFreshnessMechanisms);
      ReplaceMember(2, Uint(0x02));
      break;
    case Defect::kFreshnessWithoutAttestation:
      RemoveOption(Field::kChallenge);
      ReplaceMember(2, Uint(0x02));
      break;
    case Defect::kEmptyVersions: SetOption(Field::kVersions, Bytes{0x80}); break;
    case Defect::kVersionTooLarge:
      SetOption(Field::kVersions, Enc([](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteUint(uint64_t{1} << 32);
                }));
      break;
    case Defect::kEmptyCipherSuites:
      if (type_ == MessageType::kError) {
        SetOption(Field::kSupportedTeepCipherSuites, Bytes{0x80});
      } else {
        ReplaceMember(0, Bytes{0x80});
      }
      break;
    case Defect::kCipherSuiteNotArray: ReplaceMember(0, Bytes{0x81, 0x12}); break;
    case Defect::kCipherOperationWrongArity:
      ReplaceMember(0, Bytes{0x81, 0x81, 0x83, 0x12, 0x28, 0x00});
      break;
    case Defect::kSuitCoseProfileWrongArity: ReplaceMember(1, Bytes{0x81, 0x82, 0x2F, 0x28}); break;
    case Defect::kDataItemsNotUint: ReplaceMember(2, Bytes{0x20}); break;
    case Defect::kEmptyComponentId:
      SetOption(Field::kUnneededManifestList, Bytes{0x81, 0x80});
      break;
    case Defect::kComponentIdPartNotBstr:
      SetOption(Field::kUnneededManifestList, Bytes{0x81, 0x81, 0x01});
      break;
    case Defect::kTcListWithoutSystemComponentId:
      SetOption(Field::kTcList, Bytes{0x81, 0xA1, 0x03, 0x41, 0x00});
      break;
    case Defect::kRequestedTcWithoutComponentId:
      SetOption(Field::kRequestedTcList, Enc([&](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteMapHeader(1);
                  w.WriteUint(profile_.Label(Field::kTcManifestSequenceNumber));
                  w.WriteUint(1);
                }));
      break;
    case Defect::kHaveBinaryWithoutSequenceNumber:
      SetOption(Field::kRequestedTcList, Enc([&](cbor::Writer& w) {
                  w.WriteArrayHeader(1);
                  w.WriteMapHeader(2);
                  w.WriteUint(profile_.Label(Field::kComponentId));
                  w.WriteArrayHeader(1);
                  w.WriteBytes(Bytes{0x02});
                  w.WriteUint(profile_.Label(Field::kHaveBinary));
                  w.WriteBool(true);
                }));
      break;
    case Defect::kEmptyMsg:
      SetOption(type_ == MessageType::kSuccess ? Field::kMsg : Field::kErrMsg, Text(""));
      break;
    case Defect::kMsgTooLong:
      SetOption(type_ == MessageType::kSuccess ? Field::kMsg : Field::kErrMsg,
                Text(std::string(129, 'x')));
      break;
    case Defect::kErrLangTooLong: SetOption(Field::kErrLang, Text(std::string(36, 'a'))); break;
    case Defect::kErrLangBadCharacter: SetOption(Field::kErrLang, Text("en_US")); break;
    case Defect::kErrCodeZero:
      if (type_ == MessageType::kError) {
        ReplaceMember(0, Uint(0));
      } else {
        SetOption(Field::kErrCode, Uint(0));
      }
      break;
    case Defect::kErrCodeNotUint:
      if (type_ == MessageType::kError) {
        ReplaceMember(0, Text("1"));
      } else {
        SetOption(Field::kErrCode, Text("1"));
      }
      break;
    case Defect::kUnsupportedCipherSuitesWithoutList:
      RemoveOption(Field::kSupportedTeepCipherSuites);
      break;
    case Defect::kEmbeddedCborNotCbor:
      SetOption(type_ == MessageType::kUpdate ? Field::kManifestList : Field::kSuitReports,
                Bytes{0x81, 0x42, 0xA1, 0x01});
      break;
    case Defect::kSelectedVersionNotUint: SetOption(Field::kSelectedVersion, Text("0")); break;
  }
  return *this;
}

Bytes TestMessageBuilder::Build() const {
  cbor::Writer w;
  if (not_array_) {
    w.WriteMapHeader(0);
    return std::move(w).Take();
  }
  size_t members = 2 + positional_.size();
  if (extra_member_) ++members;
  if (missing_member_) --members;
  w.WriteArrayHeader(members);
  w.WriteRaw(type_bytes_);
  if (missing_member_ && positional_.empty()) return std::move(w).Take();  // options dropped
  if (options_not_map_) {
    w.WriteArrayHeader(0);
  } else {
    if (indefinite_options_) {
      w.WriteIndefiniteHeader(cbor::MajorType::kMap);
    } else {
      w.WriteMapHeader(options_.size());
    }
    for (const Option& o : options_) {
      w.WriteRaw(o.key);
      w.WriteRaw(o.value);
    }
    if (indefinite_options_) w.WriteBreak();
  }
  const size_t keep = missing_member_ ? positional_.size() - 1 : positional_.size();
  for (size_t i = 0; i < keep; ++i) w.WriteRaw(positional_[i]);
  if (extra_member_) w.WriteUint(0);
  if (trailing_byte_) w.WriteUint(0);
  return std::move(w).Take();
}

}  // namespace teepnet::teep::testing
