#include "collector/sqlite_store.h"

#include <sqlite3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "collector/stored_report_codec.h"

namespace pinbake {
namespace collector {
namespace {

// Migrations: kMigrations[v] takes a database from version v to v + 1.
constexpr const char* kMigrations[kSqliteSchemaVersion] = {
    // 0 -> 1: the reports table and its duplicate index.
    "CREATE TABLE reports ("
    "  id INTEGER PRIMARY KEY,"
    "  uri TEXT NOT NULL,"
    "  hostname TEXT NOT NULL,"
    "  port INTEGER NOT NULL,"
    "  noted_hostname TEXT NOT NULL,"
    "  include_subdomains INTEGER NOT NULL,"
    "  date_time_ms INTEGER NOT NULL,"
    "  expiration_ms INTEGER NOT NULL,"
    "  first_received_ms INTEGER NOT NULL,"
    "  last_received_ms INTEGER NOT NULL,"
    "  count INTEGER NOT NULL DEFAULT 1,"
    "  dedup_key TEXT NOT NULL,"
    "  validated_spki TEXT NOT NULL,"
    "  validated_subjects TEXT NOT NULL,"
    "  validated_chain TEXT NOT NULL,"
    "  served_chain TEXT NOT NULL,"
    "  known_pins TEXT NOT NULL);"
    "CREATE INDEX reports_dedup ON reports(dedup_key, first_received_ms);",
    // 1 -> 2: summaries read by time.
    "CREATE INDEX reports_received ON reports(last_received_ms);",
    // 2 -> 3: reports refused before they were stored (LostReports).
    "CREATE TABLE lost_reports ("
    "  hour_ms INTEGER NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  count INTEGER NOT NULL,"
    "  PRIMARY KEY (hour_ms, reason));",
};

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      stmt_ = nullptr;
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt* get() const { return stmt_; }
  bool ok() const { return stmt_ != nullptr; }
  void Text(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()),
                      SQLITE_TRANSIENT);
  }
  void Int(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  std::string ColumnText(int i) {
    const unsigned char* p = sqlite3_column_text(stmt_, i);
    int n = sqlite3_column_bytes(stmt_, i);
    return p ? std::string(reinterpret_cast<const char*>(p), n) : "";
  }
  int64_t ColumnInt(int i) { return sqlite3_column_int64(stmt_, i); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

absl::StatusOr<std::unique_ptr<SqliteStore>> SqliteStore::Open(
    const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db,
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
      nullptr);
  if (rc != SQLITE_OK) {
    std::string message = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    return absl::UnavailableError(
        absl::StrCat(path, ": cannot open SQLite database: ", message));
  }
  std::unique_ptr<SqliteStore> store(new SqliteStore(db, path));
  sqlite3_busy_timeout(db, 10000);
  if (absl::Status s = store->Exec("PRAGMA journal_mode=WAL;"); !s.ok()) {
    return s;
  }
  if (absl::Status s = store->Exec("PRAGMA synchronous=FULL;"); !s.ok()) {
    return s;
  }
  // Checkpoint the WAL into the database every 16384 pages (64 MiB) rather
  // than SQLite's 1000: a checkpoint runs inside a commit on the writer
  // thread (two more fsyncs while every waiting request waits).
  if (absl::Status s = store->Exec("PRAGMA wal_autocheckpoint=16384;");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = store->Migrate(); !s.ok()) return s;
  return store;
}

SqliteStore::~SqliteStore() { sqlite3_close(db_); }

absl::Status SqliteStore::Error(absl::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(path_, ": ", what, ": ", sqlite3_errmsg(db_)));
}

absl::Status SqliteStore::Exec(const char* sql) {
  char* error = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return absl::UnavailableError(
        absl::StrCat(path_, ": SQLite: ", message));
  }
  return absl::OkStatus();
}

int SqliteStore::SchemaVersion() {
  Statement s(db_, "PRAGMA user_version;");
  if (!s.ok() || sqlite3_step(s.get()) != SQLITE_ROW) return -1;
  return static_cast<int>(s.ColumnInt(0));
}

absl::Status SqliteStore::Migrate() {
  if (absl::Status s = Exec("BEGIN IMMEDIATE;"); !s.ok()) return s;
  int version = SchemaVersion();
  if (version < 0 || version > kSqliteSchemaVersion) {
    Exec("ROLLBACK;").IgnoreError();
    return absl::FailedPreconditionError(absl::StrCat(
        path_, ": schema version ", version, " is not one this pinbake "
        "knows (0..", kSqliteSchemaVersion, "); use a newer pinbake"));
  }
  for (; version < kSqliteSchemaVersion; ++version) {
    if (absl::Status s = Exec(kMigrations[version]); !s.ok()) {
      Exec("ROLLBACK;").IgnoreError();
      return s;
    }
    const std::string bump =
        absl::StrCat("PRAGMA user_version=", version + 1, ";");
    if (absl::Status s = Exec(bump.c_str()); !s.ok()) {
      Exec("ROLLBACK;").IgnoreError();
      return s;
    }
  }
  return Exec("COMMIT;");
}

absl::StatusOr<std::vector<InsertOutcome>> SqliteStore::InsertBatch(
    absl::Span<const IncomingReport> reports, absl::Time now) {
  std::vector<InsertOutcome> outcomes;
  outcomes.reserve(reports.size());
  if (absl::Status s = Exec("BEGIN IMMEDIATE;"); !s.ok()) return s;
  Statement find(db_,
                 "SELECT id FROM reports WHERE dedup_key = ?1 AND "
                 "first_received_ms >= ?2 ORDER BY id DESC LIMIT 1;");
  Statement bump(db_,
                 "UPDATE reports SET count = count + 1, last_received_ms = "
                 "?2 WHERE id = ?1;");
  Statement insert(
      db_,
      "INSERT INTO reports (uri, hostname, port, noted_hostname, "
      "include_subdomains, date_time_ms, expiration_ms, first_received_ms, "
      "last_received_ms, count, dedup_key, validated_spki, "
      "validated_subjects, validated_chain, served_chain, known_pins) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8, 1, ?9, ?10, ?11, ?12, "
      "?13, ?14);");
  if (!find.ok() || !bump.ok() || !insert.ok()) {
    absl::Status error = Error("prepare");
    Exec("ROLLBACK;").IgnoreError();
    return error;
  }
  const int64_t now_ms = Ms(now);
  const int64_t window_start = Ms(now - kDuplicateWindow);
  for (const IncomingReport& in : reports) {
    InsertOutcome outcome;
    sqlite3_reset(find.get());
    find.Text(1, in.dedup_key);
    find.Int(2, window_start);
    int rc = sqlite3_step(find.get());
    if (rc == SQLITE_ROW) {
      outcome.id = find.ColumnInt(0);
      outcome.duplicate = true;
      sqlite3_reset(bump.get());
      bump.Int(1, outcome.id);
      bump.Int(2, now_ms);
      rc = sqlite3_step(bump.get());
    } else if (rc == SQLITE_DONE) {
      const ValidatedReport& r = in.report;
      const ReportColumns columns = EncodeReportColumns(r);
      sqlite3_reset(insert.get());
      insert.Text(1, in.uri);
      insert.Text(2, r.hostname);
      insert.Int(3, r.port);
      insert.Text(4, r.noted_hostname);
      insert.Int(5, r.include_subdomains ? 1 : 0);
      insert.Int(6, Ms(r.date_time));
      insert.Int(7, Ms(r.effective_expiration_date));
      insert.Int(8, now_ms);
      insert.Text(9, in.dedup_key);
      insert.Text(10, columns.validated_spki);
      insert.Text(11, columns.validated_subjects);
      insert.Text(12, columns.validated_chain);
      insert.Text(13, columns.served_chain);
      insert.Text(14, columns.known_pins);
      rc = sqlite3_step(insert.get());
      outcome.id = sqlite3_last_insert_rowid(db_);
    }
    if (rc != SQLITE_DONE) {
      absl::Status error = Error("insert");
      Exec("ROLLBACK;").IgnoreError();
      return error;
    }
    outcomes.push_back(outcome);
  }
  if (absl::Status s = Exec("COMMIT;"); !s.ok()) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  return outcomes;
}

absl::Status SqliteStore::ForEachReport(
    absl::Time since,
    absl::FunctionRef<absl::Status(const StoredReport&)> visit) {
  Statement s(db_,
              "SELECT id, uri, hostname, port, noted_hostname, "
              "include_subdomains, date_time_ms, first_received_ms, "
              "last_received_ms, count, validated_spki, validated_subjects, "
              "known_pins FROM reports WHERE last_received_ms >= ?1 "
              "ORDER BY id;");
  if (!s.ok()) return Error("prepare");
  s.Int(1, since <= absl::UnixEpoch() ? INT64_MIN : Ms(since));
  // One row decoded at a time (sqlite3_step): nothing accumulates here.
  StoredReport r;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    r.id = s.ColumnInt(0);
    r.uri = s.ColumnText(1);
    r.hostname = s.ColumnText(2);
    r.port = static_cast<int>(s.ColumnInt(3));
    r.noted_hostname = s.ColumnText(4);
    r.include_subdomains = s.ColumnInt(5) != 0;
    r.date_time = absl::FromUnixMillis(s.ColumnInt(6));
    r.first_received = absl::FromUnixMillis(s.ColumnInt(7));
    r.last_received = absl::FromUnixMillis(s.ColumnInt(8));
    r.count = s.ColumnInt(9);
    absl::StatusOr<std::vector<SpkiHash>> spki =
        DecodeSpkiList(s.ColumnText(10));
    absl::StatusOr<std::vector<std::string>> subjects =
        DecodeStringArray(s.ColumnText(11));
    absl::StatusOr<std::vector<SpkiHash>> pins =
        DecodeSpkiList(s.ColumnText(12));
    if (!spki.ok() || !subjects.ok() || !pins.ok()) {
      return absl::DataLossError(
          absl::StrCat(path_, ": report ", r.id, ": damaged row"));
    }
    r.validated_spki = *std::move(spki);
    r.validated_subjects = *std::move(subjects);
    r.known_pins = *std::move(pins);
    if (absl::Status status = visit(r); !status.ok()) return status;
  }
  if (rc != SQLITE_DONE) return Error("read");
  return absl::OkStatus();
}

absl::StatusOr<int64_t> SqliteStore::CountReports() {
  Statement s(db_, "SELECT count(*) FROM reports;");
  if (!s.ok()) return Error("prepare");
  if (sqlite3_step(s.get()) != SQLITE_ROW) return Error("count");
  return s.ColumnInt(0);
}

absl::StatusOr<int64_t> SqliteStore::DeleteReportsBefore(absl::Time before) {
  Statement s(db_, "DELETE FROM reports WHERE last_received_ms < ?1;");
  if (!s.ok()) return Error("prepare");
  s.Int(1, Ms(before));
  // One statement: SQLite runs it as one transaction (autocommit).
  if (sqlite3_step(s.get()) != SQLITE_DONE) return Error("delete");
  return static_cast<int64_t>(sqlite3_changes(db_));
}

absl::Status SqliteStore::AddLostReports(absl::Span<const LostReports> lost) {
  if (lost.empty()) return absl::OkStatus();
  if (absl::Status s = Exec("BEGIN IMMEDIATE;"); !s.ok()) return s;
  Statement add(db_,
                "INSERT INTO lost_reports (hour_ms, reason, count) VALUES "
                "(?1, ?2, ?3) ON CONFLICT (hour_ms, reason) DO UPDATE SET "
                "count = count + excluded.count;");
  if (!add.ok()) {
    absl::Status error = Error("prepare");
    Exec("ROLLBACK;").IgnoreError();
    return error;
  }
  for (const LostReports& l : lost) {
    sqlite3_reset(add.get());
    add.Int(1, Ms(HourStart(l.hour)));
    add.Text(2, l.reason);
    add.Int(3, l.count);
    if (sqlite3_step(add.get()) != SQLITE_DONE) {
      absl::Status error = Error("record lost reports");
      Exec("ROLLBACK;").IgnoreError();
      return error;
    }
  }
  if (absl::Status s = Exec("COMMIT;"); !s.ok()) {
    Exec("ROLLBACK;").IgnoreError();
    return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<LostReports>> SqliteStore::ListLostReports(
    absl::Time since) {
  Statement s(db_,
              "SELECT hour_ms, reason, count FROM lost_reports WHERE "
              "hour_ms > ?1 ORDER BY hour_ms, reason;");
  if (!s.ok()) return Error("prepare");
  // An hour row counts when the hour ends after `since`.
  s.Int(1, since <= absl::UnixEpoch() ? INT64_MIN
                                      : Ms(since - absl::Hours(1)));
  std::vector<LostReports> out;
  int rc;
  while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
    LostReports l;
    l.hour = absl::FromUnixMillis(s.ColumnInt(0));
    l.reason = s.ColumnText(1);
    l.count = s.ColumnInt(2);
    out.push_back(std::move(l));
  }
  if (rc != SQLITE_DONE) return Error("read");
  return out;
}

absl::StatusOr<std::string> SqliteStore::IntegrityCheck() {
  Statement s(db_, "PRAGMA integrity_check;");
  if (!s.ok()) return Error("prepare");
  std::string answer;
  while (sqlite3_step(s.get()) == SQLITE_ROW) {
    if (!answer.empty()) answer += "\n";
    answer += s.ColumnText(0);
  }
  return answer;
}

}  // namespace collector
}  // namespace pinbake
