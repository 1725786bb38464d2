// Chain checking the way Chrome checks static pins: given a host, the SPKI
// hashes of the chain the certificate verifier built (leaf to root), whether
// that chain ends at a publicly trusted root, and the current time, decide
// whether the connection may proceed.
//
// Order of decisions, as Chrome (docs/lookup.md, "Chain check", has the
// full table of outcomes):
//   invalid host                      -> kInvalidHost (refused)
//   host not pinned                   -> kNotPinned
//   list stale, fail-open (default)   -> kStale (allowed)
//   chain matches the pinset          -> kOk (also at a local root)
//   local root + bypass allowed       -> kBypassed (allowed)
//   report-only entry                 -> kOk with would_fail set
//   otherwise                         -> kViolation (refused)
// "Matches" means: no bad (blocked) pin in the chain and at least one good
// pin; a bad pin wins over any good pin. With fail_closed_when_stale a
// stale list is enforced exactly like a fresh one (list_stale is set).
// The pin comparison is computed whenever the host is pinned, so stale,
// bypassed and report-only results still say what would have failed.

#ifndef PINBAKE_RUNTIME_CHAIN_CHECKER_H_
#define PINBAKE_RUNTIME_CHAIN_CHECKER_H_

#include <optional>

#include "absl/time/time.h"
#include "absl/types/span.h"
#include "runtime/pin_list.h"
#include "format/spki_hash.h"

namespace pinbake {

enum class CheckOutcome {
  kNotPinned,
  kOk,
  kViolation,
  kBypassed,
  kStale,
  kInvalidHost,
};

// "not-pinned", "ok", "violation", "bypassed", "stale", "invalid-host".
const char* CheckOutcomeName(CheckOutcome outcome);

// What the application chose where Chrome's behaviour is a policy.
struct CheckPolicy {
  // Chains ending at a locally installed root (not publicly trusted) skip
  // pin enforcement, as in Chrome, so that enterprise proxies and debugging
  // tools work. false: such chains are checked like any other.
  bool allow_local_root_bypass = true;
  // A list older than its max_age_days is not enforced (Chrome's
  // behaviour: fail open, outcome kStale). true: a stale list keeps being
  // enforced as if fresh: it refuses only what the pins refuse, and
  // report-only entries and the local-root bypass work as usual.
  bool fail_closed_when_stale = false;
};

struct ChainCheckResult {
  CheckOutcome outcome = CheckOutcome::kNotPinned;
  // Whether the connection may proceed.
  bool allowed = true;
  // Whether the chain fails the pinset (a bad pin, or no good pin), whatever
  // the outcome. false when the host is not pinned.
  bool would_fail = false;
  // Whether a bad (blocked) pin was found in the chain.
  bool bad_pin_found = false;
  // Whether the list was stale at `now` (only computed for pinned hosts).
  // With fail_closed_when_stale the outcome is then decided as if fresh.
  bool list_stale = false;
  // The lookup that led here: canonical host, the deciding entries and,
  // when pinned, the pinset the chain was checked against
  // (lookup.pinset).
  LookupResult lookup;
  // The chain's hashes as given (not copied).
  absl::Span<const SpkiHash> chain;
};

// Checks `chain` for `host` against `list` at time `now` under `policy`.
// `is_issued_by_known_root` is whether the verified chain ends at a
// publicly trusted root (false for roots the user or application added).
// Never allocates or throws.
ChainCheckResult CheckChain(const PinList& list, absl::string_view host,
                            absl::Span<const SpkiHash> chain,
                            bool is_issued_by_known_root, absl::Time now,
                            const CheckPolicy& policy = CheckPolicy());

// Whether a list made at `timestamp` (unix seconds) with `max_age_days` is
// stale at `now`: now > timestamp + max_age_days days. A timestamp of 0
// means the list did not say when it was made; such a list is always stale,
// so that a list cannot be enforced forever by omission.
bool IsListStale(int64_t timestamp, uint32_t max_age_days, absl::Time now);

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_CHAIN_CHECKER_H_
