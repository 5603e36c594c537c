// Round trips for every message type, the RFC 9052 §3 header rules through a defect-flag
// message builder, and truncation / bit-flip sweeps.
#include <gtest/gtest.h>

#include <functional>

#include "teepnet/base/hex.h"
#include "teepnet/base/random.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/encrypt.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/mac.h"
#include "teepnet/cose/mac0.h"
#include "teepnet/cose/sign.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/cose/structures.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::cose {
namespace {

using teepnet::testing::FailsWith;

const Bytes kKey32(32, 0x61);
const Bytes kKey16(16, 0x62);
constexpr std::string_view kPayload = "teepnet payload";

crypto::PrivateKey P256() {
  static const crypto::PrivateKey key = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  return key;
}

// --- Defect-flag builder: a COSE_Sign1 signed over whatever headers the flags produce. ----

enum Defect : uint32_t {
  kNone = 0,
  kCritUnprotected = 1 << 0,
  kUnprotectedAlg = 1 << 1,
  kDuplicateInProtected = 1 << 2,
  kLabelInBothBuckets = 1 << 3,
  kUnknownCritical = 1 << 4,
  kWrongTag = 1 << 5,
  kTrailingBytes = 1 << 6,
  kEmptyCrit = 1 << 7,
  kProtectedA0 = 1 << 8,
  kUnknownAlg = 1 << 9,
  kMacAlgInSign1 = 1 << 10,
  kTextAlg = 1 << 11,
  kThreeMembers = 1 << 12,
  kProtectedNotBstr = 1 << 13,
  kCritKnownLabel = 1 << 14,
  kKidNotBstr = 1 << 15,
};

Bytes BuildSign1(uint32_t defects) {
  cbor::Writer prot;
  size_t n = 0;
  cbor::Writer body;
  if (!(defects & (kUnprotectedAlg | kProtectedA0))) {
    ++n;
    body.WriteInt(1);
    if (defects & kUnknownAlg) {
      body.WriteInt(-65000);
    } else if (defects & kMacAlgInSign1) {
      body.WriteInt(5);
    } else if (defects & kTextAlg) {
      body.WriteText("ES256");
    } else {
      body.WriteInt(-7);
    }
  }
  if (defects & kDuplicateInProtected) {
    ++n;
    body.WriteInt(1);
    body.WriteInt(-7);
  }
  if (defects & (kUnknownCritical | kEmptyCrit | kCritKnownLabel)) {
    ++n;
    body.WriteInt(2);
    if (defects & kEmptyCrit) {
      body.WriteArrayHeader(0);
    } else {
      body.WriteArrayHeader(1);
      body.WriteInt((defects & kCritKnownLabel) ? 4 : 99);
    }
    if (defects & kUnknownCritical) {
      ++n;
      body.WriteInt(99);
      body.WriteBool(true);
    }
  }
  if (defects & kLabelInBothBuckets) {
    ++n;
    body.WriteInt(4);
    body.WriteBytes(AsBytes("kid"));
  }
  Bytes protected_bytes;
  if (defects & kProtectedA0) {
    protected_bytes = {0xA0};
  } else {
    prot.WriteMapHeader(n);
    prot.WriteRaw(body.bytes());
    protected_bytes = prot.bytes();
  }
  cbor::Writer unprot;
  size_t un = 0;
  cbor::Writer ubody;
  if (defects & (kUnprotectedAlg | kProtectedA0)) {
    ++un;
    ubody.WriteInt(1);
    ubody.WriteInt(-7);
  }
  if (defects & kCritUnprotected) {
    ++un;
    ubody.WriteInt(2);
    ubody.WriteArrayHeader(1);
    ubody.WriteInt(4);
  }
  if (defects & kLabelInBothBuckets) {
    ++un;
    ubody.WriteInt(4);
    ubody.WriteBytes(AsBytes("kid"));
  }
  if (defects & kKidNotBstr) {
    ++un;
    ubody.WriteInt(4);
    ubody.WriteInt(7);
  }
  unprot.WriteMapHeader(un);
  unprot.WriteRaw(ubody.bytes());

  Bytes tbs = SigStructure1(protected_bytes, {}, AsBytes(kPayload));
  Bytes sig = *crypto::Sign(P256(), crypto::SignatureAlgorithm::kEcdsaSha256, tbs);
  cbor::Writer w;
  w.WriteTag((defects & kWrongTag) ? 17 : 18);
  w.WriteArrayHeader((defects & kThreeMembers) ? 3 : 4);
  if (defects & kProtectedNotBstr) {
    w.WriteMapHeader(0);
  } else {
    w.WriteBytes(protected_bytes);
  }
  w.WriteRaw(unprot.bytes());
  w.WriteBytes(AsBytes(kPayload));
  if (!(defects & kThreeMembers)) w.WriteBytes(sig);
  if (defects & kTrailingBytes) w.WriteUint(0);
  return std::move(w).Take();
}

Result<ByteView> DecodeAndVerify(const Bytes& msg, const HeaderPolicy& policy = {}) {
  auto m = Sign1Message::Decode(msg, Tagging::kOptional, policy);
  if (!m.ok()) return m.error();
  return m->Verify(P256().public_key());
}

TEST(Sign1DefectTest, CleanMessageVerifies) {
  Bytes msg = BuildSign1(kNone);  // the returned view borrows msg
  auto r = DecodeAndVerify(msg);
  TEEPNET_ASSERT_OK(r);
  EXPECT_EQ(AsChars(*r), kPayload);
}

TEST(Sign1DefectTest, CritInUnprotectedBucketFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kCritUnprotected)), Errc::kCritNotProtected));
}

TEST(Sign1DefectTest, UnprotectedAlgFailsUnderStrictProfile) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kUnprotectedAlg)), Errc::kAlgNotProtected));
}

TEST(Sign1DefectTest, UnprotectedAlgVerifiesWhenPolicyAllowsIt) {
  HeaderPolicy lenient;
  lenient.require_protected_alg = false;
  TEEPNET_EXPECT_OK(DecodeAndVerify(BuildSign1(kUnprotectedAlg), lenient));
}

TEST(Sign1DefectTest, DuplicateLabelInOneBucketFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kDuplicateInProtected)), Errc::kDuplicateLabel));
}

TEST(Sign1DefectTest, LabelInBothBucketsFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kLabelInBothBuckets)), Errc::kDuplicateLabel));
}

TEST(Sign1DefectTest, UnknownCriticalHeaderFails) {
  EXPECT_TRUE(
      FailsWith(DecodeAndVerify(BuildSign1(kUnknownCritical)), Errc::kUnknownCriticalHeader));
}

TEST(Sign1DefectTest, UnknownCriticalHeaderVerifiesWhenProfileUnderstandsIt) {
  HeaderPolicy policy;
  policy.extra_understood_labels = {99};
  TEEPNET_EXPECT_OK(DecodeAndVerify(BuildSign1(kUnknownCritical), policy));
}

TEST(Sign1DefectTest, CritListingAKnownLabelVerifies) {
  TEEPNET_EXPECT_OK(DecodeAndVerify(BuildSign1(kCritKnownLabel)));
}

TEST(Sign1DefectTest, EmptyCritFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kEmptyCrit)), Errc::kCritMalformed));
}

TEST(Sign1DefectTest, WrongCborTagFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kWrongTag)), Errc::kWrongTag));
}

TEST(Sign1DefectTest, TrailingBytesFail) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kTrailingBytes)), Errc::kTrailingBytes));
}

TEST(Sign1DefectTest, UnknownAlgorithmFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kUnknownAlg)), Errc::kUnsupportedAlgorithm));
}

TEST(Sign1DefectTest, MacAlgorithmInSign1Fails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kMacAlgInSign1)), Errc::kAlgMismatch));
}

TEST(Sign1DefectTest, TextAlgorithmFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kTextAlg)), Errc::kUnsupportedAlgorithm));
}

TEST(Sign1DefectTest, WrongArityFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kThreeMembers)), Errc::kMalformed));
}

TEST(Sign1DefectTest, ProtectedMapNotWrappedInBstrFails) {
  EXPECT_TRUE(FailsWith(DecodeAndVerify(BuildSign1(kProtectedNotBstr)), Errc::kMalformed));
}

TEST(Sign1DefectTest, KidOfWrongTypeFailsWhenRead) {
  auto m = Sign1Message::Decode(BuildSign1(kKidNotBstr));
  TEEPNET_ASSERT_OK(m);
  EXPECT_TRUE(FailsWith(m->headers().Kid(), Errc::kBadHeaderValue));
}

// h'A0' policy (headers.h): accepted at decode, verified over the received bytes.
TEST(Sign1DefectTest, ProtectedA0IsVerifiedOverTheReceivedBytes) {
  HeaderPolicy lenient;
  lenient.require_protected_alg = false;
  // BuildSign1 signs over the bytes it sends (h'A0'), so this verifies...
  TEEPNET_EXPECT_OK(DecodeAndVerify(BuildSign1(kProtectedA0), lenient));
  // ...and the strict option refuses h'A0' outright.
  lenient.reject_non_minimal_empty_protected = true;
  EXPECT_TRUE(
      FailsWith(DecodeAndVerify(BuildSign1(kProtectedA0), lenient), Errc::kProtectedNotMinimal));
}

TEST(Sign1DefectTest, UntaggedRequiredTagFails) {
  Bytes msg = BuildSign1(kNone);
  EXPECT_TRUE(FailsWith(Sign1Message::Decode(msg, Tagging::kUntagged), Errc::kWrongTag));
  Bytes untagged(msg.begin() + 1, msg.end());
  EXPECT_TRUE(FailsWith(Sign1Message::Decode(untagged, Tagging::kRequired), Errc::kWrongTag));
  TEEPNET_EXPECT_OK(Sign1Message::Decode(untagged, Tagging::kUntagged));
}

// --- Round trips -----------------------------------------------------------------------------

TEST(Sign1Test, SignedMessagesVerifyForEverySignatureAlgorithm) {
  struct Case {
    Algorithm alg;
    crypto::KeyType key;
  };
  for (Case c : {Case{Algorithm::kES256, crypto::KeyType::kP256},
                 Case{Algorithm::kESP256, crypto::KeyType::kP256},
                 Case{Algorithm::kES384, crypto::KeyType::kP384},
                 Case{Algorithm::kESP384, crypto::KeyType::kP384},
                 Case{Algorithm::kES512, crypto::KeyType::kP521},
                 Case{Algorithm::kEdDSA, crypto::KeyType::kEd25519},
                 Case{Algorithm::kEd25519, crypto::KeyType::kEd25519}}) {
    auto key = crypto::PrivateKey::Generate(c.key);
    TEEPNET_ASSERT_OK(key);
    Sign1Options o;
    o.alg = c.alg;
    o.unprotected_headers.SetKid(AsBytes("kid"));
    o.external_aad = AsBytes("aad");
    auto msg = CreateSign1(*key, AsBytes(kPayload), o);
    TEEPNET_ASSERT_OK(msg);
    auto decoded = Sign1Message::Decode(*msg);
    TEEPNET_ASSERT_OK(decoded);
    auto payload = decoded->Verify(key->public_key(), AsBytes("aad"));
    TEEPNET_ASSERT_OK(payload);
    EXPECT_EQ(AsChars(*payload), kPayload);
    EXPECT_TRUE(FailsWith(decoded->Verify(key->public_key()), Errc::kSignatureInvalid));
  }
}

TEST(Sign1Test, FullySpecifiedAlgorithmRejectsOtherCurves) {
  auto key = crypto::PrivateKey::Generate(crypto::KeyType::kP384);
  Sign1Options o;
  o.alg = Algorithm::kESP256;
  EXPECT_TRUE(FailsWith(CreateSign1(*key, AsBytes(kPayload), o), Errc::kWrongKeyType));
}

TEST(Sign1Test, DetachedPayloadVerifiesOnlyWithThePayload) {
  Sign1Options o;
  o.detached = true;
  auto msg = CreateSign1(P256(), AsBytes(kPayload), o);
  TEEPNET_ASSERT_OK(msg);
  auto decoded = Sign1Message::Decode(*msg);
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_FALSE(decoded->payload().has_value());
  EXPECT_TRUE(FailsWith(decoded->Verify(P256().public_key()), Errc::kMissingPayload));
  TEEPNET_EXPECT_OK(decoded->VerifyDetached(P256().public_key(), AsBytes(kPayload)));
  EXPECT_TRUE(FailsWith(decoded->VerifyDetached(P256().public_key(), AsBytes("other")),
                        Errc::kSignatureInvalid));
}

TEST(SignTest, SeveralSignersVerifyIndividuallyAndTogether) {
  auto ed = *crypto::PrivateKey::Generate(crypto::KeyType::kEd25519);
  crypto::PrivateKey p256 = P256();
  SignerSpec a;
  a.key = &p256;
  a.alg = Algorithm::kESP256;
  SignerSpec b;
  b.key = &ed;
  b.alg = Algorithm::kEd25519;
  auto msg = CreateSign(AsBytes(kPayload), SignOptions(), {a, b});
  TEEPNET_ASSERT_OK(msg);
  auto decoded = SignMessage::Decode(*msg);
  TEEPNET_ASSERT_OK(decoded);
  TEEPNET_EXPECT_OK(decoded->VerifySigner(1, ed.public_key()));
  TEEPNET_EXPECT_OK(decoded->VerifyAll({p256.public_key(), ed.public_key()}));
  EXPECT_FALSE(decoded->VerifyAll({ed.public_key(), p256.public_key()}).ok());
  EXPECT_TRUE(FailsWith(decoded->VerifySigner(2, ed.public_key()), Errc::kNoSuchSigner));
}

TEST(Mac0Test, TagVerifiesAndWrongKeyFails) {
  for (Algorithm alg : {Algorithm::kHmac256_64, Algorithm::kHmac256_256, Algorithm::kHmac384_384,
                        Algorithm::kHmac512_512}) {
    Bytes key(64, 0x33);
    Mac0Options o;
    o.alg = alg;
    auto msg = CreateMac0(key, AsBytes(kPayload), o);
    TEEPNET_ASSERT_OK(msg);
    auto decoded = Mac0Message::Decode(*msg);
    TEEPNET_ASSERT_OK(decoded);
    TEEPNET_EXPECT_OK(decoded->Verify(key));
    Bytes other(64, 0x34);
    EXPECT_TRUE(FailsWith(decoded->Verify(other), Errc::kTagInvalid));
  }
}

TEST(Encrypt0Test, AeadRoundTripsAndTamperedAadFails) {
  for (Algorithm alg : {Algorithm::kA128GCM, Algorithm::kA192GCM, Algorithm::kA256GCM,
                        Algorithm::kChaCha20Poly1305}) {
    const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(alg));
    Bytes key(info->key_size, 0x42);
    Encrypt0Options o;
    o.alg = alg;
    o.external_aad = AsBytes("aad");
    auto msg = CreateEncrypt0(key, AsBytes(kPayload), o, crypto::SystemRandom::Get());
    TEEPNET_ASSERT_OK(msg);
    auto decoded = Encrypt0Message::Decode(*msg);
    TEEPNET_ASSERT_OK(decoded);
    DecryptOptions d;
    d.external_aad = AsBytes("aad");
    auto plain = decoded->Decrypt(key, d);
    TEEPNET_ASSERT_OK(plain);
    EXPECT_EQ(AsChars(plain->view()), kPayload);
    EXPECT_TRUE(FailsWith(decoded->Decrypt(key), Errc::kDecryptFailed));
  }
}

TEST(Encrypt0Test, AesCtrKeepsAlgUnprotectedAndRoundTrips) {
  Encrypt0Options o;
  o.alg = Algorithm::kA128CTR;
  auto msg = CreateEncrypt0(kKey16, AsBytes(kPayload), o, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(msg);
  auto decoded = Encrypt0Message::Decode(*msg);
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_TRUE(decoded->headers().protected_bytes.empty());
  EXPECT_EQ(AsChars(decoded->Decrypt(kKey16)->view()), kPayload);
}

TEST(Encrypt0Test, MissingIvFails) {
  // 16([h'A10101', {}, h'00'])
  Bytes msg = *FromHex("d08343a10101a04100");
  auto decoded = Encrypt0Message::Decode(msg);
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_TRUE(FailsWith(decoded->Decrypt(kKey16), Errc::kMissingIv));
}

TEST(Encrypt0Test, IvAndPartialIvTogetherFail) {
  // 16([h'A10101', {5: h'00', 6: h'01'}, h'00'])
  Bytes msg = *FromHex(
      "d08343a10101a2054100064101"
      "4100");
  auto decoded = Encrypt0Message::Decode(msg);
  TEEPNET_ASSERT_OK(decoded);
  EXPECT_TRUE(FailsWith(decoded->Decrypt(kKey16), Errc::kBadIv));
}

std::vector<RecipientSpec> One(RecipientSpec spec) {
  std::vector<RecipientSpec> v;
  v.push_back(std::move(spec));
  return v;
}

TEST(EncryptTest, EveryKeyDistributionMethodRoundTrips) {
  auto recipient = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto sender = *crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  auto x25519 = *crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  for (Algorithm alg :
       {Algorithm::kDirect, Algorithm::kDirectHkdfSha256, Algorithm::kDirectHkdfSha512,
        Algorithm::kA128KW, Algorithm::kA256KW, Algorithm::kEcdhEsHkdf256,
        Algorithm::kEcdhEsHkdf512, Algorithm::kEcdhSsHkdf256, Algorithm::kEcdhSsHkdf512,
        Algorithm::kEcdhEsA128KW, Algorithm::kEcdhEsA192KW, Algorithm::kEcdhEsA256KW,
        Algorithm::kEcdhSsA128KW, Algorithm::kEcdhSsA256KW, Algorithm::kHpke0KE,
        Algorithm::kHpke3KE, Algorithm::kHpke4KE, Algorithm::kHpke7KE}) {
    SCOPED_TRACE(static_cast<int>(alg));
    const AlgorithmInfo* info = FindAlgorithm(static_cast<int64_t>(alg));
    bool okp = alg == Algorithm::kHpke3KE || alg == Algorithm::kHpke4KE;
    RecipientSpec spec;
    spec.alg = alg;
    RecipientKey rk;
    if (info->kind == AlgorithmKind::kDirect || info->kind == AlgorithmKind::kDirectHkdf ||
        info->kind == AlgorithmKind::kKeyWrap) {
      Bytes secret(info->kind == AlgorithmKind::kKeyWrap ? info->key_size : 16, 0x5a);
      spec.secret = SecretBytes(secret);
      rk.secret = SecretBytes(secret);
    } else {
      const crypto::PrivateKey& me = okp ? x25519 : recipient;
      spec.recipient_key = me.public_key();
      spec.sender_key = sender;
      rk.private_key = me;
    }
    EncryptOptions o;
    auto msg =
        CreateEncrypt(AsBytes(kPayload), o, One(std::move(spec)), crypto::SystemRandom::Get());
    TEEPNET_ASSERT_OK(msg);
    auto decoded = EncryptMessage::Decode(*msg);
    TEEPNET_ASSERT_OK(decoded);
    auto plain = decoded->Decrypt(rk);
    TEEPNET_ASSERT_OK(plain);
    EXPECT_EQ(AsChars(plain->view()), kPayload);
    RecipientKey wrong;
    wrong.secret = SecretBytes(Bytes(info->key_size == 0 ? 16 : info->key_size, 0x01));
    wrong.private_key =
        *crypto::PrivateKey::Generate(okp ? crypto::KeyType::kX25519 : crypto::KeyType::kP256);
    EXPECT_FALSE(decoded->Decrypt(wrong).ok());
  }
}

TEST(MacTest, KeyWrapRecipientsRoundTrip) {
  RecipientSpec a;
  a.alg = Algorithm::kA128KW;
  a.secret = SecretBytes(kKey16);
  RecipientSpec b;
  b.alg = Algorithm::kA256KW;
  b.secret = SecretBytes(kKey32);
  std::vector<RecipientSpec> specs;
  specs.push_back(std::move(a));
  specs.push_back(std::move(b));
  auto msg = CreateMac(AsBytes(kPayload), MacOptions(), specs, crypto::SystemRandom::Get());
  TEEPNET_ASSERT_OK(msg);
  auto decoded = MacMessage::Decode(*msg);
  TEEPNET_ASSERT_OK(decoded);
  RecipientKey second;
  second.secret = SecretBytes(kKey32);
  TEEPNET_EXPECT_OK(decoded->Verify(second));
}

// --- Sweeps ------------------------------------------------------------------------------

struct Sample {
  const char* name;
  Bytes message;
  std::function<bool(const Bytes&)> accepts;  // decode + verify/decrypt
};

std::vector<Sample> Samples() {
  std::vector<Sample> out;
  Sign1Options so;
  so.unprotected_headers.SetKid(AsBytes("k"));
  out.push_back({"Sign1", *CreateSign1(P256(), AsBytes(kPayload), so), [](const Bytes& m) {
                   auto d = Sign1Message::Decode(m);
                   return d.ok() && d->Verify(P256().public_key()).ok();
                 }});
  out.push_back({"Mac0", *CreateMac0(kKey32, AsBytes(kPayload), Mac0Options()), [](const Bytes& m) {
                   auto d = Mac0Message::Decode(m);
                   return d.ok() && d->Verify(kKey32).ok();
                 }});
  out.push_back(
      {"Encrypt0",
       *CreateEncrypt0(kKey16, AsBytes(kPayload), Encrypt0Options(), crypto::SystemRandom::Get()),
       [](const Bytes& m) {
         auto d = Encrypt0Message::Decode(m);
         return d.ok() && d->Decrypt(kKey16).ok();
       }});
  return out;
}

TEST(SweepTest, EveryTruncatedPrefixFailsWithoutCrashing) {
  for (const Sample& s : Samples()) {
    ASSERT_TRUE(s.accepts(s.message)) << s.name;
    for (size_t n = 0; n < s.message.size(); ++n) {
      Bytes prefix(s.message.begin(), s.message.begin() + static_cast<ptrdiff_t>(n));
      EXPECT_FALSE(s.accepts(prefix)) << s.name << " prefix " << n;
    }
  }
  // The multi-recipient types too.
  RecipientSpec spec;
  spec.alg = Algorithm::kA128KW;
  spec.secret = SecretBytes(kKey16);
  Bytes enc = *CreateEncrypt(AsBytes(kPayload), EncryptOptions(), One(std::move(spec)),
                             crypto::SystemRandom::Get());
  RecipientKey rk;
  rk.secret = SecretBytes(kKey16);
  for (size_t n = 0; n < enc.size(); ++n) {
    Bytes prefix(enc.begin(), enc.begin() + static_cast<ptrdiff_t>(n));
    auto d = EncryptMessage::Decode(prefix);
    EXPECT_FALSE(d.ok() && d->Decrypt(rk).ok()) << "Encrypt prefix " << n;
    EXPECT_FALSE(MacMessage::Decode(prefix).ok());
    EXPECT_FALSE(SignMessage::Decode(prefix).ok());
  }
}

// [begin, end) of the unprotected bucket: the only bytes no signature, tag or AEAD covers.
std::pair<size_t, size_t> UnprotectedRegion(const Bytes& message) {
  cbor::Reader r(message);
  uint64_t tag = 0;
  size_t n = 0;
  ByteView prot;
  EXPECT_TRUE(r.ReadTag(&tag).ok() && r.ReadArrayHeader(&n).ok() && r.ReadBytes(&prot).ok());
  size_t begin = r.offset();
  EXPECT_TRUE(r.SkipItem().ok());
  return {begin, r.offset()};
}

// Flipping any bit of a Sign1/Mac0/Encrypt0 is refused: the message no longer decodes (a
// precise decode error) or verification / decryption fails. The unprotected bucket is not
// authenticated (RFC 9052 §3), so a flip there may be accepted (Sign1's kid label or value
// becoming another harmless parameter); the test asserts that every accepted flip lies
// inside that bucket and nowhere else.
TEST(SweepTest, EveryBitFlipOutsideTheUnprotectedBucketIsRefused) {
  for (const Sample& s : Samples()) {
    auto [begin, end] = UnprotectedRegion(s.message);
    for (size_t i = 0; i < s.message.size(); ++i) {
      for (int bit = 0; bit < 8; ++bit) {
        Bytes m = s.message;
        m[i] ^= static_cast<uint8_t>(1u << bit);
        if (s.accepts(m)) {
          EXPECT_TRUE(i >= begin && i < end) << s.name << " byte " << i << " bit " << bit;
        }
      }
    }
  }
}

}  // namespace
}  // namespace teepnet::cose
