#include "cli/nearest_name.h"

#include "gtest/gtest.h"

namespace pinbake {
namespace {

TEST(EditDistanceTest, CountsEditsAndTranspositions) {
  EXPECT_EQ(EditDistance("", ""), 0);
  EXPECT_EQ(EditDistance("abc", ""), 3);
  EXPECT_EQ(EditDistance("--wrror", "--werror"), 1);   // Deletion.
  EXPECT_EQ(EditDistance("complie", "compile"), 1);    // Transposition.
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3);
}

TEST(NearestNameTest, SuggestsTheClosestKnownName) {
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
