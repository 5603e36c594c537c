// The TEEP security wrapper (draft §"Creating and Validating TEEP Messages").
//
// Sending (§ Creating, steps 3-4): the encoded message is the attached payload of a tagged
// COSE_Sign1 whose protected header carries alg (and kid when given), or - for a first
// QueryRequest when the TAM does not yet know the Agent's suite - of a COSE_Sign with one
// signature per offered suite.
//
// Receiving (§ Validating, steps 1-5, in this order; the first failure is returned):
//   1. the bytes parse as CBOR                      -> cbor::Errc
//   2. they are a COSE_Sign1 or COSE_Sign           -> Errc::kNotCose, cose::Errc
//   3. every COSE header parameter is understood    -> Errc::kUnknownHeader, cose::Errc,
//                                                      Errc::kUnsupportedCipherSuite
//   4. a signature verifies with a peer key         -> Errc::kNoTrustedKey, kSignatureInvalid
//   5. the payload is a valid TEEP message          -> cbor::Errc, Errc
// AgentErrorCodeFor() (agent_error.h) turns any of these into the err-code to answer with.
#ifndef TEEPNET_TEEP_SECURE_MESSAGE_H_
#define TEEPNET_TEEP_SECURE_MESSAGE_H_

#include <cstdint>
#include <optional>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/teep/cipher_suite.h"
#include "teepnet/teep/encode_options.h"
#include "teepnet/teep/message.h"
#include "teepnet/teep/wire_profile.h"

namespace teepnet::teep {

struct SigningKey {
  crypto::PrivateKey key;
  CipherSuite suite;         // a single COSE_Sign1 operation, e.g. [[18, -9]]
  std::optional<Bytes> kid;  // put in the protected header when set
};

struct PeerKey {
  crypto::PublicKey key;
  // When both the key and the received signature name a kid, they must match.
  std::optional<Bytes> kid;
};

// Signs an already encoded TEEP message as a tagged COSE_Sign1.
Result<Bytes> SignPayload(ByteView payload, const SigningKey& key);
// Encodes `message` and signs it as a tagged COSE_Sign1.
Result<Bytes> SignMessage(const TeepMessage& message, const WireProfile& profile,
                          const SigningKey& key, const EncodeOptions& options = {});
// Encodes `message` and signs it as a tagged COSE_Sign, one signature per key (draft
// §"Ciphersuites": the first QueryRequest is signed once per offered algorithm so an Agent
// supporting only one of them can verify it).
Result<Bytes> SignMessageMulti(const TeepMessage& message, const WireProfile& profile,
                               const std::vector<SigningKey>& keys,
                               const EncodeOptions& options = {});

struct VerifyOptions {
  // Suites a signature may use; empty means the profile's suites.
  std::vector<CipherSuite> accepted_suites;
  // COSE header labels understood besides alg, crit, content type and kid.
  std::vector<int64_t> extra_understood_headers;
};

struct VerifiedMessage {
  TeepMessage message;
  CipherSuite suite;          // the suite of the signature that verified (the peer's choice)
  size_t peer_key_index = 0;  // which PeerKey verified it (for the EAT `cnf` binding)
  bool multi_signer = false;  // the message was a COSE_Sign
};

Result<VerifiedMessage> VerifyMessage(ByteView wire, const WireProfile& profile,
                                      const std::vector<PeerKey>& peer_keys,
                                      const VerifyOptions& options = {});

}  // namespace teepnet::teep

#endif  // TEEPNET_TEEP_SECURE_MESSAGE_H_
