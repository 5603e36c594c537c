// `teepnet demo`, foundation stage: exercises the layers that exist end to end — a Network
// User signs a package description with COSE_Sign1 (ESP256), seals personalization data to an
// Agent's X25519 key with COSE-HPKE (HPKE-3: DHKEM(X25519), HKDF-SHA256, AES-128-GCM), the
// Agent verifies and opens both, and every artefact is shown as `teepnet inspect` prints it.
// Each step is checked; any failure ends the demo with exit status 1.
#include <chrono>
#include <cstdio>
#include <string>

#include "services/cli/annotator.h"
#include "services/cli/commands.h"
#include "teepnet/base/hex.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/cose_key.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/cose/hpke_cose.h"
#include "teepnet/cose/sign1.h"
#include "teepnet/crypto/hash.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/crypto/random.h"

namespace teepnet::cli {

namespace {

class Step {
 public:
  explicit Step(const char* name) : name_(name), start_(std::chrono::steady_clock::now()) {}
  void Done(const std::string& detail) const {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                  std::chrono::steady_clock::now() - start_)
                  .count();
    std::printf("  ok   %-48s %7.2f ms  %s\n", name_, static_cast<double>(us) / 1000.0,
                detail.c_str());
  }

 private:
  const char* name_;
  std::chrono::steady_clock::time_point start_;
};

int Fail(const char* what, const Error& error) {
  std::printf("  FAIL %s: %s\n", what, error.ToString().c_str());
  return kExitFailure;
}

void Show(const char* title, ByteView bytes) {
  Annotator annotator;
  RegisterCoreTagNames(annotator);
  RegisterCoseNames(annotator);
  auto text = annotator.Annotate(bytes);
  std::printf("\n%s (%zu bytes):\n%s", title, bytes.size(),
              text.ok() ? text->c_str() : text.error().ToString().c_str());
}

}  // namespace

int RunFoundationDemo() {
  std::printf("teepnet demo — foundation: COSE signing, COSE-HPKE sealing, inspection\n\n");
  Random& random = crypto::SystemRandom::Get();

  Step keys_step("generate user ESP256 key and agent X25519 key");
  auto user_key = crypto::PrivateKey::Generate(crypto::KeyType::kP256);
  if (!user_key.ok()) return Fail("user key", user_key.error());
  auto agent_key = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  if (!agent_key.ok()) return Fail("agent key", agent_key.error());
  auto user_kid = cose::CoseKey::FromPublicKey(user_key->public_key()).Thumbprint();
  if (!user_kid.ok()) return Fail("thumbprint", user_kid.error());
  keys_step.Done("user kid " + ToHex(*user_kid).substr(0, 16) + "…");

  // The payload a user would sign: a small CBOR map naming a trusted component and its digest.
  const std::string ta_image = "Hello, Secure World!";
  cbor::Writer payload_writer;
  payload_writer.WriteMapHeader(2);
  // Keys in Core Deterministic order (RFC 8949 §4.2.1): "sha-256" encodes shorter.
  payload_writer.WriteText("sha-256");
  payload_writer.WriteBytes(crypto::Sha256(AsBytes(ta_image)));
  payload_writer.WriteText("component");
  payload_writer.WriteText("hello-ta");
  Bytes payload = std::move(payload_writer).Take();

  Step sign_step("sign package description (COSE_Sign1)");
  cose::Sign1Options sign_options;
  sign_options.unprotected_headers.SetKid(*user_kid);
  auto signed_message = cose::CreateSign1(*user_key, payload, sign_options);
  if (!signed_message.ok()) return Fail("sign", signed_message.error());
  sign_step.Done(std::to_string(signed_message->size()) + " bytes");

  Step verify_step("verify it over the bytes as received");
  auto decoded = cose::Sign1Message::Decode(*signed_message);
  if (!decoded.ok()) return Fail("decode", decoded.error());
  auto verified = decoded->Verify(user_key->public_key());
  if (!verified.ok()) return Fail("verify", verified.error());
  if (!Equal(*verified, payload)) {
    return Fail("verify", Error(Code::kInternal, "verified payload differs"));
  }
  verify_step.Done("signature valid");

  Step tamper_step("refuse a copy with one flipped bit");
  Bytes tampered = *signed_message;
  tampered[tampered.size() - 1] ^= 0x01;
  auto tampered_decoded = cose::Sign1Message::Decode(tampered);
  if (tampered_decoded.ok() && tampered_decoded->Verify(user_key->public_key()).ok()) {
    return Fail("tamper", Error(Code::kInternal, "tampered message verified"));
  }
  tamper_step.Done("refused");

  const std::string pd = "{\"db-password\":\"demo-only-secret\"}";
  Step seal_step("seal personalization data (COSE-HPKE, HPKE-3)");
  cose::Encrypt0HpkeOptions seal_options;
  auto sealed = cose::CreateEncrypt0Hpke(agent_key->public_key(), AsBytes(pd), seal_options, random);
  if (!sealed.ok()) return Fail("seal", sealed.error());
  seal_step.Done(std::to_string(sealed->size()) + " bytes");

  Step open_step("open it with the agent's private key");
  auto sealed_decoded = cose::Encrypt0Message::Decode(*sealed);
  if (!sealed_decoded.ok()) return Fail("decode sealed", sealed_decoded.error());
  auto opened = cose::DecryptEncrypt0Hpke(*sealed_decoded, *agent_key);
  if (!opened.ok()) return Fail("open", opened.error());
  if (!Equal(opened->view(), AsBytes(pd))) {
    return Fail("open", Error(Code::kInternal, "plaintext differs"));
  }
  open_step.Done("plaintext recovered");

  Step wrong_key_step("refuse to open with another key");
  auto other = crypto::PrivateKey::Generate(crypto::KeyType::kX25519);
  if (!other.ok()) return Fail("other key", other.error());
  if (cose::DecryptEncrypt0Hpke(*sealed_decoded, *other).ok()) {
    return Fail("wrong key", Error(Code::kInternal, "opened with the wrong key"));
  }
  wrong_key_step.Done("refused");

  Show("COSE_Sign1", *signed_message);
  Show("COSE_Encrypt0 (HPKE)", *sealed);
  std::printf("\nall steps passed\n");
  return kExitOk;
}

}  // namespace teepnet::cli
