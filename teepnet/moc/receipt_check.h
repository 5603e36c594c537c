// What the M/OC checks before a delivery counts (USE-CASES "Receipts", "Device channel API"):
// the receipt a device posts must be signed by a key that the request's own EAR names — the
// Agent's attested TEEP key when the Agent opened the sealed bytes (cases 1, 4), the proof key
// of the request's TA instance when the TA did (cases 2, 3) — and must speak of this request
// and this instance. The Broker that relays it is not trusted: a receipt it forged or took
// from another request does not verify.
//
// The EAR is the one the M/OC's Verifier issued and stored with the request, so its claims are
// read without checking the signature again (the store is the M/OC's own memory).
#ifndef TEEPNET_MOC_RECEIPT_CHECK_H_
#define TEEPNET_MOC_RECEIPT_CHECK_H_

#include <string_view>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/channel/receipt.h"
#include "teepnet/eat/ear.h"
#include "teepnet/moc/model.h"

namespace teepnet::moc {

// The claims of a stored EAR: a JWT (kEarMediaType, "application/eat+jwt...") or a CWT
// ("application/eat+cwt..."), signature not checked. moc::Errc::kReceiptInvalid when it does
// not decode (a request whose EAR cannot be read cannot accept any receipt).
Result<eat::Ear> DecodeStoredEar(ByteView ear, std::string_view media_type);

// Verifies `receipt` for `request` (which must carry its EAR and, for cases 2 and 3, its
// channel instance). moc::Errc::kReceiptInvalid with the reason otherwise. Does not look at the
// request's state: MocService decides whether a receipt is expected.
Result<channel::Receipt> CheckReceipt(const Request& request, ByteView receipt);

}  // namespace teepnet::moc

#endif  // TEEPNET_MOC_RECEIPT_CHECK_H_
