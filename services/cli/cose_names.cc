// Names for COSE structures: message layouts (RFC 9052 §2-§6), header parameter labels
// (RFC 9052 §3.1, IANA "COSE Header Parameters") and algorithm identifiers (RFC 9053,
// IANA "COSE Algorithms").
#include "services/cli/annotator.h"

namespace teepnet::cli {

namespace {

const std::map<int64_t, std::string>& AlgorithmNames() {
  static const auto* names = new std::map<int64_t, std::string>{
      {-7, "ES256"},
      {-35, "ES384"},
      {-36, "ES512"},
      {-8, "EdDSA"},
      {-9, "ESP256"},
      {-51, "ESP384"},
      {-52, "ESP512"},
      {-19, "Ed25519"},
      {-53, "Ed448"},
      {-37, "PS256"},
      {-38, "PS384"},
      {-39, "PS512"},
      {-257, "RS256"},
      {1, "A128GCM"},
      {2, "A192GCM"},
      {3, "A256GCM"},
      {24, "ChaCha20/Poly1305"},
      {4, "HMAC 256/64"},
      {5, "HMAC 256/256"},
      {6, "HMAC 384/384"},
      {7, "HMAC 512/512"},
      {-3, "A128KW"},
      {-4, "A192KW"},
      {-5, "A256KW"},
      {-6, "direct"},
      {-10, "direct+HKDF-SHA-256"},
      {-11, "direct+HKDF-SHA-512"},
      {-25, "ECDH-ES+HKDF-256"},
      {-26, "ECDH-ES+HKDF-512"},
      {-27, "ECDH-SS+HKDF-256"},
      {-28, "ECDH-SS+HKDF-512"},
      {-29, "ECDH-ES+A128KW"},
      {-30, "ECDH-ES+A192KW"},
      {-31, "ECDH-ES+A256KW"},
      {-65534, "A128CTR"},
      {-65532, "A256CTR"},
      // draft-ietf-cose-hpke values (teepnet/cose/algorithm.h holds the same numbers).
      {35, "HPKE-0"},
      {37, "HPKE-1"},
      {39, "HPKE-2"},
      {41, "HPKE-3"},
      {42, "HPKE-4"},
      {43, "HPKE-5"},
      {44, "HPKE-6"},
      {45, "HPKE-7"},
      {46, "HPKE-0-KE"},
      {47, "HPKE-1-KE"},
      {48, "HPKE-2-KE"},
      {49, "HPKE-3-KE"},
      {50, "HPKE-4-KE"},
      {51, "HPKE-5-KE"},
      {52, "HPKE-6-KE"},
      {53, "HPKE-7-KE"},
      {-16, "SHA-256"},
      {-43, "SHA-384"},
      {-44, "SHA-512"},
  };
  return *names;
}

Member Field(std::string name, std::string context = "") {
  Member m;
  m.name = std::move(name);
  m.context = std::move(context);
  return m;
}

Member Wrapped(std::string name, std::string context) {
  Member m = Field(std::move(name), std::move(context));
  m.bstr_wrapped = true;
  return m;
}

}  // namespace

const std::map<int64_t, std::string>& CoseAlgorithmNames() {
  return AlgorithmNames();
}

void RegisterCoseNames(Annotator& a) {
  // RFC 9052 §3.1 common header parameters, and the ECDH/HKDF ones of RFC 9053 §6.
  Context& headers = a.MutableContext("cose-header");
  Member alg = Field("alg");
  alg.value_names = AlgorithmNames();
  headers.keys[1] = alg;
  headers.keys[2] = Field("crit");
  headers.keys[3] = Field("content type");
  headers.keys[4] = Field("kid");
  headers.keys[5] = Field("IV");
  headers.keys[6] = Field("Partial IV");
  headers.keys[7] = Field("counter signature");
  headers.keys[9] = Field("CounterSignature0");
  headers.keys[10] = Field("kid context");
  headers.keys[15] = Field("CWT Claims");
  headers.keys[32] = Field("x5bag");
  headers.keys[33] = Field("x5chain");
  headers.keys[34] = Field("x5t");
  headers.keys[35] = Field("x5u");
  headers.keys[-1] = Field("ephemeral key", "cose-key");
  headers.keys[-2] = Field("static key", "cose-key");
  headers.keys[-3] = Field("static key id");
  headers.keys[-4] = Field("ek (HPKE encapsulated key)");
  headers.keys[-5] = Field("psk_id");
  headers.keys[-20] = Field("salt");
  headers.keys[-21] = Field("PartyU identity");
  headers.keys[-22] = Field("PartyU nonce");
  headers.keys[-23] = Field("PartyU other");
  headers.keys[-24] = Field("PartyV identity");
  headers.keys[-25] = Field("PartyV nonce");
  headers.keys[-26] = Field("PartyV other");

  // RFC 9052 §7.1 COSE_Key common parameters (EC2/OKP labels share -1..-4).
  Context& key = a.MutableContext("cose-key");
  Member kty = Field("kty");
  kty.value_names = {{1, "OKP"}, {2, "EC2"}, {3, "RSA"}, {4, "Symmetric"}};
  key.keys[1] = kty;
  key.keys[2] = Field("kid");
  Member key_alg = Field("alg");
  key_alg.value_names = AlgorithmNames();
  key.keys[3] = key_alg;
  key.keys[4] = Field("key_ops");
  key.keys[5] = Field("Base IV");
  Member crv = Field("crv / k / n");
  crv.value_names = {{1, "P-256"}, {2, "P-384"},   {3, "P-521"}, {4, "X25519"},
                     {5, "X448"},  {6, "Ed25519"}, {7, "Ed448"}};
  key.keys[-1] = crv;
  key.keys[-2] = Field("x");
  key.keys[-3] = Field("y");
  key.keys[-4] = Field("d");

  const Member kProtected = Wrapped("protected", "cose-header");
  const Member kUnprotected = Field("unprotected", "cose-header");

  // RFC 9052 §4.2, §4.1, §5.2, §5.1, §6.2, §6.1.
  a.MutableContext("COSE_Sign1").positions = {kProtected, kUnprotected, Field("payload"),
                                              Field("signature")};
  a.MutableContext("COSE_Sign").positions = {kProtected, kUnprotected, Field("payload"),
                                             Field("signatures", "COSE_Signatures")};
  a.MutableContext("COSE_Signatures").rest_context = "COSE_Signature";
  a.MutableContext("COSE_Signature").positions = {kProtected, kUnprotected, Field("signature")};
  a.MutableContext("COSE_Encrypt0").positions = {kProtected, kUnprotected, Field("ciphertext")};
  a.MutableContext("COSE_Encrypt").positions = {kProtected, kUnprotected, Field("ciphertext"),
                                                Field("recipients", "COSE_recipients")};
  a.MutableContext("COSE_recipients").rest_context = "COSE_recipient";
  a.MutableContext("COSE_recipient").positions = {kProtected, kUnprotected, Field("ciphertext"),
                                                  Field("recipients", "COSE_recipients")};
  a.MutableContext("COSE_Mac0").positions = {kProtected, kUnprotected, Field("payload"),
                                             Field("tag")};
  a.MutableContext("COSE_Mac").positions = {kProtected, kUnprotected, Field("payload"),
                                            Field("tag"), Field("recipients", "COSE_recipients")};

  // RFC 9052 §2, Table 1.
  a.RegisterTag(16, "COSE_Encrypt0", "COSE_Encrypt0");
  a.RegisterTag(17, "COSE_Mac0", "COSE_Mac0");
  a.RegisterTag(18, "COSE_Sign1", "COSE_Sign1");
  a.RegisterTag(96, "COSE_Encrypt", "COSE_Encrypt");
  a.RegisterTag(97, "COSE_Mac", "COSE_Mac");
  a.RegisterTag(98, "COSE_Sign", "COSE_Sign");
  a.RegisterTag(101, "COSE_Key");
}

void RegisterCoreTagNames(Annotator& a) {
  // RFC 8949 §3.4 and the IANA CBOR Tags registry entries our protocols meet.
  a.RegisterTag(0, "date/time string");
  a.RegisterTag(1, "epoch time");
  a.RegisterTag(2, "unsigned bignum");
  a.RegisterTag(3, "negative bignum");
  a.RegisterTag(4, "decimal fraction");
  a.RegisterTag(5, "bigfloat");
  a.RegisterTag(21, "expected base64url");
  a.RegisterTag(22, "expected base64");
  a.RegisterTag(23, "expected base16");
  a.RegisterTag(24, "encoded CBOR");
  a.RegisterTag(32, "URI");
  a.RegisterTag(37, "UUID");
  a.RegisterTag(61, "CWT");
  a.RegisterTag(111, "OID");
  a.RegisterTag(112, "relative OID");
  a.RegisterTag(55799, "self-described CBOR");
}

}  // namespace teepnet::cli
