#include "teepnet/attest/sev_guest_certs.h"

#include <algorithm>
#include <string>
#include <utility>

#include "teepnet/attest/errc.h"
#include "teepnet/base/byte_reader.h"
#include "teepnet/base/byte_writer.h"

namespace teepnet::attest {
namespace {

constexpr size_t kEntrySize = 24;  // GUID 16 + offset 4 + length 4

constexpr std::array<std::pair<SnpCertKind, SnpGuid>, 5> kGuids = {{
    {SnpCertKind::kArk,
     {0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52, 0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0,
      0xae}},
    {SnpCertKind::kAsk,
     {0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4, 0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7,
      0x82}},
    {SnpCertKind::kVcek,
     {0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac,
      0xcd}},
    {SnpCertKind::kVlek,
     {0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e, 0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8,
      0xa1}},
    {SnpCertKind::kCrl,
     {0x92, 0xf8, 0x1b, 0xc3, 0x58, 0x11, 0x4d, 0x3d, 0x97, 0xff, 0xd1, 0x9f, 0x88, 0xdc, 0x67,
      0xea}},
}};

SnpCertKind KindOf(const SnpGuid& guid) {
  for (const auto& [kind, g] : kGuids) {
    if (g == guid) return kind;
  }
  return SnpCertKind::kUnknown;
}

}  // namespace

SnpGuid GuidOf(SnpCertKind kind) {
  for (const auto& [k, g] : kGuids) {
    if (k == kind) return g;
  }
  return SnpGuid{};
}

Result<std::vector<SnpCertEntry>> ParseSnpCertTable(ByteView table) {
  std::vector<SnpCertEntry> entries;
  if (table.empty()) return entries;
  if (table.size() > kSnpCertTableMax) {
    return Error(Errc::kRealBlobTooLarge, "certificate table of " + std::to_string(table.size()) +
                                              " bytes (at most " +
                                              std::to_string(kSnpCertTableMax) + ")");
  }
  ByteReader r(table);
  for (;;) {
    const size_t at = r.position();
    SnpCertEntry e;
    uint32_t offset = 0, length = 0;
    if (!r.ReadInto(e.guid) || !r.ReadLeU32(&offset) || !r.ReadLeU32(&length)) {
      return Error(Errc::kSnpBadCertTable, "certificate table without a terminating entry", at);
    }
    const bool zero_guid = std::all_of(e.guid.begin(), e.guid.end(), [](uint8_t b) { return !b; });
    // GHCB spec: the table ends with an entry whose GUID, offset and length are all zero.
    if (zero_guid && offset == 0 && length == 0) break;
    if (entries.size() == kSnpCertTableMaxEntries) {
      return Error(
          Errc::kSnpBadCertTable,
          "more than " + std::to_string(kSnpCertTableMaxEntries) + " certificate table entries",
          at);
    }
    ByteReader body(table);
    if (!body.Skip(offset) || !body.ReadBytes(length, &e.data) || length == 0) {
      return Error(Errc::kSnpBadCertTable, "certificate table entry outside the buffer", at);
    }
    e.kind = KindOf(e.guid);
    if (e.kind != SnpCertKind::kUnknown &&
        std::any_of(entries.begin(), entries.end(),
                    [&](const SnpCertEntry& o) { return o.kind == e.kind; })) {
      // Two VCEKs would leave the choice of leaf to whoever wrote the table.
      return Error(Errc::kSnpBadCertTable, "a certificate kind appears twice", at);
    }
    entries.push_back(e);
  }
  return entries;
}

Bytes EncodeSnpCertTable(const std::vector<std::pair<SnpCertKind, ByteView>>& entries) {
  const size_t header = (entries.size() + 1) * kEntrySize;
  ByteWriter w;
  size_t offset = header;
  for (const auto& [kind, data] : entries) {
    w.WriteBytes(GuidOf(kind));
    w.WriteLeU32(static_cast<uint32_t>(offset));
    w.WriteLeU32(static_cast<uint32_t>(data.size()));
    offset += data.size();
  }
  w.WriteZeros(kEntrySize);
  for (const auto& entry : entries) w.WriteBytes(entry.second);
  return std::move(w).Take();
}

Result<SnpEndorsements> SnpEndorsementsFromCertTable(
    ByteView table, std::vector<crypto::Certificate> trusted_roots) {
  TEEPNET_ASSIGN_OR_RETURN(std::vector<SnpCertEntry> entries, ParseSnpCertTable(table));
  SnpEndorsements out;
  for (const SnpCertEntry& e : entries) {
    if (e.kind != SnpCertKind::kVcek && e.kind != SnpCertKind::kVlek &&
        e.kind != SnpCertKind::kAsk) {
      continue;
    }
    auto cert = crypto::Certificate::FromDer(e.data);
    if (!cert.ok()) {
      return Error(Errc::kBadEndorsement,
                   "certificate table entry does not parse: " + cert.error().ToString());
    }
    if (e.kind == SnpCertKind::kAsk) {
      out.intermediates.push_back(*std::move(cert));
    } else if (out.leaf) {
      return Error(Errc::kSnpBadCertTable, "certificate table holds both a VCEK and a VLEK");
    } else {
      out.leaf = *std::move(cert);
    }
  }
  if (!out.leaf) return Error(Errc::kSnpBadCertTable, "certificate table holds no VCEK or VLEK");
  out.roots = std::move(trusted_roots);
  return out;
}

}  // namespace teepnet::attest
