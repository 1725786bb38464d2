#include "collector/postgres_store.h"

#include <postgresql/libpq-fe.h>

#include <cstdlib>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collector/stored_report_codec.h"
#include "nlohmann/json.hpp"

namespace pinbake {
namespace collector {
namespace {

// Advisory lock keys (arbitrary, fixed): migration and batch writes.
constexpr char kMigrationLock[] = "SELECT pg_advisory_xact_lock(7469001)";
constexpr char kBeginWrite[] = "BEGIN; SELECT pg_advisory_xact_lock(7469002)";

// The three statements of a batch (InsertBatch), each taking the batch's
// data as one JSON parameter ($1), so that their number does not grow with
// the batch. $2 is a time in Unix milliseconds.
//
// $1: the distinct dedup keys; $2: the window's start. The newest row of
// each key received within the window (the index reports_dedup).
constexpr char kFindExisting[] =
    "SELECT DISTINCT ON (dedup_key) dedup_key, id FROM reports "
    "WHERE dedup_key = ANY (ARRAY(SELECT json_array_elements_text($1::json))) "
    "AND first_received_ms >= $2::bigint ORDER BY dedup_key, id DESC";
// $1: the new rows ({"i": order, "k": dedup key, ...}); $2: now. Ids are
// taken in the batch's order; each is matched back by its (in this batch
// unique) dedup key.
constexpr char kInsertNew[] =
    "INSERT INTO reports (uri, hostname, port, noted_hostname, "
    "include_subdomains, date_time_ms, expiration_ms, first_received_ms, "
    "last_received_ms, count, dedup_key, validated_spki, validated_subjects, "
    "validated_chain, served_chain, known_pins) "
    "SELECT r.u, r.h, r.p, r.nh, r.s, r.d, r.e, $2::bigint, $2::bigint, r.n, "
    "r.k, r.vs, r.vsub, r.vc, r.sc, r.kp FROM json_to_recordset($1::json) AS "
    "r(i bigint, k text, u text, h text, p integer, nh text, s boolean, "
    "d bigint, e bigint, n bigint, vs text, vsub text, vc text, sc text, "
    "kp text) ORDER BY r.i RETURNING id, dedup_key";
// $1: [{"id": row, "n": duplicates}] (distinct rows); $2: now.
constexpr char kCountDuplicates[] =
    "UPDATE reports SET count = reports.count + u.n, last_received_ms = "
    "$2::bigint FROM json_to_recordset($1::json) AS u(id bigint, n bigint) "
    "WHERE reports.id = u.id";

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

// `value` as JSON text for a statement parameter. InvalidArgument if a
// string in it is not UTF-8 (PostgreSQL's text could not hold it either).
absl::StatusOr<std::string> JsonText(const nlohmann::json& value) {
  try {
    return value.dump();
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(
        "PostgreSQL: a report field is not valid UTF-8 (", e.what(), ")"));
  }
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
  if (reports.empty()) return std::vector<InsertOutcome>();
  // In memory first: the batch's distinct dedup keys in order of first
  // appearance, and how many reports carry each (a later report with the
  // key of an earlier one is a duplicate of it).
  struct Key {
    size_t first = 0;  // Index in `reports` of the first report with it.
    int64_t reports = 0;
    int64_t id = 0;  // Its row, once known.
    bool existing = false;  // Stored before this batch, within the window.
    std::string row_json;   // Its row for kInsertNew, if it is new.
  };
  std::vector<Key> keys;
  absl::flat_hash_map<absl::string_view, size_t> key_of;  // dedup_key -> keys
  std::vector<size_t> key_index(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    auto [it, added] = key_of.try_emplace(reports[i].dedup_key, keys.size());
    if (added) keys.push_back(Key{i, 0, 0, false, ""});
    ++keys[it->second].reports;
    key_index[i] = it->second;
  }
  nlohmann::json key_list = nlohmann::json::array();
  for (const Key& k : keys) key_list.push_back(reports[k.first].dedup_key);
  absl::StatusOr<std::string> key_json = JsonText(key_list);
  if (!key_json.ok()) return key_json.status();
  // Each key's row as it would be inserted, encoded before the lock is
  // taken (the lock is held by one instance at a time).
  for (size_t k = 0; k < keys.size(); ++k) {
    const IncomingReport& in = reports[keys[k].first];
    const ValidatedReport& r = in.report;
    const ReportColumns c = EncodeReportColumns(r);
    absl::StatusOr<std::string> row = JsonText(
        {{"i", k},
         {"k", in.dedup_key},
         {"u", in.uri},
         {"h", r.hostname},
         {"p", r.port},
         {"nh", r.noted_hostname},
         {"s", r.include_subdomains},
         {"d", absl::ToUnixMillis(r.date_time)},
         {"e", absl::ToUnixMillis(r.effective_expiration_date)},
         {"n", keys[k].reports},
         {"vs", c.validated_spki},
         {"vsub", c.validated_subjects},
         {"vc", c.validated_chain},
         {"sc", c.served_chain},
         {"kp", c.known_pins}});
    if (!row.ok()) return row.status();
    keys[k].row_json = *std::move(row);
  }

  if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
  // One round trip: the transaction and its lock (held until COMMIT), so
  // that two collectors cannot both store the same key in one window.
  if (absl::Status s = Exec(kBeginWrite); !s.ok()) {
    Exec("ROLLBACK").IgnoreError();
    return s;
  }
  auto fail = [this](absl::Status s) {
    Exec("ROLLBACK").IgnoreError();
    return s;
  };
  const std::string now_ms = absl::StrCat(absl::ToUnixMillis(now));
  const std::string window_start =
      absl::StrCat(absl::ToUnixMillis(now - kDuplicateWindow));

  // 1. Rows within the window for all of the batch's keys (the newest
  //    one of each key).
  Result found = Run(conn_, kFindExisting, {*key_json, window_start});
  if (!Ok(found)) return fail(PgError(conn_, "find duplicates"));
  for (int row = 0; row < PQntuples(found.get()); ++row) {
    auto it = key_of.find(absl::string_view(PQgetvalue(found.get(), row, 0),
                                            PQgetlength(found.get(), row, 0)));
    if (it == key_of.end()) {
      return fail(absl::InternalError(
          "PostgreSQL: find duplicates: answered a key not asked for"));
    }
    keys[it->second].existing = true;
    keys[it->second].id = Int(found, row, 1);
  }

  // 2. One INSERT of every new key (a JSON array of the rows encoded
  //    above), its count the reports carrying it.
  std::string new_rows = "[";
  int new_count = 0;
  nlohmann::json counted = nlohmann::json::array();
  for (const Key& k : keys) {
    if (k.existing) {
      counted.push_back({{"id", k.id}, {"n", k.reports}});
      continue;
    }
    if (new_count++ > 0) new_rows += ',';
    new_rows += k.row_json;
  }
  new_rows += ']';
  if (new_count > 0) {
    Result inserted = Run(conn_, kInsertNew, {new_rows, now_ms});
    if (!Ok(inserted)) return fail(PgError(conn_, "insert reports"));
    if (PQntuples(inserted.get()) != new_count) {
      return fail(absl::InternalError(
          "PostgreSQL: insert reports: a row id missing from RETURNING"));
    }
    for (int row = 0; row < PQntuples(inserted.get()); ++row) {
      auto it = key_of.find(
          absl::string_view(PQgetvalue(inserted.get(), row, 1),
                            PQgetlength(inserted.get(), row, 1)));
      if (it == key_of.end() || keys[it->second].existing) {
        return fail(absl::InternalError(
            "PostgreSQL: insert reports: RETURNING gave a key not inserted"));
      }
      keys[it->second].id = Int(inserted, row, 0);
    }
  }

  // 3. One UPDATE counting the duplicates of rows stored before.
  if (!counted.empty()) {
    absl::StatusOr<std::string> counted_json = JsonText(counted);
    if (!counted_json.ok()) return fail(counted_json.status());
    Result bumped = Run(conn_, kCountDuplicates, {*counted_json, now_ms});
    if (!Ok(bumped)) return fail(PgError(conn_, "count duplicates"));
    int64_t updated = 0;
    if (!absl::SimpleAtoi(PQcmdTuples(bumped.get()), &updated) ||
        updated != static_cast<int64_t>(counted.size())) {
      return fail(absl::InternalError(absl::StrCat(
          "PostgreSQL: count duplicates: ", PQcmdTuples(bumped.get()),
          " rows updated of ", counted.size())));
    }
  }
  if (absl::Status s = Exec("COMMIT"); !s.ok()) return s;

  std::vector<InsertOutcome> outcomes(reports.size());
  for (size_t i = 0; i < reports.size(); ++i) {
    const Key& k = keys[key_index[i]];
    outcomes[i].id = k.id;
    outcomes[i].duplicate = k.existing || k.first != i;
  }
  return outcomes;
}

// Single-row mode (PQsetSingleRowMode): libpq hands over each row as it
// arrives instead of the whole result set, so memory stays that of one row.
absl::Status PostgresStore::ForEachReport(
    absl::Time since,
    absl::FunctionRef<absl::Status(const StoredReport&)> visit) {
  if (PQstatus(conn_) != CONNECTION_OK) PQreset(conn_);
  const int64_t since_ms =
      since <= absl::UnixEpoch() ? INT64_MIN : absl::ToUnixMillis(since);
  const std::string since_text = absl::StrCat(since_ms);
  const char* values[] = {since_text.c_str()};
  if (!PQsendQueryParams(conn_,
                         "SELECT id, uri, hostname, port, noted_hostname, "
                         "include_subdomains, date_time_ms, "
                         "first_received_ms, last_received_ms, count, "
                         "validated_spki, validated_subjects, known_pins "
                         "FROM reports WHERE last_received_ms >= $1 "
                         "ORDER BY id",
                         1, nullptr, values, nullptr, nullptr, 0)) {
    return PgError(conn_, "list reports");
  }
  if (!PQsetSingleRowMode(conn_)) {
    absl::Status error = PgError(conn_, "single-row mode");
    while (PGresult* rest = PQgetResult(conn_)) PQclear(rest);
    return error;
  }
  absl::Status status = absl::OkStatus();
  bool stopped = false;  // Rows still coming are read and dropped.
  StoredReport s;
  while (PGresult* raw = PQgetResult(conn_)) {
    Result r(raw, PQclear);
    const ExecStatusType state = PQresultStatus(r.get());
    if (state == PGRES_TUPLES_OK) continue;  // The end (zero rows).
    if (state != PGRES_SINGLE_TUPLE) {
      if (status.ok()) status = PgError(conn_, "list reports");
      stopped = true;
      continue;
    }
    if (stopped) continue;
    s.id = Int(r, 0, 0);
    s.uri = Text(r, 0, 1);
    s.hostname = Text(r, 0, 2);
    s.port = static_cast<int>(Int(r, 0, 3));
    s.noted_hostname = Text(r, 0, 4);
    s.include_subdomains = Text(r, 0, 5) == "t";
    s.date_time = absl::FromUnixMillis(Int(r, 0, 6));
    s.first_received = absl::FromUnixMillis(Int(r, 0, 7));
    s.last_received = absl::FromUnixMillis(Int(r, 0, 8));
    s.count = Int(r, 0, 9);
    absl::StatusOr<std::vector<SpkiHash>> spki =
        DecodeSpkiList(Text(r, 0, 10));
    absl::StatusOr<std::vector<std::string>> subjects =
        DecodeStringArray(Text(r, 0, 11));
    absl::StatusOr<std::vector<SpkiHash>> pins =
        DecodeSpkiList(Text(r, 0, 12));
    if (!spki.ok() || !subjects.ok() || !pins.ok()) {
      status = absl::DataLossError(
          absl::StrCat("PostgreSQL: report ", s.id, ": damaged row"));
    } else {
      s.validated_spki = *std::move(spki);
      s.validated_subjects = *std::move(subjects);
      s.known_pins = *std::move(pins);
      status = visit(s);
    }
    // After an error the remaining rows are read one at a time and
    // dropped: the connection must be idle for its next query (no
    // PQcancel: a cancel that arrives late could hit that next query).
    if (!status.ok()) stopped = true;
  }
  return status;
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
