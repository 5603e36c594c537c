// HeaderMap: one COSE header bucket (RFC 9052 §3), label -> value, with the value kept as
// its encoded CBOR bytes so unknown parameters survive untouched and known ones are read
// through typed accessors that check the type the RFC gives them.
#ifndef TEEPNET_COSE_HEADER_MAP_H_
#define TEEPNET_COSE_HEADER_MAP_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/cbor/reader.h"
#include "teepnet/cbor/writer.h"
#include "teepnet/cose/algorithm.h"

namespace teepnet::cose {

// Common header parameter labels, RFC 9052 §3.1 Table 3 and RFC 9053 §6.4.1/§5.1.
enum HeaderLabel : int64_t {
  kLabelAlg = 1,
  kLabelCrit = 2,
  kLabelContentType = 3,
  kLabelKid = 4,
  kLabelIv = 5,
  kLabelPartialIv = 6,
  kLabelCounterSignature = 7,
  kLabelEphemeralKey = -1,
  kLabelStaticKey = -2,
  kLabelStaticKeyId = -3,
  kLabelSalt = -20,
  kLabelPartyUIdentity = -21,
  kLabelPartyUNonce = -22,
  kLabelPartyUOther = -23,
  kLabelPartyVIdentity = -24,
  kLabelPartyVNonce = -25,
  kLabelPartyVOther = -26,
};

// A header label: an int, or (rarely) a text string (RFC 9052 §3: label = int / tstr).
struct Label {
  bool is_text = false;
  int64_t number = 0;
  std::string text;

  bool operator==(const Label& o) const {
    return is_text == o.is_text && (is_text ? text == o.text : number == o.number);
  }
};

class HeaderMap {
 public:
  struct Entry {
    Label label;
    Bytes value;  // one complete, encoded CBOR item
  };

  // Reads one map from `r`. Fails with kDuplicateLabel when a label appears twice
  // (RFC 9052 §3: "Labels in each of the maps MUST be unique"), kMalformed otherwise.
  static Result<HeaderMap> Read(cbor::Reader& r);
  // Decodes the contents of a protected bstr: h'' is the empty map; anything else must be
  // exactly one map (kMalformed / kTrailingBytes).
  static Result<HeaderMap> DecodeProtected(ByteView contents);

  bool empty() const { return entries_.empty(); }
  size_t size() const { return entries_.size(); }
  const std::vector<Entry>& entries() const { return entries_; }
  bool Has(int64_t label) const { return Find(label) != nullptr; }
  bool Has(const Label& label) const;
  // Encoded value of `label`, or nullopt.
  std::optional<ByteView> Raw(int64_t label) const;

  // Typed reads. nullopt when absent; kBadHeaderValue when present with the wrong type.
  Result<std::optional<int64_t>> GetInt(int64_t label) const;
  Result<std::optional<ByteView>> GetBytes(int64_t label) const;
  // alg: int (or tstr, which no registered algorithm uses: refused as unsupported).
  Result<std::optional<int64_t>> GetAlg() const;

  // Building. Each setter replaces an earlier value of the same label.
  HeaderMap& SetInt(int64_t label, int64_t value);
  HeaderMap& SetBytes(int64_t label, ByteView value);
  HeaderMap& SetText(int64_t label, std::string_view value);
  HeaderMap& SetAlg(Algorithm alg) { return SetInt(kLabelAlg, static_cast<int64_t>(alg)); }
  HeaderMap& SetKid(ByteView kid) { return SetBytes(kLabelKid, kid); }
  HeaderMap& SetIv(ByteView iv) { return SetBytes(kLabelIv, iv); }
  HeaderMap& SetPartialIv(ByteView piv) { return SetBytes(kLabelPartialIv, piv); }
  HeaderMap& SetCrit(const std::vector<int64_t>& labels);
  // `encoded` must be one complete CBOR item (a COSE_Key for -1, for instance).
  HeaderMap& SetRaw(int64_t label, ByteView encoded);
  HeaderMap& SetRaw(Label label, ByteView encoded);
  HeaderMap& Remove(int64_t label);

  // Writes the map in Core Deterministic order (RFC 8949 §4.2.1), or in insertion order
  // when keep_insertion_order() is set (maps read from the wire keep the order received, so
  // a decoded layer can be re-emitted byte for byte).
  Status WriteTo(cbor::Writer& out) const;
  bool keep_insertion_order() const { return keep_order_; }
  HeaderMap& set_keep_insertion_order(bool keep) {
    keep_order_ = keep;
    return *this;
  }
  // The protected bucket's bstr contents: h'' for an empty map (RFC 9052 §3: "a zero-length
  // byte string" is used when the map is empty), else the deterministic map encoding.
  Result<Bytes> EncodeProtected() const;

 private:
  const Entry* Find(int64_t label) const;
  std::vector<Entry> entries_;
  bool keep_order_ = false;
};

}  // namespace teepnet::cose

#endif  // TEEPNET_COSE_HEADER_MAP_H_
