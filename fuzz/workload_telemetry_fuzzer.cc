// deps: teepnet_workload_telemetry teepnet_cbor teepnet_base
// Target functions: the telemetry TA's decoders (workloads/telemetry): DecodeModel (the vendor's
// input), DecodeOperatorKey (the operator's input), OpenBatch and DecodeRecords (the bulk and a
// chunk's plaintext), and DecodeOperatorReport / DecodeVendorUsage (what the parties decode).
//
// OpenBatch runs with a fixed key, so random input exercises the bulk structure up to the
// authentication of the first chunk; DecodeRecords gets the input as a decrypted chunk, so the
// record parser behind the AEAD is reached directly. Properties: no crash; whatever decodes
// re-encodes to exactly the bytes it came from (every encoding is deterministic CBOR, so a
// second accepted form of the same value is a bug).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "teepnet/workloads/telemetry/batch.h"
#include "teepnet/workloads/telemetry/model_codec.h"
#include "teepnet/workloads/telemetry/report.h"

namespace {

using namespace teepnet;  // NOLINT: fuzz harness brevity
namespace telemetry = workloads::telemetry;

void SameBytes(ByteView again, ByteView input) {
  if (!Equal(again, input)) std::abort();
}

const telemetry::OperatorKey& FixedKey() {
  static const telemetry::OperatorKey* key = [] {
    auto* k = new telemetry::OperatorKey;
    k->data_key = SecretBytes(Bytes(telemetry::kDataKeyBytes, 0x42));
    k->site = "fuzz-site";
    k->batch_id = Bytes(telemetry::kBatchIdBytes, 0x07);
    return k;
  }();
  return *key;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);
  if (auto model = telemetry::DecodeModel(input); model.ok()) {
    auto again = telemetry::EncodeModel(*model);
    if (!again.ok()) std::abort();
    SameBytes(*again, input);
  }
  if (auto key = telemetry::DecodeOperatorKey(input); key.ok()) {
    auto again = telemetry::EncodeOperatorKey(*key);
    if (!again.ok()) std::abort();
    SameBytes(again->view(), input);
  }
  {
    std::string site;
    std::vector<telemetry::FlowRecord> records;
    std::optional<uint64_t> last_id;
    if (telemetry::DecodeRecords(input, &site, &records, &last_id).ok()) {
      auto again = telemetry::EncodeRecords(site, records);
      if (!again.ok()) std::abort();
      SameBytes(*again, input);
    }
  }
  if (auto records = telemetry::OpenBatch(FixedKey(), input); records.ok()) {
    if (records->empty()) std::abort();
  }
  if (auto report = telemetry::DecodeOperatorReport(input); report.ok()) {
    auto again = telemetry::EncodeOperatorReport(*report);
    if (!again.ok()) std::abort();
    SameBytes(*again, input);
  }
  if (auto usage = telemetry::DecodeVendorUsage(input); usage.ok()) {
    SameBytes(telemetry::EncodeVendorUsage(*usage), input);
  }
  return 0;
}
