// PostgresStore against a real PostgreSQL: the ReportStore contract
// (collector/report_store.h) of InsertBatch (outcomes in input order,
// duplicates within the batch and across batches and collectors, counts,
// all-or-nothing). Needs a cluster, so it is not a cc_test:
// tests/collector/postgres_test.sh starts one and runs this binary with
// PINBAKE_POSTGRES_URI set to an empty database it may wipe, on a server
// with pg_stat_statements preloaded. Without that variable every test
// fails.

#include "collector/postgres_store.h"

#include <postgresql/libpq-fe.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "collector/report_parser.h"
#include "collector/report_store.h"
#include "collector/report_test_util.h"
#include "gtest/gtest.h"
#include "testing/test_pki.h"

namespace pinbake {
namespace collector {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1800000000);

// The database under test, emptied (no pinbake tables) so that Open
// migrates it afresh.
std::string FreshDatabase() {
  const char* uri = std::getenv("PINBAKE_POSTGRES_URI");
  if (uri == nullptr || *uri == '\0') {
    ADD_FAILURE() << "PINBAKE_POSTGRES_URI is not set: run this test from "
                     "tests/collector/postgres_test.sh";
    return "";
  }
  PGconn* conn = PQconnectdb(uri);
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* r = PQexec(conn,
                       "SET client_min_messages = warning; DROP TABLE IF "
                       "EXISTS reports, lost_reports, pinbake_schema");
  EXPECT_EQ(PQresultStatus(r), PGRES_COMMAND_OK) << PQerrorMessage(conn);
  PQclear(r);
  PQfinish(conn);
  return uri;
}

const TestChain& Chain() {
  static const TestChain* chain = new TestChain(MakeChain("a.test"));
  return *chain;
}

IncomingReport Incoming(const std::string& host, absl::Time when = kT0,
                        const std::string& uri = "/pkp") {
  IncomingReport in;
  in.uri = uri;
  in.report = *ParseReport(TestReportJson(host, Chain(), 443, when));
  in.dedup_key = ReportDedupKey(in.report, uri);
  return in;
}

// Stored rows by host name (one row per host in these tests).
std::map<std::string, StoredReport> RowsByHost(ReportStore& store) {
  std::map<std::string, StoredReport> rows;
  auto all = store.ListReports(absl::InfinitePast());
  EXPECT_TRUE(all.ok()) << all.status();
  if (!all.ok()) return rows;
  for (const StoredReport& r : *all) {
    EXPECT_TRUE(rows.emplace(r.hostname, r).second)
        << "two rows for " << r.hostname;
  }
  return rows;
}

TEST(PostgresStoreTest, InBatchCrossBatchAndNewReportsGetExactOutcomes) {
  const std::string uri = FreshDatabase();
  auto opened = PostgresStore::Open(uri);
  ASSERT_TRUE(opened.ok()) << opened.status();
  PostgresStore& store = **opened;
  EXPECT_EQ(store.SchemaVersion(), kPostgresSchemaVersion);

  // Batch 1: a, b, a (its date differs: still a duplicate), c, a.
  auto one = store.InsertBatch(
      {Incoming("a.test"), Incoming("b.test"),
       Incoming("a.test", kT0 + absl::Seconds(5)), Incoming("c.test"),
       Incoming("a.test")},
      kT0);
  ASSERT_TRUE(one.ok()) << one.status();
  ASSERT_EQ(one->size(), 5u);
  const int64_t a = (*one)[0].id, b = (*one)[1].id, c = (*one)[3].id;
  EXPECT_FALSE((*one)[0].duplicate);
  EXPECT_FALSE((*one)[1].duplicate);
  EXPECT_TRUE((*one)[2].duplicate);
  EXPECT_EQ((*one)[2].id, a);
  EXPECT_FALSE((*one)[3].duplicate);
  EXPECT_TRUE((*one)[4].duplicate);
  EXPECT_EQ((*one)[4].id, a);
  // Rows are numbered in the batch's order.
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);

  // Batch 2, a minute later: d (new), b (earlier batch), a (earlier
  // batch), d (this batch), e (new), b (earlier batch again).
  const absl::Time t1 = kT0 + absl::Minutes(1);
  auto two = store.InsertBatch(
      {Incoming("d.test"), Incoming("b.test"), Incoming("a.test"),
       Incoming("d.test"), Incoming("e.test"), Incoming("b.test")},
      t1);
  ASSERT_TRUE(two.ok()) << two.status();
  ASSERT_EQ(two->size(), 6u);
  const int64_t d = (*two)[0].id, e = (*two)[4].id;
  EXPECT_FALSE((*two)[0].duplicate);
  EXPECT_GT(d, c);
  EXPECT_TRUE((*two)[1].duplicate);
  EXPECT_EQ((*two)[1].id, b);
  EXPECT_TRUE((*two)[2].duplicate);
  EXPECT_EQ((*two)[2].id, a);
  EXPECT_TRUE((*two)[3].duplicate);
  EXPECT_EQ((*two)[3].id, d);
  EXPECT_FALSE((*two)[4].duplicate);
  EXPECT_GT(e, d);
  EXPECT_TRUE((*two)[5].duplicate);
  EXPECT_EQ((*two)[5].id, b);

  // Another URI is another report.
  auto other = store.InsertBatch({Incoming("a.test", kT0, "/other")}, t1);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_FALSE((*other)[0].duplicate);
  EXPECT_NE((*other)[0].id, a);

  // a.test has two rows now (two URIs): rows by id.
  auto all = store.ListReports(absl::InfinitePast());
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->size(), 6u);
  std::map<int64_t, StoredReport> by_id;
  for (const StoredReport& r : *all) by_id[r.id] = r;
  EXPECT_EQ(by_id[a].count, 4);
  EXPECT_EQ(by_id[a].first_received, kT0);
  EXPECT_EQ(by_id[a].last_received, t1);
  EXPECT_EQ(by_id[b].count, 3);
  EXPECT_EQ(by_id[b].last_received, t1);
  EXPECT_EQ(by_id[c].count, 1);
  EXPECT_EQ(by_id[c].last_received, kT0);
  EXPECT_EQ(by_id[d].count, 2);
  EXPECT_EQ(by_id[d].first_received, t1);
  EXPECT_EQ(by_id[d].last_received, t1);
  EXPECT_EQ(by_id[e].count, 1);
  EXPECT_EQ(by_id[(*other)[0].id].uri, "/other");
  EXPECT_EQ(by_id[a].uri, "/pkp");
  EXPECT_EQ(by_id[a].hostname, "a.test");
  EXPECT_EQ(by_id[a].port, 443);
  EXPECT_EQ(by_id[a].date_time, absl::FromUnixSeconds(1800000000));
  ASSERT_EQ(by_id[a].validated_spki.size(), 3u);
  EXPECT_EQ(by_id[a].validated_spki[1], Chain().intermediate.spki_hash);
  ASSERT_FALSE(by_id[a].known_pins.empty());
  EXPECT_EQ(by_id[a].known_pins[0], Chain().root.spki_hash);

  // After the window (counted from a row's first receipt): stored again,
  // and a duplicate in the same batch counts on the new row.
  const absl::Time late = kT0 + kDuplicateWindow + absl::Minutes(1);
  auto three =
      store.InsertBatch({Incoming("a.test"), Incoming("a.test")}, late);
  ASSERT_TRUE(three.ok()) << three.status();
  EXPECT_FALSE((*three)[0].duplicate);
  EXPECT_GT((*three)[0].id, e);
  EXPECT_TRUE((*three)[1].duplicate);
  EXPECT_EQ((*three)[1].id, (*three)[0].id);
  // d.test (first received at t1) is still within its window.
  auto four = store.InsertBatch({Incoming("d.test")}, late);
  ASSERT_TRUE(four.ok()) << four.status();
  EXPECT_TRUE((*four)[0].duplicate);
  EXPECT_EQ((*four)[0].id, d);
}

TEST(PostgresStoreTest, FailedBatchStoresNothing) {
  const std::string uri = FreshDatabase();
  auto opened = PostgresStore::Open(uri);
  ASSERT_TRUE(opened.ok()) << opened.status();
  PostgresStore& store = **opened;
  auto first = store.InsertBatch({Incoming("a.test")}, kT0);
  ASSERT_TRUE(first.ok()) << first.status();
  // A new report, a duplicate of a stored one, and a report PostgreSQL
  // cannot store (its URI is not UTF-8): nothing of the batch is kept.
  auto bad = store.InsertBatch(
      {Incoming("b.test"), Incoming("a.test"),
       Incoming("c.test", kT0, std::string("/pkp\xff", 5))},
      kT0 + absl::Seconds(1));
  EXPECT_FALSE(bad.ok());
  std::map<std::string, StoredReport> rows = RowsByHost(store);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows["a.test"].count, 1);
  EXPECT_EQ(rows["a.test"].last_received, kT0);
  // The store still works afterwards.
  auto after = store.InsertBatch({Incoming("b.test"), Incoming("a.test")},
                                 kT0 + absl::Seconds(2));
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_FALSE((*after)[0].duplicate);
  EXPECT_TRUE((*after)[1].duplicate);
  EXPECT_EQ((*after)[1].id, (*first)[0].id);
  EXPECT_EQ(store.InsertBatch({}, kT0)->size(), 0u);
}

TEST(PostgresStoreTest, FullBatchOfMixedReports) {
  const std::string uri = FreshDatabase();
  auto opened = PostgresStore::Open(uri);
  ASSERT_TRUE(opened.ok()) << opened.status();
  PostgresStore& store = **opened;
  // 512 reports (GroupCommitter::kMaxBatch) over 200 hosts: host i % 200.
  std::vector<IncomingReport> batch;
  for (int i = 0; i < 512; ++i) {
    batch.push_back(Incoming(absl::StrCat("h", i % 200, ".test")));
  }
  auto done = store.InsertBatch(batch, kT0);
  ASSERT_TRUE(done.ok()) << done.status();
  ASSERT_EQ(done->size(), 512u);
  for (int i = 0; i < 512; ++i) {
    EXPECT_EQ((*done)[i].duplicate, i >= 200) << i;
    EXPECT_EQ((*done)[i].id, (*done)[i % 200].id) << i;
  }
  std::map<std::string, StoredReport> rows = RowsByHost(store);
  ASSERT_EQ(rows.size(), 200u);
  for (int h = 0; h < 200; ++h) {
    EXPECT_EQ(rows[absl::StrCat("h", h, ".test")].count, h < 112 ? 3 : 2)
        << h;
  }
}

// Statements run in the database since the last reset (not counting the
// ones reading or resetting the counts), by pg_stat_statements, which
// postgres_test.sh preloads.
class StatementCounter {
 public:
  explicit StatementCounter(const std::string& uri)
      : conn_(PQconnectdb(uri.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    Query("SET client_min_messages = warning; CREATE EXTENSION IF NOT "
          "EXISTS pg_stat_statements");
  }
  ~StatementCounter() { PQfinish(conn_); }
  void Reset() { Query("SELECT pg_stat_statements_reset()"); }
  int64_t Count() {
    return std::atoll(
        Query("SELECT coalesce(sum(calls), 0) FROM pg_stat_statements WHERE "
              "dbid = (SELECT oid FROM pg_database WHERE datname = "
              "current_database()) AND query NOT LIKE '%pg_stat_statements%'")
            .c_str());
  }

 private:
  // The first value of the last statement's answer.
  std::string Query(const char* sql) {
    PGresult* r = PQexec(conn_, sql);
    const ExecStatusType status = PQresultStatus(r);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQerrorMessage(conn_);
    std::string value = status == PGRES_TUPLES_OK && PQntuples(r) > 0
                            ? PQgetvalue(r, 0, 0)
                            : "";
    PQclear(r);
    return value;
  }
  PGconn* conn_;
};

// However many reports, new or duplicate, a batch is the same few
// statements (BEGIN, lock, lookup, INSERT, UPDATE, COMMIT); not two per
// report.
TEST(PostgresStoreTest, BatchIsAConstantNumberOfStatements) {
  const std::string uri = FreshDatabase();
  auto opened = PostgresStore::Open(uri);
  ASSERT_TRUE(opened.ok()) << opened.status();
  PostgresStore& store = **opened;
  StatementCounter statements(uri);
  std::vector<IncomingReport> stored;
  for (int i = 0; i < 200; ++i) {
    stored.push_back(Incoming(absl::StrCat("s", i, ".test")));
  }
  ASSERT_TRUE(store.InsertBatch(stored, kT0).ok());

  statements.Reset();
  ASSERT_TRUE(store.InsertBatch({Incoming("one.test")}, kT0).ok());
  EXPECT_LE(statements.Count(), 6);

  // 512 reports: 200 duplicates of stored rows, 256 new, 56 duplicates of
  // new ones.
  std::vector<IncomingReport> batch = stored;
  for (int i = 0; i < 312; ++i) {
    batch.push_back(Incoming(absl::StrCat("n", i % 256, ".test")));
  }
  statements.Reset();
  auto done = store.InsertBatch(batch, kT0 + absl::Seconds(1));
  ASSERT_TRUE(done.ok()) << done.status();
  EXPECT_LE(statements.Count(), 6);
  int new_rows = 0;
  for (const InsertOutcome& o : *done) new_rows += o.duplicate ? 0 : 1;
  EXPECT_EQ(new_rows, 256);
}

// Two stores (two connections, as two collector processes) insert
// overlapping reports at once: each report is stored once, every one is
// counted.
TEST(PostgresStoreTest, TwoWritersStoreEachReportOnce) {
  const std::string uri = FreshDatabase();
  auto opened_a = PostgresStore::Open(uri);
  auto opened_b = PostgresStore::Open(uri);
  ASSERT_TRUE(opened_a.ok()) << opened_a.status();
  ASSERT_TRUE(opened_b.ok()) << opened_b.status();
  constexpr int kHosts = 100, kBatches = 20, kBatchSize = 50;
  std::vector<IncomingReport> reports;
  for (int h = 0; h < kHosts; ++h) {
    reports.push_back(Incoming(absl::StrCat("w", h, ".test")));
  }
  int new_rows[2] = {0, 0};
  bool failed[2] = {false, false};
  auto writer = [&](int w, PostgresStore* store) {
    for (int n = 0; n < kBatches; ++n) {
      std::vector<IncomingReport> batch;
      for (int i = 0; i < kBatchSize; ++i) {
        // The two writers walk the hosts in opposite directions.
        const int h = (n * kBatchSize + i) % kHosts;
        batch.push_back(reports[w == 0 ? h : kHosts - 1 - h]);
      }
      auto done = store->InsertBatch(batch, kT0);
      if (!done.ok()) {
        failed[w] = true;
        return;
      }
      for (const InsertOutcome& o : *done) new_rows[w] += o.duplicate ? 0 : 1;
    }
  };
  std::thread a(writer, 0, opened_a->get());
  std::thread b(writer, 1, opened_b->get());
  a.join();
  b.join();
  EXPECT_FALSE(failed[0]);
  EXPECT_FALSE(failed[1]);
  EXPECT_EQ(new_rows[0] + new_rows[1], kHosts);
  std::map<std::string, StoredReport> rows = RowsByHost(**opened_a);
  ASSERT_EQ(rows.size(), static_cast<size_t>(kHosts));
  int64_t counted = 0;
  for (const auto& [host, row] : rows) counted += row.count;
  EXPECT_EQ(counted, 2 * kBatches * kBatchSize);
}

TEST(PostgresStoreTest, CountsDeletesByLastReceivedAndKeepsLostReports) {
  const std::string uri = FreshDatabase();
  auto opened = PostgresStore::Open(uri);
  ASSERT_TRUE(opened.ok()) << opened.status();
  PostgresStore& store = **opened;
  ASSERT_TRUE(store.InsertBatch({Incoming("old.test"), Incoming("kept.test")},
                                kT0)
                  .ok());
  // kept.test is seen again later: its last_received moves, so it stays.
  ASSERT_TRUE(
      store.InsertBatch({Incoming("kept.test")}, kT0 + absl::Minutes(30)).ok());
  ASSERT_TRUE(
      store.InsertBatch({Incoming("new.test")}, kT0 + absl::Hours(2)).ok());
  EXPECT_EQ(*store.CountReports(), 3);
  // Strictly before: a row received exactly at the cut stays.
  EXPECT_EQ(*store.DeleteReportsBefore(kT0), 0);
  EXPECT_EQ(*store.DeleteReportsBefore(kT0 + absl::Minutes(10)), 1);
  std::map<std::string, StoredReport> rows = RowsByHost(store);
  EXPECT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.count("old.test"), 0u);
  EXPECT_EQ(rows["kept.test"].count, 2);
  EXPECT_EQ(*store.CountReports(), 2);

  // Lost reports add up per (hour, reason), across calls too.
  const absl::Time hour = HourStart(kT0);
  ASSERT_TRUE(store
                  .AddLostReports({{hour + absl::Minutes(5), "rate-limited", 2},
                                   {hour + absl::Minutes(50), "rate-limited", 3},
                                   {hour + absl::Minutes(70), "store-full", 1}})
                  .ok());
  ASSERT_TRUE(store.AddLostReports({{hour, "rate-limited", 1}}).ok());
  auto lost = store.ListLostReports(absl::InfinitePast());
  ASSERT_TRUE(lost.ok()) << lost.status();
  ASSERT_EQ(lost->size(), 2u);
  EXPECT_EQ((*lost)[0].hour, hour);
  EXPECT_EQ((*lost)[0].reason, "rate-limited");
  EXPECT_EQ((*lost)[0].count, 6);
  EXPECT_EQ((*lost)[1].hour, hour + absl::Hours(1));
  EXPECT_EQ((*lost)[1].reason, "store-full");
  // An hour counts while it has not ended before `since`.
  EXPECT_EQ(store.ListLostReports(hour + absl::Minutes(59))->size(), 2u);
  EXPECT_EQ(store.ListLostReports(hour + absl::Hours(1))->size(), 1u);
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
