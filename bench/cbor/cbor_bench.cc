// CBOR codec throughput: small items (ns per item), a TEEP QueryResponse-sized map, and a
// 1 MiB byte-string-heavy structure (bytes per second).
#include <benchmark/benchmark.h>

#include <string>

#include "teepnet/cbor/map_builder.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/value.h"
#include "teepnet/cbor/writer.h"

namespace teepnet::cbor {
namespace {

// A sequence of 64 small items: ints of every head size and short strings.
Bytes SmallItems() {
  Writer w;
  for (int i = 0; i < 16; ++i) {
    w.WriteUint(static_cast<uint64_t>(i));
    w.WriteInt(-1000 * i);
    w.WriteText("tc-uuid");
    w.WriteBytes(AsBytes("kid-1234"));
  }
  return std::move(w).Take();
}
constexpr int kSmallItemCount = 64;

// Shaped like a TEEP QueryResponse: [2, {token, selected suite, evidence, tc-list ...}].
Bytes QueryResponseLike() {
  Writer w;
  w.WriteArrayHeader(2);
  w.WriteUint(2);
  MapBuilder m;
  m.Entry(20).WriteBytes(Bytes(16, 0xab));  // token
  Writer& suite = m.Entry(5);               // selected cipher suite
  suite.WriteArrayHeader(1);
  suite.WriteUint(0);
  m.Entry(7).WriteText("application/eat+cwt");  // evidence format
  m.Entry(8).WriteBytes(Bytes(180, 0x5a));      // evidence
  Writer& tc = m.Entry(13);                     // tc-list
  tc.WriteArrayHeader(4);
  for (int i = 0; i < 4; ++i) {
    tc.WriteMapHeader(2);
    tc.WriteUint(16);
    tc.WriteArrayHeader(2);
    tc.WriteBytes(AsBytes("TEEP-Device"));
    tc.WriteBytes(Bytes(16, static_cast<uint8_t>(i)));
    tc.WriteUint(17);
    tc.WriteUint(static_cast<uint64_t>(i + 1));
  }
  Result<Bytes> map = m.Encode();
  w.WriteRaw(*map);
  return std::move(w).Take();
}

// 1 MiB mostly in byte strings: 256 chunks of 4 KiB with small headers.
Bytes BstrHeavy() {
  Writer w;
  w.WriteArrayHeader(256);
  for (int i = 0; i < 256; ++i) {
    w.WriteArrayHeader(2);
    w.WriteUint(static_cast<uint64_t>(i));
    w.WriteBytes(Bytes(4096, static_cast<uint8_t>(i)));
  }
  return std::move(w).Take();
}

void BM_ReaderSmallItems(benchmark::State& state) {
  const Bytes in = SmallItems();
  for (auto _ : state) {
    Reader r(in);
    for (int i = 0; i < kSmallItemCount; ++i) {
      Result<Item> item = r.Next();
      benchmark::DoNotOptimize(item);
    }
  }
  state.SetItemsProcessed(state.iterations() * kSmallItemCount);
}
BENCHMARK(BM_ReaderSmallItems);

void BM_ReaderOneSmallInt(benchmark::State& state) {
  const Bytes in = {0x19, 0x03, 0xe8};
  for (auto _ : state) {
    Reader r(in);
    uint64_t v = 0;
    Status s = r.ReadUint(&v);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReaderOneSmallInt);

// Telemetry-shaped records read with the schema helpers: 64 arrays of 13 unsigned integers
// of every head size (the workload's per-record loop is ReadArrayHeader + 13 ReadUint).
constexpr int kRecordCount = 64;
constexpr int kRecordFields = 13;
Bytes Records() {
  Writer w;
  w.WriteArrayHeader(kRecordCount);
  for (int i = 0; i < kRecordCount; ++i) {
    w.WriteArrayHeader(kRecordFields);
    for (int f = 0; f < kRecordFields; ++f) {
      static constexpr uint64_t kValues[] = {5, 17, 200, 443, 51234, 1000000, 6, 23, 24, 70000};
      w.WriteUint(kValues[(i + f) % 10] + static_cast<uint64_t>(f % 3));
    }
  }
  return std::move(w).Take();
}

// Out of line so that callgrind attributes one decode to one call.
[[gnu::noinline]] Status ReadRecords(ByteView in, uint64_t* sum) {
  Reader r(in, DecodeOptions::Strict());
  size_t n = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&n));
  for (size_t i = 0; i < n; ++i) {
    size_t fields = 0;
    TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&fields));
    for (size_t f = 0; f < fields; ++f) {
      uint64_t v = 0;
      TEEPNET_RETURN_IF_ERROR(r.ReadUint(&v));
      *sum += v;
    }
  }
  return r.ExpectEnd();
}

void BM_ReaderSchemaRecords(benchmark::State& state) {
  const Bytes in = Records();
  for (auto _ : state) {
    uint64_t sum = 0;
    Status s = ReadRecords(in, &sum);
    if (!s.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kRecordCount * (kRecordFields + 1));
}
BENCHMARK(BM_ReaderSchemaRecords);

// One of each small item through its schema helper: int (both signs), float, bytes, text,
// map and array heads, tag, bool, null.
constexpr int kMixedRounds = 16;
constexpr int kMixedItemsPerRound = 13;
Bytes Mixed() {
  Writer w;
  w.WriteArrayHeader(kMixedRounds);
  for (int i = 0; i < kMixedRounds; ++i) {
    w.WriteMapHeader(4);
    w.WriteInt(-1 - i);
    w.WriteInt(1000 * i);
    w.WriteUint(1);
    w.WriteFloat(1.5 + i);
    w.WriteUint(2);
    w.WriteBytes(AsBytes("kid-1234"));
    w.WriteUint(3);
    w.WriteTag(1);
    w.WriteArrayHeader(3);
    w.WriteText("tc-uuid");
    w.WriteBool(i % 2 == 0);
    w.WriteNull();
  }
  return std::move(w).Take();
}

[[gnu::noinline]] Status ReadMixed(ByteView in, uint64_t* sum) {
  Reader r(in, DecodeOptions::Strict());
  size_t rounds = 0;
  TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&rounds));
  for (size_t i = 0; i < rounds; ++i) {
    size_t n = 0;
    int64_t a = 0;
    int64_t b = 0;
    uint64_t key = 0;
    double d = 0;
    ByteView bytes;
    uint64_t tag = 0;
    std::string_view text;
    bool flag = false;
    TEEPNET_RETURN_IF_ERROR(r.ReadMapHeader(&n));
    TEEPNET_RETURN_IF_ERROR(r.ReadInt(&a));
    TEEPNET_RETURN_IF_ERROR(r.ReadInt(&b));
    TEEPNET_RETURN_IF_ERROR(r.ReadUint(&key));
    TEEPNET_RETURN_IF_ERROR(r.ReadFloat(&d));
    TEEPNET_RETURN_IF_ERROR(r.ReadUint(&key));
    TEEPNET_RETURN_IF_ERROR(r.ReadBytes(&bytes));
    TEEPNET_RETURN_IF_ERROR(r.ReadUint(&key));
    TEEPNET_RETURN_IF_ERROR(r.ReadTag(&tag));
    TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&n));
    TEEPNET_RETURN_IF_ERROR(r.ReadText(&text));
    TEEPNET_RETURN_IF_ERROR(r.ReadBool(&flag));
    TEEPNET_RETURN_IF_ERROR(r.ReadNull());
    *sum += static_cast<uint64_t>(a + b) + key + static_cast<uint64_t>(d) + bytes.size() + tag +
            text.size() + (flag ? 1 : 0);
  }
  return r.ExpectEnd();
}

void BM_ReaderSchemaMixed(benchmark::State& state) {
  const Bytes in = Mixed();
  for (auto _ : state) {
    uint64_t sum = 0;
    Status s = ReadMixed(in, &sum);
    if (!s.ok()) state.SkipWithError("decode failed");
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * kMixedRounds * kMixedItemsPerRound);
}
BENCHMARK(BM_ReaderSchemaMixed);

void BM_WriterSmallItems(benchmark::State& state) {
  Writer w(1024);
  for (auto _ : state) {
    w.Clear();
    for (int i = 0; i < 16; ++i) {
      w.WriteUint(static_cast<uint64_t>(i));
      w.WriteInt(-1000 * i);
      w.WriteText("tc-uuid");
      w.WriteBytes(AsBytes("kid-1234"));
    }
    benchmark::DoNotOptimize(w.bytes().data());
  }
  state.SetItemsProcessed(state.iterations() * kSmallItemCount);
}
BENCHMARK(BM_WriterSmallItems);

void BM_SkipQueryResponse(benchmark::State& state) {
  const Bytes in = QueryResponseLike();
  for (auto _ : state) {
    Reader r(in, DecodeOptions::Strict());
    Status s = r.SkipItem();
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size()));
  state.counters["bytes"] = static_cast<double>(in.size());
}
BENCHMARK(BM_SkipQueryResponse);

void BM_DecodeQueryResponseToValue(benchmark::State& state) {
  const Bytes in = QueryResponseLike();
  for (auto _ : state) {
    Result<Value> v = Decode(in, DecodeOptions::Strict());
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size()));
}
BENCHMARK(BM_DecodeQueryResponseToValue);

void BM_EncodeQueryResponse(benchmark::State& state) {
  for (auto _ : state) {
    Bytes out = QueryResponseLike();
    benchmark::DoNotOptimize(out.data());
  }
}
BENCHMARK(BM_EncodeQueryResponse);

void BM_SkipBstrHeavy1MiB(benchmark::State& state) {
  const Bytes in = BstrHeavy();
  for (auto _ : state) {
    Reader r(in);
    Status s = r.SkipItem();
    benchmark::DoNotOptimize(s);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size()));
}
BENCHMARK(BM_SkipBstrHeavy1MiB);

void BM_DecodeBstrHeavy1MiBToValue(benchmark::State& state) {
  const Bytes in = BstrHeavy();
  for (auto _ : state) {
    Result<Value> v = Decode(in);
    benchmark::DoNotOptimize(v);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(in.size()));
}
BENCHMARK(BM_DecodeBstrHeavy1MiBToValue);

void BM_EncodeBstrHeavy1MiB(benchmark::State& state) {
  const Bytes chunk(4096, 0x11);
  size_t size = 0;
  for (auto _ : state) {
    Writer w(1100000);
    w.WriteArrayHeader(256);
    for (int i = 0; i < 256; ++i) {
      w.WriteArrayHeader(2);
      w.WriteUint(static_cast<uint64_t>(i));
      w.WriteBytes(chunk);
    }
    benchmark::DoNotOptimize(w.bytes().data());
    size = w.size();
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(size));
}
BENCHMARK(BM_EncodeBstrHeavy1MiB);

}  // namespace
}  // namespace teepnet::cbor

BENCHMARK_MAIN();
