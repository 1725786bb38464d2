#include "collector/group_commit.h"

#include <utility>
#include <vector>

#include "absl/time/clock.h"

namespace pinbake {
namespace collector {

struct GroupCommitter::Pending {
  IncomingReport report;
  bool done = false;  // Guarded by mu_.
  absl::StatusOr<InsertOutcome> outcome;
};

GroupCommitter::GroupCommitter(std::unique_ptr<ReportStore> store,
                               std::function<absl::Time()> clock)
    : store_(std::move(store)),
      clock_(clock ? std::move(clock) : [] { return absl::Now(); }) {
  writer_ = std::thread([this] { WriterLoop(); });
}

GroupCommitter::~GroupCommitter() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

absl::StatusOr<InsertOutcome> GroupCommitter::Submit(IncomingReport report) {
  Pending pending;
  pending.report = std::move(report);
  absl::MutexLock lock(&mu_);
  if (stopping_) return absl::UnavailableError("collector is stopping");
  queue_.push_back(&pending);
  mu_.Await(absl::Condition(
      +[](Pending* p) { return p->done; }, &pending));
  return std::move(pending.outcome);
}

int64_t GroupCommitter::batches() const {
  absl::MutexLock lock(&mu_);
  return batches_;
}

int64_t GroupCommitter::committed() const {
  absl::MutexLock lock(&mu_);
  return committed_;
}

void GroupCommitter::WriterLoop() {
  std::vector<Pending*> batch;
  std::vector<IncomingReport> reports;
  for (;;) {
    batch.clear();
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](GroupCommitter* c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c->mu_) {
            return c->stopping_ || !c->queue_.empty();
          },
          this));
      if (queue_.empty()) return;  // Stopping, nothing left.
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
    }
    // The reports are moved out and back so the store sees one span; the
    // requests are blocked meanwhile and do not touch them.
    reports.clear();
    for (Pending* p : batch) reports.push_back(std::move(p->report));
    absl::StatusOr<std::vector<InsertOutcome>> outcomes =
        store_->InsertBatch(reports, clock_());
    absl::MutexLock lock(&mu_);
    for (size_t i = 0; i < batch.size(); ++i) {
      if (outcomes.ok() && outcomes->size() == batch.size()) {
        batch[i]->outcome = (*outcomes)[i];
      } else {
        batch[i]->outcome =
            outcomes.ok() ? absl::InternalError("store lost outcomes")
                          : outcomes.status();
      }
      batch[i]->done = true;
    }
    if (outcomes.ok()) {
      ++batches_;
      committed_ += static_cast<int64_t>(batch.size());
    }
  }
}

}  // namespace collector
}  // namespace pinbake
