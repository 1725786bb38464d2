#include "collector/rate_limiter.h"

#include <algorithm>

namespace pinbake {
namespace collector {

RateLimiter::RateLimiter(double per_second, double burst)
    : per_second_(per_second), burst_(std::max(1.0, burst)) {}

bool RateLimiter::Allow(absl::string_view address, absl::Time now) {
  if (per_second_ <= 0) return true;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = buckets_.find(address);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxAddresses) {
      absl::erase_if(buckets_, [&](const auto& entry) {
        const Bucket& b = entry.second;
        return b.tokens + absl::ToDoubleSeconds(now - b.updated) *
                              per_second_ >= burst_;
      });
      if (buckets_.size() >= kMaxAddresses) buckets_.clear();
    }
    it = buckets_.emplace(std::string(address), Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  const double elapsed = std::max(0.0, absl::ToDoubleSeconds(now - b.updated));
  b.tokens = std::min(burst_, b.tokens + elapsed * per_second_);
  b.updated = std::max(b.updated, now);
  if (b.tokens < 1.0) return false;
  b.tokens -= 1.0;
  return true;
}

}  // namespace collector
}  // namespace pinbake
