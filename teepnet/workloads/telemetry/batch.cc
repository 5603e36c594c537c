#include "teepnet/workloads/telemetry/batch.h"

#include <array>
#include <string>
#include <utility>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/crypto/cipher.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/schema.h"

namespace teepnet::workloads::telemetry {
namespace {

constexpr crypto::AeadAlgorithm kChunkAead = crypto::AeadAlgorithm::kAes256Gcm;
enum OperatorKeyField : uint64_t { kDataKey = 1, kSite, kBatchId };
constexpr size_t kOperatorKeyEntries = 3;
constexpr size_t kBulkFields = 2;
constexpr size_t kChunkFields = 2;
constexpr size_t kNonceBytes = 12;

Status CheckKey(const OperatorKey& key) {
  if (key.data_key.size() != kDataKeyBytes) {
    return Error(Errc::kBadKey, "data key is not " + std::to_string(kDataKeyBytes) + " bytes");
  }
  if (key.batch_id.size() != kBatchIdBytes) {
    return Error(Errc::kBadKey, "batch id is not " + std::to_string(kBatchIdBytes) + " bytes");
  }
  if (key.site.size() > kMaxSiteBytes) {
    return Error(Errc::kTooLarge, "site longer than " + std::to_string(kMaxSiteBytes) + " bytes");
  }
  return OkStatus();
}

std::array<uint8_t, kNonceBytes> ChunkNonce(uint64_t index) {
  std::array<uint8_t, kNonceBytes> nonce{};
  for (size_t i = 0; i < 8; ++i)
    nonce[kNonceBytes - 1 - i] = static_cast<uint8_t>(index >> (8 * i));
  return nonce;
}

Bytes ChunkAad(ByteView batch_id, uint64_t index, uint64_t count) {
  cbor::Writer w;
  w.WriteArrayHeader(4);
  w.WriteText(kChunkAadContext);
  w.WriteBytes(batch_id);
  w.WriteUint(index);
  w.WriteUint(count);
  return std::move(w).Take();
}

void WriteRecord(cbor::Writer& w, const FlowRecord& r) {
  w.WriteArrayHeader(kRecordFields);
  for (uint64_t v :
       {r.id, uint64_t{r.protocol}, uint64_t{r.dst_port}, r.duration_us, r.packets_out,
        r.packets_in, r.bytes_out, r.bytes_in, r.syn, r.fin, r.rst, r.iat_mean_us, r.iat_std_us}) {
    w.WriteUint(v);
  }
}

Status ReadRecord(cbor::Reader& r, FlowRecord* out) {
  const size_t at = r.offset();
  size_t fields = 0;
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, 0, SIZE_MAX, "record", &fields));
  if (fields != kRecordFields) {
    return schema::Malformed("a record has " + std::to_string(kRecordFields) + " fields", at);
  }
  uint64_t protocol = 0;
  uint64_t port = 0;
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, UINT64_MAX, "record id", &out->id));
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, 255, "record protocol", &protocol));
  TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, 65535, "record dst_port", &port));
  out->protocol = static_cast<uint8_t>(protocol);
  out->dst_port = static_cast<uint16_t>(port);
  for (uint64_t* field :
       {&out->duration_us, &out->packets_out, &out->packets_in, &out->bytes_out, &out->bytes_in,
        &out->syn, &out->fin, &out->rst, &out->iat_mean_us, &out->iat_std_us}) {
    TEEPNET_RETURN_IF_ERROR(schema::ReadUint(r, UINT64_MAX, "record counter", field));
  }
  if (auto valid = ValidateRecord(*out); !valid.ok()) {
    return Error(Errc::kBadRecord, valid.error().message(), at);
  }
  return OkStatus();
}

}  // namespace

Result<SecretBytes> EncodeOperatorKey(const OperatorKey& key) {
  TEEPNET_RETURN_IF_ERROR(CheckKey(key));
  cbor::Writer w;
  w.WriteMapHeader(kOperatorKeyEntries);
  w.WriteUint(kDataKey);
  w.WriteBytes(key.data_key.view());
  w.WriteUint(kSite);
  w.WriteText(key.site);
  w.WriteUint(kBatchId);
  w.WriteBytes(key.batch_id);
  Bytes encoded = std::move(w).Take();
  SecretBytes out{ByteView(encoded)};
  SecureWipe(encoded.data(), encoded.size());
  return out;
}

Result<OperatorKey> DecodeOperatorKey(ByteView bytes) {
  cbor::Reader r(bytes, cbor::DecodeOptions::Deterministic());
  OperatorKey key;
  ByteView data_key;
  ByteView batch_id;
  TEEPNET_RETURN_IF_ERROR(schema::ExpectMap(r, kOperatorKeyEntries, "operator key"));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kDataKey, "operator key"));
  const size_t key_at = r.offset();
  if (!schema::ReadBytesOfSize(r, kDataKeyBytes, "data key", &data_key).ok()) {
    return Error(Errc::kBadKey, "data key is not a bstr of 32 bytes", key_at);
  }
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kSite, "operator key"));
  TEEPNET_RETURN_IF_ERROR(schema::ReadText(r, kMaxSiteBytes, "site", &key.site));
  TEEPNET_RETURN_IF_ERROR(schema::ExpectKey(r, kBatchId, "operator key"));
  const size_t batch_at = r.offset();
  if (!schema::ReadBytesOfSize(r, kBatchIdBytes, "batch id", &batch_id).ok()) {
    return Error(Errc::kBadKey, "batch id is not a bstr of 16 bytes", batch_at);
  }
  TEEPNET_RETURN_IF_ERROR(schema::ExpectEnd(r, "operator key"));
  key.data_key = SecretBytes(data_key);
  key.batch_id = ToBytes(batch_id);
  return key;
}

Result<Bytes> EncodeRecords(std::string_view site, std::span<const FlowRecord> records) {
  if (records.empty() || records.size() > kMaxRecordsPerChunk) {
    return Error(Errc::kTooLarge,
                 "a chunk holds 1.." + std::to_string(kMaxRecordsPerChunk) + " records");
  }
  if (site.size() > kMaxSiteBytes) return Error(Errc::kTooLarge, "site too long");
  cbor::Writer w(records.size() * 48);
  w.WriteArrayHeader(kChunkFields);
  w.WriteText(site);
  w.WriteArrayHeader(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    TEEPNET_RETURN_IF_ERROR(ValidateRecord(records[i]));
    if (i > 0 && records[i].id <= records[i - 1].id) {
      return Error(Errc::kBadRecord, "record ids do not increase");
    }
    WriteRecord(w, records[i]);
  }
  return std::move(w).Take();
}

Status DecodeRecords(ByteView plaintext, std::string* site, std::vector<FlowRecord>* out,
                     std::optional<uint64_t>* last_id) {
  cbor::Reader r(plaintext, cbor::DecodeOptions::Deterministic());
  size_t fields = 0;
  size_t count = 0;
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, kChunkFields, kChunkFields, "chunk", &fields));
  TEEPNET_RETURN_IF_ERROR(schema::ReadText(r, kMaxSiteBytes, "chunk site", site));
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, 1, kMaxRecordsPerChunk, "chunk records", &count));
  if (out->size() + count > kMaxRecords) {
    return Error(Errc::kTooLarge, "batch has more than " + std::to_string(kMaxRecords) + " records",
                 r.offset());
  }
  for (size_t i = 0; i < count; ++i) {
    const size_t at = r.offset();
    FlowRecord record;
    TEEPNET_RETURN_IF_ERROR(ReadRecord(r, &record));
    if (last_id->has_value() && record.id <= **last_id) {
      return Error(Errc::kBadRecord, "record ids do not increase", at);
    }
    *last_id = record.id;
    out->push_back(record);
  }
  return schema::ExpectEnd(r, "chunk");
}

Result<Bytes> SealBatch(const OperatorKey& key, std::span<const FlowRecord> records,
                        size_t records_per_chunk) {
  TEEPNET_RETURN_IF_ERROR(CheckKey(key));
  if (records.empty() || records.size() > kMaxRecords) {
    return Error(Errc::kTooLarge, "a batch holds 1.." + std::to_string(kMaxRecords) + " records");
  }
  if (records_per_chunk == 0 || records_per_chunk > kMaxRecordsPerChunk) {
    return Error(Errc::kTooLarge,
                 "records per chunk outside 1.." + std::to_string(kMaxRecordsPerChunk));
  }
  const size_t chunks = (records.size() + records_per_chunk - 1) / records_per_chunk;
  if (chunks > kMaxChunks) {
    return Error(Errc::kTooLarge, "more than " + std::to_string(kMaxChunks) + " chunks");
  }
  cbor::Writer w;
  w.WriteArrayHeader(kBulkFields);
  w.WriteBytes(key.batch_id);
  w.WriteArrayHeader(chunks);
  for (size_t c = 0; c < chunks; ++c) {
    const auto part = records.subspan(
        c * records_per_chunk, std::min(records_per_chunk, records.size() - c * records_per_chunk));
    if (c > 0 && part.front().id <= records[c * records_per_chunk - 1].id) {
      return Error(Errc::kBadRecord, "record ids do not increase");
    }
    TEEPNET_ASSIGN_OR_RETURN(Bytes plaintext, EncodeRecords(key.site, part));
    const auto nonce = ChunkNonce(c);
    auto sealed = crypto::AeadSeal(kChunkAead, key.data_key.view(), nonce,
                                   ChunkAad(key.batch_id, c, chunks), plaintext);
    SecureWipe(plaintext.data(), plaintext.size());
    if (!sealed.ok()) return sealed.error().WithContext("telemetry chunk");
    w.WriteBytes(*sealed);
  }
  if (w.size() > kMaxBulkBytes) return Error(Errc::kTooLarge, "bulk exceeds kMaxBulkBytes");
  return std::move(w).Take();
}

Result<std::vector<FlowRecord>> OpenBatch(const OperatorKey& key, ByteView bulk) {
  TEEPNET_RETURN_IF_ERROR(CheckKey(key));
  if (bulk.size() > kMaxBulkBytes) {
    return Error(Errc::kTooLarge, "bulk exceeds " + std::to_string(kMaxBulkBytes) + " bytes");
  }
  cbor::Reader r(bulk, cbor::DecodeOptions::Deterministic());
  size_t fields = 0;
  size_t chunks = 0;
  ByteView batch_id;
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, kBulkFields, kBulkFields, "bulk", &fields));
  const size_t batch_at = r.offset();
  TEEPNET_RETURN_IF_ERROR(schema::ReadBytesOfSize(r, kBatchIdBytes, "bulk batch id", &batch_id));
  if (!Equal(batch_id, key.batch_id)) {
    return Error(Errc::kBadKey, "the bulk is another batch than the operator's key names",
                 batch_at);
  }
  TEEPNET_RETURN_IF_ERROR(schema::ReadArray(r, 1, kMaxChunks, "bulk chunks", &chunks));
  std::vector<FlowRecord> records;
  std::optional<uint64_t> last_id;
  for (size_t c = 0; c < chunks; ++c) {
    const size_t at = r.offset();
    ByteView sealed;
    TEEPNET_RETURN_IF_ERROR(schema::ReadBytes(r, kMaxBulkBytes, "chunk", &sealed));
    auto plaintext = crypto::AeadOpen(kChunkAead, key.data_key.view(), ChunkNonce(c),
                                      ChunkAad(key.batch_id, c, chunks), sealed);
    if (!plaintext.ok()) {
      return Error(Errc::kOpenFailed, "chunk " + std::to_string(c) + " does not authenticate", at);
    }
    std::string site;
    if (auto s = DecodeRecords(plaintext->view(), &site, &records, &last_id); !s.ok()) {
      return s.error().WithContext("chunk " + std::to_string(c));
    }
    if (site != key.site) {
      return Error(Errc::kSiteMismatch, "chunk " + std::to_string(c) + " is from another site", at);
    }
  }
  TEEPNET_RETURN_IF_ERROR(schema::ExpectEnd(r, "bulk"));
  return records;
}

}  // namespace teepnet::workloads::telemetry
