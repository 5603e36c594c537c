// The byte strings COSE authenticates, built deterministically with the cbor Writer in one
// allocation each. Every protected bucket goes in as the bytes received.
#ifndef TEEPNET_COSE_STRUCTURES_H_
#define TEEPNET_COSE_STRUCTURES_H_

#include <cstdint>
#include <optional>
#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cose/algorithm.h"
#include "teepnet/cose/headers.h"

namespace teepnet::cose {

// RFC 9052 §4.4: ["Signature1", body_protected, external_aad, payload].
Bytes SigStructure1(ByteView body_protected, ByteView external_aad, ByteView payload);
// RFC 9052 §4.4: ["Signature", body_protected, sign_protected, external_aad, payload].
Bytes SigStructure(ByteView body_protected, ByteView sign_protected, ByteView external_aad,
                   ByteView payload);
// RFC 9052 §6.3: [context ("MAC" / "MAC0"), protected, external_aad, payload].
Bytes MacStructure(std::string_view context, ByteView protected_bytes, ByteView external_aad,
                   ByteView payload);
// RFC 9052 §5.3: [context ("Encrypt0" / "Encrypt" / "Enc_Recipient" ...), protected,
// external_aad].
Bytes EncStructure(std::string_view context, ByteView protected_bytes, ByteView external_aad);

// Application-supplied parts of COSE_KDF_Context (RFC 9053 §5.2) that travel in no header:
// SuppPubInfo.other and SuppPrivInfo (SUIT uses other = "SUIT Payload Encryption").
struct KdfExtras {
  std::optional<Bytes> supp_pub_other;
  std::optional<Bytes> supp_priv_info;
};

// RFC 9053 §5.2 COSE_KDF_Context = [AlgorithmID, PartyUInfo, PartyVInfo, SuppPubInfo
// (, SuppPrivInfo)]. AlgorithmID is the algorithm the derived key is for; keyDataLength is in
// bits; PartyU/V identity, nonce and other come from recipient headers -21..-26 (nil when
// absent); SuppPubInfo.protected is the recipient's protected bucket as received.
Result<Bytes> KdfContext(Algorithm key_alg, size_t key_bytes, const Headers& recipient,
                         const KdfExtras& extras);

// draft-ietf-cose-hpke Recipient_structure, deterministic CBOR of
// ["HPKE Recipient", next_layer_alg, recipient_protected_bstr, recipient_extra_info].
Bytes HpkeRecipientInfo(int64_t next_layer_alg, ByteView recipient_protected, ByteView extra_info);

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_STRUCTURES_H_
