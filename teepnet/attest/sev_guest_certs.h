// The certificate table an SEV-SNP guest receives next to its report: from SNP_GET_EXT_REPORT
// (certs_address) or from configfs-tsm `auxblob` with provider sev_guest. Layout (GHCB
// specification 56421, "SNP Extended Guest Request"): entries of
//   { GUID (16 bytes), offset (u32 LE), length (u32 LE) }
// terminated by an all-zero entry; offsets count from the start of the table buffer. The
// GUIDs are stored in their textual byte order (as go-sev-guest and the hypervisors write them):
//   ARK  c0b406a4-a803-4952-9743-3fb6014cd0ae   ASK  4ab7b379-bbac-4fe4-a02f-05aef327c782
//   VCEK 63da758d-e664-4564-adc5-f4b93be8accd   VLEK a8074bc2-a25a-483e-aae6-39c045a0b8a1
//   CRL  92f81bc3-5811-4d3d-97ff-d19f88dc67ea
// Other GUIDs are kept as unknown entries and ignored by SnpEndorsementsFromCertTable.
#ifndef TEEPNET_ATTEST_SEV_GUEST_CERTS_H_
#define TEEPNET_ATTEST_SEV_GUEST_CERTS_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "teepnet/attest/snp_appraiser.h"
#include "teepnet/base/bytes.h"
#include "teepnet/base/result.h"
#include "teepnet/crypto/x509.h"

namespace teepnet::attest {

// The kernel's SEV_FW_BLOB_MAX_SIZE: the most certificate data the sev-guest driver accepts.
inline constexpr size_t kSnpCertTableMax = 16 * 1024;
// More entries than any AMD chain has (ARK, ASK, VCEK/VLEK, CRL) with room for extras.
inline constexpr size_t kSnpCertTableMaxEntries = 16;

using SnpGuid = std::array<uint8_t, 16>;
enum class SnpCertKind : uint8_t { kArk, kAsk, kVcek, kVlek, kCrl, kUnknown };
SnpGuid GuidOf(SnpCertKind kind);  // all-zero for kUnknown

struct SnpCertEntry {
  SnpGuid guid{};
  SnpCertKind kind = SnpCertKind::kUnknown;
  ByteView data;  // a view into the table buffer
};

// kSnpBadCertTable: no terminator, an entry outside the buffer, more than the limit of
// entries, or a known GUID twice. An empty buffer is an empty table.
Result<std::vector<SnpCertEntry>> ParseSnpCertTable(ByteView table);

// Builds a table (tests and simulated hosts): entries in the given order, then the terminator.
Bytes EncodeSnpCertTable(const std::vector<std::pair<SnpCertKind, ByteView>>& entries);

// The VCEK (or VLEK) as leaf and the ASK as intermediate from the table. The table's ARK is
// NOT trusted: `trusted_roots` (the caller's pinned AMD ARKs) become the roots, so a host that
// forges the table cannot pick its own trust anchor. kSnpBadCertTable when there is no leaf,
// kBadEndorsement when a certificate does not parse.
Result<SnpEndorsements> SnpEndorsementsFromCertTable(
    ByteView table, std::vector<crypto::Certificate> trusted_roots);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SEV_GUEST_CERTS_H_
