// Every decoder rejection path, driven by the defect-flag builder: one valid message per
// type (which must decode), then one defect at a time, each refused with its precise reason,
// in both wire profiles. Plus the truncation sweep over the builder's messages.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <tuple>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/errc.h"
#include "teepnet/teep/limits.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/test_message_builder.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::teep {
namespace {

using ::teepnet::teep::testing::Defect;
using ::teepnet::teep::testing::TestMessageBuilder;
using ::teepnet::testing::FailsWith;

constexpr MessageType kAllTypes[] = {MessageType::kQueryRequest, MessageType::kQueryResponse,
                                     MessageType::kUpdate, MessageType::kSuccess,
                                     MessageType::kError};
const WireProfile* const kProfiles[] = {&RfcProfile(), &LegacyProfile()};

TEST(CodecDefectsTest, BaselineMessagesDecodeAndReencodeIdentically) {
  for (const WireProfile* profile : kProfiles) {
    for (MessageType type : kAllTypes) {
      const Bytes wire = TestMessageBuilder(type, *profile).Build();
      auto decoded = DecodeMessage(wire, *profile);
      TEEPNET_ASSERT_OK(decoded);
      EXPECT_EQ(TypeOf(*decoded), type);
      auto encoded = EncodeMessage(*decoded, *profile, EncodeOptions{KeyOrder::kDraftExample});
      TEEPNET_ASSERT_OK(encoded);
      EXPECT_EQ(*encoded, wire) << MessageTypeName(type) << " in " << profile->name;
    }
  }
}

TEST(CodecDefectsTest, EveryPrefixOfEveryMessageTypeFails) {
  for (const WireProfile* profile : kProfiles) {
    for (MessageType type : kAllTypes) {
      const Bytes wire = TestMessageBuilder(type, *profile).Build();
      for (size_t n = 0; n < wire.size(); ++n) {
        auto decoded = DecodeMessage(ByteView(wire).first(n), *profile);
        EXPECT_TRUE(FailsWith(decoded, cbor::Errc::kTruncated))
            << MessageTypeName(type) << " prefix " << n;
      }
    }
  }
}

struct TeepCase {
  MessageType type;
  Defect defect;
  Errc reason;
  const char* name;
};

const TeepCase kTeepCases[] = {
    {MessageType::kSuccess, Defect::kNotAnArray, Errc::kBadFrame, "NotAnArrayFails"},
    {MessageType::kUpdate, Defect::kOptionsNotMap, Errc::kBadFrame, "OptionsNotMapFails"},
    {MessageType::kQueryRequest, Defect::kExtraMember, Errc::kBadArity,
     "QueryRequestExtraMemberFails"},
    {MessageType::kQueryRequest, Defect::kMissingMember, Errc::kBadArity,
     "QueryRequestMissingMemberFails"},
    {MessageType::kError, Defect::kMissingMember, Errc::kBadArity, "ErrorWithoutErrCodeFails"},
    {MessageType::kSuccess, Defect::kExtraMember, Errc::kBadArity, "SuccessExtraMemberFails"},
    {MessageType::kSuccess, Defect::kTypeOutOfRange, Errc::kMessageTypeOutOfRange,
     "TypeAbove23Fails"},
    {MessageType::kSuccess, Defect::kTypeNotUint, Errc::kMessageTypeOutOfRange, "TextTypeFails"},
    {MessageType::kSuccess, Defect::kTypeUnassigned, Errc::kUnknownMessageType,
     "UnassignedTypeFails"},
    {MessageType::kQueryResponse, Defect::kLabelNotUint, Errc::kOptionLabelNotUint,
     "NegativeLabelFails"},
    {MessageType::kQueryResponse, Defect::kDuplicateLabel, Errc::kDuplicateLabel,
     "DuplicateTokenFails"},
    {MessageType::kQueryResponse, Defect::kForeignField, Errc::kFieldNotAllowed,
     "ManifestListInQueryResponseFails"},
    {MessageType::kUpdate, Defect::kForeignField, Errc::kFieldNotAllowed, "TcListInUpdateFails"},
    {MessageType::kQueryRequest, Defect::kTokenTooShort, Errc::kBadTokenLength,
     "SevenByteTokenFails"},
    {MessageType::kUpdate, Defect::kTokenTooLong, Errc::kBadTokenLength, "SixtyFiveByteTokenFails"},
    {MessageType::kSuccess, Defect::kTokenNotBstr, Errc::kWrongFieldType, "TextTokenFails"},
    {MessageType::kQueryRequest, Defect::kChallengeTooShort, Errc::kBadChallengeLength,
     "ShortChallengeFails"},
    {MessageType::kError, Defect::kChallengeTooLong, Errc::kBadChallengeLength,
     "LongChallengeInErrorFails"},
    {MessageType::kQueryRequest, Defect::kChallengeWithoutAttestation,
     Errc::kChallengeWithoutAttestation, "ChallengeWithoutAttestationBitFails"},
    {MessageType::kQueryRequest, Defect::kFreshnessWithoutAttestation,
     Errc::kFreshnessWithoutAttestation, "FreshnessWithoutAttestationBitFails"},
    {MessageType::kQueryRequest, Defect::kEmptyVersions, Errc::kEmptyList, "EmptyVersionsFails"},
    {MessageType::kQueryRequest, Defect::kVersionTooLarge, Errc::kValueOutOfRange,
     "VersionBeyond32BitsFails"},
    {MessageType::kQueryRequest, Defect::kEmptyCipherSuites, Errc::kEmptyList,
     "EmptyCipherSuitesFails"},
    {MessageType::kError, Defect::kEmptyCipherSuites, Errc::kEmptyList,
     "ErrorEmptyCipherSuitesFails"},
    {MessageType::kQueryRequest, Defect::kCipherSuiteNotArray, Errc::kBadCipherSuite,
     "IntegerCipherSuiteFails"},
    {MessageType::kQueryRequest, Defect::kCipherOperationWrongArity, Errc::kBadCipherSuite,
     "ThreeMemberOperationFails"},
    {MessageType::kQueryRequest, Defect::kSuitCoseProfileWrongArity, Errc::kBadSuitCoseProfile,
     "TwoAlgorithmProfileFails"},
    {MessageType::kQueryRequest, Defect::kDataItemsNotUint, Errc::kWrongFieldType,
     "NegativeDataItemRequestedFails"},
    {MessageType::kQueryResponse, Defect::kEmptyComponentId, Errc::kBadComponentId,
     "EmptyComponentIdFails"},
    {MessageType::kUpdate, Defect::kComponentIdPartNotBstr, Errc::kBadComponentId,
     "IntegerComponentIdPartFails"},
    {MessageType::kQueryResponse, Defect::kTcListWithoutSystemComponentId, Errc::kMissingField,
     "TcListWithoutSystemComponentIdFails"},
    {MessageType::kQueryResponse, Defect::kRequestedTcWithoutComponentId, Errc::kMissingField,
     "RequestedTcWithoutComponentIdFails"},
    {MessageType::kQueryResponse, Defect::kHaveBinaryWithoutSequenceNumber,
     Errc::kHaveBinaryWithoutSequenceNumber, "HaveBinaryWithoutSequenceNumberFails"},
    {MessageType::kQueryResponse, Defect::kSelectedVersionNotUint, Errc::kWrongFieldType,
     "TextSelectedVersionFails"},
    {MessageType::kSuccess, Defect::kEmptyMsg, Errc::kBadMsgLength, "EmptyMsgFails"},
    {MessageType::kSuccess, Defect::kMsgTooLong, Errc::kBadMsgLength, "Msg129BytesFails"},
    {MessageType::kError, Defect::kMsgTooLong, Errc::kBadMsgLength, "ErrMsg129BytesFails"},
    {MessageType::kUpdate, Defect::kErrLangTooLong, Errc::kBadErrLang, "ErrLang36BytesFails"},
    {MessageType::kError, Defect::kErrLangBadCharacter, Errc::kBadErrLang,
     "ErrLangUnderscoreFails"},
    {MessageType::kError, Defect::kErrCodeZero, Errc::kBadErrCode, "ErrorErrCodeZeroFails"},
    {MessageType::kUpdate, Defect::kErrCodeZero, Errc::kBadErrCode, "UpdateErrCodeZeroFails"},
    {MessageType::kError, Defect::kErrCodeNotUint, Errc::kBadErrCode, "TextErrCodeFails"},
    {MessageType::kError, Defect::kUnsupportedCipherSuitesWithoutList, Errc::kMissingField,
     "UnsupportedCipherSuitesWithoutListFails"},
    {MessageType::kUpdate, Defect::kEmbeddedCborNotCbor, Errc::kBadEmbeddedCbor,
     "TruncatedManifestEnvelopeFails"},
    {MessageType::kQueryResponse, Defect::kEmbeddedCborNotCbor, Errc::kBadEmbeddedCbor,
     "TruncatedSuitReportFails"},
};

class TeepDefectTest : public ::testing::TestWithParam<std::tuple<TeepCase, const WireProfile*>> {};

TEST_P(TeepDefectTest, IsRefusedWithItsReason) {
  const auto& [c, profile] = GetParam();
  const Bytes wire = TestMessageBuilder(c.type, *profile).With(c.defect).Build();
  EXPECT_TRUE(FailsWith(DecodeMessage(wire, *profile), c.reason));
}

INSTANTIATE_TEST_SUITE_P(
    Defects, TeepDefectTest,
    ::testing::Combine(::testing::ValuesIn(kTeepCases), ::testing::ValuesIn(kProfiles)),
    [](const ::testing::TestParamInfo<std::tuple<TeepCase, const WireProfile*>>& param_info) {
      return std::string(std::get<0>(param_info.param).name) + "_" +
             std::string(std::get<1>(param_info.param)->name);
    });

struct CborCase {
  MessageType type;
  Defect defect;
  cbor::Errc reason;
  const char* name;
};

const CborCase kCborCases[] = {
    {MessageType::kSuccess, Defect::kTrailingByte, cbor::Errc::kTrailingBytes, "TrailingByteFails"},
    {MessageType::kUpdate, Defect::kIndefiniteOptions, cbor::Errc::kIndefiniteNotAllowed,
     "IndefiniteOptionsFail"},
    {MessageType::kError, Defect::kNonPreferredType, cbor::Errc::kNonPreferredEncoding,
     "NonPreferredTypeFails"},
    {MessageType::kQueryResponse, Defect::kUnknownLabelWithDuplicateKeys,
     cbor::Errc::kDuplicateMapKey, "UnknownOptionWithDuplicateKeysFails"},
};

class CborDefectTest : public ::testing::TestWithParam<CborCase> {};

TEST_P(CborDefectTest, IsRefusedWithItsReason) {
  const CborCase& c = GetParam();
  const Bytes wire = TestMessageBuilder(c.type, RfcProfile()).With(c.defect).Build();
  EXPECT_TRUE(FailsWith(DecodeMessage(wire, RfcProfile()), c.reason));
}

INSTANTIATE_TEST_SUITE_P(Defects, CborDefectTest, ::testing::ValuesIn(kCborCases),
                         [](const ::testing::TestParamInfo<CborCase>& param_info) {
                           return std::string(param_info.param.name);
                         });

TEST(CodecDefectsTest, UnknownOptionIsKeptAndReencoded) {
  // draft §"Extensions" / digest §2.7: unknown labels are tolerated, not refused.
  const Bytes wire = TestMessageBuilder(MessageType::kSuccess, RfcProfile())
                         .AddRawOption(Bytes{0x17}, Bytes{0x82, 0x01, 0x02})
                         .AddRawOption(Bytes{0x19, 0x01, 0x00}, Bytes{0xF5})
                         .Build();
  auto m = DecodeAs<Success>(wire, RfcProfile());
  TEEPNET_ASSERT_OK(m);
  ASSERT_EQ(m->extensions.size(), 2u);
  EXPECT_EQ(m->extensions[0].label, 23u);
  EXPECT_EQ(m->extensions[1].label, 256u);
  auto again = Encode(*m, RfcProfile(), EncodeOptions{KeyOrder::kDraftExample});
  TEEPNET_ASSERT_OK(again);
  EXPECT_EQ(*again, wire);
}

TEST(CodecDefectsTest, UnassignedErrCodeIsKeptAsUnknown) {
  // digest §2.6: treat unknown codes, including values > 23, as an unknown error.
  TestMessageBuilder b(MessageType::kUpdate, RfcProfile());
  b.SetOption(Field::kErrCode, Bytes{0x18, 0x63});  // 99
  auto m = DecodeAs<Update>(b.Build(), RfcProfile());
  TEEPNET_ASSERT_OK(m);
  ASSERT_TRUE(m->err_code.has_value());
  EXPECT_FALSE(m->err_code->known().has_value());
  EXPECT_EQ(m->err_code->ToWire(RfcProfile()), 99u);
}

TEST(CodecDefectsTest, WrongMessageTypeForTypedDecoderFails) {
  const Bytes wire = TestMessageBuilder(MessageType::kSuccess, RfcProfile()).Build();
  EXPECT_TRUE(FailsWith(DecodeUpdate(wire, RfcProfile()), Errc::kUnexpectedMessageType));
}

TEST(CodecDefectsTest, TooManyOptionsFails) {
  TestMessageBuilder b(MessageType::kSuccess, RfcProfile());
  for (uint64_t label = 100; label < 100 + kMaxOptionEntries; ++label) {
    b.AddRawOption(Bytes{0x18, static_cast<uint8_t>(label)}, Bytes{0x00});
  }
  EXPECT_TRUE(FailsWith(DecodeMessage(b.Build(), RfcProfile()), Errc::kTooManyOptions));
}

// The typed decoders read the frame themselves and skip the TeepMessage variant; whatever
// the input, they must answer exactly as DecodeMessage followed by the type check does.
template <typename M>
void ExpectTypedDecoderMatchesGeneric(Result<M> (*typed)(ByteView, const WireProfile&),
                                      const Bytes& wire, const WireProfile& profile,
                                      const std::string& what) {
  const Result<M> fast = typed(wire, profile);
  const Result<M> generic = DecodeAs<M>(wire, profile);
  ASSERT_EQ(fast.ok(), generic.ok()) << what;
  if (fast.ok()) {
    EXPECT_EQ(*fast, *generic) << what;
    return;
  }
  EXPECT_EQ(fast.error().domain(), generic.error().domain()) << what;
  EXPECT_EQ(fast.error().reason(), generic.error().reason()) << what;
  EXPECT_EQ(fast.error().offset(), generic.error().offset()) << what;
  EXPECT_EQ(fast.error().message(), generic.error().message()) << what;
}

void ExpectEveryTypedDecoderMatchesGeneric(const Bytes& wire, const WireProfile& profile,
                                           const std::string& what) {
  ExpectTypedDecoderMatchesGeneric(&DecodeQueryRequest, wire, profile, what);
  ExpectTypedDecoderMatchesGeneric(&DecodeQueryResponse, wire, profile, what);
  ExpectTypedDecoderMatchesGeneric(&DecodeUpdate, wire, profile, what);
  ExpectTypedDecoderMatchesGeneric(&DecodeSuccess, wire, profile, what);
  ExpectTypedDecoderMatchesGeneric(&DecodeErrorMessage, wire, profile, what);
}

TEST(CodecDefectsTest, TypedDecodersAnswerAsDecodeMessageForEveryPrefixAndBitFlip) {
  for (const WireProfile* profile : kProfiles) {
    for (MessageType type : kAllTypes) {
      const Bytes wire = TestMessageBuilder(type, *profile).Build();
      const std::string name =
          std::string(MessageTypeName(type)) + " in " + std::string(profile->name);
      ExpectEveryTypedDecoderMatchesGeneric(wire, *profile, name);
      for (size_t n = 0; n < wire.size(); ++n) {
        ExpectEveryTypedDecoderMatchesGeneric(Bytes(wire.begin(), wire.begin() + n), *profile,
                                              name + " prefix " + std::to_string(n));
      }
      for (size_t bit = 0; bit < wire.size() * 8; ++bit) {
        Bytes flipped = wire;
        flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
        ExpectEveryTypedDecoderMatchesGeneric(flipped, *profile,
                                              name + " bit " + std::to_string(bit));
      }
    }
  }
}

TEST(CodecDefectsTest, TypedDecodersAnswerAsDecodeMessageForEveryDefect) {
  for (const TeepCase& c : kTeepCases) {
    for (const WireProfile* profile : kProfiles) {
      const Bytes wire = TestMessageBuilder(c.type, *profile).With(c.defect).Build();
      ExpectEveryTypedDecoderMatchesGeneric(wire, *profile, c.name);
    }
  }
}

struct NestedKeyCase {
  const char* hex;  // a QueryResponse, rfc numbering
  std::optional<Errc> reason;
  std::optional<cbor::Errc> cbor_reason;  // for a map nested inside an opaque value
  size_t offset;
  const char* why;
};

TEST(CodecDefectsTest, RepeatedKeysAreRefusedInEveryMapOfAQueryResponse) {
  // Options {7: tc-list}, {13: requested-tc-list}; tc-list entries are maps keyed by ints,
  // requested-tc-info maps by uint labels (15 = component-id).
  const NestedKeyCase cases[] = {
      {"82 02 a2 05 00 05 01", Errc::kDuplicateLabel, std::nullopt, 5, "options label twice"},
      {"82 02 a1 07 81 a3 00 81 41 01 03 41 aa 03 41 bb", Errc::kDuplicateLabel, std::nullopt, 13,
       "tc-list parameter key twice"},
      {"82 02 a1 07 81 a2 00 81 41 01 00 81 41 02", Errc::kDuplicateLabel, std::nullopt, 10,
       "tc-list system-component-id twice"},
      {"82 02 a1 07 81 a2 00 81 41 01 03 a2 01 00 01 00", std::nullopt,
       cbor::Errc::kDuplicateMapKey, 14, "map with a repeated key inside a tc-list parameter"},
      {"82 02 a1 0d 81 a2 0f 81 41 01 0f 81 41 02", Errc::kDuplicateLabel, std::nullopt, 10,
       "requested-tc-info label twice"},
      {"82 02 a1 0d 81 a2 0f 81 41 01 18 40 a2 01 00 01 00", std::nullopt,
       cbor::Errc::kDuplicateMapKey, 15,
       "map with a repeated key inside a requested-tc-info extension"},
  };
  for (const NestedKeyCase& c : cases) {
    Result<Bytes> wire = FromHex(c.hex);
    ASSERT_TRUE(wire.ok()) << c.why;
    for (const Result<QueryResponse>& r :
         {DecodeQueryResponse(*wire, RfcProfile()), DecodeAs<QueryResponse>(*wire, RfcProfile())}) {
      if (c.reason.has_value()) {
        EXPECT_TRUE(FailsWith(r, *c.reason)) << c.why;
      } else {
        EXPECT_TRUE(FailsWith(r, *c.cbor_reason)) << c.why;
      }
      ASSERT_FALSE(r.ok()) << c.why;
      EXPECT_EQ(r.error().offset(), c.offset) << c.why;
    }
  }
}

}  // namespace
}  // namespace teepnet::teep
