// deps: teepnet_workload_verifier teepnet_crypto
// Fuzzes the decoders of the on-premises verifier workload (workloads/onprem_verifier): the
// first byte picks the message (vendor input, ISP input, ISP output, vendor output), the rest
// is the message. Properties: no crash; a failure is a workload reason; a decoded message
// re-encodes to exactly the bytes it came from (deterministic CBOR has one encoding); an ISP
// batch that decodes is appraised by a Verifier whose only PSA anchor is a key nobody signed
// with, and no router in it comes out affirming.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/crypto/keys.h"
#include "teepnet/workloads/onprem_verifier/appraise.h"
#include "teepnet/workloads/onprem_verifier/messages.h"

using namespace teepnet;
using namespace teepnet::workloads::onprem_verifier;

namespace {

template <typename R>
void CheckFailure(const R& r) {
  if (!r.ok() && r.error().domain() != Domain::kWorkload) abort();
}

template <typename T, typename Enc>
void CheckRoundTrip(const Result<T>& decoded, ByteView input, Enc encode) {
  CheckFailure(decoded);
  if (!decoded.ok()) return;
  auto again = encode(*decoded);
  if (!again.ok() || !Equal(*again, input)) abort();
}

const attest::Verifier& StrangerVerifier() {
  static const attest::Verifier* v = [] {
    VendorInput vendor;
    vendor.psa_anchors.push_back(
        PsaAnchor{Bytes(32, 1), Bytes(33, 1),
                  crypto::PrivateKey::Generate(crypto::KeyType::kP256)->public_key().ToSpkiDer()});
    return new attest::Verifier(*MakeVerifier(vendor));
  }();
  return *v;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const ByteView input(data + 1, size - 1);
  switch (data[0] % 4) {
    case 0: CheckRoundTrip(DecodeVendorInput(input), input, EncodeVendorInput); break;
    case 1: {
      auto batch = DecodeIspInput(input);
      CheckRoundTrip(batch, input, EncodeIspInput);
      if (!batch.ok()) break;
      Appraised a = AppraiseBatch(StrangerVerifier(), *batch, 1800000000);
      if (a.isp.results.size() != batch->routers.size()) abort();
      for (const RouterResult& r : a.isp.results) {
        if (r.status == RouterStatus::kAffirming) abort();
      }
      if (!EncodeIspOutput(a.isp).ok()) abort();
      break;
    }
    case 2: CheckRoundTrip(DecodeIspOutput(input), input, EncodeIspOutput); break;
    case 3: CheckRoundTrip(DecodeVendorOutput(input), input, EncodeVendorOutput); break;
  }
  return 0;
}
