// Bounds on a pin list's own times, shared by every tool that makes, signs,
// checks or installs a list (pinbake compile, lint, sign, verify and the
// updater; docs/release.md, "Time bounds"):
//
//   - the timestamp may be at most kMaxListTimestampSkew after `now`: a
//     later one is a mistake (e.g. milliseconds written as seconds, year
//     59009) that would keep the list fresh forever and make every correct
//     later release fail the updater's older-timestamp rule;
//   - max_age_days may be at most kMaxListMaxAgeDays, so that no list is
//     enforced for longer than a year after it was made.
//
// A list expires at ListExpiry (timestamp + max_age_days days); whether it
// is stale at a time is IsListStale (runtime/chain_checker.h), built on it.

#ifndef PINBAKE_RUNTIME_LIST_TIME_BOUNDS_H_
#define PINBAKE_RUNTIME_LIST_TIME_BOUNDS_H_

#include <cstdint>
#include <string>

#include "absl/time/time.h"

namespace pinbake {

// How far a list timestamp may be ahead of the clock that checks it (clock
// skew between the build machine and the checker): one day.
inline constexpr absl::Duration kMaxListTimestampSkew = absl::Hours(24);

// The largest max_age_days a list may have: 365.
inline constexpr uint32_t kMaxListMaxAgeDays = 365;

// Whether `timestamp` (unix seconds) is later than now + kMaxListTimestampSkew.
// 0 (no timestamp) is never too far ahead.
bool IsTimestampTooFarAhead(int64_t timestamp, absl::Time now);

// Whether `max_age_days` exceeds kMaxListMaxAgeDays.
bool IsMaxAgeTooLong(uint64_t max_age_days);

// When a list made at `timestamp` (unix seconds) with `max_age_days`
// stops being enforced: timestamp + max_age_days * 24 h. Used by the
// staleness check, lint's expiry and the RFC 7469 report's expiration.
absl::Time ListExpiry(int64_t timestamp, uint32_t max_age_days);

// RFC 3339 in UTC to the second, "2026-12-01T00:00:00Z": the one time text
// of pinbake's messages and dumps (the RFC 7469 report's milliseconds form
// is pkp_report's own).
std::string UtcTimeText(absl::Time time);

// UtcTimeText of a unix-seconds timestamp (any int64, including far-future
// years).
std::string ListTimeText(int64_t unix_seconds);

// The message for a timestamp refused by IsTimestampTooFarAhead, naming
// both times, the allowed skew and the likely cause.
std::string TooFarAheadMessage(int64_t timestamp, absl::Time now);

// The message for a max_age_days refused by IsMaxAgeTooLong.
std::string MaxAgeTooLongMessage(uint64_t max_age_days);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_LIST_TIME_BOUNDS_H_
