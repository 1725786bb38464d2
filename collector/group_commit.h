// Group commit: one writer thread takes every report waiting from
// concurrent requests and stores them in ONE transaction
// (ReportStore::InsertBatch), then wakes each request with its outcome. A
// request is answered only after the batch holding its report committed,
// so a 2xx means durable, and fsyncs are shared by the whole batch.
//
//   GroupCommitter committer(std::move(store));
//   absl::StatusOr<InsertOutcome> done = committer.Submit(std::move(in));
//   // done.ok(): committed (reply 2xx); otherwise reply 503.

#ifndef PINBAKE_COLLECTOR_GROUP_COMMIT_H_
#define PINBAKE_COLLECTOR_GROUP_COMMIT_H_

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "collector/report_store.h"

namespace pinbake {
namespace collector {

class GroupCommitter {
 public:
  // Most reports in one transaction.
  static constexpr size_t kMaxBatch = 512;

  // Starts the writer thread, which owns `store`. `clock` gives the
  // receive time of a batch (null: absl::Now).
  explicit GroupCommitter(std::unique_ptr<ReportStore> store,
                          std::function<absl::Time()> clock = nullptr);
  // Stores what is queued, then stops the writer.
  ~GroupCommitter();
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Queues `report` and blocks until its batch committed (its outcome) or
  // failed (the store's error; nothing of that batch was stored). Safe to
  // call from many threads at once.
  absl::StatusOr<InsertOutcome> Submit(IncomingReport report);

  // Batches committed and reports stored or counted so far.
  int64_t batches() const;
  int64_t committed() const;

 private:
  struct Pending;
  void WriterLoop();

  std::unique_ptr<ReportStore> store_;
  std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  std::deque<Pending*> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  int64_t batches_ ABSL_GUARDED_BY(mu_) = 0;
  int64_t committed_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread writer_;
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_GROUP_COMMIT_H_
