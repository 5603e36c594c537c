// The operator's side of the telemetry workload: its key part (sealed to the attested TA like
// every party input) and the telemetry batch, which travels as the envelope's bulk encrypted
// under the data key, so the REE, the Broker and the M/OC relay it without reading it.
//
//   operator  = {1: data_key bstr .size 32, 2: site tstr, 3: batch_id bstr .size 16}
//   bulk      = [batch_id bstr .size 16, [+ chunk bstr]]
//   chunk     = AES-256-GCM(data_key, nonce, aad, plaintext)      ciphertext || 16-byte tag
//   nonce     = 00 00 00 00 || chunk index (uint64, big endian)
//   aad       = ["teepnet/telemetry/v1", batch_id, chunk index, chunk count]   CBOR
//   plaintext = [site tstr, [+ record]]                                         CBOR
//   record    = [id, protocol, dst_port, duration_us, packets_out, packets_in, bytes_out,
//                bytes_in, syn, fin, rst, iat_mean_us, iat_std_us]           13 uints
//
// The operator draws a fresh data key for every batch, so the chunk index alone keeps nonces
// unique (NIST SP 800-38D §8.2.1: a deterministic IV must never repeat under one key). The
// index and count in the AAD make dropping, reordering or splicing chunks fail authentication,
// and the batch id in both the key part and the AAD ties the released key to this one batch.
// All of it is deterministic CBOR; record ids increase strictly through the batch.
#ifndef TEEPNET_WORKLOADS_TELEMETRY_BATCH_H_
#define TEEPNET_WORKLOADS_TELEMETRY_BATCH_H_

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/base/secret_bytes.h"
#include "teepnet/workloads/telemetry/flow.h"
#include "teepnet/workloads/telemetry/limits.h"

namespace teepnet::workloads::telemetry {

inline constexpr char kChunkAadContext[] = "teepnet/telemetry/v1";
inline constexpr size_t kRecordFields = 13;

struct OperatorKey {
  SecretBytes data_key;  // kDataKeyBytes
  std::string site;      // the exporter's site label, repeated in every chunk
  Bytes batch_id;        // kBatchIdBytes
};

// Errc::kBadKey for a key or batch id of the wrong size, kTooLarge for a long site.
Result<SecretBytes> EncodeOperatorKey(const OperatorKey& key);
Result<OperatorKey> DecodeOperatorKey(ByteView bytes);

// [site, [+ record]]; records must pass ValidateRecord and come in increasing id order.
Result<Bytes> EncodeRecords(std::string_view site, std::span<const FlowRecord> records);
// Appends the chunk's records to `out`. `last_id` is the last id already accepted (empty for
// the first chunk) and is updated. Errc::kMalformed / kTooLarge / kBadRecord, with offsets into
// `plaintext` (OpenBatch adds the chunk's index to the message).
Status DecodeRecords(ByteView plaintext, std::string* site, std::vector<FlowRecord>* out,
                     std::optional<uint64_t>* last_id);

// Encrypts `records` (1..kMaxRecords, increasing ids) in chunks of `records_per_chunk`
// (1..kMaxRecordsPerChunk) into a bulk.
Result<Bytes> SealBatch(const OperatorKey& key, std::span<const FlowRecord> records,
                        size_t records_per_chunk = kDefaultRecordsPerChunk);
// Inverse of SealBatch, refusing anything it would not produce: kOpenFailed when a chunk does
// not authenticate (wrong key, tampered, reordered, dropped), kSiteMismatch, kBadKey when the
// bulk names another batch, kMalformed / kTooLarge / kBadRecord for the contents.
Result<std::vector<FlowRecord>> OpenBatch(const OperatorKey& key, ByteView bulk);

}  // namespace teepnet::workloads::telemetry

#endif  // TEEPNET_WORKLOADS_TELEMETRY_BATCH_H_
