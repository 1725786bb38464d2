#include "collector/postgres_store.h"

#include <postgresql/libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "collector/stored_report_codec.h"

namespace pinbake {
namespace collector {
namespace {

// Advisory lock keys (arbitrary, fixed): migration and batch writes.
constexpr char kMigrationLock[] = "SELECT pg_advisory_xact_lock(7469001)";
constexpr char kWriteLock[] = "SELECT pg_advisory_xact_lock(7469002)";

constexpr const char* kMigrations[kPostgresSchemaVersion] = {
    "CREATE TABLE reports ("
    "  id BIGSERIAL PRIMARY KEY,"
    "  uri TEXT NOT NULL,"
    "  hostname TEXT NOT NULL,"
    "  port INTEGER NOT NULL,"
    "  noted_hostname TEXT NOT NULL,"
    "  include_subdomains BOOLEAN NOT NULL,"
    "  date_time_ms BIGINT NOT NULL,"
    "  expiration_ms BIGINT NOT NULL,"
    "  first_received_ms BIGINT NOT NULL,"
    "  last_received_ms BIGINT NOT NULL,"
    "  count BIGINT NOT NULL DEFAULT 1,"
    "  dedup_key TEXT NOT NULL,"
    "  validated_spki TEXT NOT NULL,"
    "  validated_subjects TEXT NOT NULL,"
    "  validated_chain TEXT NOT NULL,"
    "  served_chain TEXT NOT NULL,"
    "  known_pins TEXT NOT NULL);"
    "CREATE INDEX reports_dedup ON reports(dedup_key, first_received_ms);",
    "CREATE INDEX reports_received ON reports(last_received_ms);",
    "CREATE TABLE lost_reports ("
    "  hour_ms BIGINT NOT NULL,"
    "  reason TEXT NOT NULL,"
    "  count BIGINT NOT NULL,"
    "  PRIMARY KEY (hour_ms, reason));",
};

using Result = std::unique_ptr<PGresult, decltype(&PQclear)>;

Result Run(PGconn* conn, const char* sql, const std::vector<std::string>& args) {
  std::vector<const char*> values;
  values.reserve(args.size());
  for (const std::string& a : args) values.push_back(a.c_str());
  return Result(PQexecParams(conn, sql, static_cast<int>(values.size()),
                             nullptr, values.data(), nullptr, nullptr, 0),
                PQclear);
}

bool Ok(const Result& r) {
  if (!r) return false;
  ExecStatusType s = PQresultStatus(r.get());
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

int64_t Int(const Result& r, int row, int col) {
  int64_t v = 0;
  if (!absl::SimpleAtoi(PQgetvalue(r.get(), row, col), &v)) return 0;
  return v;
}

std::string Text(const Result& r, int row, int col) {
  return std::string(PQgetvalue(r.get(), row, col),
                     PQgetlength(r.get(), row, col));
}

absl::Status PgError(PGconn* conn, absl::string_view what) {
  std::string message = PQerrorMessage(conn);
  while (!message.empty() && message.back() == '\n') message.pop_back();
  return absl::UnavailableError(
      absl::StrCat("PostgreSQL: ", what, ": ", message));
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresStore>> PostgresStore::Open(
    const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (conn == nullptr) {
    return absl::UnavailableError("PostgreSQL: out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status error = PgError(conn, "cannot connect");
    PQfinish(conn);
    return error;
  }
  std::unique_ptr<PostgresStore> store(new PostgresStore(conn));
  if (absl::Status s = store->Exec("SET client_min_messages = warning");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = store->Migrate(); !s.ok()) return s;
  return store;
}

PostgresStore::~PostgresStore() { PQfinish(conn_); }

absl::Status PostgresStore::Exec(const char* sql) {
  Result r(PQexec(conn_, sql), PQclear);
  if (!Ok(r)) return PgError(conn_, sql);
  return absl::OkStatus();
}

int PostgresStore::SchemaVersion() {
  Result r = Run(conn_, "SELECT version FROM pinbake_schema", {});
  if (!Ok(r) || PQntuples(r.get()) != 1) return -1;
  return static_cast<int>(Int(r, 0, 0));
}

absl::Status PostgresStore::Migrate() {
  if (absl::Status s = Exec("BEGIN"); !s.ok()) return s;
  auto fail = [this](absl::Status s) {
    Exec("ROLLBACK").IgnoreError();
    return s;
  };
  if (absl::Status s = Exec(kMigrationLock); !s.ok()) return fail(s);
  if (absl::Status s = Exec("CREATE TABLE IF NOT EXISTS pinbake_schema "
                            "(version INTEGER NOT NULL)");
      !s.ok()) {
    return fail(s);
  }
  Result current = Run(conn_, "SELECT version FROM pinbake_schema", {});
  if (!Ok(current)) return fail(PgError(conn_, "read schema version"));
  int version = 0;
  if (PQntuples(current.get()) == 0) {
    if (absl::Status s = Exec("INSERT INTO pinbake_schema VALUES (0)");
        !s.ok()) {
      return fail(s);
    }
  } else {
    version = static_cast<int>(Int(current, 0, 0));
  }
  if (version < 0 || version > kPostgresSchemaVersion) {
    return fail(absl::FailedPreconditionError(absl::StrCat(
        "PostgreSQL: schema version ", version,
        " is not one this pinbake knows (0..", kPostgresSchemaVersion,
        "); use a newer pinbake")));
  }
  for (; version < kPostgresSchemaVersion; ++version) {
    if (absl::Status s = Exec(kMigrations[version]); !s.ok()) return fail(s);
    Result bump = Run(conn_, "UPDATE pinbake_schema SET version = $1",
                      {absl::StrCat(version + 1)});
    if (!Ok(bump)) return fail(PgError(conn_, "update schema version"));
  }
  return Exec("COMMIT");
}

absl::StatusOr<std::vector<InsertOutcome>> PostgresStore::InsertBatch(
    absl::Span<const IncomingReport> reports, absl::Time now) {
  std::vector<InsertOutcome> outcomes;
  outcomes.reserve(reports.size());
  if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
  if (absl::Status s = Exec("BEGIN"); !s.ok()) return s;
  auto fail = [this](absl::Status s) {
    Exec("ROLLBACK").IgnoreError();
    return s;
  };
  if (absl::Status s = Exec(kWriteLock); !s.ok()) return fail(s);
  const std::string now_ms = absl::StrCat(absl::ToUnixMillis(now));
  const std::string window_start =
      absl::StrCat(absl::ToUnixMillis(now - kDuplicateWindow));
  for (const IncomingReport& in : reports) {
    InsertOutcome outcome;
    Result found = Run(conn_,
                       "SELECT id FROM reports WHERE dedup_key = $1 AND "
                       "first_received_ms >= $2 ORDER BY id DESC LIMIT 1",
                       {in.dedup_key, window_start});
    if (!Ok(found)) return fail(PgError(conn_, "find duplicate"));
    if (PQntuples(found.get()) == 1) {
      outcome.id = Int(found, 0, 0);
      outcome.duplicate = true;
      Result bump = Run(conn_,
                        "UPDATE reports SET count = count + 1, "
                        "last_received_ms = $2 WHERE id = $1",
                        {absl::StrCat(outcome.id), now_ms});
      if (!Ok(bump)) return fail(PgError(conn_, "count duplicate"));
    } else {
      const ValidatedReport& r = in.report;
      const ReportColumns c = EncodeReportColumns(r);
      Result inserted = Run(
          conn_,
          "INSERT INTO reports (uri, hostname, port, noted_hostname, "
          "include_subdomains, date_time_ms, expiration_ms, "
          "first_received_ms, last_received_ms, count, dedup_key, "
          "validated_spki, validated_subjects, validated_chain, "
          "served_chain, known_pins) VALUES ($1, $2, $3, $4, $5, $6, $7, "
          "$8, $8, 1, $9, $10, $11, $12, $13, $14) RETURNING id",
          {in.uri, r.hostname, absl::StrCat(r.port), r.noted_hostname,
           r.include_subdomains ? "true" : "false",
           absl::StrCat(absl::ToUnixMillis(r.date_time)),
           absl::StrCat(absl::ToUnixMillis(r.effective_expiration_date)),
           now_ms, in.dedup_key, c.validated_spki, c.validated_subjects,
           c.validated_chain, c.served_chain, c.known_pins});
      if (!Ok(inserted) || PQntuples(inserted.get()) != 1) {
        return fail(PgError(conn_, "insert report"));
      }
      outcome.id = Int(inserted, 0, 0);
    }
    outcomes.push_back(outcome);
  }
  if (absl::Status s = Exec("COMMIT"); !s.ok()) return s;
  return outcomes;
}

absl::StatusOr<std::vector<StoredReport>> PostgresStore::ListReports(
    absl::Time since) {
  const int64_t since_ms =
      since <= absl::UnixEpoch() ? INT64_MIN : absl::ToUnixMillis(since);
  Result r = Run(conn_,
                 "SELECT id, uri, hostname, port, noted_hostname, "
                 "include_subdomains, date_time_ms, first_received_ms, "
                 "last_received_ms, count, validated_spki, "
                 "validated_subjects, known_pins FROM reports WHERE "
                 "last_received_ms >= $1 ORDER BY id",
                 {absl::StrCat(since_ms)});
  if (!Ok(r)) return PgError(conn_, "list reports");
  std::vector<StoredReport> out;
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    StoredReport s;
    s.id = Int(r, row, 0);
    s.uri = Text(r, row, 1);
    s.hostname = Text(r, row, 2);
    s.port = static_cast<int>(Int(r, row, 3));
    s.noted_hostname = Text(r, row, 4);
    s.include_subdomains = Text(r, row, 5) == "t";
    s.date_time = absl::FromUnixMillis(Int(r, row, 6));
    s.first_received = absl::FromUnixMillis(Int(r, row, 7));
    s.last_received = absl::FromUnixMillis(Int(r, row, 8));
    s.count = Int(r, row, 9);
    absl::StatusOr<std::vector<SpkiHash>> spki =
        DecodeSpkiList(Text(r, row, 10));
    absl::StatusOr<std::vector<std::string>> subjects =
        DecodeStringArray(Text(r, row, 11));
    absl::StatusOr<std::vector<SpkiHash>> pins =
        DecodeSpkiList(Text(r, row, 12));
    if (!spki.ok() || !subjects.ok() || !pins.ok()) {
      return absl::DataLossError(
          absl::StrCat("PostgreSQL: report ", s.id, ": damaged row"));
    }
    s.validated_spki = *std::move(spki);
    s.validated_subjects = *std::move(subjects);
    s.known_pins = *std::move(pins);
    out.push_back(std::move(s));
  }
  return out;
}

absl::StatusOr<int64_t> PostgresStore::CountReports() {
  Result r = Run(conn_, "SELECT count(*) FROM reports", {});
  if (!Ok(r) || PQntuples(r.get()) != 1) {
    return PgError(conn_, "count reports");
  }
  return Int(r, 0, 0);
}

absl::StatusOr<int64_t> PostgresStore::DeleteReportsBefore(absl::Time before) {
  if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
  // One statement: its own transaction.
  Result r = Run(conn_, "DELETE FROM reports WHERE last_received_ms < $1",
                 {absl::StrCat(absl::ToUnixMillis(before))});
  if (!Ok(r)) return PgError(conn_, "delete old reports");
  int64_t deleted = 0;
  if (!absl::SimpleAtoi(PQcmdTuples(r.get()), &deleted)) deleted = 0;
  return deleted;
}

absl::Status PostgresStore::AddLostReports(
    absl::Span<const LostReports> lost) {
  if (lost.empty()) return absl::OkStatus();
  if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
  if (absl::Status s = Exec("BEGIN"); !s.ok()) return s;
  for (const LostReports& l : lost) {
    Result r = Run(conn_,
                   "INSERT INTO lost_reports (hour_ms, reason, count) "
                   "VALUES ($1, $2, $3) ON CONFLICT (hour_ms, reason) DO "
                   "UPDATE SET count = lost_reports.count + EXCLUDED.count",
                   {absl::StrCat(absl::ToUnixMillis(HourStart(l.hour))),
                    l.reason, absl::StrCat(l.count)});
    if (!Ok(r)) {
      absl::Status error = PgError(conn_, "record lost reports");
      Exec("ROLLBACK").IgnoreError();
      return error;
    }
  }
  return Exec("COMMIT");
}

absl::StatusOr<std::vector<LostReports>> PostgresStore::ListLostReports(
    absl::Time since) {
  const int64_t after_ms = since <= absl::UnixEpoch()
                               ? INT64_MIN
                               : absl::ToUnixMillis(since - absl::Hours(1));
  Result r = Run(conn_,
                 "SELECT hour_ms, reason, count FROM lost_reports WHERE "
                 "hour_ms > $1 ORDER BY hour_ms, reason",
                 {absl::StrCat(after_ms)});
  if (!Ok(r)) return PgError(conn_, "list lost reports");
  std::vector<LostReports> out;
  for (int row = 0; row < PQntuples(r.get()); ++row) {
    LostReports l;
    l.hour = absl::FromUnixMillis(Int(r, row, 0));
    l.reason = Text(r, row, 1);
    l.count = Int(r, row, 2);
    out.push_back(std::move(l));
  }
  return out;
}

}  // namespace collector
}  // namespace pinbake
