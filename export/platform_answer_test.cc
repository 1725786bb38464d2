#include "export/platform_answer.h"

#include "export/round_trip_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

PlatformAnswer Pinned(std::vector<SpkiHash> good) {
  PlatformAnswer a;
  a.pinned = true;
  a.good = std::move(good);
  return a;
}

TEST(PlatformAnswerTest, SameAnswerComparesOnlyTheGivenAspects) {
  PlatformAnswer a = Pinned({TestHash(1), TestHash(2)});
  PlatformAnswer b = a;
  b.decided_by = "other";  // Never compared.
  EXPECT_TRUE(SameAnswer(a, b, {}));
  b.bad = {TestHash(3)};
  EXPECT_FALSE(SameAnswer(a, b, {}));
  EXPECT_TRUE(SameAnswer(a, b, {false, true, false, false}));
  b = a;
  b.report_uri = "https://r.example/";
  EXPECT_TRUE(SameAnswer(a, b, {}));
  EXPECT_FALSE(SameAnswer(a, b, {true, true, true, false}));
  b = a;
  b.force_https = true;
  EXPECT_TRUE(SameAnswer(a, b, {}));
  EXPECT_FALSE(SameAnswer(a, b, {true, true, false, true}));
  b = a;
  b.ambiguous = true;
  EXPECT_FALSE(SameAnswer(b, b, {}));
  // Unpinned answers agree whatever their (unused) pins.
  PlatformAnswer none, none2;
  none2.good = {TestHash(1)};
  EXPECT_TRUE(SameAnswer(none, none2, {}));
}

TEST(PlatformAnswerTest, DescribeDifferenceSaysWhatThePlatformWouldDo) {
  const AnswerAspects all = {true, true, true, true};
  PlatformAnswer ours = Pinned({TestHash(1), TestHash(2)});
  ours.bad = {TestHash(3)};
  ours.report_only = true;
  ours.report_uri = "https://r.example/";
  PlatformAnswer theirs = Pinned({TestHash(1)});
  theirs.force_https = true;
  EXPECT_EQ(DescribeDifference(ours, theirs, all),
            "accept other keys (sha256/AQEBAQEBAQEB...), not block "
            "sha256/AwMDAwMDAwMD..., enforce pins pinbake only reports, send "
            "no reports, refuse plain HTTP");
  EXPECT_EQ(DescribeDifference(ours, PlatformAnswer(), {}), "not pin it");
  PlatformAnswer by;
  by.decided_by = "x.example";
  EXPECT_EQ(DescribeDifference(ours, by, {}),
            "not pin it (decided by x.example)");
  theirs.decided_by = "p.example";
  EXPECT_THAT(DescribeDifference(PlatformAnswer(), theirs, {}),
              HasSubstr("pin it to 1 key(s) (sha256/AQEBAQEBAQEB...) by p.example"));
  EXPECT_EQ(DescribeDifference(ours, ours, all), "");
  EXPECT_EQ(DescribeAnswer(ours, all),
            "reports (does not enforce) 2 pin(s) (sha256/AQEBAQEBAQEB..., "
            "sha256/AgICAgICAgIC...), blocks 1 key(s) (sha256/AwMDAwMDAwMD...), "
            "reports to https://r.example/, plain HTTP allowed");
}

}  // namespace
}  // namespace pinbake
