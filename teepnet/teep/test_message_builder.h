// TEST ONLY. Builds TEEP messages as raw CBOR, valid by default, with deliberate defects
// selected by flag, so every rejection branch of the decoders has a test (the t_cose
// "defect-flag message builder" technique). The encoders cannot produce these messages:
// they validate the model first.
#ifndef TEEPNET_TEEP_TEST_MESSAGE_BUILDER_H_
#define TEEPNET_TEEP_TEST_MESSAGE_BUILDER_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep::testing {

enum class Defect : uint8_t {
  // Frame.
  kNotAnArray,
  kOptionsNotMap,
  kExtraMember,
  kMissingMember,
  kTypeOutOfRange,  // type 24
  kTypeUnassigned,  // type 0
  kTypeNotUint,
  kTrailingByte,
  kIndefiniteOptions,
  kNonPreferredType,  // type as 18 01
  // Options map.
  kLabelNotUint,
  kDuplicateLabel,
  kForeignField,  // a label defined only for another message type
  kUnknownLabelWithDuplicateKeys,
  // Fields.
  kTokenTooShort,
  kTokenTooLong,
  kTokenNotBstr,
  kChallengeTooShort,
  kChallengeTooLong,
  kChallengeWithoutAttestation,
  kFreshnessWithoutAttestation,
  kEmptyVersions,
  kVersionTooLarge,
  kEmptyCipherSuites,
  kCipherSuiteNotArray,
  kCipherOperationWrongArity,
  kSuitCoseProfileWrongArity,
  kDataItemsNotUint,
  kEmptyComponentId,
  kComponentIdPartNotBstr,
  kTcListWithoutSystemComponentId,
  kRequestedTcWithoutComponentId,
  kHaveBinaryWithoutSequenceNumber,
  kEmptyMsg,
  kMsgTooLong,
  kErrLangTooLong,
  kErrLangBadCharacter,
  kErrCodeZero,
  kErrCodeNotUint,
  kUnsupportedCipherSuitesWithoutList,
  kEmbeddedCborNotCbor,
  kSelectedVersionNotUint,
};

class TestMessageBuilder {
 public:
  // A valid message of `type` using most of its fields.
  TestMessageBuilder(MessageType type, const WireProfile& profile);

  TestMessageBuilder& With(Defect defect);
  // Sets option `field` to the encoded `value` (replacing an earlier one).
  TestMessageBuilder& SetOption(Field field, Bytes value);
  TestMessageBuilder& RemoveOption(Field field);
  // Adds an option with an arbitrary encoded key.
  TestMessageBuilder& AddRawOption(Bytes key, Bytes value);

  Bytes Build() const;

 private:
  struct Option {
    Bytes key;
    Bytes value;
  };
  Bytes LabelKey(Field field) const;
  void ReplaceMember(size_t index, Bytes value);

  MessageType type_;
  const WireProfile& profile_;
  Bytes type_bytes_;
  std::vector<Option> options_;
  std::vector<Bytes> positional_;  // members after the options
  bool not_array_ = false;
  bool options_not_map_ = false;
  bool indefinite_options_ = false;
  bool extra_member_ = false;
  bool missing_member_ = false;
  bool trailing_byte_ = false;
};

}  // namespace teepnet::teep::testing

#endif  // TEEPNET_TEEP_TEST_MESSAGE_BUILDER_H_
