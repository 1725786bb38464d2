// End-to-end chain checks: a pinbake JSON list whose keys are certificates
// generated at test time (root -> intermediate -> leaf) is compiled with the
// real pipeline, and chains are checked against the resulting table.

#include <cstdlib>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "compiler/compile.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "runtime/cert_util.h"
#include "runtime/chain_checker.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace {

// The list's timestamp and times around it.
const absl::Time kListTime = absl::FromUnixSeconds(1790000000);
const absl::Time kFresh = kListTime + absl::Hours(24 * 10);
const absl::Time kStale = kListTime + absl::Hours(24 * 71);

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

void WriteFile(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary);
  out << contents;
  ASSERT_TRUE(out.good()) << path;
}

class ChainCheckTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new TestChain(MakeChain("www.pinned.example"));
    unrelated_ = new TestChain(MakeChain("www.pinned.example"));
    backup_ = new TestCert(MakeRootCa("backup"));
    const std::string dir = TempDir();
    WriteFile(dir + "/intermediate.pem", pki_->intermediate.pem);
    WriteFile(dir + "/backup-key.pem", backup_->pubkey_pem);
    // Keys come from a PEM certificate, a PEM public key and sha256/
    // literals, covering every way a list can name a key.
    const std::string list = absl::StrReplaceAll(
        R"json({
  "list": {"version": 3, "timestamp": 1790000000, "max_age_days": 70},
  "keys": {
    "Intermediate": {"pem_file": "intermediate.pem"},
    "Backup": {"pem_file": "backup-key.pem"},
    "Root": "ROOT_HASH",
    "Leaf": "LEAF_HASH"
  },
  "pinsets": [
    {"name": "main", "static_spki_hashes": ["Intermediate", "Backup"],
     "report_uri": "https://report.example/pkp"},
    {"name": "other", "static_spki_hashes": ["UNRELATED_HASH", "Backup"]},
    {"name": "blocking", "static_spki_hashes": ["Root", "Backup"],
     "bad_static_spki_hashes": ["Leaf"]}
  ],
  "entries": [
    {"name": "pinned.example", "include_subdomains": true, "mode": "force-https", "pins": "main"},
    {"name": "open.pinned.example", "exclude": true},
    {"name": "wrong.example", "pins": "other"},
    {"name": "blocked.example", "pins": "blocking"},
    {"name": "report.example", "pins": "other", "pin_mode": "report-only"},
    {"name": "*.wild.example", "pins": "main"},
    {"name": "sub.example", "include_subdomains_for_pinning": true, "mode": "force-https", "pins": "main"},
    {"name": "report-blocked.example", "pins": "blocking", "pin_mode": "report-only"}
  ]
})json",
        {{"ROOT_HASH", SpkiHashToString(pki_->root.spki_hash)},
         {"LEAF_HASH", SpkiHashToString(pki_->leaf.spki_hash)},
         {"UNRELATED_HASH",
          SpkiHashToString(unrelated_->intermediate.spki_hash)}});
    WriteFile(dir + "/list.json", list);
    CompileOptions options;
    options.list_path = dir + "/list.json";
    Diagnostics diags;
    CompileOutput out = CompilePinList(options, &diags);
    // The only warnings expected are the two where pinbake's lookup differs
    // from Chromium's (the exclusion without include_subdomains).
    for (const Diagnostic& d : diags.all()) {
      EXPECT_EQ(d.severity, Severity::kWarning) << d.ToString();
      EXPECT_EQ(d.location.field, "entries[1]") << d.ToString();
    }
    EXPECT_EQ(diags.warning_count(), 2u);
    table_ = new std::string(out.table);
  }

  static void TearDownTestSuite() {
    delete pki_;
    delete unrelated_;
    delete backup_;
    delete table_;
  }

  void SetUp() override {
    absl::StatusOr<PinList> list = PinList::FromBytes(*table_);
    ASSERT_TRUE(list.ok()) << list.status();
    list_.emplace(*list);
  }

  // Hashes a DER chain with the runtime's own OpenSSL adapter.
  static std::vector<SpkiHash> Hashes(const TestChain& chain) {
    std::vector<SpkiHash> out;
    for (const std::string& der : chain.DerChainWithRoot()) {
      absl::StatusOr<SpkiHash> h = SpkiHashOfDerCertificate(der);
      EXPECT_TRUE(h.ok()) << h.status();
      if (h.ok()) out.push_back(*h);
    }
    return out;
  }

  ChainCheckResult Check(absl::string_view host, const TestChain& chain,
                         bool known_root = true, absl::Time now = kFresh,
                         CheckPolicy policy = CheckPolicy()) {
    hashes_ = Hashes(chain);
    return CheckChain(*list_, host, hashes_, known_root, now, policy);
  }

  static TestChain* pki_;
  static TestChain* unrelated_;
  static TestCert* backup_;
  static std::string* table_;
  std::optional<PinList> list_;
  std::vector<SpkiHash> hashes_;
};

TestChain* ChainCheckTest::pki_ = nullptr;
TestChain* ChainCheckTest::unrelated_ = nullptr;
TestCert* ChainCheckTest::backup_ = nullptr;
std::string* ChainCheckTest::table_ = nullptr;

TEST_F(ChainCheckTest, MatchingChainIsOk) {
  ChainCheckResult r = Check("www.pinned.example", *pki_);
  EXPECT_EQ(r.outcome, CheckOutcome::kOk);
  EXPECT_TRUE(r.allowed);
  EXPECT_FALSE(r.would_fail);
  ASSERT_TRUE(r.lookup.pinset.has_value());
  EXPECT_EQ(r.lookup.pinset->name(), "main");
  EXPECT_EQ(r.lookup.pinset->report_uri(), "https://report.example/pkp");
  EXPECT_EQ(r.lookup.PinRuleName(), "pinned.example");
  ASSERT_EQ(r.chain.size(), 3u);
  EXPECT_EQ(r.chain[1], pki_->intermediate.spki_hash);
}

TEST_F(ChainCheckTest, ChainWithoutAnyPinIsViolation) {
  ChainCheckResult r = Check("www.pinned.example", *unrelated_);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(r.allowed);
  EXPECT_TRUE(r.would_fail);
  EXPECT_FALSE(r.bad_pin_found);
  EXPECT_STREQ(CheckOutcomeName(r.outcome), "violation");
}

TEST_F(ChainCheckTest, OtherPinsetIsViolation) {
  ChainCheckResult r = Check("wrong.example", *pki_);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_EQ(Check("wrong.example", *unrelated_).outcome, CheckOutcome::kOk);
}

TEST_F(ChainCheckTest, BadPinWinsOverGoodPin) {
  // The chain holds Root (good) and Leaf (bad).
  ChainCheckResult r = Check("blocked.example", *pki_);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_TRUE(r.bad_pin_found);
  EXPECT_FALSE(r.allowed);
}

TEST_F(ChainCheckTest, LocalRootBypassesPinsUnlessDisabled) {
  ChainCheckResult r =
      Check("www.pinned.example", *unrelated_, /*known_root=*/false);
  EXPECT_EQ(r.outcome, CheckOutcome::kBypassed);
  EXPECT_TRUE(r.allowed);
  EXPECT_TRUE(r.would_fail);  // Says what would have failed.

  CheckPolicy strict;
  strict.allow_local_root_bypass = false;
  r = Check("www.pinned.example", *unrelated_, false, kFresh, strict);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  r = Check("www.pinned.example", *pki_, false, kFresh, strict);
  EXPECT_EQ(r.outcome, CheckOutcome::kOk);
}

TEST_F(ChainCheckTest, StaleListIsNotEnforcedUnlessFailClosed) {
  ChainCheckResult r = Check("www.pinned.example", *unrelated_, true, kStale);
  EXPECT_EQ(r.outcome, CheckOutcome::kStale);
  EXPECT_TRUE(r.allowed);
  EXPECT_TRUE(r.would_fail);
  EXPECT_TRUE(r.list_stale);

  // Exactly at the edge the list is still fresh.
  r = Check("www.pinned.example", *unrelated_, true,
            kListTime + absl::Hours(24 * 70));
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(r.list_stale);

  // Fail-closed keeps enforcing: a matching chain still passes, a failing
  // one is refused as a violation. (Regression: a stale fail-closed list
  // used to refuse every pinned host, matching chains included.)
  CheckPolicy closed;
  closed.fail_closed_when_stale = true;
  r = Check("www.pinned.example", *pki_, true, kStale, closed);
  EXPECT_EQ(r.outcome, CheckOutcome::kOk);
  EXPECT_TRUE(r.allowed);
  EXPECT_TRUE(r.list_stale);
  r = Check("www.pinned.example", *unrelated_, true, kStale, closed);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_FALSE(r.allowed);
  // Not pinned hosts are unaffected by staleness.
  r = Check("unlisted.example", *pki_, true, kStale, closed);
  EXPECT_EQ(r.outcome, CheckOutcome::kNotPinned);
  EXPECT_TRUE(r.allowed);
}

TEST_F(ChainCheckTest, MatchingChainAtLocalRootIsOkNotBypassed) {
  // Chrome: pins are compared first; only a failing chain is bypassed.
  ChainCheckResult r =
      Check("www.pinned.example", *pki_, /*known_root=*/false);
  EXPECT_EQ(r.outcome, CheckOutcome::kOk);
  EXPECT_TRUE(r.allowed);
  EXPECT_FALSE(r.would_fail);
  // A bad pin still wins over the good one, and then the bypass applies.
  r = Check("blocked.example", *pki_, /*known_root=*/false);
  EXPECT_EQ(r.outcome, CheckOutcome::kBypassed);
  EXPECT_TRUE(r.bad_pin_found);
}

// Every row of docs/lookup.md's table of outcomes ("Chain check"), over
// every combination of: fresh or stale list, enforce or report-only entry,
// public or local root, chain that matches / misses the pins / holds a bad
// pin, and both policy switches.
TEST_F(ChainCheckTest, DecisionTableOfDocsLookupMd) {
  enum class Chain { kMatch, kMismatch, kBadPin };
  struct Case {
    const char* host;
    const TestChain* chain;
  };
  // [report_only][chain]
  const Case cases[2][3] = {
      {{"www.pinned.example", pki_},
       {"www.pinned.example", unrelated_},
       {"blocked.example", pki_}},
      {{"report.example", unrelated_},
       {"report.example", pki_},
       {"report-blocked.example", pki_}},
  };
  int rows_seen[6] = {0, 0, 0, 0, 0, 0};
  for (bool stale : {false, true}) {
    for (bool report_only : {false, true}) {
      for (bool known_root : {true, false}) {
        for (Chain chain : {Chain::kMatch, Chain::kMismatch, Chain::kBadPin}) {
          for (bool bypass : {true, false}) {
            for (bool fail_closed : {false, true}) {
              CheckPolicy policy;
              policy.allow_local_root_bypass = bypass;
              policy.fail_closed_when_stale = fail_closed;
              const Case& c = cases[report_only][static_cast<int>(chain)];
              const ChainCheckResult r =
                  Check(c.host, *c.chain, known_root,
                        stale ? kStale : kFresh, policy);
              const std::string what = absl::StrCat(
                  c.host, stale ? " stale" : " fresh",
                  known_root ? " public" : " local", " chain ",
                  static_cast<int>(chain), bypass ? " bypass" : "",
                  fail_closed ? " fail-closed" : "");
              const bool fails = chain != Chain::kMatch;
              EXPECT_EQ(r.would_fail, fails) << what;
              EXPECT_EQ(r.bad_pin_found, chain == Chain::kBadPin) << what;
              EXPECT_EQ(r.list_stale, stale) << what;
              // The rows of the table, in order; the first that applies.
              int row;
              CheckOutcome outcome;
              bool allowed = true;
              if (stale && !fail_closed) {
                row = 1, outcome = CheckOutcome::kStale;
              } else if (!fails) {
                row = 2, outcome = CheckOutcome::kOk;
              } else if (!known_root && bypass) {
                row = 3, outcome = CheckOutcome::kBypassed;
              } else if (report_only) {
                row = 4, outcome = CheckOutcome::kOk;
              } else {
                row = 5, outcome = CheckOutcome::kViolation, allowed = false;
              }
              ++rows_seen[row];
              EXPECT_EQ(r.outcome, outcome) << what << " (row " << row << ")";
              EXPECT_EQ(r.allowed, allowed) << what << " (row " << row << ")";
            }
          }
        }
      }
    }
  }
  for (int row = 1; row <= 5; ++row) EXPECT_GT(rows_seen[row], 0) << row;
}

TEST_F(ChainCheckTest, ReportOnlyNeverFailsButSaysWhatWouldHave) {
  ChainCheckResult r = Check("report.example", *pki_);
  EXPECT_EQ(r.outcome, CheckOutcome::kOk);
  EXPECT_TRUE(r.allowed);
  EXPECT_TRUE(r.would_fail);
  EXPECT_EQ(r.lookup.pin_rule->pin_mode, PinMode::kReportOnly);
  r = Check("report.example", *unrelated_);
  EXPECT_EQ(r.outcome, CheckOutcome::kOk);
  EXPECT_FALSE(r.would_fail);
}

TEST_F(ChainCheckTest, WildcardCoversExactlyOneLabel) {
  EXPECT_EQ(Check("a.wild.example", *unrelated_).outcome,
            CheckOutcome::kViolation);
  EXPECT_EQ(Check("a.wild.example", *pki_).outcome, CheckOutcome::kOk);
  EXPECT_EQ(Check("a.wild.example", *pki_).lookup.PinRuleName(),
            "*.wild.example");
  EXPECT_EQ(Check("a.b.wild.example", *unrelated_).outcome,
            CheckOutcome::kNotPinned);
  EXPECT_EQ(Check("wild.example", *unrelated_).outcome,
            CheckOutcome::kNotPinned);
}

TEST_F(ChainCheckTest, ExcludedSubdomainIsNotPinned) {
  ChainCheckResult r = Check("open.pinned.example", *unrelated_);
  EXPECT_EQ(r.outcome, CheckOutcome::kNotPinned);
  EXPECT_TRUE(r.allowed);
  EXPECT_EQ(r.lookup.PinRuleName(), "open.pinned.example");
  EXPECT_FALSE(r.lookup.force_https());
  // Subdomains of the excluded host fall back to pinned.example, which
  // includes subdomains: the exclusion has no include_subdomains.
  EXPECT_EQ(Check("x.open.pinned.example", *unrelated_).outcome,
            CheckOutcome::kViolation);
}

TEST_F(ChainCheckTest, IncludeSubdomainsForPinningCoversPinsOnly) {
  ChainCheckResult r = Check("deep.a.sub.example", *unrelated_);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_EQ(r.lookup.PinRuleName(), "sub.example");
  EXPECT_FALSE(r.lookup.force_https());  // HSTS does not cover subdomains.
  EXPECT_FALSE(r.lookup.hsts_rule.has_value());
  EXPECT_TRUE(Check("sub.example", *pki_).lookup.force_https());
}

TEST_F(ChainCheckTest, InvalidHostIsRefusedWithReason) {
  for (const char* host : {"", "a..b", "exa mple.com", "10.0.0.1", "*.x.y"}) {
    ChainCheckResult r = Check(host, *pki_);
    EXPECT_EQ(r.outcome, CheckOutcome::kInvalidHost) << host;
    EXPECT_FALSE(r.allowed) << host;
    EXPECT_NE(r.lookup.error, HostError::kNone) << host;
  }
  EXPECT_EQ(Check("10.0.0.1", *pki_).lookup.error, HostError::kIpLiteral);
}

TEST_F(ChainCheckTest, CanonicalisesHostBeforeLookup) {
  ChainCheckResult r = Check("WWW.Pinned.Example.", *unrelated_);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
  EXPECT_EQ(r.lookup.canonical.view(), "www.pinned.example");
}

TEST_F(ChainCheckTest, UnlistedHostIsNotPinned) {
  EXPECT_EQ(Check("example.org", *unrelated_).outcome,
            CheckOutcome::kNotPinned);
}

TEST_F(ChainCheckTest, EmptyChainIsViolation) {
  ChainCheckResult r =
      CheckChain(*list_, "www.pinned.example", {}, true, kFresh);
  EXPECT_EQ(r.outcome, CheckOutcome::kViolation);
}

TEST(IsListStaleTest, Boundaries) {
  EXPECT_TRUE(IsListStale(0, 70, absl::FromUnixSeconds(1)));
  EXPECT_FALSE(IsListStale(1000, 1, absl::FromUnixSeconds(1000 + 86400)));
  EXPECT_TRUE(IsListStale(1000, 1, absl::FromUnixSeconds(1000 + 86401)));
  // A list from the future (clock skew) is not stale.
  EXPECT_FALSE(IsListStale(5000, 1, absl::FromUnixSeconds(0)));
}

}  // namespace
}  // namespace pinbake
