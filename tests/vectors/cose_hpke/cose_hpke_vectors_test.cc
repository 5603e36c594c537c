// draft-ietf-cose-hpke test vectors (../shared/vectors/hpke/cose-hpke/testvectors.txt, see the
// README there): every suite's COSE_Key is parsed with our COSE_Key decoder, every ciphertext
// line of a suite OpenSSL 3.0 supports must decrypt to "hpke test payload", and our own
// encryptions with the same keys round-trip. Suites on X448 (HPKE-5, HPKE-6 and their -KE
// forms) are counted as not applicable: crypto/ has no X448 key type.
//
// Inputs named by the vector titles: external aad = "external-aad" (COSE external_aad of the
// content layer), external info = "external-info" (HPKE info in integrated mode; the
// Recipient_structure's recipient_extra_info in KE mode), external hpke aad =
// "external-hpke-aad" (HPKE aad of the KE recipient), PSK = RFC 9180 Appendix A's psk with
// psk_id "Ennyn Durin aran Moria".
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "teepnet/base/hex.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/encrypt.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/cose/errc.h"
#include "teepnet/cose/hpke_cose.h"
#include "teepnet/crypto/random.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/testing/vectors.h"

namespace teepnet::cose {
namespace {

using teepnet::testing::FailsWith;
using teepnet::testing::HexOrDie;

constexpr std::string_view kPayload = "hpke test payload";

struct Case {
  std::string suite;  // "HPKE-0-KE", "HPKE-3", ...
  Bytes cose_key;
  std::string title;
  Bytes message;
};

std::vector<Case> LoadCases() {
  Bytes raw = teepnet::testing::ReadVectorFile("hpke/cose-hpke/testvectors.txt");
  std::istringstream in(std::string(raw.begin(), raw.end()));
  std::vector<Case> out;
  std::string line, suite, title;
  Bytes key;
  while (std::getline(in, line)) {
    if (auto at = line.find(" COSE_Key:"); at != std::string::npos) {
      suite = line.substr(0, at);
      key = HexOrDie(line.substr(line.find(' ', at + 10) + 1));
    } else if (line.rfind("Ciphertext: ", 0) == 0) {
      out.push_back(Case{suite, key, title, HexOrDie(line.substr(12))});
    } else if (!line.empty()) {
      title = line;
    }
  }
  return out;
}

bool Has(const std::string& s, const char* what) {
  return s.find(what) != std::string::npos;
}

HpkeParams ParamsFor(const std::string& title, Bytes* psk, Bytes* psk_id) {
  HpkeParams p;
  static const std::string kInfo = "external-info";
  static const std::string kHpkeAad = "external-hpke-aad";
  if (Has(title, "external info")) p.external_info = AsBytes(kInfo);
  if (Has(title, "external hpke aad")) p.hpke_aad = AsBytes(kHpkeAad);
  if (Has(title, "PSK")) {
    *psk = HexOrDie("0247fd33b913760fa1fa51e1892d9f307fbe65eb171e8132c2af18555a738b82");
    *psk_id = ToBytes(std::string_view("Ennyn Durin aran Moria"));
    p.psk = *psk;
    p.psk_id = *psk_id;
  }
  return p;
}

ByteView ExternalAad(const std::string& title) {
  static const std::string kAad = "external-aad";
  return Has(title, "with external aad") ? AsBytes(kAad) : ByteView();
}

class CoseHpkeVectorTest : public ::testing::TestWithParam<Case> {};

TEST_P(CoseHpkeVectorTest, CiphertextDecryptsToThePayload) {
  const Case& c = GetParam();
  auto key = CoseKey::Decode(c.cose_key);
  TEEPNET_ASSERT_OK(key);
  auto priv = key->ToPrivateKey();
  if (!priv.ok()) {
    // Only X448 suites may end here; anything else is a failure.
    ASSERT_TRUE(FailsWith(priv, Errc::kUnsupportedAlgorithm)) << c.suite;
    ASSERT_TRUE(Has(c.suite, "HPKE-5") || Has(c.suite, "HPKE-6")) << c.suite;
    std::printf("not applicable: %s (X448): %s\n", c.suite.c_str(), c.title.c_str());
    return;
  }
  Bytes psk, psk_id;
  HpkeParams params = ParamsFor(c.title, &psk, &psk_id);
  ByteView aad = ExternalAad(c.title);
  if (Has(c.suite, "-KE")) {
    auto msg = EncryptMessage::Decode(c.message);
    TEEPNET_ASSERT_OK(msg);
    RecipientKey rk;
    rk.private_key = *priv;
    rk.hpke = params;
    DecryptOptions opts;
    opts.external_aad = aad;
    auto plain = msg->Decrypt(rk, opts);
    TEEPNET_ASSERT_OK(plain);
    EXPECT_EQ(AsChars(plain->view()), kPayload);
    // Another external_aad must be refused.
    opts.external_aad = AsBytes("other");
    EXPECT_FALSE(msg->Decrypt(rk, opts).ok());
  } else {
    auto msg = Encrypt0Message::Decode(c.message);
    TEEPNET_ASSERT_OK(msg);
    auto plain = DecryptEncrypt0Hpke(*msg, *priv, aad, params);
    TEEPNET_ASSERT_OK(plain);
    EXPECT_EQ(AsChars(plain->view()), kPayload);
    EXPECT_FALSE(DecryptEncrypt0Hpke(*msg, *priv, AsBytes("other"), params).ok());
  }
}

TEST_P(CoseHpkeVectorTest, OwnEncryptionWithTheSameKeyRoundTrips) {
  const Case& c = GetParam();
  auto key = CoseKey::Decode(c.cose_key);
  TEEPNET_ASSERT_OK(key);
  auto priv = key->ToPrivateKey();
  if (!priv.ok()) {
    ASSERT_TRUE(Has(c.suite, "HPKE-5") || Has(c.suite, "HPKE-6")) << c.suite;
    return;
  }
  ASSERT_TRUE(key->alg().has_value());
  Bytes psk, psk_id;
  HpkeParams params = ParamsFor(c.title, &psk, &psk_id);
  ByteView aad = ExternalAad(c.title);
  auto& rng = crypto::SystemRandom::Get();
  if (Has(c.suite, "-KE")) {
    RecipientSpec spec;
    spec.alg = static_cast<Algorithm>(*key->alg());
    spec.recipient_key = priv->public_key();
    spec.hpke = params;
    if (params.psk_id) spec.protected_headers.SetBytes(kHeaderLabelHpkePskId, *params.psk_id);
    EncryptOptions o;
    o.alg = Algorithm::kA128GCM;
    o.external_aad = aad;
    std::vector<RecipientSpec> specs;
    specs.push_back(std::move(spec));
    auto bytes = CreateEncrypt(AsBytes(kPayload), o, specs, rng);
    TEEPNET_ASSERT_OK(bytes);
    auto msg = EncryptMessage::Decode(*bytes);
    TEEPNET_ASSERT_OK(msg);
    RecipientKey rk;
    rk.private_key = *priv;
    rk.hpke = params;
    DecryptOptions opts;
    opts.external_aad = aad;
    auto plain = msg->Decrypt(rk, opts);
    TEEPNET_ASSERT_OK(plain);
    EXPECT_EQ(AsChars(plain->view()), kPayload);
  } else {
    Encrypt0HpkeOptions o;
    o.alg = static_cast<Algorithm>(*key->alg());
    o.external_aad = aad;
    o.hpke = params;
    auto bytes = CreateEncrypt0Hpke(priv->public_key(), AsBytes(kPayload), o, rng);
    TEEPNET_ASSERT_OK(bytes);
    auto msg = Encrypt0Message::Decode(*bytes);
    TEEPNET_ASSERT_OK(msg);
    auto plain = DecryptEncrypt0Hpke(*msg, *priv, aad, params);
    TEEPNET_ASSERT_OK(plain);
    EXPECT_EQ(AsChars(plain->view()), kPayload);
  }
}

std::string NameOf(const ::testing::TestParamInfo<Case>& info) {
  std::string name = std::to_string(info.index) + "_" + info.param.suite + "_" + info.param.title;
  for (char& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(DraftIetfCoseHpke, CoseHpkeVectorTest, ::testing::ValuesIn(LoadCases()),
                         NameOf);

TEST(CoseHpkeVectorFileTest, HoldsAllSixteenSuites) {
  std::set<std::string> suites;
  for (const Case& c : LoadCases()) suites.insert(c.suite);
  EXPECT_EQ(suites.size(), 16u);
  EXPECT_EQ(LoadCases().size(), 192u);
}

}  // namespace
}  // namespace teepnet::cose
