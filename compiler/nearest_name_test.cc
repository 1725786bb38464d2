#include "compiler/nearest_name.h"

#include <string>

#include "gtest/gtest.h"

namespace pinbake {
namespace {

const std::vector<std::string> kEntryKeys = {
    "name", "include_subdomains", "include_subdomains_for_pinning", "mode",
    "pins", "policy", "pin_mode", "exclude"};

TEST(NearestNameTest, SuggestsTheClosestKey) {
  EXPECT_EQ(NearestName("include_subdomain", kEntryKeys), "include_subdomains");
  EXPECT_EQ(NearestName("pin", kEntryKeys), "pins");
  EXPECT_EQ(NearestName("exculde", kEntryKeys), "exclude");  // Transposition.
  EXPECT_EQ(NearestName("pin_mdoe", kEntryKeys), "pin_mode");
}

TEST(NearestNameTest, NothingWhenFarOrExact) {
  EXPECT_EQ(NearestName("color", kEntryKeys), std::nullopt);
  EXPECT_EQ(NearestName("x", kEntryKeys), std::nullopt);
  EXPECT_EQ(NearestName("pins", kEntryKeys), std::nullopt);
  EXPECT_EQ(NearestName(std::string(1 << 20, 'a'), kEntryKeys), std::nullopt);
  // Long names get no suggestion (bounded cost), even when close.
  const std::string long_name(100, 'k');
  EXPECT_EQ(NearestName(long_name + "x", {long_name}), std::nullopt);
}

TEST(NearestNameTest, EditDistanceCounts) {
  EXPECT_EQ(EditDistance("", "abc"), 3);
  EXPECT_EQ(EditDistance("abc", "abc"), 0);
  EXPECT_EQ(EditDistance("abc", "acb"), 1);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

// Usage errors (cli/): subcommands and flags.
TEST(EditDistanceTest, CountsEditsAndTranspositionsOfFlags) {
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("abc", ""), 3);
  EXPECT_EQ(EditDistance("--wrror", "--werror"), 1);   // Deletion.
  EXPECT_EQ(EditDistance("complie", "compile"), 1);    // Transposition.
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

TEST(NearestNameTest, SuggestsTheClosestSubcommandOrFlag) {
  const std::vector<std::string> subcommands = {"compile", "check", "connect",
                                                "lookup", "lint"};
  EXPECT_EQ(NearestName("complie", subcommands), "compile");
  EXPECT_EQ(NearestName("lnit", subcommands), "lint");
  EXPECT_EQ(NearestName("frobnicate", subcommands), std::nullopt);
  EXPECT_EQ(NearestName("compile", subcommands), std::nullopt);
  // One letter is no evidence of anything.
  EXPECT_EQ(NearestName("x", {"-o"}), std::nullopt);
  EXPECT_EQ(DidYouMean("--wrror", {"--json", "--werror"}),
            " (did you mean --werror?)");
  EXPECT_EQ(DidYouMean("--frob", {"--json", "--werror"}), "");
}

}  // namespace
}  // namespace pinbake
