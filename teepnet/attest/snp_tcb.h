// SEV-SNP product lines and the TCB_VERSION word, whose byte layout depends on the product
// (ABI spec, "TCB_VERSION Structure"): Milan/Genoa put BOOT_LOADER, TEE, SNP, MICROCODE in
// bytes 0, 1, 6, 7; Turin puts FMC, BOOT_LOADER, TEE, SNP in bytes 0..3 and MICROCODE in 7.
#ifndef TEEPNET_ATTEST_SNP_TCB_H_
#define TEEPNET_ATTEST_SNP_TCB_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace teepnet::attest {

enum class SnpProduct : uint8_t { kUnknown, kMilan, kGenoa, kTurin };

std::string_view SnpProductName(SnpProduct product);  // "Milan", "Genoa", "Turin"
// "Milan", "milan", "Milan-B0", "Genoa-B1"... (the VCEK productName is "<line>-<stepping>").
SnpProduct SnpProductFromName(std::string_view name);
// From the CPUID family/model a v3+ report carries: family 19h models 00h-0Fh are Milan,
// 10h-1Fh and A0h-AFh Genoa; family 1Ah models 00h-1Fh are Turin.
SnpProduct SnpProductFromCpuid(uint8_t family, uint8_t model);

struct SnpTcb {
  uint8_t fmc = 0;  // Turin only
  uint8_t boot_loader = 0;
  uint8_t tee = 0;
  uint8_t snp = 0;
  uint8_t microcode = 0;

  // Every component at least `min`'s (the order AMD's KDS uses for TCB comparisons).
  bool AtLeast(const SnpTcb& min) const;
  bool operator==(const SnpTcb&) const = default;
  std::string ToString() const;  // "bl=3 tee=0 snp=8 ucode=115" (+ " fmc=.." on Turin)
};

SnpTcb DecodeSnpTcb(uint64_t raw, SnpProduct product);
uint64_t EncodeSnpTcb(const SnpTcb& tcb, SnpProduct product);
// The bytes of `raw` that are reserved for `product` are zero.
bool SnpTcbReservedZero(uint64_t raw, SnpProduct product);

}  // namespace teepnet::attest

#endif  // TEEPNET_ATTEST_SNP_TCB_H_
