#include "teepnet/workloads/telemetry/batch.h"

#include <gtest/gtest.h>

#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/testing/matchers.h"
#include "teepnet/workloads/telemetry/errc.h"
#include "teepnet/workloads/telemetry/generator.h"

namespace teepnet::workloads::telemetry {
namespace {

using teepnet::testing::FailsWith;

OperatorKey Key(uint8_t fill = 0x42, std::string site = "pop-lyon-3") {
  OperatorKey key;
  key.data_key = SecretBytes(Bytes(kDataKeyBytes, fill));
  key.site = std::move(site);
  key.batch_id = Bytes(kBatchIdBytes, 0x07);
  return key;
}

std::vector<FlowRecord> Records(size_t count, uint64_t seed = 1) {
  GeneratorOptions options;
  options.seed = seed;
  options.count = count;
  options.anomaly_rate = 0.1;
  std::vector<FlowRecord> out;
  for (const LabelledFlow& f : GenerateFlows(options)) out.push_back(f.record);
  return out;
}

// The bulk's batch id and chunks, read back so tests can tamper with them.
struct Parts {
  Bytes batch_id;
  std::vector<Bytes> chunks;
};

Parts Split(ByteView bulk) {
  cbor::Reader r(bulk, cbor::DecodeOptions::Deterministic());
  Parts p;
  size_t n = 0;
  ByteView v;
  EXPECT_TRUE(r.ReadArrayHeader(&n).ok());
  EXPECT_TRUE(r.ReadBytes(&v).ok());
  p.batch_id = ToBytes(v);
  EXPECT_TRUE(r.ReadArrayHeader(&n).ok());
  for (size_t i = 0; i < n; ++i) {
    EXPECT_TRUE(r.ReadBytes(&v).ok());
    p.chunks.push_back(ToBytes(v));
  }
  return p;
}

Bytes Join(const Parts& p) {
  cbor::Writer w;
  w.WriteArrayHeader(2);
  w.WriteBytes(p.batch_id);
  w.WriteArrayHeader(p.chunks.size());
  for (const Bytes& c : p.chunks) w.WriteBytes(c);
  return std::move(w).Take();
}

TEST(OperatorKeyCodec, RoundTrips) {
  auto bytes = EncodeOperatorKey(Key());
  TEEPNET_ASSERT_OK(bytes);
  auto back = DecodeOperatorKey(bytes->view());
  TEEPNET_ASSERT_OK(back);
  EXPECT_TRUE(Equal(back->data_key.view(), Key().data_key.view()));
  EXPECT_EQ(back->site, "pop-lyon-3");
  EXPECT_EQ(back->batch_id, Key().batch_id);
}

TEST(OperatorKeyCodec, RefusesKeysOfTheWrongSize) {
  OperatorKey key = Key();
  key.data_key = SecretBytes(Bytes(16, 1));
  EXPECT_TRUE(FailsWith(EncodeOperatorKey(key), Errc::kBadKey));
  cbor::Writer w;
  w.WriteMapHeader(3);
  w.WriteUint(1);
  w.WriteBytes(Bytes(16, 1));
  w.WriteUint(2);
  w.WriteText("s");
  w.WriteUint(3);
  w.WriteBytes(Bytes(kBatchIdBytes, 0));
  EXPECT_TRUE(FailsWith(DecodeOperatorKey(w.bytes()), Errc::kBadKey));
}

TEST(OperatorKeyCodec, RefusesTrailingBytesAndMissingFields) {
  Bytes bytes = ToBytes(EncodeOperatorKey(Key())->view());
  bytes.push_back(0xf6);
  EXPECT_TRUE(FailsWith(DecodeOperatorKey(bytes), Errc::kMalformed));
  bytes.pop_back();
  bytes[0] = 0xa2;  // a map of two: the batch id would be a trailing extra
  EXPECT_TRUE(FailsWith(DecodeOperatorKey(bytes), Errc::kMalformed));
}

TEST(Batch, SealsAndOpensRecordsAcrossChunks) {
  const auto records = Records(2500);
  auto bulk = SealBatch(Key(), records, 1000);
  TEEPNET_ASSERT_OK(bulk);
  EXPECT_EQ(Split(*bulk).chunks.size(), 3u);
  auto opened = OpenBatch(Key(), *bulk);
  TEEPNET_ASSERT_OK(opened);
  EXPECT_EQ(*opened, records);
}

TEST(Batch, HidesTheSiteAndTheRecordsFromTheRelay) {
  const auto records = Records(50);
  const Bytes bulk = *SealBatch(Key(), records);
  const std::string_view as_text = AsChars(bulk);
  EXPECT_EQ(as_text.find("pop-lyon-3"), std::string_view::npos);
  const Bytes plaintext = *EncodeRecords("pop-lyon-3", records);
  // No 16-byte window of the plaintext appears in the ciphertext.
  for (size_t i = 0; i + 16 <= plaintext.size(); i += 16) {
    EXPECT_EQ(as_text.find(AsChars(ByteView(plaintext).subspan(i, 16))), std::string_view::npos);
  }
}

TEST(Batch, RefusesAnotherDataKey) {
  const Bytes bulk = *SealBatch(Key(), Records(10));
  EXPECT_TRUE(FailsWith(OpenBatch(Key(0x43), bulk), Errc::kOpenFailed));
}

TEST(Batch, RefusesATamperedChunk) {
  Parts parts = Split(*SealBatch(Key(), Records(100), 40));
  parts.chunks[1][5] ^= 0x01;
  EXPECT_TRUE(FailsWith(OpenBatch(Key(), Join(parts)), Errc::kOpenFailed));
}

TEST(Batch, RefusesReorderedOrDroppedChunks) {
  const Parts parts = Split(*SealBatch(Key(), Records(100), 40));
  Parts swapped = parts;
  std::swap(swapped.chunks[0], swapped.chunks[1]);
  EXPECT_TRUE(FailsWith(OpenBatch(Key(), Join(swapped)), Errc::kOpenFailed));
  Parts dropped = parts;
  dropped.chunks.pop_back();  // the count in every chunk's AAD no longer matches
  EXPECT_TRUE(FailsWith(OpenBatch(Key(), Join(dropped)), Errc::kOpenFailed));
}

TEST(Batch, RefusesABulkOfAnotherBatch) {
  Parts parts = Split(*SealBatch(Key(), Records(10)));
  parts.batch_id[0] ^= 0xff;
  EXPECT_TRUE(FailsWith(OpenBatch(Key(), Join(parts)), Errc::kBadKey));
}

TEST(Batch, RefusesChunksFromAnotherSite) {
  const Bytes bulk = *SealBatch(Key(0x42, "pop-paris-1"), Records(10));
  EXPECT_TRUE(FailsWith(OpenBatch(Key(0x42, "pop-lyon-3"), bulk), Errc::kSiteMismatch));
}

TEST(Batch, RefusesTrailingBytesAfterTheBulk) {
  Bytes bulk = *SealBatch(Key(), Records(10));
  bulk.push_back(0x00);
  EXPECT_TRUE(FailsWith(OpenBatch(Key(), bulk), Errc::kMalformed));
}

TEST(Batch, RefusesRecordsWhoseIdsDoNotIncrease) {
  auto records = Records(10);
  records[4].id = records[3].id;
  EXPECT_TRUE(FailsWith(SealBatch(Key(), records), Errc::kBadRecord));
  std::vector<FlowRecord> out;
  std::optional<uint64_t> last = records[0].id;
  std::string site;
  const Bytes chunk = *EncodeRecords("s", std::span(records).first(1));
  EXPECT_TRUE(FailsWith(DecodeRecords(chunk, &site, &out, &last), Errc::kBadRecord));
}

TEST(DecodeRecords, RefusesARecordWithAFieldMissing) {
  cbor::Writer w;
  w.WriteArrayHeader(2);
  w.WriteText("s");
  w.WriteArrayHeader(1);
  w.WriteArrayHeader(kRecordFields - 1);
  for (size_t i = 0; i + 1 < kRecordFields; ++i) w.WriteUint(1);
  std::vector<FlowRecord> out;
  std::optional<uint64_t> last;
  std::string site;
  EXPECT_TRUE(FailsWith(DecodeRecords(w.bytes(), &site, &out, &last), Errc::kMalformed));
}

TEST(DecodeRecords, RefusesAnImpossibleRecord) {
  FlowRecord r = Records(1)[0];
  r.protocol = kProtocolUdp;
  r.syn = 1;  // a SYN on UDP
  cbor::Writer w;
  w.WriteArrayHeader(2);
  w.WriteText("s");
  w.WriteArrayHeader(1);
  w.WriteArrayHeader(kRecordFields);
  for (uint64_t v :
       {r.id, uint64_t{17}, uint64_t{53}, r.duration_us, r.packets_out, r.packets_in, r.bytes_out,
        r.bytes_in, uint64_t{1}, uint64_t{0}, uint64_t{0}, r.iat_mean_us, r.iat_std_us}) {
    w.WriteUint(v);
  }
  std::vector<FlowRecord> out;
  std::optional<uint64_t> last;
  std::string site;
  EXPECT_TRUE(FailsWith(DecodeRecords(w.bytes(), &site, &out, &last), Errc::kBadRecord));
}

TEST(Batch, RefusesEmptyAndOversizedBatches) {
  EXPECT_TRUE(FailsWith(SealBatch(Key(), {}), Errc::kTooLarge));
  EXPECT_TRUE(FailsWith(SealBatch(Key(), Records(3), kMaxRecordsPerChunk + 1), Errc::kTooLarge));
  Bytes huge(kMaxBulkBytes + 1, 0);
  EXPECT_TRUE(FailsWith(OpenBatch(Key(), huge), Errc::kTooLarge));
}

}  // namespace
}  // namespace teepnet::workloads::telemetry
