// Every published SUIT envelope (shared/vectors/suit: manifest-spec -37, trust-domains -11,
// firmware-encryption -24, libcsuit, TEEP Appendix E) authenticated with its published key
// and processed by the install procedure, plus the refusals the brief asks for.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "teepnet/base/hex.h"
#include "teepnet/cbor/value.h"
#include "teepnet/suit/encryption.h"
#include "teepnet/suit/envelope.h"
#include "teepnet/suit/errc.h"
#include "teepnet/suit/processor.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"
#include "vector_env.h"

namespace teepnet::suit::testing {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::ReadVectorFile;

const char kFirmware[] = "This is a real firmware image.";

ComponentId Id(std::initializer_list<std::string_view> segments) {
  return MakeComponentId(segments);
}
ComponentId TaId(std::string_view last) {
  ComponentId id = Id({"TEEP-Device", "SecureFS"});
  id.segments.push_back(teepnet::testing::HexOrDie("8d82573a926d4754935332dc29997f74"));
  id.segments.push_back(ToBytes(last));
  return id;
}

enum class Profile { kManifestSpec, kTeep };

struct Outcome {
  std::string path;
  Profile profile;
  // Expected: success (nullopt) or the precise refusal.
  std::optional<Errc> refusal;
  // On success, a component that must hold `content` afterwards.
  std::optional<ComponentId> component;
  std::string content;
};

class Rig {
 public:
  Rig(const std::string& path, Profile profile)
      : anchors_(PublishedAnchors()),
        keys_(PublishedPayloadKeys()),
        device_(profile == Profile::kTeep ? TeepDevice() : ManifestSpecDevice()),
        fetcher_(PublishedFetcher(path)) {}
  Processor processor() {
    return Processor({&anchors_, &keys_, &device_, &store_, &fetcher_, nullptr});
  }
  InMemoryComponentStore& store() { return store_; }
  DeviceIdentity& device() { return device_; }
  MapFetcher& fetcher() { return fetcher_; }
  PayloadKeys& keys() { return keys_; }

 private:
  TrustAnchors anchors_;
  PayloadKeys keys_;
  DeviceIdentity device_;
  InMemoryComponentStore store_;
  MapFetcher fetcher_;
};

std::string Plaintext() {
  Bytes b = ReadVectorFile("teep/appendix/suit_personalization.expected_plaintext.json");
  return std::string(AsChars(b));
}
std::string Ta() {
  return "Hello, Secure World!";
}

std::vector<Outcome> Outcomes() {
  const ComponentId fw_plain = Id({"plaintext-firmware"});
  const ComponentId fw_dec = Id({"decrypted-firmware"});
  return {
      // TEEP Appendix E, and libcsuit's copies of them.
      {"suit/teep-protocol/suit_uri.cbor", Profile::kTeep, {}, TaId("ta"), Ta()},
      {"suit/teep-protocol/suit_integrated.cbor", Profile::kTeep, {}, TaId("ta"), Ta()},
      {"suit/teep-protocol/suit_personalization.cbor",
       Profile::kTeep,
       {},
       Id({"TEEP-Device", "SecureFS", "config.json"}),
       Plaintext()},
      {"suit/libcsuit/suit_manifest_expU.suit", Profile::kTeep, {}, TaId("ta"), Ta()},
      {"suit/libcsuit/suit_manifest_expI.suit", Profile::kTeep, {}, TaId("ta"), Ta()},
      {"suit/libcsuit/suit_manifest_expD.suit",
       Profile::kTeep,
       {},
       Id({"TEEP-Device", "SecureFS", "config.json"}),
       Plaintext()},
      // Trust domains: dependencies fetched, integrated, processed.
      {"suit/trust-domains/example0_dependent.cbor",
       Profile::kManifestSpec,
       {},
       Id({"00"}),
       "hello world"},
      {"suit/trust-domains/example1_process.cbor",
       Profile::kManifestSpec,
       {},
       Id({"10"}),
       " in multiple trust domains"},
      {"suit/trust-domains/example2_integrated.cbor",
       Profile::kManifestSpec,
       {},
       Id({"00"}),
       "hello world"},
      {"suit/libcsuit/suit_manifest_expS0.suit", Profile::kManifestSpec, {}, {}, ""},
      {"suit/libcsuit/suit_manifest_expS2.suit",
       Profile::kManifestSpec,
       {},
       Id({"00"}),
       "hello world"},
      {"suit/libcsuit/suit_manifest_expS3.suit", Profile::kManifestSpec, {}, {}, ""},
      // Firmware encryption: every example decrypts to the published plaintext.
      {"suit/firmware-encryption/suit-manifest-aes-kw.signed.cbor",
       Profile::kManifestSpec,
       {},
       fw_plain,
       kFirmware},
      {"suit/firmware-encryption/suit-manifest-aes-kw-content.signed.cbor",
       Profile::kManifestSpec,
       {},
       fw_plain,
       kFirmware},
      {"suit/firmware-encryption/suit-manifest-aes-kw-slot.signed.cbor",
       Profile::kManifestSpec,
       {},
       {},
       ""},
      {"suit/firmware-encryption/suit-manifest-es-ecdh-content.signed.cbor",
       Profile::kManifestSpec,
       {},
       fw_dec,
       kFirmware},
      {"suit/firmware-encryption/suit-manifest-es-ecdh-dependency.signed.cbor",
       Profile::kManifestSpec,
       {},
       fw_dec,
       kFirmware},
      {"suit/libcsuit/suit_manifest_expAW.suit", Profile::kManifestSpec, {}, {}, ""},
      {"suit/libcsuit/suit_manifest_expAF.suit", Profile::kManifestSpec, {}, {}, ""},
      {"suit/libcsuit/suit_manifest_expAFS.suit", Profile::kManifestSpec, {}, {}, ""},
      {"suit/libcsuit/suit_manifest_expEW.suit", Profile::kManifestSpec, {}, {}, ""},
      {"suit/libcsuit/suit_manifest_expED.suit", Profile::kManifestSpec, {}, fw_dec, kFirmware},
      // manifest-spec examples: their payload digests are placeholders (00112233...), so each
      // authenticates, runs, and is refused at condition-image-match with nothing installed.
      {"suit/manifest-spec/example0.signed.cbor",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/manifest-spec/example1.signed.cbor",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/manifest-spec/example2.signed.cbor",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/manifest-spec/example3.signed.cbor",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/manifest-spec/example4.signed.cbor",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/manifest-spec/example5.signed.cbor",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_exp0.suit",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_exp1.suit",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_exp2B.suit",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_exp3.suit",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_exp4.suit",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_exp5.suit",
       Profile::kManifestSpec,
       Errc::kConditionFailed,
       {},
       ""},
      // Severed install that the envelope does not carry: cannot be installed.
      {"suit/manifest-spec/example2.severed-signed.cbor",
       Profile::kManifestSpec,
       Errc::kMissingSeveredMember,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_exp2A.suit",
       Profile::kManifestSpec,
       Errc::kMissingSeveredMember,
       {},
       ""},
      // Digest-only wrappers.
      {"suit/manifest-spec/example0.unsigned.cbor",
       Profile::kManifestSpec,
       Errc::kNoAuthentication,
       {},
       ""},
      {"suit/manifest-spec/example1.unsigned.cbor",
       Profile::kManifestSpec,
       Errc::kNoAuthentication,
       {},
       ""},
      {"suit/manifest-spec/example2.severed-unsigned.cbor",
       Profile::kManifestSpec,
       Errc::kNoAuthentication,
       {},
       ""},
      {"suit/manifest-spec/example3.unsigned.cbor",
       Profile::kManifestSpec,
       Errc::kNoAuthentication,
       {},
       ""},
      {"suit/manifest-spec/example4.unsigned.cbor",
       Profile::kManifestSpec,
       Errc::kNoAuthentication,
       {},
       ""},
      {"suit/manifest-spec/example5.unsigned.cbor",
       Profile::kManifestSpec,
       Errc::kNoAuthentication,
       {},
       ""},
      // draft-ietf-suit-update-management examples: commands and members we do not implement.
      {"suit/libcsuit/suit_manifest_expU0.suit",
       Profile::kManifestSpec,
       Errc::kUnsupportedCommand,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_expU1.suit",
       Profile::kManifestSpec,
       Errc::kUnsupportedCommand,
       {},
       ""},
      {"suit/libcsuit/suit_manifest_expU2.suit",
       Profile::kManifestSpec,
       Errc::kUnknownMember,
       {},
       ""},
  };
}

class SuitVectorTest : public ::testing::TestWithParam<Outcome> {};

TEST_P(SuitVectorTest, ProcessesAsPublished) {
  const Outcome& o = GetParam();
  Rig rig(o.path, o.profile);
  Bytes envelope = ReadVectorFile(o.path);
  // A secure-boot manifest checks an image that is already installed: give it one.
  rig.store().Put(Id({"00"}), ToBytes(std::string_view("an installed image")));
  const size_t before = rig.store().components().size();
  Report report = rig.processor().Install(envelope);
  if (o.refusal) {
    EXPECT_TRUE(FailsWith(ReportStatus(report), *o.refusal));
    EXPECT_EQ(rig.store().commits(), 0u);
    EXPECT_EQ(rig.store().components().size(), before);
    EXPECT_TRUE(rig.store().manifests().empty());
    return;
  }
  TEEPNET_ASSERT_OK(ReportStatus(report));
  EXPECT_EQ(rig.store().commits(), 1u);
  EXPECT_FALSE(rig.store().manifests().empty());
  if (o.component) {
    auto content = rig.store().ReadComponent(*o.component);
    ASSERT_TRUE(content.has_value()) << o.component->ToString();
    EXPECT_EQ(std::string(AsChars(*content)), o.content);
  }
}

INSTANTIATE_TEST_SUITE_P(Published, SuitVectorTest, ::testing::ValuesIn(Outcomes()),
                         [](const auto& param_info) {
                           std::string name = param_info.param.path.substr(5);
                           for (char& c : name) {
                             if (!isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(SuitVectorTest, EveryPublishedEnvelopeIsCovered) {
  size_t envelopes = 0;
  for (const char* dir :
       {"suit/manifest-spec", "suit/teep-protocol", "suit/trust-domains", "suit/libcsuit"}) {
    for (const char* ext : {".cbor", ".suit"}) {
      envelopes += teepnet::testing::ListVectorFiles(dir, ext).size();
    }
  }
  // firmware-encryption manifests (the other .cbor files there are encryption-info).
  envelopes += teepnet::testing::ListVectorFiles("suit/firmware-encryption", ".signed.cbor").size();
  // libcsuit expU3 is checked on its own below.
  EXPECT_EQ(Outcomes().size() + 1, envelopes);
}

TEST(SuitVectorTest, UpdateManagementExampleU3AuthenticatesThenNeedsUnsupportedParameters) {
  Rig rig("suit/libcsuit/suit_manifest_expU3.suit", Profile::kManifestSpec);
  Bytes envelope = ReadVectorFile("suit/libcsuit/suit_manifest_expU3.suit");
  auto decoded = DecodeEnvelope(envelope);
  TEEPNET_ASSERT_OK(decoded);
  TEEPNET_EXPECT_OK(AuthenticateEnvelope(*decoded, PublishedAnchors()));
  Report report = rig.processor().Install(envelope);
  EXPECT_FALSE(report.success);
  EXPECT_EQ(rig.store().commits(), 0u);
}

// --- TEEP Appendix E specifics -----------------------------------------------------------

TEST(TeepEnvelopeTest, PersonalizationInstallsTheDependencyAndTheDecryptedConfig) {
  Rig rig("suit/teep-protocol/suit_personalization.cbor", Profile::kTeep);
  Report report =
      rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_personalization.cbor"));
  TEEPNET_ASSERT_OK(ReportStatus(report));
  auto config = rig.store().ReadComponent(Id({"TEEP-Device", "SecureFS", "config.json"}));
  ASSERT_TRUE(config);
  EXPECT_EQ(config->size(), 61u);
  EXPECT_EQ(std::string(AsChars(*config)), Plaintext());
  EXPECT_EQ(std::string(AsChars(*rig.store().ReadComponent(TaId("ta")))), Ta());
  // The dependency envelope is kept where its dependency-prefix says, and both manifests are
  // recorded under their manifest-component-id.
  EXPECT_EQ(*rig.store().ReadComponent(TaId("suit")),
            ReadVectorFile("suit/teep-protocol/suit_uri.cbor"));
  EXPECT_TRUE(rig.store().FindManifest(TaId("suit")));
  auto record = rig.store().FindManifest(Id({"TEEP-Device", "SecureFS", "config.suit"}));
  ASSERT_TRUE(record);
  EXPECT_EQ(record->sequence_number, 3u);
}

TEST(TeepEnvelopeTest, UninstallOfPersonalizationRemovesEverythingItInstalled) {
  Rig rig("suit/teep-protocol/suit_personalization.cbor", Profile::kTeep);
  Processor p = rig.processor();
  TEEPNET_ASSERT_OK(
      ReportStatus(p.Install(ReadVectorFile("suit/teep-protocol/suit_personalization.cbor"))));
  TEEPNET_ASSERT_OK(ReportStatus(p.Uninstall(Id({"TEEP-Device", "SecureFS", "config.suit"}))));
  EXPECT_TRUE(rig.store().components().empty());
  EXPECT_TRUE(rig.store().manifests().empty());
}

TEST(TeepEnvelopeTest, UninstallOfUriManifestUnlinksTheTa) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  Processor p = rig.processor();
  TEEPNET_ASSERT_OK(ReportStatus(p.Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"))));
  ASSERT_TRUE(rig.store().ReadComponent(TaId("ta")));
  TEEPNET_ASSERT_OK(ReportStatus(p.Uninstall(TaId("suit"))));
  EXPECT_FALSE(rig.store().ReadComponent(TaId("ta")));
  EXPECT_FALSE(rig.store().FindManifest(TaId("suit")));
  EXPECT_TRUE(FailsWith(ReportStatus(p.Uninstall(TaId("suit"))), Errc::kNotInstalled));
}

TEST(TeepEnvelopeTest, PersonalizationWithoutTheKekInstallsNothing) {
  Rig rig("suit/teep-protocol/suit_personalization.cbor", Profile::kTeep);
  rig.keys().private_keys.clear();
  rig.keys().key_wrap_keys.clear();
  Report report =
      rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_personalization.cbor"));
  // The dependency (the TA) was fetched and installed in staging before the write failed:
  // none of it may reach the store.
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kDecryptionFailed));
  EXPECT_TRUE(rig.store().components().empty());
  EXPECT_TRUE(rig.store().manifests().empty());
  EXPECT_GT(rig.fetcher().fetches(), 0u);
}

TEST(TeepEnvelopeTest, StaleUpdateExampleVerifiesButItsKey9IsInvokeNotInstall) {
  // vectors/teep README: the Update example's embedded manifest predates the renumbering
  // (install under key 9, which is suit-invoke now). Authenticity holds; under current
  // numbering the update procedure has nothing to install, so nothing is fetched.
  auto update = cbor::Decode(ReadVectorFile("teep/master-a9d2fad/update.cbor"));
  TEEPNET_ASSERT_OK(update);
  const cbor::Value* manifests = update->array()[1].Find(10);
  ASSERT_NE(manifests, nullptr);
  const Bytes& envelope = manifests->array()[0].bytes();
  auto decoded = DecodeEnvelope(envelope);
  TEEPNET_ASSERT_OK(decoded);
  TEEPNET_ASSERT_OK(AuthenticateEnvelope(*decoded, PublishedAnchors()));
  auto opened = OpenEnvelope(*decoded, PublishedAnchors());
  TEEPNET_ASSERT_OK(opened);
  EXPECT_EQ(opened->sections.count(static_cast<int64_t>(ManifestKey::kInstall)), 0u);
  EXPECT_EQ(opened->sections.count(static_cast<int64_t>(ManifestKey::kInvoke)), 1u);
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  Report report = rig.processor().Install(envelope);
  TEEPNET_EXPECT_OK(ReportStatus(report));
  EXPECT_EQ(rig.fetcher().fetches(), 0u);
  EXPECT_FALSE(rig.store().ReadComponent(TaId("ta")));
}

// --- Refusals ------------------------------------------------------------------------------

// Offset of `part` inside `whole` (both views of the same buffer).
size_t OffsetOf(ByteView whole, ByteView part) {
  return static_cast<size_t>(part.data() - whole.data());
}

TEST(SuitRefusalTest, TamperedDigestFailsSignature) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  Bytes envelope = ReadVectorFile("suit/teep-protocol/suit_uri.cbor");
  auto decoded = DecodeEnvelope(envelope);
  ASSERT_TRUE(decoded.ok());
  envelope[OffsetOf(envelope, decoded->digest.bytes)] ^= 0x01;
  Report report = rig.processor().Install(envelope);
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kSignatureInvalid));
  EXPECT_EQ(report.reason, ReportReason::kUnauthorised);
  EXPECT_TRUE(rig.store().components().empty());
}

TEST(SuitRefusalTest, TamperedSignatureFails) {
  Rig rig("suit/teep-protocol/suit_integrated.cbor", Profile::kTeep);
  Bytes envelope = ReadVectorFile("suit/teep-protocol/suit_integrated.cbor");
  auto decoded = DecodeEnvelope(envelope);
  ASSERT_TRUE(decoded.ok());
  const ByteView block = decoded->auth_blocks[0];
  envelope[OffsetOf(envelope, block) + block.size() - 1] ^= 0x80;  // last signature byte
  EXPECT_TRUE(FailsWith(ReportStatus(rig.processor().Install(envelope)), Errc::kSignatureInvalid));
  EXPECT_TRUE(rig.store().components().empty());
}

TEST(SuitRefusalTest, TamperedManifestFailsDigest) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  Bytes envelope = ReadVectorFile("suit/teep-protocol/suit_uri.cbor");
  auto decoded = DecodeEnvelope(envelope);
  ASSERT_TRUE(decoded.ok());
  // The last byte of the manifest is inside the uninstall sequence's reporting policy.
  envelope[OffsetOf(envelope, decoded->manifest) + decoded->manifest.size() - 1] ^= 0x01;
  EXPECT_TRUE(FailsWith(ReportStatus(rig.processor().Install(envelope)), Errc::kDigestMismatch));
  EXPECT_TRUE(rig.store().components().empty());
}

TEST(SuitRefusalTest, SeveredMemberWithWrongDigestFails) {
  Rig rig("suit/manifest-spec/example2.signed.cbor", Profile::kManifestSpec);
  Bytes envelope = ReadVectorFile("suit/manifest-spec/example2.signed.cbor");
  auto decoded = DecodeEnvelope(envelope);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->severed_contents.count(20), 1u);
  const ByteView install = decoded->severed_contents.at(20);
  envelope[OffsetOf(envelope, install) + install.size() - 1] ^= 0x01;
  EXPECT_TRUE(
      FailsWith(ReportStatus(rig.processor().Install(envelope)), Errc::kSeveredDigestMismatch));
  EXPECT_EQ(rig.store().commits(), 0u);
}

TEST(SuitRefusalTest, WrongVendorIdInstallsNothing) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  rig.device().vendor_id[0] ^= 0xff;
  Report report = rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"));
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kConditionFailed));
  EXPECT_EQ(report.reason, ReportReason::kConditionFailed);
  ASSERT_TRUE(report.failed_record);
  EXPECT_EQ(report.failed_record->section, 3);  // in the shared sequence
  EXPECT_TRUE(rig.store().components().empty());
}

TEST(SuitRefusalTest, WrongClassIdInstallsNothing) {
  Rig rig("suit/teep-protocol/suit_integrated.cbor", Profile::kTeep);
  rig.device().class_ids = {ToBytes(std::string_view("another class..."))};
  Report report =
      rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_integrated.cbor"));
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kConditionFailed));
  EXPECT_TRUE(rig.store().components().empty());
}

TEST(SuitRefusalTest, WrongImageDigestInstallsNothing) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  rig.fetcher().Add("https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta",
                    ToBytes(std::string_view("Hello, Secure World?")));
  Report report = rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"));
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kConditionFailed));
  ASSERT_TRUE(report.failed_record);
  EXPECT_EQ(report.failed_record->section, 20);  // install
  EXPECT_TRUE(rig.store().components().empty());
}

TEST(SuitRefusalTest, LowerSequenceNumberIsRollback) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  StoreTransaction txn;
  txn.installed_manifests.push_back(ManifestRecord{TaId("suit"), 4, {}, {}});
  TEEPNET_ASSERT_OK(rig.store().Commit(txn));
  Report report = rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"));
  EXPECT_TRUE(FailsWith(ReportStatus(report), Errc::kRollback));
  EXPECT_FALSE(rig.store().ReadComponent(TaId("ta")));
}

TEST(SuitRefusalTest, SameSequenceNumberReinstalls) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  Processor p = rig.processor();
  TEEPNET_ASSERT_OK(ReportStatus(p.Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"))));
  TEEPNET_EXPECT_OK(ReportStatus(p.Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"))));
}

// --- Reports ---------------------------------------------------------------------------------

TEST(SuitReportTest, SuccessReportNamesTheManifestDigest) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  Report report = rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"));
  TEEPNET_ASSERT_OK(ReportStatus(report));
  auto decoded = cbor::Decode(EncodeReport(report), cbor::DecodeOptions::Deterministic());
  TEEPNET_ASSERT_OK(decoded);
  const cbor::Value* reference = decoded->Find(99);
  ASSERT_NE(reference, nullptr);
  const cbor::Value& digest = reference->array()[1];
  EXPECT_EQ(ToHex(digest.array()[1].bytes()),
            "b39b52b0b747ea79588c190f567bfc2c8437ba8a73f7ea983182e79f0148d59b");
  EXPECT_TRUE(decoded->Find(4)->bool_value());
  // Every command in suit_uri has reporting policy 15: records for all of them.
  EXPECT_FALSE(decoded->Find(3)->array().empty());
}

TEST(SuitReportTest, FailureReportCarriesReasonConditionFailed) {
  Rig rig("suit/teep-protocol/suit_uri.cbor", Profile::kTeep);
  rig.device().vendor_id[0] ^= 0xff;
  Report report = rig.processor().Install(ReadVectorFile("suit/teep-protocol/suit_uri.cbor"));
  auto decoded = cbor::Decode(EncodeReport(report), cbor::DecodeOptions::Deterministic());
  TEEPNET_ASSERT_OK(decoded);
  const cbor::Value* result = decoded->Find(4);
  ASSERT_TRUE(result != nullptr && result->is_map());
  EXPECT_EQ(result->Find(7)->argument(), 10u);  // suit-report-reason-condition-failed
  EXPECT_EQ(result->Find(6)->array()[1].AsInt64(), 3);
}

// --- firmware-encryption-24 encryption-info examples, standalone ----------------------------

struct EncryptionCase {
  std::string info;
  std::string payload;
};

class SuitEncryptionInfoTest : public ::testing::TestWithParam<EncryptionCase> {};

TEST_P(SuitEncryptionInfoTest, DecryptsToThePublishedFirmware) {
  const std::string dir = "suit/firmware-encryption/";
  auto plaintext = DecryptPayload(ReadVectorFile(dir + GetParam().info),
                                  ReadVectorFile(dir + GetParam().payload), PublishedPayloadKeys());
  TEEPNET_ASSERT_OK(plaintext);
  EXPECT_EQ(std::string(AsChars(plaintext->view())), kFirmware);
}

INSTANTIATE_TEST_SUITE_P(
    Draft24, SuitEncryptionInfoTest,
    ::testing::Values(EncryptionCase{"suit-encryption-info-aes-kw-aes-ctr.cbor",
                                     "encrypted-payload-aes-kw-aes-ctr.bin"},
                      EncryptionCase{"suit-encryption-info-aes-kw-aes-gcm.cbor",
                                     "encrypted-payload-aes-kw-aes-gcm.bin"},
                      EncryptionCase{"suit-encryption-info-es-ecdh-aes-ctr.cbor",
                                     "encrypted-payload-es-ecdh-aes-ctr.bin"},
                      EncryptionCase{"suit-encryption-info-es-ecdh-aes-gcm.cbor",
                                     "encrypted-payload-es-ecdh-aes-gcm.bin"}));

TEST(SuitEncryptionInfoTest, WrongKekFailsWithDecryptionFailed) {
  PayloadKeys keys;
  keys.key_wrap_keys.emplace_back(AsBytes(std::string(16, 'b')));
  const std::string dir = "suit/firmware-encryption/";
  EXPECT_TRUE(
      FailsWith(DecryptPayload(ReadVectorFile(dir + "suit-encryption-info-aes-kw-aes-ctr.cbor"),
                               ReadVectorFile(dir + "encrypted-payload-aes-kw-aes-ctr.bin"), keys),
                Errc::kDecryptionFailed));
}

}  // namespace
}  // namespace teepnet::suit::testing
