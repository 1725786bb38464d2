// Opens the ReportStore a --db argument names: "postgresql://..." (or
// "postgres://...") is a PostgreSQL connection URI (collector/postgres_store.h),
// anything else a SQLite database file (collector/sqlite_store.h).
//
//   absl::StatusOr<std::unique_ptr<ReportStore>> store = OpenReportStore(db);

#ifndef PINBAKE_COLLECTOR_OPEN_STORE_H_
#define PINBAKE_COLLECTOR_OPEN_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "collector/report_store.h"

namespace pinbake {
namespace collector {

// Whether `db` is a PostgreSQL URI.
bool IsPostgresUri(const std::string& db);

// Opens and migrates the database `db` names.
absl::StatusOr<std::unique_ptr<ReportStore>> OpenReportStore(
    const std::string& db);

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_OPEN_STORE_H_
