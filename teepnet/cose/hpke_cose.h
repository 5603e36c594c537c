// COSE-HPKE (draft-ietf-cose-hpke): integrated encryption in COSE_Encrypt0 (HPKE-0..7) and
// the key-encryption recipient (HPKE-0-KE..7-KE, used through recipient.h / encrypt.h).
//
// Integrated mode: the COSE ciphertext is HPKE Seal(pkR, info = external info (h'' by
// default), aad = Enc_structure ["Encrypt0", protected, external_aad], plaintext); the
// encapsulated key travels in the unprotected `ek` header (-4). A `psk_id` header (-5,
// protected) selects mode_psk.
#ifndef TEEPNET_COSE_HPKE_COSE_H_
#define TEEPNET_COSE_HPKE_COSE_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/cose/encrypt0.h"
#include "teepnet/cose/recipient.h"
#include "teepnet/crypto/keys.h"

namespace teepnet::cose {

Result<SecretBytes> DecryptEncrypt0Hpke(const Encrypt0Message& message,
                                        const crypto::PrivateKey& key, ByteView external_aad = {},
                                        const HpkeParams& params = {});

struct Encrypt0HpkeOptions {
  Algorithm alg = Algorithm::kHpke3;
  HeaderMap protected_headers;
  HeaderMap unprotected_headers;  // ek is added here
  ByteView external_aad;
  HpkeParams hpke;  // psk/psk_id: mode_psk and psk_id in the protected bucket
  bool tagged = true;
};

Result<Bytes> CreateEncrypt0Hpke(const crypto::PublicKey& recipient, ByteView plaintext,
                                 const Encrypt0HpkeOptions& options, Random& random);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_HPKE_COSE_H_
