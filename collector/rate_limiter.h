// Per-address rate limit for the collector: a token bucket per client
// address (rate per second, burst), in bounded memory.
//
//   RateLimiter limiter(/*per_second=*/50, /*burst=*/100);
//   if (!limiter.Allow(request.remote_addr, absl::Now())) Refuse(429);

#ifndef PINBAKE_COLLECTOR_RATE_LIMITER_H_
#define PINBAKE_COLLECTOR_RATE_LIMITER_H_

#include <cstddef>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace pinbake {
namespace collector {

class RateLimiter {
 public:
  // Most addresses remembered; beyond, idle (refilled) buckets are dropped,
  // and if none is idle, all are (a flood of addresses resets the limit
  // rather than exhausting memory).
  static constexpr size_t kMaxAddresses = 65536;

  // `per_second` <= 0 turns the limit off (Allow is always true).
  RateLimiter(double per_second, double burst);

  // Whether a request from `address` at `now` is within the limit (then
  // it takes one token). Thread-safe.
  bool Allow(absl::string_view address, absl::Time now);

 private:
  struct Bucket {
    double tokens;
    absl::Time updated;
  };
  const double per_second_;
  const double burst_;
  // std::mutex, not absl::Mutex: ThreadSanitizer sees it (tools/test.sh).
  std::mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_RATE_LIMITER_H_
