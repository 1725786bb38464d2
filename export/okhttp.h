// OkHttp's CertificatePinner: its matching rules as a model, the
// configuration exported from a pin list, and the Java / Kotlin writers.
//
// OkHttp's rules (https://square.github.io/okhttp/3.x/okhttp/okhttp3/CertificatePinner.html,
// https://square.github.io/okhttp/5.x/okhttp/okhttp3/-certificate-pinner/index.html):
//   - CertificatePinner.Builder.add(pattern, pins...): a pattern is a host
//     name ("example.com": that host only), "*.example.com" (exactly one
//     more label: www.example.com, not example.com, not a.b.example.com)
//     or, from OkHttp 4, "**.example.com" (example.com and any number of
//     labels below it).
//   - Every pattern that matches the host contributes its pins: the host
//     is pinned to the union (no most-specific-wins, so no exclusions).
//   - A connection is accepted when any certificate of the verified chain
//     has a pinned SPKI hash ("sha256/<base64>"); otherwise it fails with
//     SSLPeerUnverifiedException "Certificate pinning failure!".
//   - No report-only mode, no blocked (bad) keys, no expiry, no report URI.
//
// Mapping: an entry with pins and subdomain coverage for pins becomes
// "**.NAME" (OkHttp 4) or "NAME" + "*.NAME" (OkHttp 3: deeper names are
// lost and the proof says so); a "*.P" wildcard stays "*.P"; other pinned
// entries are "NAME". Blocked keys, report-only entries (left out) and
// exclusions cannot be expressed. The list's expiry (timestamp +
// max_age_days) is written into the generated code: after it,
// certificatePinner() returns CertificatePinner.DEFAULT (no pins), as
// pinbake stops enforcing a stale list.

#ifndef PINBAKE_EXPORT_OKHTTP_H_
#define PINBAKE_EXPORT_OKHTTP_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "export/platform_answer.h"
#include "format/spki_hash.h"

namespace pinbake {

// What OkHttp expresses: pins only (no bad keys, no report-only).
inline constexpr AnswerAspects kOkHttpAspects = {true, true, false, false};

// One CertificatePinner.Builder.add call.
struct OkHttpPattern {
  std::string pattern;           // "example.com", "*.x.com", "**.x.com".
  std::vector<SpkiHash> pins;    // Sorted.
  std::string entry;             // The list entry it came from.
};

struct OkHttpConfig {
  int okhttp_version = 4;  // 3 or 4.
  std::vector<OkHttpPattern> patterns;  // Sorted by pattern.
  int64_t expires_at = 0;  // ListExpiresAt of the list.
  // Pattern -> indexes into `patterns`, for OkHttpAnswer. Rebuild with
  // Index() after changing `patterns` (OkHttpConfigFromModel does).
  absl::flat_hash_map<std::string, std::vector<size_t>> by_pattern;
  void Index();
};

// The configuration of `model` for OkHttp `okhttp_version` (3 or 4).
OkHttpConfig OkHttpConfigFromModel(const PinListModel& model,
                                   int okhttp_version);

// Whether OkHttp's `pattern` matches the canonical `host` (rules above).
bool OkHttpPatternMatches(absl::string_view pattern, absl::string_view host);

// OkHttp's answer for the canonical `host`: the union of the pins of every
// matching pattern, enforced; decided_by the first matching pattern's
// entry. Looks up only the patterns that can match (the host, "*." + its
// parent, "**." + it and each ancestor): time linear in the host's labels.
PlatformAnswer OkHttpAnswer(const OkHttpConfig& config, absl::string_view host);

// Names of the generated source.
struct OkHttpSourceOptions {
  std::string package_name = "pinbake.generated";  // IsPackageName.
  std::string class_name = "PinbakePins";           // IsSourceIdentifier.
};

// The Java source of a final class with `EXPIRES_AT_UNIX_SECONDS` and
// `certificatePinner()` / `certificatePinner(long nowUnixSeconds)`; each
// line of `comments` becomes a "// " comment in the header. Deterministic.
std::string WriteOkHttpJava(const OkHttpConfig& config,
                            const OkHttpSourceOptions& options,
                            const std::vector<std::string>& comments);

// The same as a Kotlin `object`.
std::string WriteOkHttpKotlin(const OkHttpConfig& config,
                              const OkHttpSourceOptions& options,
                              const std::vector<std::string>& comments);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_OKHTTP_H_
