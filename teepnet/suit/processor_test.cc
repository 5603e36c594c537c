#include "teepnet/suit/processor.h"

#include <gtest/gtest.h>

#include "teepnet/base/random.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cose/encrypt.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/suit/digest.h"
#include "teepnet/suit/errc.h"
#include "teepnet/suit/test_envelope_builder.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::suit {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::ReadVectorFile;
using testing::EncodeManifest;
using testing::ManifestSpec;
using testing::SequenceBuilder;
using testing::SignEnvelope;

class ProcessorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
    anchors_.signing_keys.push_back(key_.public_key());
    device_.vendor_id = ToBytes(std::string_view("vendor-uuid-0001"));
    device_.class_ids.push_back(ToBytes(std::string_view("class-uuid-00001")));
  }
  Processor MakeProcessor() {
    return Processor({&anchors_, &keys_, &device_, &store_, &fetcher_, nullptr}, limits_);
  }
  Report Install(const ManifestSpec& spec) {
    return MakeProcessor().Install(SignEnvelope(EncodeManifest(spec), key_));
  }
  static ManifestSpec TwoComponents() {
    ManifestSpec spec;
    spec.components = {MakeComponentId({"a"}), MakeComponentId({"b"})};
    return spec;
  }
  static void Content(cbor::Writer& w, std::string_view text) {
    w.WriteUint(18);
    w.WriteBytes(AsBytes(text));
  }

  crypto::PrivateKey key_ = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  TrustAnchors anchors_;
  PayloadKeys keys_;
  DeviceIdentity device_;
  InMemoryComponentStore store_;
  MapFetcher fetcher_;
  Limits limits_;
};

TEST_F(ProcessorTest, WriteThenCopyInstallsBoth) {
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder()
                     .SetIndex(0)
                     .Override(1, [](cbor::Writer& w) { Content(w, "payload"); })
                     .Command(18, 15)
                     .SetIndex(1)
                     .Override(1,
                               [](cbor::Writer& w) {
                                 w.WriteUint(22);
                                 w.WriteUint(0);
                               })
                     .Command(22, 15)
                     .Encode();
  TEEPNET_ASSERT_OK(ReportStatus(Install(spec)));
  EXPECT_EQ(*store_.ReadComponent(MakeComponentId({"b"})), ToBytes(std::string_view("payload")));
}

TEST_F(ProcessorTest, FailedConditionAfterWriteLeavesNothingBehind) {
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder()
                     .SetIndex(0)
                     .Override(1, [](cbor::Writer& w) { Content(w, "payload"); })
                     .Command(18, 15)
                     .Override(1, [](cbor::Writer& w) { Content(w, "something else"); })
                     .Command(6, 15)  // check-content
                     .Encode();
  Report report = Install(spec);
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kConditionFailed));
  EXPECT_EQ(store_.commits(), 0u);
  EXPECT_TRUE(store_.components().empty());
}

TEST_F(ProcessorTest, TryEachFallsThroughToTheSequenceThatPasses) {
  SequenceBuilder first;
  first.Command(14, 0);  // abort: a soft failure inside try-each
  SequenceBuilder second;
  second.Override(1, [](cbor::Writer& w) { Content(w, "second"); }).Command(18, 0);
  cbor::Writer arg;
  arg.WriteArrayHeader(2);
  arg.WriteBytes(first.Encode());
  arg.WriteBytes(second.Encode());
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder().Raw(15, arg.bytes()).Encode();
  TEEPNET_ASSERT_OK(ReportStatus(Install(spec)));
  EXPECT_EQ(*store_.ReadComponent(MakeComponentId({"a"})), ToBytes(std::string_view("second")));
}

TEST_F(ProcessorTest, TryEachWithoutPassingSequenceFails) {
  SequenceBuilder failing;
  failing.Command(14, 0);
  cbor::Writer arg;
  arg.WriteArrayHeader(2);
  arg.WriteBytes(failing.Encode());
  arg.WriteBytes(failing.Encode());
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder().Raw(15, arg.bytes()).Encode();
  EXPECT_TRUE(FailsWith(ReportStatus(Install(spec)), Errc::kConditionFailed));
}

TEST_F(ProcessorTest, TryEachWithFinalNilPasses) {
  SequenceBuilder failing;
  failing.Command(14, 0);
  cbor::Writer arg;
  arg.WriteArrayHeader(2);
  arg.WriteBytes(failing.Encode());
  arg.WriteNull();
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder().Raw(15, arg.bytes()).Encode();
  TEEPNET_EXPECT_OK(ReportStatus(Install(spec)));
}

TEST_F(ProcessorTest, NestedRunSequencesBeyondLimitFail) {
  Bytes inner = SequenceBuilder().Command(8, 0).Encode();
  for (int i = 0; i < 4; ++i) {
    cbor::Writer arg;
    arg.WriteBytes(inner);
    inner = SequenceBuilder().Raw(32, arg.bytes()).Encode();
  }
  limits_.max_nesting = 3;
  ManifestSpec spec = TwoComponents();
  spec.install = inner;
  EXPECT_TRUE(FailsWith(ReportStatus(Install(spec)), Errc::kNestingTooDeep));
}

TEST_F(ProcessorTest, UnknownCommandIsUnsupported) {
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder().Command(-300, 0).Encode();
  Report report = Install(spec);
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kUnsupportedCommand));
  EXPECT_EQ(report.reason, ReportReason::kCommandUnsupported);
}

TEST_F(ProcessorTest, ComponentIndexOutOfRangeFails) {
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder().SetIndex(2).Encode();
  EXPECT_TRUE(FailsWith(ReportStatus(Install(spec)), Errc::kComponentIndexOutOfRange));
}

TEST_F(ProcessorTest, SetParametersDoesNotOverride) {
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder()
                     .Override(1, [](cbor::Writer& w) { Content(w, "first"); })
                     .Set(1, [](cbor::Writer& w) { Content(w, "second"); })
                     .Command(18, 0)
                     .Encode();
  TEEPNET_ASSERT_OK(ReportStatus(Install(spec)));
  EXPECT_EQ(*store_.ReadComponent(MakeComponentId({"a"})), ToBytes(std::string_view("first")));
}

TEST_F(ProcessorTest, ImageMatchChecksSizeAndDigest) {
  const Bytes image = ToBytes(std::string_view("image bytes"));
  const Bytes digest = EncodeDigest(DigestAlgorithm::kSha256, crypto::Sha256(image));
  for (uint64_t size : {image.size(), image.size() + 1}) {
    InMemoryComponentStore fresh;
    store_ = fresh;
    ManifestSpec spec = TwoComponents();
    spec.install = SequenceBuilder()
                       .Override(3,
                                 [&](cbor::Writer& w) {
                                   Content(w, "image bytes");
                                   w.WriteUint(3);
                                   w.WriteBytes(digest);
                                   w.WriteUint(14);
                                   w.WriteUint(size);
                                 })
                       .Command(18, 0)
                       .Command(3, 15)
                       .Encode();
    Report report = Install(spec);
    if (size == image.size()) {
      TEEPNET_EXPECT_OK(ReportStatus(report));
    } else {
      EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kConditionFailed));
    }
  }
}

TEST_F(ProcessorTest, HpkeRecipientPayloadDecrypts) {
  // The project's COSE-HPKE extension: an HPKE-0-KE recipient inside SUIT_Encryption_Info.
  const Bytes plaintext = ToBytes(std::string_view("confidential TA image"));
  auto recipient_key = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  keys_.private_keys.push_back(recipient_key);
  cose::EncryptOptions options;
  options.alg = cose::Algorithm::kA128GCM;
  cose::RecipientSpec r;
  r.alg = cose::Algorithm::kHpke0KE;
  r.recipient_key = recipient_key.public_key();
  Bytes stream(512);
  for (size_t i = 0; i < stream.size(); ++i) stream[i] = static_cast<uint8_t>(i * 7 + 1);
  ReplayRandom random(stream);
  std::vector<cose::RecipientSpec> recipients;
  recipients.push_back(std::move(r));
  auto encrypted = cose::CreateEncrypt(plaintext, options, recipients, random);
  TEEPNET_ASSERT_OK(encrypted);
  // Detach the ciphertext: SUIT carries it in parameter-content.
  auto value = *cbor::Decode(*encrypted);
  std::vector<cbor::Value> members = value.tagged().array();
  const Bytes ciphertext = members[2].bytes();
  members[2] = cbor::Value::Null();
  const Bytes info = cbor::Encode(cbor::Value::Tag(96, cbor::Value::Array(std::move(members))));
  ManifestSpec spec = TwoComponents();
  spec.install = SequenceBuilder()
                     .Override(2,
                               [&](cbor::Writer& w) {
                                 w.WriteUint(18);
                                 w.WriteBytes(ciphertext);
                                 w.WriteUint(19);
                                 w.WriteBytes(info);
                               })
                     .Command(18, 15)
                     .Encode();
  TEEPNET_ASSERT_OK(ReportStatus(Install(spec)));
  EXPECT_EQ(*store_.ReadComponent(MakeComponentId({"a"})), plaintext);
}

TEST_F(ProcessorTest, UninstallOfUnknownManifestFails) {
  EXPECT_TRUE(FailsWith(ReportStatus(MakeProcessor().Uninstall(MakeComponentId({"x"}))),
                        Errc::kNotInstalled));
}

// Flips every bit of the signed parts of suit_uri (authentication wrapper and manifest):
// each flip must be refused and must leave the store untouched.
TEST(ProcessorSweepTest, EveryBitFlipInSignedPartsIsRefused) {
  const Bytes original = ReadVectorFile("suit/teep-protocol/suit_uri.cbor");
  TrustAnchors anchors;
  Bytes pem = ReadVectorFile("suit/manifest-spec/public_key.pem");
  anchors.signing_keys.push_back(*crypto::PublicKey::FromPem(AsChars(pem)));
  PayloadKeys keys;
  DeviceIdentity device;
  device.vendor_id = teepnet::testing::HexOrDie("c0ddd5f15243566087db4f5b0aa26c2f");
  device.class_ids.push_back(teepnet::testing::HexOrDie("db42f7093d8c55baa8c5265fc5820f4e"));
  MapFetcher fetcher;
  fetcher.Add("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta",
              ReadVectorFile("suit/teep-protocol/8d82573a-926d-4754-9353-32dc29997f74.ta"));
  {
    InMemoryComponentStore store;
    Processor p({&anchors, &keys, &device, &store, &fetcher, nullptr});
    TEEPNET_ASSERT_OK(ReportStatus(p.Install(original)));  // the sweep starts from a good one
  }
  size_t refused = 0;
  for (size_t byte = 0; byte < original.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      Bytes mutated = original;
      mutated[byte] ^= static_cast<uint8_t>(1u << bit);
      InMemoryComponentStore store;
      Processor p({&anchors, &keys, &device, &store, &fetcher, nullptr});
      Report report = p.Install(mutated);
      EXPECT_FALSE(report.success) << "byte " << byte << " bit " << bit;
      EXPECT_EQ(store.commits(), 0u);
      refused += report.success ? 0 : 1;
    }
  }
  EXPECT_EQ(refused, original.size() * 8);
}

}  // namespace
}  // namespace teepnet::suit
