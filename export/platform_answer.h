// PlatformAnswer: what one pinning implementation decides for one host
// name, in a form that pinbake's own answer (the runtime's PinList lookup)
// and each platform model of export/ (okhttp.h, nsc.h, trustkit.h,
// chromium.h) can both produce, so that export/export_proof.h can compare
// them name by name.
//
//   PlatformAnswer ours = PinbakeAnswer(list, "www.example.com");
//   PlatformAnswer theirs = OkHttpAnswer(config, "www.example.com");
//   if (!SameAnswer(ours, theirs, kOkHttpAspects)) ...

#ifndef PINBAKE_EXPORT_PLATFORM_ANSWER_H_
#define PINBAKE_EXPORT_PLATFORM_ANSWER_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "format/spki_hash.h"
#include "runtime/pin_list.h"

namespace pinbake {

// One host's answer. Empty good/bad when not pinned.
struct PlatformAnswer {
  // The platform's answer depends on something outside the configuration
  // (TrustKit: the iteration order of a dictionary). Never equal to any
  // answer: such a host is a difference.
  bool ambiguous = false;
  bool pinned = false;
  std::vector<SpkiHash> good;  // Sorted, unique: a chain needs one of them.
  std::vector<SpkiHash> bad;   // Sorted, unique: a chain must have none.
  bool report_only = false;    // Failures are reported, not enforced.
  std::string report_uri;      // Where failures are reported ("" none).
  bool force_https = false;    // Plain HTTP is refused for the host.
  // The configuration rule (entry name / pattern / domain) that decided
  // the pins; "" if none. For messages only, never compared.
  std::string decided_by;
};

// Which parts of an answer a platform expresses, hence which are
// compared. `pinned`, `good` and `ambiguous` are always compared.
struct AnswerAspects {
  bool bad = true;
  bool report_only = true;
  bool report_uri = false;
  bool force_https = false;
};

// pinbake's answer for `host` by the runtime's lookup (docs/lookup.md),
// decided_by set to the name of the entry that decided pins (also one
// without pins, such as an exclusion). An invalid host: not
// pinned.
PlatformAnswer PinbakeAnswer(const PinList& list, absl::string_view host);

// Whether `a` and `b` agree on every aspect in `aspects` (an ambiguous
// answer never agrees).
bool SameAnswer(const PlatformAnswer& a, const PlatformAnswer& b,
                const AnswerAspects& aspects);

// A short text of the aspects of `answer` in `aspects`, e.g. "enforces
// 2 pin(s) (sha256/AQEBAQEBAQEB..., sha256/AgICAgICAgIC...) by example.com,
// blocks 1 key(s) (sha256/...)" or "not pinned (by x.com)"; hashes
// abbreviated to 12 base64 characters.
std::string DescribeAnswer(const PlatformAnswer& answer,
                           const AnswerAspects& aspects);

// What `platform` would do differently from pinbake, as clauses after
// "PLATFORM would ...": "not pin it (decided by x.com)", "pin it to 2
// key(s) (...) by x.com", "accept other keys (...)", "not block
// sha256/...", "enforce pins pinbake only reports", "only report
// failures", "report to URI", "send no reports", "refuse plain HTTP",
// "allow plain HTTP", or the ambiguity. "" if the answers agree on
// `aspects`.
std::string DescribeDifference(const PlatformAnswer& pinbake,
                               const PlatformAnswer& platform,
                               const AnswerAspects& aspects);

// Sorts and deduplicates `hashes`.
void SortUnique(std::vector<SpkiHash>* hashes);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_PLATFORM_ANSWER_H_
