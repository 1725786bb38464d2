#include "runtime/list_time_bounds.h"

#include "absl/strings/str_cat.h"

namespace pinbake {

bool IsTimestampTooFarAhead(int64_t timestamp, absl::Time now) {
  if (timestamp == 0) return false;
  return absl::FromUnixSeconds(timestamp) > now + kMaxListTimestampSkew;
}

bool IsMaxAgeTooLong(uint64_t max_age_days) {
  return max_age_days > kMaxListMaxAgeDays;
}

std::string ListTimeText(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
}

std::string TooFarAheadMessage(int64_t timestamp, absl::Time now) {
  return absl::StrCat(
      "the list timestamp ", timestamp, " (", ListTimeText(timestamp),
      ") is more than ", absl::FormatDuration(kMaxListTimestampSkew),
      " after now (",
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", now, absl::UTCTimeZone()),
      "); a timestamp must be the time the list was made, in unix seconds "
      "(not milliseconds)");
}

std::string MaxAgeTooLongMessage(uint64_t max_age_days) {
  return absl::StrCat("max_age_days ", max_age_days, " is over the limit of ",
                      kMaxListMaxAgeDays,
                      " days; a list must be refreshed at least once a year");
}

}  // namespace pinbake
