#include "collector/open_store.h"

#include "absl/strings/match.h"
#include "collector/postgres_store.h"
#include "collector/sqlite_store.h"

namespace pinbake {
namespace collector {

bool IsPostgresUri(const std::string& db) {
  return absl::StartsWithIgnoreCase(db, "postgresql://") ||
         absl::StartsWithIgnoreCase(db, "postgres://");
}

absl::StatusOr<std::unique_ptr<ReportStore>> OpenReportStore(
    const std::string& db) {
  if (db.empty()) return absl::InvalidArgumentError("--db: empty");
  if (IsPostgresUri(db)) {
    absl::StatusOr<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(db);
    if (!store.ok()) return store.status();
    return std::unique_ptr<ReportStore>(*std::move(store));
  }
  absl::StatusOr<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(db);
  if (!store.ok()) return store.status();
  return std::unique_ptr<ReportStore>(*std::move(store));
}

}  // namespace collector
}  // namespace pinbake
