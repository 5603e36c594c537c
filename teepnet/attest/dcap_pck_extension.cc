#include "teepnet/attest/dcap_pck_extension.h"

#include <algorithm>
#include <string>

#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"

namespace teepnet::attest {

namespace {

// DER tags (X.690 §8).
constexpr uint8_t kTagInteger = 0x02;
constexpr uint8_t kTagOctetString = 0x04;
constexpr uint8_t kTagOid = 0x06;
constexpr uint8_t kTagEnumerated = 0x0a;
constexpr uint8_t kTagSequence = 0x30;

// 1.2.840.113741.1.13.1 in DER content form; entry OIDs append one or two arcs to it.
constexpr uint8_t kSgxArc[] = {0x2a, 0x86, 0x48, 0x86, 0xf8, 0x4d, 0x01, 0x0d, 0x01};
constexpr size_t kMaxDepthEntries = 64;  // more entries than any Intel profile defines

struct Tlv {
  uint8_t tag = 0;
  ByteView value;
  size_t offset = 0;        // of the tag byte, relative to the reader's input
  size_t value_offset = 0;  // of the first value byte, same origin
};

Error Bad(std::string what, size_t offset) {
  return Error(Errc::kDcapBadPckExtension, std::move(what), offset);
}

// Reads one DER TLV: single-byte tag, definite length in the minimal form (X.690 §10.1).
Result<Tlv> ReadTlv(ByteReader& r) {
  Tlv t;
  t.offset = r.position();
  uint8_t first = 0;
  r.ReadU8(&t.tag);
  r.ReadU8(&first);
  if (r.failed()) return Bad("truncated TLV header", r.failure_offset());
  size_t len = first;
  if (first & 0x80) {
    size_t n = first & 0x7f;
    uint64_t value = 0;
    if (n == 0 || n > 4 || !r.ReadBeUint(n, &value)) return Bad("bad DER length", t.offset + 1);
    if (value < 0x80 || (n > 1 && value >> (8 * (n - 1))) == 0) {
      return Bad("non-minimal DER length", t.offset + 1);
    }
    len = static_cast<size_t>(value);
  }
  t.value_offset = r.position();
  if (!r.ReadBytes(len, &t.value)) return Bad("TLV overruns its container", t.offset);
  return t;
}

Result<Tlv> Expect(ByteReader& r, uint8_t tag, size_t base) {
  auto t = ReadTlv(r);
  if (!t.ok()) return std::move(t).TakeError().WithOffsetBase(base);
  if (t->tag != tag) return Bad("unexpected DER tag", base + t->offset);
  return t;
}

// A non-negative DER INTEGER no larger than `max`.
Result<uint32_t> SmallUnsigned(const Tlv& t, uint32_t max, size_t base) {
  ByteView v = t.value;
  if (v.empty() || v.size() > 3 || (v[0] & 0x80)) return Bad("bad INTEGER", base + t.offset);
  if (v.size() > 1 && v[0] == 0 && !(v[1] & 0x80))
    return Bad("non-minimal INTEGER", base + t.offset);
  uint32_t value = 0;
  for (uint8_t b : v) value = (value << 8) | b;
  if (value > max) return Bad("INTEGER out of range", base + t.offset);
  return value;
}

// The arcs after the SGX prefix, or empty when `oid` is not under it.
ByteView ArcsAfterPrefix(ByteView oid) {
  if (oid.size() <= sizeof(kSgxArc) || !Equal(oid.first(sizeof(kSgxArc)), kSgxArc)) return {};
  return oid.subspan(sizeof(kSgxArc));
}

template <size_t N>
Status CopyOctets(const Tlv& t, std::array<uint8_t, N>& out, size_t base) {
  if (t.tag != kTagOctetString || t.value.size() != N) {
    return Bad("OCTET STRING of the wrong size", base + t.offset);
  }
  std::copy(t.value.begin(), t.value.end(), out.begin());
  return OkStatus();
}

// .2: SEQUENCE OF SEQUENCE { OID .2.n, INTEGER | OCTET STRING }.
Status ParseTcb(const Tlv& tcb, size_t base, PckExtension* out) {
  ByteReader r(tcb.value);
  size_t inner_base = base + tcb.value_offset;
  uint32_t seen = 0;
  for (size_t i = 0; !r.AtEnd(); ++i) {
    if (i >= kMaxDepthEntries) return Bad("too many TCB entries", inner_base + r.position());
    TEEPNET_ASSIGN_OR_RETURN(Tlv entry, Expect(r, kTagSequence, inner_base));
    ByteReader e(entry.value);
    size_t e_base = inner_base + entry.value_offset;
    TEEPNET_ASSIGN_OR_RETURN(Tlv oid, Expect(e, kTagOid, e_base));
    auto value = ReadTlv(e);
    if (!value.ok()) return std::move(value).TakeError().WithOffsetBase(e_base);
    ByteView arcs = ArcsAfterPrefix(oid.value);
    if (!e.AtEnd()) return Bad("bytes after a TCB entry's value", e_base + e.position());
    if (arcs.size() != 2 || arcs[0] != 0x02) continue;  // not a TCB entry: ignore
    uint8_t n = arcs[1];
    if (n >= 1 && n <= 16) {
      if (value->tag != kTagInteger) return Bad("comp SVN not an INTEGER", e_base + value->offset);
      TEEPNET_ASSIGN_OR_RETURN(uint32_t svn, SmallUnsigned(*value, 0xff, e_base));
      out->comp_svn[n - 1] = static_cast<uint8_t>(svn);
    } else if (n == 17) {
      if (value->tag != kTagInteger) return Bad("PCESVN not an INTEGER", e_base + value->offset);
      TEEPNET_ASSIGN_OR_RETURN(uint32_t svn, SmallUnsigned(*value, 0xffff, e_base));
      out->pcesvn = static_cast<uint16_t>(svn);
    } else if (n == 18) {
      TEEPNET_RETURN_IF_ERROR(CopyOctets(*value, out->cpusvn, e_base));
    } else {
      continue;
    }
    if (seen & (1u << n)) return Bad("duplicate TCB entry", e_base);
    seen |= 1u << n;
  }
  // All 16 components, PCESVN and CPUSVN (bits 1..18).
  if (seen != 0x7fffeu) return Bad("TCB lacks a component, PCESVN or CPUSVN", base + tcb.offset);
  return OkStatus();
}

void PutTlv(ByteWriter& w, uint8_t tag, ByteView value) {
  w.WriteU8(tag);
  if (value.size() < 0x80) {
    w.WriteU8(static_cast<uint8_t>(value.size()));
  } else if (value.size() <= 0xff) {
    w.WriteU8(0x81);
    w.WriteU8(static_cast<uint8_t>(value.size()));
  } else {
    w.WriteU8(0x82);
    w.WriteU8(static_cast<uint8_t>(value.size() >> 8));
    w.WriteU8(static_cast<uint8_t>(value.size()));
  }
  w.WriteBytes(value);
}

Bytes Oid(std::initializer_list<uint8_t> arcs) {
  ByteWriter oid;
  oid.WriteBytes(kSgxArc);
  for (uint8_t arc : arcs) oid.WriteU8(arc);
  return std::move(oid).Take();
}

Bytes Entry(const Bytes& oid, uint8_t tag, ByteView value) {
  ByteWriter inner;
  PutTlv(inner, kTagOid, oid);
  PutTlv(inner, tag, value);
  ByteWriter out;
  PutTlv(out, kTagSequence, inner.bytes());
  return std::move(out).Take();
}

Bytes IntegerContent(uint32_t v) {
  Bytes b;
  if (v > 0xff) b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
  if (b[0] & 0x80) b.insert(b.begin(), 0);
  return b;
}

}  // namespace

Result<PckExtension> ParsePckExtension(ByteView der) {
  ByteReader top(der);
  TEEPNET_ASSIGN_OR_RETURN(Tlv outer, Expect(top, kTagSequence, 0));
  if (!top.AtEnd()) return Bad("bytes after the extension SEQUENCE", top.position());
  PckExtension ext;
  bool have_tcb = false, have_pce = false, have_fmspc = false;
  ByteReader r(outer.value);
  size_t base = outer.value_offset;
  for (size_t i = 0; !r.AtEnd(); ++i) {
    if (i >= kMaxDepthEntries) return Bad("too many extension entries", base + r.position());
    TEEPNET_ASSIGN_OR_RETURN(Tlv entry, Expect(r, kTagSequence, base));
    ByteReader e(entry.value);
    size_t e_base = base + entry.value_offset;
    TEEPNET_ASSIGN_OR_RETURN(Tlv oid, Expect(e, kTagOid, e_base));
    auto value = ReadTlv(e);
    if (!value.ok()) return std::move(value).TakeError().WithOffsetBase(e_base);
    if (!e.AtEnd()) return Bad("bytes after an entry's value", e_base + e.position());
    ByteView arcs = ArcsAfterPrefix(oid.value);
    if (arcs.size() != 1) continue;  // not a top-level SGX entry: ignore
    switch (arcs[0]) {
      case 1: TEEPNET_RETURN_IF_ERROR(CopyOctets(*value, ext.ppid, e_base)); break;
      case 2:
        if (value->tag != kTagSequence) return Bad("TCB is not a SEQUENCE", e_base + value->offset);
        TEEPNET_RETURN_IF_ERROR(ParseTcb(*value, e_base, &ext));
        have_tcb = true;
        break;
      case 3:
        TEEPNET_RETURN_IF_ERROR(CopyOctets(*value, ext.pce_id, e_base));
        have_pce = true;
        break;
      case 4:
        TEEPNET_RETURN_IF_ERROR(CopyOctets(*value, ext.fmspc, e_base));
        have_fmspc = true;
        break;
      case 5: {
        if (value->tag != kTagEnumerated)
          return Bad("SGX type not ENUMERATED", e_base + value->offset);
        TEEPNET_ASSIGN_OR_RETURN(uint32_t type, SmallUnsigned(*value, 0xff, e_base));
        ext.sgx_type = static_cast<uint8_t>(type);
        break;
      }
      default: break;  // PlatformInstanceID, Configuration: not needed for appraisal
    }
  }
  if (!have_tcb || !have_pce || !have_fmspc) {
    return Bad("SGX extension lacks TCB, PCE-ID or FMSPC", 0);
  }
  return ext;
}

Bytes EncodePckExtension(const PckExtension& ext) {
  ByteWriter tcb;
  for (uint8_t n = 1; n <= 16; ++n) {
    tcb.WriteBytes(Entry(Oid({2, n}), kTagInteger, IntegerContent(ext.comp_svn[n - 1])));
  }
  tcb.WriteBytes(Entry(Oid({2, 17}), kTagInteger, IntegerContent(ext.pcesvn)));
  tcb.WriteBytes(Entry(Oid({2, 18}), kTagOctetString, ext.cpusvn));
  ByteWriter body;
  body.WriteBytes(Entry(Oid({1}), kTagOctetString, ext.ppid));
  body.WriteBytes(Entry(Oid({2}), kTagSequence, tcb.bytes()));
  body.WriteBytes(Entry(Oid({3}), kTagOctetString, ext.pce_id));
  body.WriteBytes(Entry(Oid({4}), kTagOctetString, ext.fmspc));
  Bytes type = IntegerContent(ext.sgx_type);
  body.WriteBytes(Entry(Oid({5}), kTagEnumerated, type));
  ByteWriter out;
  PutTlv(out, kTagSequence, body.bytes());
  return std::move(out).Take();
}

}  // namespace teepnet::attest
