// Where the collector keeps reports: the interface both databases
// implement (collector/sqlite_store.h, collector/postgres_store.h), and what
// a stored report looks like when read back.
//
//   std::unique_ptr<ReportStore> store = ...;  // OpenReportStore(--db)
//   absl::StatusOr<std::vector<InsertOutcome>> done =
//       store->InsertBatch(reports, absl::Now());  // One transaction.
//   absl::Status s = store->ForEachReport(
//       absl::Now() - absl::Hours(24), [&](const StoredReport& r) {
//         summarizer.Add(r);  // One row at a time, oldest first.
//         return absl::OkStatus();
//       });

#ifndef PINBAKE_COLLECTOR_REPORT_STORE_H_
#define PINBAKE_COLLECTOR_REPORT_STORE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "collector/report_parser.h"

namespace pinbake {
namespace collector {

// Reports with the same ReportDedupKey received within this window of the
// stored one are counted on it, not stored again.
inline constexpr absl::Duration kDuplicateWindow = absl::Minutes(60);

// One report to store: what the request carried.
struct IncomingReport {
  std::string uri;  // The request path (the pinset's report_uri path).
  ValidatedReport report;
  std::string dedup_key;  // ReportDedupKey(report, uri).
};

// What became of one IncomingReport.
struct InsertOutcome {
  int64_t id = 0;          // Row id of the stored report.
  bool duplicate = false;  // Counted on an earlier row `id`.
};

// A stored report as read back (one row; `count` includes duplicates).
struct StoredReport {
  int64_t id = 0;
  std::string uri;
  std::string hostname;
  int port = 0;
  std::string noted_hostname;
  bool include_subdomains = false;
  absl::Time date_time;            // As the client wrote it.
  absl::Time first_received;       // When the collector stored it.
  absl::Time last_received;        // Last duplicate, or first_received.
  int64_t count = 1;               // 1 + duplicates counted.
  std::vector<SpkiHash> validated_spki;       // Leaf first.
  std::vector<std::string> validated_subjects;  // Same order.
  std::vector<SpkiHash> known_pins;
};

// Reports the collector could not keep, per hour and reason: requests
// that may have carried a valid report but were refused before it was
// stored (rate-limited, store-full, store-unavailable, body-too-large).
// The rollout gate reads them: a would-fail report may be among them.
struct LostReports {
  absl::Time hour;     // Start of the UTC hour.
  std::string reason;  // A Refusal name (collector_server.h).
  int64_t count = 0;
};

// The LostReports reasons the group committer itself records (the same
// names as collector_server.h's Refusal labels).
inline constexpr char kLostStoreFull[] = "store-full";
inline constexpr char kLostStoreUnavailable[] = "store-unavailable";

// Lost reports added up by reason.
struct LostTally {
  std::map<std::string, int64_t> by_reason;
  int64_t total = 0;
};

// Adds up the rows of `lost` whose hour ends after `since` (the hours that
// overlap a period starting at `since`).
LostTally TallyLostReports(absl::Span<const LostReports> lost,
                           absl::Time since);

// "rate-limited 1, store-full 2": each reason and its count, in order.
std::string LostReasonsText(const std::map<std::string, int64_t>& by_reason);

// The start of the UTC hour holding `t`.
inline absl::Time HourStart(absl::Time t) {
  return absl::FromUnixSeconds(absl::ToUnixSeconds(t) -
                               ((absl::ToUnixSeconds(t) % 3600) + 3600) % 3600);
}

// A database of reports. Implementations are safe to call from one thread
// at a time (the group committer's writer); readers open their own store.
class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // Stores `reports` in ONE transaction, committed durably before it
  // returns OK: each is inserted, or counted as a duplicate of a row with
  // the same dedup key received within kDuplicateWindow before `now`
  // (also of an earlier report of the same batch). On error nothing of
  // the batch is stored. Outcomes are in the order of `reports`.
  virtual absl::StatusOr<std::vector<InsertOutcome>> InsertBatch(
      absl::Span<const IncomingReport> reports, absl::Time now) = 0;

  // Calls `visit` with every report received (first, or as a counted
  // duplicate) at or after `since`, oldest first (by id), one row at a
  // time as the database returns it: memory stays that of one row however
  // many reports match. Stops at the first error `visit` returns and
  // returns it; otherwise OK, or the database's error (DataLoss for a
  // damaged row).
  virtual absl::Status ForEachReport(
      absl::Time since,
      absl::FunctionRef<absl::Status(const StoredReport&)> visit) = 0;

  // ForEachReport's reports in one vector (tests and tools; its memory
  // grows with the number of reports: summaries use ForEachReport).
  absl::StatusOr<std::vector<StoredReport>> ListReports(absl::Time since);

  // The schema version the database is at (after migration).
  virtual int SchemaVersion() = 0;

  // How many reports (rows; duplicates are counted on their row) the
  // database holds.
  virtual absl::StatusOr<int64_t> CountReports() = 0;

  // Deletes, in one transaction, every report last received before
  // `before`; returns how many rows went.
  virtual absl::StatusOr<int64_t> DeleteReportsBefore(absl::Time before) = 0;

  // Adds each entry's count to its (hour, reason) row, in one
  // transaction; entries' hours are rounded down to the hour.
  virtual absl::Status AddLostReports(absl::Span<const LostReports> lost) = 0;

  // Every (hour, reason) row whose hour ends after `since`, oldest first.
  virtual absl::StatusOr<std::vector<LostReports>> ListLostReports(
      absl::Time since) = 0;
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_REPORT_STORE_H_
