// Group commit: one writer thread takes every report waiting from
// concurrent requests and stores them in ONE transaction
// (ReportStore::InsertBatch), then wakes each request with its outcome. A
// request is answered only after the batch holding its report committed,
// so a 2xx means durable, and fsyncs are shared by the whole batch.
//
//   GroupCommitter committer(std::move(store));
//   absl::StatusOr<InsertOutcome> done = committer.Submit(std::move(in));
//   // done.ok(): committed (reply 2xx); ResourceExhausted: the database
//   // is full (reply 507); otherwise reply 503.
//
// The writer also bounds the database (StorageLimits): at most
// `max_reports` rows, and rows last received longer than `retain` ago are
// deleted, so a flood of reports cannot fill the disk.

#ifndef PINBAKE_COLLECTOR_GROUP_COMMIT_H_
#define PINBAKE_COLLECTOR_GROUP_COMMIT_H_

#include <cstddef>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collector/report_store.h"

namespace pinbake {
namespace collector {

// How much the collector keeps.
struct StorageLimits {
  // Most rows in the database; when it holds this many, every report is
  // refused (ResourceExhausted) until retention frees rows. A batch
  // started below the limit may pass it by at most kMaxBatch - 1 rows.
  // With several collectors on one database each one counts its own
  // inserts since its last recount (at start and after each prune), so the
  // limit can be passed by one prune interval's inserts per other
  // instance. 0: no limit.
  int64_t max_reports = 0;
  // Rows last received longer ago than this are deleted: at start, then
  // every `prune_every`. Zero: kept for ever.
  absl::Duration retain = absl::ZeroDuration();
  absl::Duration prune_every = absl::Minutes(10);
};

class GroupCommitter {
 public:
  // Most reports in one transaction.
  static constexpr size_t kMaxBatch = 512;

  // Starts the writer thread, which owns `store`. `clock` gives the
  // receive time of a batch (null: absl::Now).
  explicit GroupCommitter(std::unique_ptr<ReportStore> store,
                          std::function<absl::Time()> clock = nullptr,
                          StorageLimits limits = StorageLimits());
  // Stores what is queued, then stops the writer.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `report` and blocks until its batch committed (its outcome) or
  // failed (the store's error; nothing of that batch was stored). Safe to
  // call from many threads at once.
  absl::StatusOr<InsertOutcome> Submit(IncomingReport report);

  // Notes that `count` requests that may have carried a valid report were
  // refused for `reason` before reaching the store (e.g. "rate-limited").
  // The writer adds them to the store's LostReports within about a second
  // (and on stop), with the reports it refused itself (store-full, and
  // store-unavailable for a failed batch). Safe from any thread.
  void NoteLost(absl::string_view reason, int64_t count);

  // Batches committed and reports stored or counted so far.
  int64_t batches() const;
  int64_t committed() const;
  // Reports refused because the database was full; rows deleted by
  // retention; the writer's count of rows in the database (-1 before the
  // first count, or after a count failed).
  int64_t refused_full() const;
  int64_t pruned() const;
  int64_t rows() const;

 private:
  struct Pending;
  void WriterLoop();
  // Deletes what `limits_.retain` no longer keeps and recounts the rows.
  // Writer thread only.
  void Prune(absl::Time now);
  // Writes the noted lost reports to the store (kept for the next try if
  // that fails). Writer thread only.
  void FlushLost(absl::Time now);

  std::unique_ptr<ReportStore> store_;
  std::function<absl::Time()> clock_;
  const StorageLimits limits_;
  // std::mutex and condition variables, not absl::Mutex: ThreadSanitizer
  // sees them (the system Abseil is not instrumented; tools/test.sh).
  mutable std::mutex mu_;
  std::condition_variable work_;  // Queue not empty, or stopping.
  std::condition_variable done_;  // Some Pending became done.
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t batches_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t committed_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t refused_full_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t pruned_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t rows_ ABSL_GUARDED_BY(mu_) = -1;
  // Lost reports not yet in the store, by reason.
  std::map<std::string, int64_t> lost_ ABSL_GUARDED_BY(mu_);
  std::thread writer_;
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_GROUP_COMMIT_H_
