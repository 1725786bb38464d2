#include "runtime/chain_checker.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {

const char* CheckOutcomeName(CheckOutcome outcome) {
  switch (outcome) {
    case CheckOutcome::kNotPinned:
      return "not-pinned";
    case CheckOutcome::kOk:
      return "ok";
    case CheckOutcome::kViolation:
      return "violation";
    case CheckOutcome::kBypassed:
      return "bypassed";
    case CheckOutcome::kStale:
      return "stale";
    case CheckOutcome::kInvalidHost:
      return "invalid-host";
  }
  return "unknown";
}

bool IsListStale(int64_t timestamp, uint32_t max_age_days, absl::Time now) {
  if (timestamp == 0) return true;
  return now > ListExpiry(timestamp, max_age_days);
}

ChainCheckResult CheckChain(const PinList& list, absl::string_view host,
                            absl::Span<const SpkiHash> chain,
                            bool is_issued_by_known_root, absl::Time now,
                            const CheckPolicy& policy) {
  ChainCheckResult result;
  result.chain = chain;
  result.lookup = list.Lookup(host);
  if (!result.lookup.valid()) {
    result.outcome = CheckOutcome::kInvalidHost;
    result.allowed = false;
    return result;
  }
  if (!result.lookup.pinned()) {
    result.outcome = CheckOutcome::kNotPinned;
    return result;
  }

  // Compare the chain with the pinset first, so that every outcome below can
  // say what would have failed. Bad pins win over good ones.
  const PinsetView pinset = *result.lookup.pinset;
  bool good_pin_found = false;
  for (const SpkiHash& hash : chain) {
    if (pinset.HasBad(hash)) result.bad_pin_found = true;
    if (pinset.HasGood(hash)) good_pin_found = true;
  }
  result.would_fail = result.bad_pin_found || !good_pin_found;

  // Chrome's order: a stale list is not enforced at all (unless the policy
  // keeps enforcing it); a chain that matches is ok whatever its root; only
  // a failing chain at a local root is bypassed; report-only never refuses.
  result.list_stale = IsListStale(list.table().timestamp(),
                                  list.table().max_age_days(), now);
  if (result.list_stale && !policy.fail_closed_when_stale) {
    result.outcome = CheckOutcome::kStale;
    return result;
  }
  if (!result.would_fail) {
    result.outcome = CheckOutcome::kOk;
    return result;
  }
  if (!is_issued_by_known_root && policy.allow_local_root_bypass) {
    result.outcome = CheckOutcome::kBypassed;
    return result;
  }
  if (result.lookup.pin_rule->pin_mode == PinMode::kReportOnly) {
    result.outcome = CheckOutcome::kOk;  // would_fail says what happened.
    return result;
  }
  result.outcome = CheckOutcome::kViolation;
  result.allowed = false;
  return result;
}

}  // namespace pinbake
