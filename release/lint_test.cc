#include "release/lint.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "compiler/pin_list_model.h"
#include "compiler/table_writer.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr int64_t kMade = 1800000000;  // List timestamp.
const absl::Time kNow = absl::FromUnixSeconds(kMade + 86400);

SpkiHash HashOf(uint8_t fill) {
  SpkiHash h;
  h.bytes.fill(fill);
  return h;
}

HostEntry Entry(std::string name, std::string pinset,
                bool include_subdomains = false) {
  HostEntry e;
  e.name = std::move(name);
  e.pinset = std::move(pinset);
  e.include_subdomains = include_subdomains;
  return e;
}

// example.com (+subdomains) pinned to "main" = {1, 2}, bad {9};
// beta.example.org report-only on "solo" = {7}.
PinListModel Base() {
  PinListModel m;
  m.list.version = 1;
  m.list.timestamp = kMade;
  m.list.max_age_days = 70;
  m.pinsets.push_back({"main", {HashOf(1), HashOf(2)}, {HashOf(9)}, "", "p0"});
  m.pinsets.push_back({"solo", {HashOf(7)}, {}, "", "p1"});
  m.entries.push_back(Entry("example.com", "main", true));
  HostEntry beta = Entry("beta.example.org", "solo");
  beta.pin_mode = PinMode::kReportOnly;
  m.entries.push_back(beta);
  HostEntry hsts = Entry("www.example.edu", "");
  hsts.force_https = true;
  m.entries.push_back(hsts);
  return m;
}

class LintTest : public ::testing::Test {
 protected:
  // Compiles `model` and keeps the bytes alive in the fixture.
  PinList Compile(const PinListModel& model) {
    absl::StatusOr<std::string> table = WriteTable(model);
    EXPECT_TRUE(table.ok()) << table.status();
    tables_.push_back(std::make_unique<std::string>(*table));
    absl::StatusOr<PinList> list = PinList::FromBytes(*tables_.back());
    EXPECT_TRUE(list.ok()) << list.status();
    return *list;
  }

  std::vector<LintFinding> Lint(const PinListModel& model,
                                LintOptions options = LintOptions()) {
    if (options.now == absl::UnixEpoch()) options.now = kNow;
    PinList list = Compile(model);
    absl::StatusOr<std::vector<LintFinding>> findings =
        LintPinList(list, options);
    EXPECT_TRUE(findings.ok()) << findings.status();
    return *findings;
  }

  // The findings of check `id`.
  static std::vector<LintFinding> Only(const std::vector<LintFinding>& all,
                                       const std::string& id) {
    std::vector<LintFinding> out;
    for (const LintFinding& f : all) {
      if (f.check == id) out.push_back(f);
    }
    return out;
  }

  std::vector<std::unique_ptr<std::string>> tables_;
};

TEST_F(LintTest, CleanListHasOnlyTheReportOnlySinglePinWarning) {
  std::vector<LintFinding> f = Lint(Base());
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].check, "single-pin");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].subject, "solo");
  EXPECT_THAT(f[0].message, HasSubstr("report-only for beta.example.org"));
  EXPECT_EQ(CountLintErrors(f), 0u);
  EXPECT_EQ(CountLintWarnings(f), 1u);
}

TEST_F(LintTest, EnforcedSinglePinIsAnError) {
  PinListModel m = Base();
  m.entries.push_back(Entry("solo.example.net", "solo"));
  std::vector<LintFinding> f = Only(Lint(m), "single-pin");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message,
              HasSubstr("pinset solo has 1 good pin but is enforced for "
                        "solo.example.net"));
  EXPECT_THAT(f[0].message, HasSubstr("RFC 7469"));
}

TEST_F(LintTest, ManyUsersAreAbbreviated) {
  PinListModel m = Base();
  for (int i = 0; i < 8; ++i) {
    m.entries.push_back(Entry("h" + std::to_string(i) + ".example.net", "solo"));
  }
  std::vector<LintFinding> f = Only(Lint(m), "single-pin");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_THAT(f[0].message, HasSubstr("and 3 more"));
}

TEST_F(LintTest, Expiry) {
  PinListModel m = Base();
  m.list.timestamp = 0;
  EXPECT_EQ(Only(Lint(m), "no-timestamp").size(), 1u);
  EXPECT_EQ(CountLintErrors(Lint(m)), 1u);

  LintOptions options;
  options.now = absl::FromUnixSeconds(kMade) + absl::Hours(24 * 71);
  std::vector<LintFinding> f = Only(Lint(Base(), options), "expired");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message, HasSubstr("expired on 2027-03-26T08:00:00Z"));

  options.now = absl::FromUnixSeconds(kMade) + absl::Hours(24 * 41);
  f = Only(Lint(Base(), options), "expires-soon");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_THAT(f[0].message, HasSubstr("within 30 days"));

  options.now = absl::FromUnixSeconds(kMade) + absl::Hours(24 * 39);
  EXPECT_THAT(Only(Lint(Base(), options), "expires-soon"), IsEmpty());
}

TEST_F(LintTest, LiveChainThatMatchesWithABackupIsClean) {
  LintOptions options;
  // A subdomain: pinned through example.com's include_subdomains.
  options.live_chains.push_back({"WWW.Example.com", {HashOf(20), HashOf(1)}, "www.pem"});
  std::vector<LintFinding> f = Lint(Base(), options);
  EXPECT_EQ(CountLintErrors(f), 0u);
  EXPECT_EQ(f.size(), 1u);  // The report-only single-pin warning only.
}

TEST_F(LintTest, LiveChainThatMatchesNothingWouldBrick) {
  LintOptions options;
  options.live_chains.push_back({"www.example.com", {HashOf(20), HashOf(21)}, "www.pem"});
  std::vector<LintFinding> f = Only(Lint(Base(), options), "chain-mismatch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_EQ(f[0].subject, "www.example.com");
  EXPECT_THAT(f[0].message,
              HasSubstr("would brick www.example.com: its live chain (www.pem) "
                        "does not match any pin of pinset main"));
}

TEST_F(LintTest, ReportOnlyMismatchIsAWarning) {
  LintOptions options;
  options.live_chains.push_back({"beta.example.org", {HashOf(20)}, ""});
  std::vector<LintFinding> f = Only(Lint(Base(), options), "chain-mismatch");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_THAT(f[0].message, HasSubstr("would report beta.example.org"));
}

TEST_F(LintTest, ChainHoldingEveryPinHasNoBackup) {
  LintOptions options;
  options.live_chains.push_back({"example.com", {HashOf(2), HashOf(1)}, "c.pem"});
  std::vector<LintFinding> f = Only(Lint(Base(), options), "no-backup");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message, HasSubstr("every good pin of pinset main (2)"));
}

TEST_F(LintTest, BlockedPinInChain) {
  LintOptions options;
  options.live_chains.push_back({"example.com", {HashOf(1), HashOf(9)}, ""});
  std::vector<LintFinding> all = Lint(Base(), options);
  std::vector<LintFinding> f = Only(all, "blocked-pin");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message, HasSubstr("would brick example.com"));
  EXPECT_THAT(f[0].message, HasSubstr(SpkiHashToString(HashOf(9))));
}

TEST_F(LintTest, UnpinnedAndInvalidHosts) {
  LintOptions options;
  options.live_chains.push_back({"www.example.edu", {HashOf(1)}, ""});
  options.live_chains.push_back({"10.0.0.1", {HashOf(1)}, ""});
  std::vector<LintFinding> all = Lint(Base(), options);
  std::vector<LintFinding> f = Only(all, "not-pinned");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  f = Only(all, "invalid-host");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message, HasSubstr("ip-literal"));
}

TEST_F(LintTest, ChangeRemovingEveryMatchedPinWouldBrick) {
  PinList previous = Compile(Base());
  PinListModel next = Base();
  next.list.version = 2;
  next.pinsets[0].good = {HashOf(2), HashOf(3)};  // Drops 1, the live pin.
  LintOptions options;
  options.previous = &previous;
  options.live_chains.push_back({"www.example.com", {HashOf(20), HashOf(1)}, "www.pem"});
  std::vector<LintFinding> all = Lint(next, options);
  std::vector<LintFinding> f = Only(all, "would-brick");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message,
              HasSubstr("would brick www.example.com: this change removes every "
                        "pin its live chain (www.pem) matches (" +
                        SpkiHashToString(HashOf(1))));
  // Reported once, not also as a plain mismatch.
  EXPECT_THAT(Only(all, "chain-mismatch"), IsEmpty());
  // The pinsets still overlap (pin 2): no overlap warning.
  EXPECT_THAT(Only(all, "no-pin-overlap"), IsEmpty());
}

TEST_F(LintTest, PinsetSharingNothingWithThePreviousIsWarned) {
  PinList previous = Compile(Base());
  PinListModel next = Base();
  next.pinsets[0].good = {HashOf(3), HashOf(4)};
  LintOptions options;
  options.previous = &previous;
  std::vector<LintFinding> f = Only(Lint(next, options), "no-pin-overlap");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_EQ(f[0].subject, "example.com");
}

// Issue 14: without chains, lint says per enforced pinned entry that
// "would brick" was not checked, and a chain of a covered host clears it.
TEST_F(LintTest, EnforcedEntriesWithoutLiveChainAreWarnedOnePerEntry) {
  PinListModel m = Base();
  m.entries.push_back(Entry("*.cdn.example.net", "main"));
  LintOptions options;
  options.warn_without_live_chain = true;
  std::vector<LintFinding> f = Only(Lint(m, options), "no-live-chain");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0].subject, "*.cdn.example.net");
  EXPECT_EQ(f[0].severity, Severity::kWarning);
  EXPECT_THAT(f[0].message, HasSubstr("for a host under cdn.example.net"));
  EXPECT_EQ(f[1].subject, "example.com");
  EXPECT_EQ(f[1].message,
            "example.com (pinset main, enforced) was not checked against a "
            "live chain, so lint cannot tell whether this list would brick "
            "it; give --chain HOST=CHAIN.pem or --connect HOST for "
            "example.com");
  // beta.example.org is report-only: never warned. A chain for a subdomain
  // covers the include_subdomains entry that decides it.
  options.live_chains = {{"www.example.com", {HashOf(1)}, "www.pem"}};
  f = Only(Lint(m, options), "no-live-chain");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].subject, "*.cdn.example.net");
}

TEST_F(LintTest, FarFutureTimestampIsAnError) {
  // One day of clock skew is fine.
  PinListModel m = Base();
  m.list.timestamp = absl::ToUnixSeconds(kNow) + 86400;
  EXPECT_THAT(Only(Lint(m), "future-timestamp"), IsEmpty());
  // Milliseconds written as seconds: year 59009.
  m.list.timestamp = kMade * 1000;
  std::vector<LintFinding> f = Only(Lint(m), "future-timestamp");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message, HasSubstr("59009-"));
  EXPECT_THAT(f[0].message, HasSubstr("not milliseconds"));
  // It is not also reported as fresh or expiring.
  EXPECT_THAT(Only(Lint(m), "expires-soon"), IsEmpty());
}

TEST_F(LintTest, MaxAgeOverAYearIsAnError) {
  PinListModel m = Base();
  m.list.max_age_days = 366;
  std::vector<LintFinding> f = Only(Lint(m), "max-age-too-long");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].severity, Severity::kError);
  EXPECT_THAT(f[0].message, HasSubstr("max_age_days 366"));
  m.list.max_age_days = 365;
  EXPECT_THAT(Only(Lint(m), "max-age-too-long"), IsEmpty());
}

}  // namespace
}  // namespace pinbake
