#include "collector/group_commit.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"

namespace pinbake {
namespace collector {

struct GroupCommitter::Pending {
  IncomingReport report;
  bool done = false;  // Guarded by mu_.
  absl::StatusOr<InsertOutcome> outcome;
};

GroupCommitter::GroupCommitter(std::unique_ptr<ReportStore> store,
                               std::function<absl::Time()> clock,
                               StorageLimits limits)
    : store_(std::move(store)),
      clock_(clock ? std::move(clock) : [] { return absl::Now(); }),
      limits_(limits) {
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

int64_t GroupCommitter::refused_full() const {
  absl::MutexLock lock(&mu_);
  return refused_full_;
}

int64_t GroupCommitter::pruned() const {
  absl::MutexLock lock(&mu_);
  return pruned_;
}

int64_t GroupCommitter::rows() const {
  absl::MutexLock lock(&mu_);
  return rows_;
}

void GroupCommitter::NoteLost(absl::string_view reason, int64_t count) {
  if (count <= 0) return;
  absl::MutexLock lock(&mu_);
  lost_[std::string(reason)] += count;
}

void GroupCommitter::FlushLost(absl::Time now) {
  std::vector<LostReports> lost;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [reason, count] : lost_) {
      lost.push_back(LostReports{now, reason, count});
    }
    lost_.clear();
  }
  if (lost.empty()) return;
  if (store_->AddLostReports(lost).ok()) return;
  // Not recorded: keep them for the next try.
  absl::MutexLock lock(&mu_);
  for (const LostReports& l : lost) lost_[l.reason] += l.count;
}

void GroupCommitter::Prune(absl::Time now) {
  int64_t deleted = 0;
  if (limits_.retain > absl::ZeroDuration()) {
    absl::StatusOr<int64_t> gone =
        store_->DeleteReportsBefore(now - limits_.retain);
    if (gone.ok()) deleted = *gone;
  }
  // Counted only when a limit needs it: a count walks the table.
  int64_t rows = -1;
  if (limits_.max_reports > 0) {
    absl::StatusOr<int64_t> counted = store_->CountReports();
    if (counted.ok()) rows = *counted;
  }
  absl::MutexLock lock(&mu_);
  pruned_ += deleted;
  rows_ = rows;
}

void GroupCommitter::WriterLoop() {
  std::vector<Pending*> batch;
  std::vector<IncomingReport> reports;
  const bool pruning = limits_.retain > absl::ZeroDuration() ||
                       limits_.max_reports > 0;
  absl::Time next_prune = absl::InfinitePast();
  // Lost reports are written at most once a second (each write is a
  // commit of its own), on real time: the receive clock may stand still.
  absl::Time next_flush = absl::Now();
  for (;;) {
    batch.clear();
    if (pruning && clock_() >= next_prune) {
      Prune(clock_());
      next_prune = clock_() + limits_.prune_every;
    }
    if (absl::Now() >= next_flush) {
      FlushLost(clock_());
      next_flush = absl::Now() + absl::Seconds(1);
    }
    bool full = false;
    {
      absl::MutexLock lock(&mu_);
      const auto ready = absl::Condition(
          +[](GroupCommitter* c) ABSL_EXCLUSIVE_LOCKS_REQUIRED(c->mu_) {
            return c->stopping_ || !c->queue_.empty();
          },
          this);
      // Wake for the next prune and flush even when no report comes.
      const absl::Duration wait =
          pruning ? std::min(limits_.prune_every, absl::Seconds(1))
                  : absl::Seconds(1);
      if (!mu_.AwaitWithTimeout(ready, wait)) continue;
      if (queue_.empty()) break;  // Stopping, nothing left.
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      // Full: refuse the batch (and, if the count is unknown, store it:
      // the limit is never a reason to lose reports to a failed count).
      full = limits_.max_reports > 0 && rows_ >= limits_.max_reports;
      if (full) {
        for (Pending* p : batch) {
          p->outcome = absl::ResourceExhaustedError(absl::StrCat(
              "the database holds ", rows_, " reports, the limit"));
          p->done = true;
        }
        refused_full_ += static_cast<int64_t>(batch.size());
        lost_[kLostStoreFull] += static_cast<int64_t>(batch.size());
      }
    }
    if (full) continue;
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
    if (!outcomes.ok()) {
      lost_[kLostStoreUnavailable] += static_cast<int64_t>(batch.size());
    }
    if (outcomes.ok()) {
      ++batches_;
      committed_ += static_cast<int64_t>(batch.size());
      if (rows_ >= 0) {
        for (const InsertOutcome& o : *outcomes) {
          if (!o.duplicate) ++rows_;
        }
      }
    }
  }
  FlushLost(clock_());
}

}  // namespace collector
}  // namespace pinbake
