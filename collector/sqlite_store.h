// ReportStore on SQLite (the collector's default database): WAL journal,
// synchronous=FULL (a committed batch survives power loss), schema
// versioned with PRAGMA user_version and migrated on open.
//
//   absl::StatusOr<std::unique_ptr<SqliteStore>> store =
//       SqliteStore::Open("/var/lib/pinbake/reports.db");

#ifndef PINBAKE_COLLECTOR_SQLITE_STORE_H_
#define PINBAKE_COLLECTOR_SQLITE_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/report_store.h"

struct sqlite3;

namespace pinbake {
namespace collector {

// The schema version this build writes; older databases are migrated up,
// newer ones are refused.
inline constexpr int kSqliteSchemaVersion = 3;

class SqliteStore : public ReportStore {
 public:
  // Opens (creating if needed) the database at `path` and migrates it.
  // Errors name the path and the problem.
  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(
      const std::string& path);
  ~SqliteStore() override;

  absl::StatusOr<std::vector<InsertOutcome>> InsertBatch(
      absl::Span<const IncomingReport> reports, absl::Time now) override;
  absl::Status ForEachReport(
      absl::Time since,
      absl::FunctionRef<absl::Status(const StoredReport&)> visit) override;
  int SchemaVersion() override;
  absl::StatusOr<int64_t> CountReports() override;
  absl::StatusOr<int64_t> DeleteReportsBefore(absl::Time before) override;
  absl::Status AddLostReports(absl::Span<const LostReports> lost) override;
  absl::StatusOr<std::vector<LostReports>> ListLostReports(
      absl::Time since) override;

  // PRAGMA integrity_check's answer: "ok" for a sound database.
  absl::StatusOr<std::string> IntegrityCheck();

 private:
  SqliteStore(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  absl::Status Exec(const char* sql);
  absl::Status Migrate();
  absl::Status Error(absl::string_view what);

  sqlite3* db_;
  std::string path_;
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_SQLITE_STORE_H_
