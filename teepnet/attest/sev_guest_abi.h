// The Linux SEV-SNP guest driver's user ABI (include/uapi/linux/sev-guest.h). Debian 12's
// linux-libc-dev ships the header; the fallback below restates the same kernel ABI for systems
// without it:
//   struct snp_report_req { __u8 user_data[64]; __u32 vmpl; __u8 rsvd[28]; };
//   struct snp_report_resp { __u8 data[4000]; };
//   struct snp_guest_request_ioctl { __u8 msg_version; __u64 req_data; __u64 resp_data;
//     union { __u64 exitinfo2; struct { __u32 fw_error; __u32 vmm_error; }; }; };
//   struct snp_ext_report_req { struct snp_report_req data; __u64 certs_address;
//     __u32 certs_len; };
//   SNP_GET_REPORT = _IOWR('S', 0x0, ...), SNP_GET_EXT_REPORT = _IOWR('S', 0x2, ...)
#ifndef TEEPNET_ATTEST_SEV_GUEST_ABI_H_
#define TEEPNET_ATTEST_SEV_GUEST_ABI_H_

#include <cstddef>
#include <cstdint>

// The uapi header uses _IOWR without including its definition.
#include <linux/ioctl.h>
#include <linux/types.h>

#if __has_include(<linux/sev-guest.h>)
#include <linux/sev-guest.h>
#else
struct snp_report_req {
  __u8 user_data[64];
  __u32 vmpl;
  __u8 rsvd[28];
};
struct snp_report_resp {
  __u8 data[4000];
};
struct snp_guest_request_ioctl {
  __u8 msg_version;
  __u64 req_data;
  __u64 resp_data;
  __u64 exitinfo2;  // bits 31:0 firmware error, bits 63:32 VMM error
};
struct snp_ext_report_req {
  struct snp_report_req data;
  __u64 certs_address;
  __u32 certs_len;
};
#define SNP_GET_REPORT _IOWR('S', 0x0, struct snp_guest_request_ioctl)
#define SNP_GET_EXT_REPORT _IOWR('S', 0x2, struct snp_guest_request_ioctl)
#endif

namespace teepnet::attest {

inline constexpr size_t kSevPageSize = 4096;
// MSG_REPORT_RSP (SEV-SNP ABI spec 56860): the report follows a 32-byte header.
inline constexpr size_t kMsgReportRspHeaderSize = 0x20;
// The driver's SNP_GUEST_VMM_ERR_INVALID_LEN: the certificate buffer was too small, and the
// driver wrote the size the host needs back into certs_len.
inline constexpr uint32_t kSevVmmErrInvalidLen = 1;
// The message version the driver requires to be non-zero; 1 is the only one defined.
inline constexpr uint8_t kSevMsgVersion = 1;

inline constexpr unsigned long kSnpGetReport = SNP_GET_REPORT;
inline constexpr unsigned long kSnpGetExtReport = SNP_GET_EXT_REPORT;

// exitinfo2 split without relying on the header's anonymous struct.
inline uint32_t SevFwError(const snp_guest_request_ioctl& arg) {
  return static_cast<uint32_t>(arg.exitinfo2 & 0xffffffffu);
}
inline uint32_t SevVmmError(const snp_guest_request_ioctl& arg) {
  return static_cast<uint32_t>(arg.exitinfo2 >> 32);
}

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SEV_GUEST_ABI_H_
