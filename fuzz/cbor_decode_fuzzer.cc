// deps: teepnet_cbor
// Fuzzes the CBOR decoders. Properties checked on every input:
//  - the DOM decoder, the pull reader and EDN never crash, under default and strict options;
//  - an error always carries an offset inside the input;
//  - whatever the strict decoder accepts is in preferred serialization, so encoding the
//    decoded value must reproduce the input byte for byte (a round-trip property);
//  - whatever the default decoder accepts re-encodes to bytes that decode to an equal value.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "teepnet/base/bytes.h"
#include "teepnet/cbor/edn.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/value.h"

namespace {

using teepnet::ByteView;
using teepnet::cbor::DecodeOptions;
using teepnet::cbor::Value;

void Check(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const ByteView input(data, size);

  teepnet::Result<Value> lenient = teepnet::cbor::Decode(input);
  if (lenient.ok()) {
    (void)teepnet::cbor::ToEdn(*lenient);
    teepnet::Result<Value> again = teepnet::cbor::Decode(teepnet::cbor::Encode(*lenient));
    Check(again.ok() && *again == *lenient);
  } else {
    Check(lenient.error().offset() <= size);
  }

  teepnet::Result<Value> strict = teepnet::cbor::Decode(input, DecodeOptions::Strict());
  if (strict.ok()) {
    Check(lenient.ok());
    Check(teepnet::Equal(teepnet::cbor::Encode(*strict), input));
  }

  // The pull reader over the same input, walking a sequence of items.
  teepnet::cbor::Reader reader(input);
  while (!reader.AtEnd()) {
    ByteView raw;
    if (!reader.ReadRawItem(&raw).ok()) break;
    Check(!raw.empty());
  }
  return 0;
}
