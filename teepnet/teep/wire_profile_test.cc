#include "teepnet/teep/wire_profile.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <set>

#include "teepnet/teep/errc.h"
#include "teepnet/teep/message_schema.h"
#include "teepnet/teep/types.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::teep {
namespace {

using ::teepnet::testing::FailsWith;

// digest §0.1: the numbers where the two numberings differ.
TEST(WireProfileTest, RfcNumbersMatchTheIanaRegistry) {
  const WireProfile& p = RfcProfile();
  EXPECT_EQ(p.Type(MessageType::kSuccess), 4u);
  EXPECT_EQ(p.Type(MessageType::kError), 5u);
  EXPECT_EQ(p.Label(Field::kSelectedVersion), 5u);
  EXPECT_EQ(p.Label(Field::kToken), 19u);
  EXPECT_EQ(p.Label(Field::kErrCode), 22u);
  EXPECT_EQ(p.Code(ErrorCode::kManifestProcessingFailed), 11u);
}

TEST(WireProfileTest, LegacyNumbersMatchTheOldDraft) {
  const WireProfile& p = LegacyProfile();
  EXPECT_EQ(p.Type(MessageType::kSuccess), 5u);
  EXPECT_EQ(p.Type(MessageType::kError), 6u);
  EXPECT_EQ(p.Label(Field::kSelectedVersion), 6u);
  EXPECT_EQ(p.Label(Field::kToken), 20u);
  EXPECT_EQ(p.Label(Field::kErrCode), 23u);
  EXPECT_EQ(p.Code(ErrorCode::kManifestProcessingFailed), 17u);
  EXPECT_FALSE(p.MessageTypeOf(4).has_value());
  EXPECT_FALSE(p.FieldOf(5).has_value());
}

TEST(WireProfileTest, FieldLookupByTableAgreesWithTheLabelColumn) {
  for (const WireProfile* p : {&RfcProfile(), &LegacyProfile()}) {
    // A copy is not one of the built-in objects, so it takes the linear scan.
    const WireProfile copy = *p;
    for (uint64_t label = 0; label < 300; ++label) {
      EXPECT_EQ(p->FieldOf(label), copy.FieldOf(label)) << p->name << " label " << label;
    }
    EXPECT_FALSE(p->FieldOf(UINT64_MAX).has_value());
    for (size_t i = 0; i < kFieldCount; ++i) {
      const auto field = static_cast<Field>(i);
      EXPECT_EQ(p->FieldOf(p->Label(field)), field) << p->name << " " << FieldName(field);
    }
  }
}

TEST(WireProfileTest, AllowsOptionAnswersExactlyForTheFieldsEachMessageLists) {
  for (size_t t = 0; t < kMessageTypeCount; ++t) {
    const auto type = static_cast<MessageType>(t);
    const auto listed = OptionFields(type);
    for (size_t i = 0; i < kFieldCount; ++i) {
      const auto field = static_cast<Field>(i);
      const bool in_list = std::find(listed.begin(), listed.end(), field) != listed.end();
      EXPECT_EQ(AllowsOption(type, field), in_list)
          << MessageTypeName(type) << " " << FieldName(field);
    }
  }
}

TEST(WireProfileTest, OptionLabelTablesSayWhatFieldOfAndAllowsOptionSay) {
  for (const WireProfile* p : {&RfcProfile(), &LegacyProfile()}) {
    for (size_t t = 0; t < kMessageTypeCount; ++t) {
      const auto type = static_cast<MessageType>(t);
      const OptionLabelTable* table = OptionLabels(*p, type);
      ASSERT_NE(table, nullptr) << p->name << " " << MessageTypeName(type);
      for (uint64_t label = 0; label <= kMaxOneByteValue; ++label) {
        const uint8_t entry = (*table)[label];
        const std::optional<Field> field = p->FieldOf(label);
        if (!field.has_value()) {
          EXPECT_EQ(entry, kOptionUnassigned) << p->name << " label " << label;
        } else if (AllowsOption(type, *field)) {
          EXPECT_EQ(entry, static_cast<uint8_t>(*field)) << p->name << " label " << label;
        } else {
          EXPECT_EQ(entry, kOptionDecideSlowly) << p->name << " label " << label;
        }
      }
    }
  }
  // Any other profile object is decided the slow way, label by label.
  const WireProfile copy = RfcProfile();
  EXPECT_EQ(OptionLabels(copy, MessageType::kQueryResponse), nullptr);
}

TEST(WireProfileTest, EveryNumberIsUniqueAndFitsOneByte) {
  for (const WireProfile* p : {&RfcProfile(), &LegacyProfile()}) {
    std::set<uint64_t> labels(p->label.begin(), p->label.end());
    EXPECT_EQ(labels.size(), kFieldCount);
    std::set<uint64_t> types(p->message_type.begin(), p->message_type.end());
    EXPECT_EQ(types.size(), kMessageTypeCount);
    std::set<uint64_t> codes(p->error_code.begin(), p->error_code.end());
    EXPECT_EQ(codes.size(), kErrorCodeCount);
    for (uint64_t v : labels) EXPECT_LE(v, kMaxOneByteValue);
    for (uint64_t v : types) EXPECT_LE(v, kMaxOneByteValue);
    for (uint64_t v : codes) EXPECT_GT(v, 0u);
  }
}

TEST(WireProfileTest, ReverseLookupsInvertTheTables) {
  for (const WireProfile* p : {&RfcProfile(), &LegacyProfile()}) {
    for (size_t i = 0; i < kFieldCount; ++i) {
      EXPECT_EQ(p->FieldOf(p->label[i]), static_cast<Field>(i));
    }
    for (size_t i = 0; i < kMessageTypeCount; ++i) {
      EXPECT_EQ(p->MessageTypeOf(p->message_type[i]), static_cast<MessageType>(i));
    }
    for (size_t i = 0; i < kErrorCodeCount; ++i) {
      EXPECT_EQ(p->ErrorCodeOf(p->error_code[i]), static_cast<ErrorCode>(i));
    }
  }
}

TEST(WireProfileTest, DataItemBitsAreTheDraftBits) {
  EXPECT_EQ(RfcProfile().Bit(DataItem::kAttestation), 1u);
  EXPECT_EQ(RfcProfile().Bit(DataItem::kTrustedComponents), 2u);
  EXPECT_EQ(RfcProfile().Bit(DataItem::kExtensions), 4u);
  EXPECT_EQ(RfcProfile().Bit(DataItem::kSuitReports), 8u);
}

TEST(WireProfileTest, LegacyAlsoAcceptsPolymorphicAlgorithms) {
  EXPECT_EQ(RfcProfile().CipherSuites(),
            (std::vector<CipherSuite>{CipherSuite::Sign1(-9), CipherSuite::Sign1(-19)}));
  EXPECT_EQ(LegacyProfile().CipherSuites().size(), 4u);
  EXPECT_EQ(LegacyProfile().CipherSuites()[2], CipherSuite::Sign1(-7));
}

TEST(WireProfileTest, ProfilesAreFoundByName) {
  auto rfc = ProfileByName("rfc");
  TEEPNET_ASSERT_OK(rfc);
  EXPECT_EQ((*rfc)->id, ProfileId::kRfc);
  EXPECT_EQ(&Profile(ProfileId::kLegacy), &LegacyProfile());
  EXPECT_TRUE(FailsWith(ProfileByName("draft-08"), Errc::kValueOutOfRange));
}

TEST(DataItemsRequestedTest, UnassignedBitsSurvive) {
  const auto items = DataItemsRequested::FromWire(RfcProfile(), 0x103);
  EXPECT_TRUE(items.attestation);
  EXPECT_TRUE(items.trusted_components);
  EXPECT_FALSE(items.extensions);
  EXPECT_EQ(items.unassigned_bits, 0x100u);
  EXPECT_EQ(items.ToWire(RfcProfile()), 0x103u);
}

}  // namespace
}  // namespace teepnet::teep
