// RFC 7469 (HTTP Public Key Pinning) violation reports, section 3: the JSON
// report a client sends to a pinset's report_uri when a chain fails its
// pins, and the de-duplication Chrome applies before sending.
//
// pinbake never opens connections: reports go to an application-provided
// PkpReportSink, which decides how (and whether) to POST them.
//
//   PkpReporter reporter(&my_sink);
//   std::optional<PkpReport> report = MakePkpReport(result, list, 443, now,
//                                                  served_der, validated_der);
//   if (report && result.would_fail) reporter.Report(uri, *report);
//
// The adapter in runtime/openssl/pin_verifier.h does this itself.

#ifndef PINBAKE_RUNTIME_PKP_REPORT_H_
#define PINBAKE_RUNTIME_PKP_REPORT_H_

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "runtime/chain_checker.h"
#include "runtime/pin_list.h"
#include "format/spki_hash.h"

namespace pinbake {

// The content of one report (RFC 7469 section 3.1).
struct PkpReport {
  // "date-time": when the failure happened.
  absl::Time date_time;
  // "hostname" and "port": the host the client connected to.
  std::string hostname;
  int port = 443;
  // "effective-expiration-date": when the pins stop being enforced. For a
  // static list this is the list's timestamp + max_age_days.
  absl::Time effective_expiration_date;
  // "include-subdomains" and "noted-hostname": of the entry that pinned
  // the host (for a wildcard entry, its name with the "*.").
  bool include_subdomains = false;
  std::string noted_hostname;
  // "served-certificate-chain" and "validated-certificate-chain": DER
  // certificates, leaf first; written as PEM.
  std::vector<std::string> served_chain_der;
  std::vector<std::string> validated_chain_der;
  // "known-pins": the pinset's good pins, written as pin-sha256="<base64>".
  std::vector<SpkiHash> known_pins;
};

// Builds the report for a check of a pinned host: hostname is the canonical
// host, noted-hostname and include-subdomains come from the deciding entry,
// known-pins are the pinset's good pins, the expiration is the list's
// timestamp + max_age_days. std::nullopt if `result` is not for a pinned
// host (no pinset). `list` must be the list `result` came from.
std::optional<PkpReport> MakePkpReport(
    const ChainCheckResult& result, const PinList& list, int port,
    absl::Time now, std::vector<std::string> served_chain_der,
    std::vector<std::string> validated_chain_der);

// The canonical host name of an "https://" report URI (scheme
// case-insensitive; userinfo and port removed; canonicalised as in
// format/host_name.h), or "" when the URI is not https or its host is not
// a valid host name (an IP literal, say). Percent-encoded hosts are
// returned as "%" (never a valid host), so that callers can refuse them.
std::string HttpsReportUriHost(absl::string_view report_uri);

// Whether a report about `result` (a check of a pinned host) must not be
// sent to `report_uri`, to avoid a loop, as in Chrome: the URI is https and
// its host is the host being reported, or a host the list pins to the same
// pinset (the report would be sent over a connection that fails the same
// pins), or a percent-encoded host that cannot be compared.
bool ShouldSuppressPkpReport(const PinList& list,
                             const ChainCheckResult& result,
                             absl::string_view report_uri);

// Serialises `report` as the RFC 7469 JSON object. Times are RFC 3339 UTC
// with milliseconds ("2026-01-02T03:04:05.000Z"), as Chrome writes them.
std::string PkpReportToJson(const PkpReport& report);

// The de-duplication key of `report` for `report_uri`, as in Chrome: a
// SHA-256 (hex) over the report's JSON without date-time and
// effective-expiration-date, and the report URI. Two failures
// with the same host, port, chains and pins to the same URI share a key.
std::string PkpReportCacheKey(const PkpReport& report,
                              absl::string_view report_uri);

// Returns `der` as a PEM "CERTIFICATE" block (64-column base64, trailing
// newline). No parsing is done.
std::string DerToPemCertificate(absl::string_view der);

// Remembers recently sent reports, like Chrome's cache: at most kMaxEntries
// keys, each for kTimeToRemember. Thread-safe.
class PkpReportCache {
 public:
  static constexpr size_t kMaxEntries = 50;
  static constexpr absl::Duration kTimeToRemember = absl::Minutes(60);

  // `clock` gives the current time; null means absl::Now.
  explicit PkpReportCache(std::function<absl::Time()> clock = nullptr);

  // Returns true, and remembers `key` from now on, if `key` was not sent in
  // the last kTimeToRemember; false otherwise (then the entry's time is
  // left alone, so a report is sent again an hour after the first). When
  // full, expired entries are dropped first, then the oldest.
  bool ShouldSend(absl::string_view key);

  // Number of remembered keys, expired or not.
  size_t size() const;

 private:
  std::function<absl::Time()> clock_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, absl::Time> sent_ ABSL_GUARDED_BY(mu_);
};

// Where reports go. Implemented by the application (e.g. an HTTP POST with
// Content-Type application/json, off the handshake thread). May be called
// concurrently from several threads.
class PkpReportSink {
 public:
  virtual ~PkpReportSink() = default;
  // Delivers one report. `report_json` is the complete JSON body.
  virtual void Send(absl::string_view report_uri,
                    absl::string_view report_json) = 0;
};

// Serialises reports, drops repeats (PkpReportCache) and hands the rest to
// a sink. Thread-safe; the sink is called without any lock held.
class PkpReporter {
 public:
  // `sink` is not owned and must outlive the reporter. `clock` is for the
  // de-duplication cache (null: absl::Now).
  explicit PkpReporter(PkpReportSink* sink,
                       std::function<absl::Time()> clock = nullptr);

  // Sends `report` to `report_uri` through the sink unless an identical
  // report (PkpReportCacheKey) was sent in the last hour, the URI is empty,
  // or the URI is https on the reported host itself (HttpsReportUriHost
  // equals report.hostname, or is "%"). Returns whether it was sent.
  bool Report(absl::string_view report_uri, const PkpReport& report);

 private:
  PkpReportSink* sink_;
  PkpReportCache cache_;
};

}  // namespace pinbake

#endif  // PINBAKE_RUNTIME_PKP_REPORT_H_
