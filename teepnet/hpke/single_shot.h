// Single-shot APIs (RFC 9180 §6): one setup, one message or one export, no context kept.
#ifndef TEEPNET_HPKE_SINGLE_SHOT_H_
#define TEEPNET_HPKE_SINGLE_SHOT_H_

#include "teepnet/base/bytes.h"
#include "teepnet/base/random.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/crypto/keys.h"
#include "teepnet/hpke/setup.h"
#include "teepnet/hpke/suite.h"

namespace teepnet::hpke {

struct Sealed {
  Bytes enc;         // Nenc bytes
  Bytes ciphertext;  // plaintext size + Nt bytes
};

// Seal<MODE>(pkR, info, aad, pt, ...): SetupSender, then one Seal at sequence number 0.
Result<Sealed> Seal(const Suite& suite, const crypto::PublicKey& recipient,
                    const SenderParams& params, ByteView aad, ByteView plaintext, Random& random);
// Open<MODE>(enc, skR, info, aad, ct, ...). kOpenFailed for any ciphertext that does not
// authenticate, kBadEncapsulatedKey for an enc that does not decapsulate.
Result<SecretBytes> Open(const Suite& suite, ByteView enc, const crypto::PrivateKey& recipient,
                         const RecipientParams& params, ByteView aad, ByteView ciphertext);

struct SentExport {
  Bytes enc;
  SecretBytes exported;
};

// SendExport<MODE>(pkR, info, exporter_context, L, ...) and its receiving side.
Result<SentExport> SendExport(const Suite& suite, const crypto::PublicKey& recipient,
                              const SenderParams& params, ByteView exporter_context, size_t length,
                              Random& random);
Result<SecretBytes> ReceiveExport(const Suite& suite, ByteView enc,
                                  const crypto::PrivateKey& recipient,
                                  const RecipientParams& params, ByteView exporter_context,
                                  size_t length);

// The base-mode forms most callers want (COSE-HPKE uses only these and the PSK mode).
Result<Sealed> SealBase(const Suite& suite, const crypto::PublicKey& recipient, ByteView info,
                        ByteView aad, ByteView plaintext, Random& random);
Result<SecretBytes> OpenBase(const Suite& suite, ByteView enc, const crypto::PrivateKey& recipient,
                             ByteView info, ByteView aad, ByteView ciphertext);

}  // namespace teepnet::hpke

#endif  // TEEPNET_HPKE_SINGLE_SHOT_H_
