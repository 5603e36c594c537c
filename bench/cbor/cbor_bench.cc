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
