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
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  work_.notify_one();
  writer_.join();
}

absl::StatusOr<InsertOutcome> GroupCommitter::Submit(IncomingReport report) {
  Pending pending;
  pending.report = std::move(report);
  std::unique_lock<std::mutex> lock(mu_);
  if (stopping_) return absl::UnavailableError("collector is stopping");
  queue_.push_back(&pending);
  work_.notify_one();
  done_.wait(lock, [&pending] { return pending.done; });
  return std::move(pending.outcome);
}

int64_t GroupCommitter::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

int64_t GroupCommitter::committed() const {
  std::lock_guard<std::mutex> lock(mu_);
  return committed_;
}

int64_t GroupCommitter::refused_full() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refused_full_;
}

int64_t GroupCommitter::pruned() const {
  std::lock_guard<std::mutex> lock(mu_);
  return pruned_;
}

int64_t GroupCommitter::rows() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rows_;
}

void GroupCommitter::NoteLost(absl::string_view reason, int64_t count) {
  if (count <= 0) return;
  std::lock_guard<std::mutex> lock(mu_);
  lost_[std::string(reason)] += count;
}

void GroupCommitter::FlushLost(absl::Time now) {
  std::vector<LostReports> lost;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [reason, count] : lost_) {
      lost.push_back(LostReports{now, reason, count});
    }
    lost_.clear();
  }
  if (lost.empty()) return;
  if (store_->AddLostReports(lost).ok()) return;
  // Not recorded: keep them for the next try.
  std::lock_guard<std::mutex> lock(mu_);
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
  std::lock_guard<std::mutex> lock(mu_);
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
      std::unique_lock<std::mutex> lock(mu_);
      // Wake for the next prune and flush even when no report comes.
      const absl::Duration wait =
          pruning ? std::min(limits_.prune_every, absl::Seconds(1))
                  : absl::Seconds(1);
      if (!work_.wait_for(lock, absl::ToChronoMicroseconds(wait), [this] {
            return stopping_ || !queue_.empty();
          })) {
        continue;
      }
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
    if (full) {
      done_.notify_all();
      continue;
    }
    // The reports are moved out so the store sees one span; the requests
    // are blocked meanwhile and do not touch them.
    reports.clear();
    for (Pending* p : batch) reports.push_back(std::move(p->report));
    absl::StatusOr<std::vector<InsertOutcome>> outcomes =
        store_->InsertBatch(reports, clock_());
    std::unique_lock<std::mutex> lock(mu_);
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
    } else {
      ++batches_;
      committed_ += static_cast<int64_t>(batch.size());
      if (rows_ >= 0) {
        for (const InsertOutcome& o : *outcomes) {
          if (!o.duplicate) ++rows_;
        }
      }
    }
    lock.unlock();
    done_.notify_all();
  }
  FlushLost(clock_());
}

}  // namespace collector
}  // namespace pinbake
