#include "teepnet/attest/snp_tcb.h"

namespace teepnet::attest {
namespace {

uint8_t ByteAt(uint64_t raw, int i) {
  return static_cast<uint8_t>(raw >> (8 * i));
}
uint64_t Put(uint8_t v, int i) {
  return static_cast<uint64_t>(v) << (8 * i);
}

bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

std::string_view SnpProductName(SnpProduct product) {
  switch (product) {
    case SnpProduct::kMilan: return "Milan";
    case SnpProduct::kGenoa: return "Genoa";
    case SnpProduct::kTurin: return "Turin";
    case SnpProduct::kUnknown: return "unknown";
  }
  return "unknown";
}

SnpProduct SnpProductFromName(std::string_view name) {
  if (StartsWithNoCase(name, "milan")) return SnpProduct::kMilan;
  if (StartsWithNoCase(name, "genoa")) return SnpProduct::kGenoa;
  if (StartsWithNoCase(name, "turin")) return SnpProduct::kTurin;
  return SnpProduct::kUnknown;
}

SnpProduct SnpProductFromCpuid(uint8_t family, uint8_t model) {
  if (family == 0x19) {
    if (model <= 0x0F) return SnpProduct::kMilan;
    if (model <= 0x1F || (model >= 0xA0 && model <= 0xAF)) return SnpProduct::kGenoa;
  }
  if (family == 0x1A && model <= 0x1F) return SnpProduct::kTurin;
  return SnpProduct::kUnknown;
}

bool SnpTcb::AtLeast(const SnpTcb& min) const {
  return fmc >= min.fmc && boot_loader >= min.boot_loader && tee >= min.tee && snp >= min.snp &&
         microcode >= min.microcode;
}

std::string SnpTcb::ToString() const {
  std::string s = "bl=" + std::to_string(boot_loader) + " tee=" + std::to_string(tee) +
                  " snp=" + std::to_string(snp) + " ucode=" + std::to_string(microcode);
  if (fmc != 0) s += " fmc=" + std::to_string(fmc);
  return s;
}

SnpTcb DecodeSnpTcb(uint64_t raw, SnpProduct product) {
  SnpTcb t;
  if (product == SnpProduct::kTurin) {
    t.fmc = ByteAt(raw, 0);
    t.boot_loader = ByteAt(raw, 1);
    t.tee = ByteAt(raw, 2);
    t.snp = ByteAt(raw, 3);
  } else {
    t.boot_loader = ByteAt(raw, 0);
    t.tee = ByteAt(raw, 1);
    t.snp = ByteAt(raw, 6);
  }
  t.microcode = ByteAt(raw, 7);
  return t;
}

uint64_t EncodeSnpTcb(const SnpTcb& t, SnpProduct product) {
  if (product == SnpProduct::kTurin) {
    return Put(t.fmc, 0) | Put(t.boot_loader, 1) | Put(t.tee, 2) | Put(t.snp, 3) |
           Put(t.microcode, 7);
  }
  return Put(t.boot_loader, 0) | Put(t.tee, 1) | Put(t.snp, 6) | Put(t.microcode, 7);
}

bool SnpTcbReservedZero(uint64_t raw, SnpProduct product) {
  const uint64_t mask =
      product == SnpProduct::kTurin ? 0x00FFFFFF00000000ull : 0x0000FFFFFFFF0000ull;
  return (raw & mask) == 0;
}

}  // namespace teepnet::attest
