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

absl::Time ListExpiry(int64_t timestamp, uint32_t max_age_days) {
  return absl::FromUnixSeconds(timestamp) + absl::Hours(24) * max_age_days;
}

std::string UtcTimeText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

std::string ListTimeText(int64_t unix_seconds) {
  return UtcTimeText(absl::FromUnixSeconds(unix_seconds));
}

std::string TooFarAheadMessage(int64_t timestamp, absl::Time now) {
  return absl::StrCat(
      "the list timestamp ", timestamp, " (", ListTimeText(timestamp),
      ") is more than ", absl::FormatDuration(kMaxListTimestampSkew),
      " after now (",
      UtcTimeText(now),
      "); a timestamp must be the time the list was made, in unix seconds "
      "(not milliseconds)");
}

std::string MaxAgeTooLongMessage(uint64_t max_age_days) {
  return absl::StrCat("max_age_days ", max_age_days, " is over the limit of ",
                      kMaxListMaxAgeDays,
                      " days; a list must be refreshed at least once a year");
}

}  // namespace pinbake
