#include "collector/sqlite_store.h"

#include "absl/strings/str_cat.h"

#include <sqlite3.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "collector/report_parser.h"
#include "collector/report_test_util.h"
#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

IncomingReport Incoming(const std::string& host, const TestChain& chain,
                        absl::Time when, const std::string& uri = "/pkp") {
  IncomingReport in;
  in.uri = uri;
  in.report = *ParseReport(TestReportJson(host, chain, 443, when));
  in.dedup_key = ReportDedupKey(in.report, uri);
  return in;
}

TEST(SqliteStoreTest, StoresReadsBackAndCountsDuplicates) {
  const std::string path = FreshTestDbPath("store.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->SchemaVersion(), kSqliteSchemaVersion);
  TestChain chain = MakeChain("a.test");
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);
  std::vector<IncomingReport> batch = {
      Incoming("a.test", chain, t0), Incoming("b.test", chain, t0),
      // Same as the first but for its date: a duplicate in the same batch.
      Incoming("a.test", chain, t0 + absl::Seconds(5))};
  auto outcomes = (*store)->InsertBatch(batch, t0);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  ASSERT_EQ(outcomes->size(), 3u);
  EXPECT_FALSE((*outcomes)[0].duplicate);
  EXPECT_FALSE((*outcomes)[1].duplicate);
  EXPECT_TRUE((*outcomes)[2].duplicate);
  EXPECT_EQ((*outcomes)[2].id, (*outcomes)[0].id);
  // Within the window: counted. After it: stored again.
  auto later = (*store)->InsertBatch({Incoming("a.test", chain, t0)},
                                     t0 + absl::Minutes(59));
  ASSERT_TRUE(later.ok());
  EXPECT_TRUE((*later)[0].duplicate);
  auto much_later = (*store)->InsertBatch({Incoming("a.test", chain, t0)},
                                          t0 + absl::Minutes(61));
  ASSERT_TRUE(much_later.ok());
  EXPECT_FALSE((*much_later)[0].duplicate);
  // Another URI is not a duplicate.
  auto other = (*store)->InsertBatch({Incoming("a.test", chain, t0, "/x")},
                                     t0 + absl::Minutes(1));
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE((*other)[0].duplicate);

  auto all = (*store)->ListReports(absl::InfinitePast());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 4u);
  const StoredReport& first = (*all)[0];
  EXPECT_EQ(first.hostname, "a.test");
  EXPECT_EQ(first.count, 3);
  EXPECT_EQ(first.first_received, t0);
  EXPECT_EQ(first.last_received, t0 + absl::Minutes(59));
  ASSERT_EQ(first.validated_spki.size(), 3u);
  EXPECT_EQ(first.validated_spki[1], chain.intermediate.spki_hash);
  EXPECT_EQ(first.validated_subjects[0], "CN=a.test");
  EXPECT_EQ(first.known_pins[0], chain.root.spki_hash);
  // Received since t0 + 1 min: the later two, and the first (its
  // duplicate came at t0 + 59 min); not b.test.
  auto recent = (*store)->ListReports(t0 + absl::Minutes(1));
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0].id, first.id);
  EXPECT_EQ(*(*store)->IntegrityCheck(), "ok");
}

TEST(SqliteStoreTest, ForEachReportStreamsOldestFirstAndStopsOnError) {
  auto store = SqliteStore::Open(FreshTestDbPath("stream.db"));
  ASSERT_TRUE(store.ok()) << store.status();
  TestChain chain = MakeChain("a.test");
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);
  std::vector<IncomingReport> batch;
  for (int i = 0; i < 5; ++i) {
    batch.push_back(Incoming(absl::StrCat("h", i, ".test"), chain, t0));
  }
  ASSERT_TRUE((*store)->InsertBatch(batch, t0).ok());
  ASSERT_TRUE((*store)
                  ->InsertBatch({Incoming("late.test", chain, t0)},
                                t0 + absl::Hours(2))
                  .ok());
  std::vector<std::string> seen;
  absl::Status all = (*store)->ForEachReport(
      absl::InfinitePast(), [&](const StoredReport& r) {
        seen.push_back(r.hostname);
        EXPECT_EQ(r.validated_spki.size(), 3u);
        return absl::OkStatus();
      });
  ASSERT_TRUE(all.ok()) << all;
  EXPECT_EQ(seen, (std::vector<std::string>{"h0.test", "h1.test", "h2.test",
                                            "h3.test", "h4.test",
                                            "late.test"}));
  // `since` filters; the visitor's error stops the pass and is returned.
  seen.clear();
  absl::Status stopped = (*store)->ForEachReport(
      absl::InfinitePast(), [&](const StoredReport& r) {
        seen.push_back(r.hostname);
        return seen.size() == 2 ? absl::CancelledError("enough")
                                : absl::OkStatus();
      });
  EXPECT_EQ(stopped, absl::CancelledError("enough"));
  EXPECT_EQ(seen.size(), 2u);
  auto recent = (*store)->ListReports(t0 + absl::Hours(1));
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0].hostname, "late.test");
  // The store is usable after a stopped pass.
  EXPECT_EQ((*store)->ListReports(absl::InfinitePast())->size(), 6u);
}

TEST(SqliteStoreTest, MigratesVersionOneAndRefusesNewer) {
  const std::string path = FreshTestDbPath("migrate.db");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    // A version-1 database as the first pinbake collector wrote it.
    ASSERT_EQ(sqlite3_exec(db,
                           "CREATE TABLE reports (id INTEGER PRIMARY KEY, uri "
                           "TEXT NOT NULL, hostname TEXT NOT NULL, port "
                           "INTEGER NOT NULL, noted_hostname TEXT NOT NULL, "
                           "include_subdomains INTEGER NOT NULL, date_time_ms "
                           "INTEGER NOT NULL, expiration_ms INTEGER NOT "
                           "NULL, first_received_ms INTEGER NOT NULL, "
                           "last_received_ms INTEGER NOT NULL, count INTEGER "
                           "NOT NULL DEFAULT 1, dedup_key TEXT NOT NULL, "
                           "validated_spki TEXT NOT NULL, validated_subjects "
                           "TEXT NOT NULL, validated_chain TEXT NOT NULL, "
                           "served_chain TEXT NOT NULL, known_pins TEXT NOT "
                           "NULL); CREATE INDEX reports_dedup ON "
                           "reports(dedup_key, first_received_ms); PRAGMA "
                           "user_version=1;",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  {
    auto store = SqliteStore::Open(path);
    ASSERT_TRUE(store.ok()) << store.status();
    EXPECT_EQ((*store)->SchemaVersion(), kSqliteSchemaVersion);
    // Every step ran: version 3's table is there.
    EXPECT_TRUE((*store)->AddLostReports({{absl::Now(), "rate-limited", 1}})
                    .ok());
    EXPECT_EQ((*store)->ListLostReports(absl::InfinitePast())->size(), 1u);
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=99;", nullptr, nullptr,
                           nullptr),
              SQLITE_OK);
    sqlite3_close(db);
  }
  auto store = SqliteStore::Open(path);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("schema version 99"),
            std::string::npos)
      << store.status();
}

TEST(SqliteStoreTest, UnopenablePathNamed) {
  auto store = SqliteStore::Open("/nonexistent-dir/x/reports.db");
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/nonexistent-dir/x/reports.db"),
            std::string::npos);
}

TEST(SqliteStoreTest, CountsAndDeletesByLastReceived) {
  const std::string path = FreshTestDbPath("prune.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  TestChain chain = MakeChain("a.test");
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);
  ASSERT_TRUE((*store)
                  ->InsertBatch({Incoming("old.test", chain, t0),
                                 Incoming("kept.test", chain, t0)},
                                t0)
                  .ok());
  // kept.test is seen again later: its last_received moves, so it stays.
  ASSERT_TRUE((*store)
                  ->InsertBatch({Incoming("kept.test", chain, t0)},
                                t0 + absl::Minutes(30))
                  .ok());
  ASSERT_TRUE((*store)
                  ->InsertBatch({Incoming("new.test", chain, t0)},
                                t0 + absl::Hours(2))
                  .ok());
  EXPECT_EQ(*(*store)->CountReports(), 3);
  // Strictly before: a row received exactly at the cut stays.
  EXPECT_EQ(*(*store)->DeleteReportsBefore(t0), 0);
  EXPECT_EQ(*(*store)->DeleteReportsBefore(t0 + absl::Minutes(10)), 1);
  EXPECT_EQ(*(*store)->CountReports(), 2);
  auto left = (*store)->ListReports(absl::InfinitePast());
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ((*left)[0].hostname, "kept.test");
  EXPECT_EQ((*left)[0].count, 2);
  EXPECT_EQ((*left)[1].hostname, "new.test");
  EXPECT_EQ(*(*store)->DeleteReportsBefore(t0 + absl::Hours(3)), 2);
  EXPECT_EQ(*(*store)->CountReports(), 0);
}

TEST(SqliteStoreTest, LostReportsAddUpPerHourAndReason) {
  const std::string path = FreshTestDbPath("lost.db");
  auto store = SqliteStore::Open(path);
  ASSERT_TRUE(store.ok()) << store.status();
  const absl::Time t0 = absl::FromUnixSeconds(1800000000);  // 08:00:00 UTC
  ASSERT_TRUE((*store)
                  ->AddLostReports({{t0 + absl::Minutes(5), "rate-limited", 2},
                                    {t0 + absl::Minutes(50), "rate-limited", 3},
                                    {t0 + absl::Minutes(70), "store-full", 1}})
                  .ok());
  auto all = (*store)->ListLostReports(absl::InfinitePast());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].hour, HourStart(t0));
  EXPECT_EQ((*all)[0].reason, "rate-limited");
  EXPECT_EQ((*all)[0].count, 5);
  EXPECT_EQ((*all)[1].hour, HourStart(t0) + absl::Hours(1));
  EXPECT_EQ((*all)[1].count, 1);
  // An hour counts while it has not ended before `since`.
  EXPECT_EQ((*store)->ListLostReports(t0 + absl::Minutes(59))->size(), 2u);
  EXPECT_EQ((*store)->ListLostReports(HourStart(t0) + absl::Hours(1))->size(),
            1u);
}

TEST(SqliteStoreTest, HourStartRoundsDown) {
  const absl::Time t = absl::FromUnixSeconds(1800000000 + 3599);
  EXPECT_EQ(HourStart(t), absl::FromUnixSeconds(1800000000));
  EXPECT_EQ(HourStart(absl::FromUnixSeconds(-1)), absl::FromUnixSeconds(-3600));
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
