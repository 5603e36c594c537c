#include "teepnet/attest/snp_tcb.h"

#include <gtest/gtest.h>

namespace teepnet::attest {
namespace {

TEST(SnpTcbTest, MilanLayoutPutsSnpAndUcodeInTheTopBytes) {
  // trustee-test-report.bin REPORTED_TCB bl=3 tee=0 snp=8 ucode=115 (sev-snp README).
  SnpTcb t = DecodeSnpTcb(0x7308000000000003ull, SnpProduct::kMilan);
  EXPECT_EQ(t.boot_loader, 3);
  EXPECT_EQ(t.tee, 0);
  EXPECT_EQ(t.snp, 8);
  EXPECT_EQ(t.microcode, 115);
  EXPECT_EQ(EncodeSnpTcb(t, SnpProduct::kMilan), 0x7308000000000003ull);
}

TEST(SnpTcbTest, TurinLayoutPutsFmcBlTeeSnpInTheLowBytes) {
  SnpTcb t = DecodeSnpTcb(0x4800000004030201ull, SnpProduct::kTurin);
  EXPECT_EQ(t.fmc, 1);
  EXPECT_EQ(t.boot_loader, 2);
  EXPECT_EQ(t.tee, 3);
  EXPECT_EQ(t.snp, 4);
  EXPECT_EQ(t.microcode, 0x48);
  EXPECT_EQ(EncodeSnpTcb(t, SnpProduct::kTurin), 0x4800000004030201ull);
}

TEST(SnpTcbTest, ReservedBytesDependOnTheProduct) {
  EXPECT_TRUE(SnpTcbReservedZero(0x7308000000000003ull, SnpProduct::kGenoa));
  EXPECT_FALSE(SnpTcbReservedZero(0x7308000000010003ull, SnpProduct::kGenoa));
  EXPECT_TRUE(SnpTcbReservedZero(0x4800000004030201ull, SnpProduct::kTurin));
  EXPECT_FALSE(SnpTcbReservedZero(0x7308000000000003ull, SnpProduct::kTurin));
}

TEST(SnpTcbTest, AtLeastComparesEveryComponent) {
  SnpTcb have{0, 3, 0, 8, 115};
  EXPECT_TRUE(have.AtLeast({0, 3, 0, 8, 115}));
  EXPECT_TRUE(have.AtLeast({0, 2, 0, 5, 68}));
  EXPECT_FALSE(have.AtLeast({0, 3, 0, 8, 116}));
  EXPECT_FALSE(have.AtLeast({0, 4, 0, 0, 0}));
}

TEST(SnpTcbTest, ProductComesFromCpuidOrName) {
  EXPECT_EQ(SnpProductFromCpuid(0x19, 0x01), SnpProduct::kMilan);
  EXPECT_EQ(SnpProductFromCpuid(0x19, 0x11), SnpProduct::kGenoa);
  EXPECT_EQ(SnpProductFromCpuid(0x19, 0xA0), SnpProduct::kGenoa);
  EXPECT_EQ(SnpProductFromCpuid(0x1A, 0x02), SnpProduct::kTurin);
  EXPECT_EQ(SnpProductFromCpuid(0x17, 0x31), SnpProduct::kUnknown);
  EXPECT_EQ(SnpProductFromName("Milan-B0"), SnpProduct::kMilan);
  EXPECT_EQ(SnpProductFromName("genoa"), SnpProduct::kGenoa);
  EXPECT_EQ(SnpProductFromName("Turin"), SnpProduct::kTurin);
  EXPECT_EQ(SnpProductFromName("Mil"), SnpProduct::kUnknown);
}

}  // namespace
}  // namespace teepnet::attest
