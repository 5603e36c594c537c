// Reader: a zero-copy pull decoder for CBOR (RFC 8949).
//
// The reader hands out one data item head at a time (Next) and tracks every open array, map,
// tag and indefinite string itself, so it alone decides well-formedness: a break outside an
// indefinite container, a bad chunk, a truncated container or too deep nesting fails at the
// head where it happens, with the byte offset. Protocol decoders use the schema helpers
// (ReadUint, ReadMapHeader, ...) and read like their CDDL:
//
//   cbor::Reader r(input, cbor::DecodeOptions::Strict());
//   size_t n;
//   TEEPNET_RETURN_IF_ERROR(r.ReadArrayHeader(&n));
//   if (n != 4) return Error(cose::Errc::kBadStructure, "COSE_Sign1 has 4 members");
//   ByteView protected_bstr;
//   TEEPNET_RETURN_IF_ERROR(r.ReadBytes(&protected_bstr));
//   ...
//   TEEPNET_RETURN_IF_ERROR(r.ExpectEnd());
//
// With options.require_sorted_map_keys (DecodeOptions::Deterministic) the reader itself checks
// that every map's keys come in bytewise lexicographic order of their encodings, which also
// rules out a repeated key, so a schema decoder reading a map pair by pair gets the same
// guarantee as Decode(). It compares each key's encoded bytes with the previous key's, both
// views into the input, when the key's value begins (fast paths included).
//
// WARNING: views returned (Item::bytes, ReadBytes, ReadText, ReadRawItem) point into the
// input; the input must outlive them. Nothing is copied.
//
// Errors are sticky: after the first failure every call returns the same error.
#ifndef TEEPNET_CBOR_READER_H_
#define TEEPNET_CBOR_READER_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "teepnet/base/byte_reader.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/decode_options.h"
#include "teepnet/cbor/errc.h"
#include "teepnet/cbor/item.h"

namespace teepnet::cbor {

class Reader {
 public:
  explicit Reader(ByteView input, const DecodeOptions& options = DecodeOptions());
  // The reader borrows its input: refuse temporaries that would dangle.
  explicit Reader(Bytes&& input, const DecodeOptions& options = DecodeOptions()) = delete;

  // --- Generic pull interface -------------------------------------------------------------

  // Reads the next head. Definite strings come with their contents; an indefinite string is
  // followed by its chunks (definite strings of the same type) and a kBreak item. Arrays,
  // maps and tags are only opened: their members are the following items.
  Result<Item> Next();
  // Type of the next head without consuming it (kTruncated at the end of input). Does not
  // validate beyond the initial byte; the following Next() does.
  Result<ItemType> PeekType() const;
  // True when the next byte is a break (ff) that closes the innermost open container.
  bool AtBreak() const;

  // --- Schema helpers (each reads exactly one complete item, or one container head) -------

  Status ReadUint(uint64_t* out);  // major type 0 only
  Status ReadInt(int64_t* out);    // major type 0 or 1 within int64 (kIntegerOverflow)
  // Any CBOR integer as a (negative, argument) pair: the value is argument, or -1-argument.
  Status ReadInteger(bool* negative, uint64_t* argument);
  // A definite byte string (indefinite strings fail with kIndefiniteNotAllowed: a view cannot
  // span chunks; use Decode() for those).
  Status ReadBytes(ByteView* out);
  Status ReadText(std::string_view* out);  // definite text string, UTF-8 checked per options
  // Array/map head. *n is the count of items (pairs for a map), or kIndefiniteLength: then
  // read members while !AtBreak() and close with ReadBreak().
  Status ReadArrayHeader(size_t* n);
  Status ReadMapHeader(size_t* n);
  Status ReadBreak();
  Status ReadTag(uint64_t* tag);  // the tagged item follows
  Status ReadBool(bool* out);
  Status ReadNull();
  Status ReadUndefined();
  Status ReadFloat(double* out, FloatWidth* width = nullptr);
  // Skips one complete item (with everything nested in it), enforcing all checks and limits.
  Status SkipItem();
  // Skips one complete item and returns the exact bytes it was encoded with: what COSE signs
  // (protected headers, payloads) and what a digest covers.
  Status ReadRawItem(ByteView* out);

  // --- Fast schema reads --------------------------------------------------------------------
  //
  // Each takes the next item and returns true when it is of the named type and passes every
  // check the general path makes (options, limits, depth, key order); otherwise it returns
  // false and changes nothing, not even the sticky error, so the caller reads the same item
  // again through Next() or a helper above to learn precisely what is wrong. Protocol
  // decoders that report their own field errors use these for the common, well-formed case:
  // no Item and no Result are built. Arrays and maps: definite lengths only.
  bool TryReadUint(uint64_t* out);
  bool TryReadInteger(bool* negative, uint64_t* argument);
  bool TryReadBytes(ByteView* out);
  bool TryReadText(std::string_view* out);
  bool TryReadArrayHeader(size_t* n);
  bool TryReadMapHeader(size_t* n);
  bool TryReadBool(bool* out);
  // One item that is a single head with its contents (an integer, a definite string, a simple
  // value or a float) and its exact encoded bytes, as ReadRawItem; false for an array, map or
  // tag, which ReadRawItem reads whole.
  bool TryReadRawItem(ByteView* out);

  // --- Position -----------------------------------------------------------------------------

  size_t offset() const { return in_.position(); }
  size_t remaining() const { return in_.remaining(); }
  // Containers, tags and indefinite strings currently open.
  size_t depth() const { return stack_.size(); }
  // No containers open and no bytes left.
  bool AtEnd() const { return stack_.empty() && in_.AtEnd(); }
  // Fails with kTruncated if a container is still open and with kTrailingBytes if bytes are
  // left (unless options.allow_trailing_bytes).
  Status ExpectEnd();
  bool failed() const { return error_.has_value(); }
  const DecodeOptions& options() const { return options_; }

 private:
  enum class FrameKind : uint8_t { kArray, kMap, kTag, kBytesChunks, kTextChunks };
  struct Frame {
    FrameKind kind;
    bool indefinite;
    uint64_t remaining;  // definite: items still to come (map: 2 per pair)
    uint64_t seen;       // indefinite: items read so far
    // Maps under options.require_sorted_map_keys: where the current key began and the
    // encoded bytes of the previous key ([prev_key_begin, prev_key_end) of the input;
    // prev_key_end == 0 before the first pair, as no key can end at offset 0).
    size_t key_begin;
    size_t prev_key_begin;
    size_t prev_key_end;
  };

  // The fast paths' common body (reader_fast_path.h): takes the next item when accept(head) holds
  // and every check of the general path passes, then hands it to take(item, rest); otherwise
  // returns false and changes nothing.
  template <typename Accept, typename Take>
  bool TakeFast(Accept accept, Take take);
  Error Fail(Errc reason, size_t offset, std::string message);
  Status Push(Frame frame, size_t offset);
  void ItemDone();
  Status ReadHeadArgument(uint8_t info, size_t offset, uint64_t* argument, size_t* head_size);
  Status ReadFloatBits(uint8_t info, size_t offset, Item* item);
  Status ExpectType(const Item& item, ItemType type, std::string_view what);
  // RFC 8949 §4.2.1 key order for the map on top of the stack, called at the start of each of
  // its members: a key's start is recorded; at its value's start the key is complete and
  // must sort strictly after the previous key (equal: kDuplicateMapKey).
  Status CheckKeyOrder(size_t offset);

  ByteView input_;
  ByteReader in_;
  DecodeOptions options_;
  // The open-container stack. Protocol messages nest a few levels deep, so the first frames
  // live inline and a Reader allocates nothing unless input nests deeper than kInlineFrames
  // (decoding a TEEP message is dominated by small items; one heap allocation per decode
  // was a measurable share of it).
  class FrameStack {
   public:
    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    Frame& back() { return size_ <= kInlineFrames ? inline_[size_ - 1] : overflow_.back(); }
    const Frame& back() const {
      return size_ <= kInlineFrames ? inline_[size_ - 1] : overflow_.back();
    }
    [[gnu::always_inline]] void push_back(const Frame& f) {
      if (size_ < kInlineFrames) [[likely]] {
        inline_[size_++] = f;
        return;
      }
      PushOverflow(f);
    }
    void pop_back() {
      if (size_ > kInlineFrames) overflow_.pop_back();
      --size_;
    }

   private:
    // Out of line, so that push_back inlines into the fast paths.
    void PushOverflow(const Frame& f);

    static constexpr size_t kInlineFrames = 16;
    Frame inline_[kInlineFrames];
    std::vector<Frame> overflow_;
    size_t size_ = 0;
  };
  FrameStack stack_;
  uint64_t total_items_ = 0;
  std::optional<Error> error_;
};

}  // namespace teepnet::cbor

// The Try* reads are defined inline there, so that they inline into their callers.
#include "teepnet/cbor/reader_fast_path.h"  // IWYU pragma: export

#endif  // TEEPNET_CBOR_READER_H_
