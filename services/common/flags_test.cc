#include "services/common/flags.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "services/common/errc.h"
#include "teepnet/testing/matchers.h"

namespace teepnet::common {
namespace {

using ::teepnet::testing::FailsWith;

// Owns argv strings for a test.
class Args {
 public:
  Args(std::initializer_list<const char*> args) : storage_(args.begin(), args.end()) {
    for (std::string& s : storage_) ptrs_.push_back(s.data());
  }
  std::span<char* const> span() const { return ptrs_; }

 private:
  std::vector<std::string> storage_;
  std::vector<char*> ptrs_;
};

struct Parsed {
  std::string listen = "127.0.0.1:0";
  std::string data;
  int64_t count = 3;
  bool once = false;
};

FlagSet MakeFlags(Parsed& p) {
  FlagSet flags("prog run [flags] FILE", "Does a thing.");
  flags.String("listen", &p.listen, "ADDR:PORT", "where to listen");
  flags.String("data", &p.data, "DIR", "data directory", /*required=*/true);
  flags.Int("count", &p.count, "N", "how many", 1, 10);
  flags.Bool("once", &p.once, "run once");
  return flags;
}

TEST(FlagSetTest, SpaceAndEqualsFormsBothParse) {
  Parsed p;
  FlagSet flags = MakeFlags(p);
  Args args{"--data", "/tmp/x", "--listen=0.0.0.0:1", "file.cbor", "--count", "7", "--once"};
  auto positional = flags.Parse(args.span());
  TEEPNET_ASSERT_OK(positional);
  EXPECT_EQ(p.data, "/tmp/x");
  EXPECT_EQ(p.listen, "0.0.0.0:1");
  EXPECT_EQ(p.count, 7);
  EXPECT_TRUE(p.once);
  EXPECT_EQ(*positional, std::vector<std::string>{"file.cbor"});
}

TEST(FlagSetTest, UnknownFlagFailsWithUsage) {
  Parsed p;
  FlagSet flags = MakeFlags(p);
  Args args{"--data", "d", "--nope"};
  EXPECT_TRUE(FailsWith(flags.Parse(args.span()), Errc::kUsage));
}

TEST(FlagSetTest, MissingRequiredFlagFailsWithUsage) {
  Parsed p;
  FlagSet flags = MakeFlags(p);
  Args args{"--once"};
  EXPECT_TRUE(FailsWith(flags.Parse(args.span()), Errc::kUsage));
}

TEST(FlagSetTest, MissingValueFailsWithUsage) {
  Parsed p;
  FlagSet flags = MakeFlags(p);
  Args args{"--data"};
  EXPECT_TRUE(FailsWith(flags.Parse(args.span()), Errc::kUsage));
}

TEST(FlagSetTest, IntegerOutOfRangeOrMalformedFailsWithUsage) {
  for (const char* bad : {"0", "11", "3x", "", "-"}) {
    Parsed p;
    FlagSet flags = MakeFlags(p);
    Args args{"--data", "d", "--count", bad};
    EXPECT_TRUE(FailsWith(flags.Parse(args.span()), Errc::kUsage)) << bad;
  }
}

TEST(FlagSetTest, HelpSkipsRequiredCheckAndListsEveryFlag) {
  Parsed p;
  FlagSet flags = MakeFlags(p);
  Args args{"--help"};
  TEEPNET_ASSERT_OK(flags.Parse(args.span()));
  EXPECT_TRUE(flags.help_requested());
  std::string help = flags.Help();
  for (const char* name : {"--listen", "--data", "--count", "--once", "--help"}) {
    EXPECT_NE(help.find(name), std::string::npos) << name;
  }
  EXPECT_NE(help.find("(required)"), std::string::npos);
}

TEST(FlagSetTest, DoubleDashEndsFlags) {
  Parsed p;
  FlagSet flags = MakeFlags(p);
  Args args{"--data", "d", "--", "--once"};
  auto positional = flags.Parse(args.span());
  TEEPNET_ASSERT_OK(positional);
  EXPECT_FALSE(p.once);
  EXPECT_EQ(*positional, std::vector<std::string>{"--once"});
}

TEST(FlagSetTest, AShortNameIsAnotherSpellingOfItsLongFlag) {
  std::string out;
  FlagSet flags("t", "d");
  flags.String("out", &out, "OUT", "where (also -o OUT)", true);
  flags.ShortName('o', "out");
  Args args{"-o", "x.bin", "in"};
  auto positional = flags.Parse(args.span());
  TEEPNET_ASSERT_OK(positional);
  EXPECT_EQ(out, "x.bin");
  EXPECT_EQ(*positional, std::vector<std::string>{"in"});
  // Other single-dash words stay positional, and "-o" needs its value like "--out".
  Args other{"-x", "--out", "y"};
  auto kept = flags.Parse(other.span());
  TEEPNET_ASSERT_OK(kept);
  EXPECT_EQ(*kept, std::vector<std::string>{"-x"});
  Args missing{"-o"};
  EXPECT_TRUE(FailsWith(flags.Parse(missing.span()), Errc::kUsage));
}

}  // namespace
}  // namespace teepnet::common
