// The report collector's HTTP/1.1 server (cpp-httplib): accepts RFC 7469
// reports POSTed as application/json on any path but the dashboard's ("/"
// and "/metrics"), validates them (collector/report_parser.h) and stores
// them with group commit (collector/group_commit.h); a report is answered
// 201 (stored) or 200 (counted as a duplicate) only after its transaction
// committed. Every refusal is a 4xx with a one-line reason in the body and
// a counter (Refusal), shown on GET /metrics.
//
//   CollectorOptions options;
//   options.host = "127.0.0.1"; options.port = 0;  // Any free port.
//   absl::StatusOr<std::unique_ptr<CollectorServer>> server =
//       CollectorServer::Start(options, std::move(store));
//   (*server)->port();  (*server)->Wait();  // Until Stop().

#ifndef PINBAKE_COLLECTOR_COLLECTOR_SERVER_H_
#define PINBAKE_COLLECTOR_COLLECTOR_SERVER_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "collector/group_commit.h"
#include "collector/rate_limiter.h"
#include "collector/report_store.h"

namespace httplib {
class Server;
}

namespace pinbake {
namespace collector {

// Why a request was refused; each has a counter.
enum class Refusal {
  kBodyTooLarge,      // 413: over --max-body.
  kContentType,       // 415: not application/json.
  kMethod,            // 405: not POST, or POST to the dashboard.
  kNotFound,          // 404: GET of anything but the dashboard.
  kMalformedJson,     // 400: not JSON.
  kInvalidReport,     // 400: JSON, but a field is missing or wrong.
  kRateLimited,       // 429: too many requests from the address.
  kBadRequest,        // 400 and other 4xx from the HTTP layer (a broken
                      // request line or header; over HTTPS also a request
                      // cut short or too slow).
  kStoreUnavailable,  // 503: the database failed; nothing stored.
  kAmbiguousJson,     // 400: JSON that parsers may read differently (a
                      // repeated member name, a NUL in a string, nesting
                      // too deep; collector/report_parser.h).
  kRequestTimeout,    // 408 (plain HTTP): no complete request within the
                      // read timeout (nothing sent, or the request line,
                      // headers or body cut short or dripped;
                      // collector/timed_http_server.h).
  kStoreFull,         // 507: the database holds --max-reports rows.
  kCount,
};

// "body-too-large", "content-type", ... (the /metrics label).
const char* RefusalName(Refusal refusal);

struct CollectorOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (see CollectorServer::port()).
  // Both set: HTTPS with this PEM certificate chain and key.
  std::string tls_cert_path;
  std::string tls_key_path;
  size_t max_body = 64 * 1024;  // Bytes; larger bodies get 413.
  absl::Duration read_timeout = absl::Seconds(5);
  absl::Duration write_timeout = absl::Seconds(5);
  // Per client address; rate <= 0 turns the limit off.
  double rate_per_second = 100;
  double rate_burst = 200;
  int threads = 64;  // Connections served at once.
  // The HTML of GET / (the dashboard); null: a short placeholder page.
  std::function<std::string()> dashboard;
  // Receive-time clock (null: absl::Now).
  std::function<absl::Time()> clock;
  // How much the database keeps (--max-reports, --retain).
  StorageLimits limits;
};

class CollectorServer {
 public:
  // Binds options.host:options.port and starts serving on a thread. Errors:
  // the address cannot be bound, or the TLS files cannot be loaded.
  static absl::StatusOr<std::unique_ptr<CollectorServer>> Start(
      const CollectorOptions& options, std::unique_ptr<ReportStore> store);
  // Stops and waits.
  ~CollectorServer();

  int port() const { return port_; }
  // Stops accepting; Wait() then returns. Safe from any thread.
  void Stop();
  // Blocks until the server stopped.
  void Wait();

  // Requests refused for `refusal` so far.
  int64_t refused(Refusal refusal) const;
  // Reports stored and duplicates counted so far.
  int64_t stored() const { return stored_.load(); }
  int64_t duplicates() const { return duplicates_.load(); }
  // The /metrics text (Prometheus exposition format).
  std::string MetricsText() const;

 private:
  CollectorServer() = default;
  void Install();
  // The 408's reason: "no complete request within 5s (read timeout); ...".
  std::string TimeoutReason() const;

  CollectorOptions options_;
  std::unique_ptr<GroupCommitter> committer_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
  std::array<std::atomic<int64_t>, static_cast<size_t>(Refusal::kCount)>
      refused_{};
  std::atomic<int64_t> stored_{0};
  std::atomic<int64_t> duplicates_{0};
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_COLLECTOR_SERVER_H_
