// Release lint: checks that a compiled pin list is safe to ship, beyond the
// compiler's own checks (`pinbake lint`, docs/release.md). It works on the
// table, through the runtime's own lookup (PinList), so that a host is
// judged by exactly the entry a client would use.
//
// Checks (each finding names one of these ids):
//   single-pin          error: an enforced entry uses a pinset with fewer
//                       than two good pins (RFC 7469 section 4.3 backup
//                       pin; TrustKit refuses such configurations).
//                       Warning when only report-only entries use it.
// With live chains (the chain a host serves, leaf to root):
//   invalid-host        error: the chain's host is not a valid host name.
//   not-pinned          warning: the list does not pin the chain's host.
//   chain-mismatch      error "would brick HOST": the chain contains no good
//                       pin of the host's pinset (warning if report-only).
//   blocked-pin         error "would brick HOST": the chain contains a bad
//                       (blocked) pin of the pinset (warning if report-only).
//   no-backup           error: every good pin of the pinset is in the chain,
//                       so losing that chain's keys leaves nothing to
//                       switch to (warning if report-only).
// Without a live chain (LintOptions::warn_without_live_chain, as
// `pinbake lint` sets it):
//   no-live-chain       warning: an enforced pinned entry for which no live
//                       chain was given (no --chain / --connect host that the
//                       entry decides), so "would brick" was not checked for
//                       it; one finding per entry.
// With a previous list:
//   would-brick         error "would brick HOST": the previous list
//                       accepted the live chain, but this change removes
//                       every pin the chain matched (replaces
//                       chain-mismatch for that host).
//   no-pin-overlap      warning: an entry pinned (enforced) in both lists
//                       shares no good pin with its previous pinset, so no
//                       chain satisfies both while clients update.
// Always:
//   max-age-too-long    error: max_age_days is over 365.
//   future-timestamp    error: the timestamp is more than 1 day after now
//                       (runtime/list_time_bounds.h).
//   no-timestamp        error: the list has no timestamp (never enforced).
//   expired             error: timestamp + max_age_days is before now.
//   expires-soon        warning: it is within `expiry_warning_days` of now.

#ifndef PINBAKE_RELEASE_LINT_H_
#define PINBAKE_RELEASE_LINT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "compiler/diagnostics.h"
#include "runtime/pin_list.h"
#include "format/spki_hash.h"
#include "release/key_names.h"

namespace pinbake {

// A chain a host serves today, as SPKI hashes (leaf to root; include the
// root when pins may be on it).
struct LiveChain {
  std::string host;
  std::vector<SpkiHash> chain;
  std::string source;  // Where it came from (a file name), for messages.
  // The certificates' subjects ("CN=..."), parallel to `chain`, or empty.
  std::vector<std::string> subjects;
};

struct LintOptions {
  std::vector<LiveChain> live_chains;
  // The list in use before this change; null for none.
  const PinList* previous = nullptr;
  absl::Time now = absl::UnixEpoch();
  int expiry_warning_days = 30;
  // Warn (no-live-chain) for every enforced pinned entry that no live
  // chain covers.
  bool warn_without_live_chain = false;
  // Names printed after the hashes in messages ("sha256/... (KeyName)");
  // null for none.
  const KeyNames* key_names = nullptr;
};

struct LintFinding {
  Severity severity = Severity::kError;
  std::string check;    // One of the ids above.
  std::string subject;  // Host, pinset or "list".
  std::string message;  // Complete sentence naming the subject.
};

// Runs every check over `list` and returns the findings: list-wide ones
// first (timestamp), then pinsets in name order, then live chains in the
// order given, then entries without a live chain in name order, then
// previous-list overlap by entry name. Deterministic.
// An error status only if a table does not carry its entry names
// (TableReader::Entries, through ModelFromTable); findings are never
// errors of the call. Pinsets and entries are read as the compiler's model
// (compiler/model_from_table.h); live chains are checked by lookup.
absl::StatusOr<std::vector<LintFinding>> LintPinList(
    const PinList& list, const LintOptions& options);

// Counts of `findings` by severity.
size_t CountLintErrors(const std::vector<LintFinding>& findings);
size_t CountLintWarnings(const std::vector<LintFinding>& findings);

}  // namespace pinbake

#endif  // PINBAKE_RELEASE_LINT_H_
