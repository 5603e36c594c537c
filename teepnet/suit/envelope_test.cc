#include "teepnet/suit/envelope.h"

#include <gtest/gtest.h>

#include "teepnet/cbor/writer.h"
#include "teepnet/suit/authenticator.h"
#include "teepnet/suit/command_sequence.h"
#include "teepnet/suit/errc.h"
#include "teepnet/suit/manifest.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::suit {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::ReadVectorFile;

TEST(EnvelopeDecoderTest, UntaggedTeepEnvelopeDecodes) {
  Bytes bytes = ReadVectorFile("suit/teep-protocol/suit_integrated.cbor");
  auto env = DecodeEnvelope(bytes);
  TEEPNET_ASSERT_OK(env);
  EXPECT_FALSE(env->tagged);
  EXPECT_EQ(env->auth_blocks.size(), 1u);
  ASSERT_NE(env->FindIntegrated("#tc"), nullptr);
  EXPECT_EQ(std::string(AsChars(env->FindIntegrated("#tc")->contents)), "Hello, Secure World!");
  // The manifest bstr view includes its head: what the digest covers.
  EXPECT_EQ(env->manifest_bstr.size(), env->manifest.size() + 2);
}

TEST(EnvelopeDecoderTest, TaggedEnvelopeDecodes) {
  Bytes bytes = ReadVectorFile("suit/manifest-spec/example0.signed.cbor");
  auto env = DecodeEnvelope(bytes);
  TEEPNET_ASSERT_OK(env);
  EXPECT_TRUE(env->tagged);
}

TEST(EnvelopeDecoderTest, TruncatedAtEverySplitPointFails) {
  Bytes bytes = ReadVectorFile("suit/teep-protocol/suit_personalization.cbor");
  for (size_t n = 0; n < bytes.size(); ++n) {
    auto env = DecodeEnvelope(ByteView(bytes.data(), n));
    EXPECT_TRUE(FailsWith(env, Errc::kMalformed)) << "prefix of " << n << " bytes";
  }
}

TEST(EnvelopeDecoderTest, TrailingByteFails) {
  Bytes bytes = ReadVectorFile("suit/teep-protocol/suit_uri.cbor");
  bytes.push_back(0x00);
  EXPECT_TRUE(FailsWith(DecodeEnvelope(bytes), Errc::kMalformed));
}

TEST(EnvelopeDecoderTest, WrongTagFails) {
  Bytes bytes = ReadVectorFile("suit/teep-protocol/suit_uri.cbor");
  bytes.insert(bytes.begin(), {0xd8, 0x6c});  // tag 108
  EXPECT_TRUE(FailsWith(DecodeEnvelope(bytes), Errc::kWrongTag));
}

TEST(EnvelopeDecoderTest, DuplicateEnvelopeKeyFails) {
  cbor::Writer w;
  w.WriteMapHeader(2);
  w.WriteUint(1);
  w.WriteNull();
  w.WriteUint(1);
  w.WriteNull();
  EXPECT_TRUE(FailsWith(DecodeEnvelope(w.bytes()), Errc::kDuplicateKey));
}

TEST(EnvelopeDecoderTest, UnknownEnvelopeKeyFails) {
  cbor::Writer w;
  w.WriteMapHeader(1);
  w.WriteUint(9);
  w.WriteBytes({});
  EXPECT_TRUE(FailsWith(DecodeEnvelope(w.bytes()), Errc::kUnknownMember));
}

TEST(EnvelopeDecoderTest, EnvelopeOverSizeLimitFails) {
  Bytes bytes = ReadVectorFile("suit/teep-protocol/suit_uri.cbor");
  Limits limits;
  limits.max_envelope_size = bytes.size() - 1;
  EXPECT_TRUE(FailsWith(DecodeEnvelope(bytes, limits), Errc::kEnvelopeTooLarge));
}

TEST(EnvelopeDecoderTest, TooManyAuthenticationBlocksFails) {
  Bytes bytes = ReadVectorFile("suit/teep-protocol/suit_uri.cbor");
  Limits limits;
  limits.max_auth_blocks = 0;
  EXPECT_TRUE(FailsWith(DecodeEnvelope(bytes, limits), Errc::kTooManyAuthBlocks));
}

TEST(ManifestDecoderTest, PersonalizationManifestHasDependencyAndSections) {
  Bytes bytes = ReadVectorFile("suit/teep-protocol/suit_personalization.cbor");
  auto env = DecodeEnvelope(bytes);
  TEEPNET_ASSERT_OK(env);
  auto m = DecodeManifest(env->manifest);
  TEEPNET_ASSERT_OK(m);
  EXPECT_EQ(m->sequence_number, 3u);
  ASSERT_EQ(m->common.dependencies.size(), 1u);
  EXPECT_EQ(m->common.dependencies[0].index, 1u);
  EXPECT_TRUE(m->IsValidIndex(0));
  EXPECT_TRUE(m->IsValidIndex(1));
  EXPECT_FALSE(m->IsValidIndex(2));
  EXPECT_EQ(m->manifest_component_id->ToString(), "TEEP-Device/SecureFS/config.suit");
  for (int64_t key : {7, 15, 20, 24}) EXPECT_EQ(m->members.count(key), 1u) << key;
}

TEST(ManifestDecoderTest, TooManyComponentsFails) {
  Bytes bytes = ReadVectorFile("suit/manifest-spec/example5.signed.cbor");
  auto env = DecodeEnvelope(bytes);
  TEEPNET_ASSERT_OK(env);
  Limits limits;
  limits.max_components = 1;
  EXPECT_TRUE(FailsWith(DecodeManifest(env->manifest, limits), Errc::kTooManyComponents));
}

TEST(ManifestDecoderTest, SeveredInstallIsADigest) {
  Bytes bytes = ReadVectorFile("suit/manifest-spec/example2.signed.cbor");
  auto env = DecodeEnvelope(bytes);
  TEEPNET_ASSERT_OK(env);
  auto m = DecodeManifest(env->manifest);
  TEEPNET_ASSERT_OK(m);
  EXPECT_TRUE(m->members.at(20).severed_digest.has_value());
  EXPECT_TRUE(m->members.at(23).severed_digest.has_value());
  EXPECT_EQ(env->severed_contents.size(), 2u);
}

TEST(ManifestDecoderTest, VersionOtherThanOneFails) {
  cbor::Writer w;
  w.WriteMapHeader(1);
  w.WriteUint(1);
  w.WriteUint(2);
  EXPECT_TRUE(FailsWith(DecodeManifest(w.bytes()), Errc::kUnsupportedVersion));
}

TEST(CommandSequenceTest, OddItemCountFails) {
  cbor::Writer w;
  w.WriteArrayHeader(3);
  w.WriteUint(1);
  w.WriteUint(15);
  w.WriteUint(2);
  EXPECT_TRUE(FailsWith(DecodeCommandSequence(w.bytes(), Limits()), Errc::kMalformed));
}

TEST(CommandSequenceTest, TooManyCommandsFails) {
  cbor::Writer w;
  w.WriteArrayHeader(6);
  for (int i = 0; i < 3; ++i) {
    w.WriteUint(14);
    w.WriteUint(0);
  }
  Limits limits;
  limits.max_commands = 2;
  EXPECT_TRUE(FailsWith(DecodeCommandSequence(w.bytes(), limits), Errc::kSequenceTooLong));
}

TEST(CommandSequenceTest, ConditionWithNonPolicyArgumentFails) {
  cbor::Writer w;
  w.WriteArrayHeader(2);
  w.WriteUint(1);
  w.WriteText("15");
  EXPECT_TRUE(FailsWith(DecodeCommandSequence(w.bytes(), Limits()), Errc::kMalformed));
}

}  // namespace
}  // namespace teepnet::suit
