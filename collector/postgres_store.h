// ReportStore on PostgreSQL (libpq), for several collector instances
// behind a load balancer sharing one database. The schema is versioned in
// table pinbake_schema and migrated on open under an advisory lock;
// batches are serialised by a transaction-scoped advisory lock so that
// duplicates are found across instances. A batch is a constant number of
// statements whatever its size (InsertBatch), its data bound as JSON
// parameters.
//
//   absl::StatusOr<std::unique_ptr<PostgresStore>> store =
//       PostgresStore::Open("postgresql:///reports?host=/run/pg");

#ifndef PINBAKE_COLLECTOR_POSTGRES_STORE_H_
#define PINBAKE_COLLECTOR_POSTGRES_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "collector/report_store.h"

typedef struct pg_conn PGconn;

namespace pinbake {
namespace collector {

inline constexpr int kPostgresSchemaVersion = 3;

class PostgresStore : public ReportStore {
 public:
  // Connects to `uri` (a libpq connection URI) and migrates the schema.
  // Errors never repeat the URI (it may hold a password).
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const std::string& uri);
  ~PostgresStore() override;

  // ReportStore::InsertBatch, in five round trips whatever the batch's
  // size: BEGIN with the write lock, ONE query for the stored rows of all
  // the batch's dedup keys, ONE multi-row INSERT of the new keys (count =
  // the reports carrying each), ONE UPDATE counting the duplicates of
  // stored rows; COMMIT. Duplicates within the batch are found in
  // memory first. InvalidArgument (nothing stored) if a field is not UTF-8.
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

 private:
  explicit PostgresStore(PGconn* conn) : conn_(conn) {}
  absl::Status Exec(const char* sql);
  absl::Status Migrate();

  PGconn* conn_;
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_POSTGRES_STORE_H_
