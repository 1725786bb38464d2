#include "collector/collector_server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "collector/report_parser.h"
#include "collector/timed_http_server.h"

namespace pinbake {
namespace collector {
namespace {

// Set on responses the handlers refused themselves (already counted), so
// the error handler leaves them alone.
constexpr char kRefusalHeader[] = "X-Pinbake-Refusal";

constexpr const char* kRefusalNames[] = {
    "body-too-large", "content-type", "method",        "not-found",
    "malformed-json", "invalid-report", "rate-limited", "bad-request",
    kLostStoreUnavailable, "ambiguous-json", "request-timeout",
    kLostStoreFull,
};
static_assert(sizeof(kRefusalNames) / sizeof(kRefusalNames[0]) ==
              static_cast<size_t>(Refusal::kCount));

// cpp-httplib 0.11 listens with a backlog of 5: a burst of connections
// (16 clients starting at once) overflows it, and each dropped SYN costs
// the client a 1 s retransmit. listen(2) again on the bound socket raises
// the backlog (Linux updates it in place). (Plain HTTP: TimedHttpServer.)
class WideBacklogHttps : public httplib::SSLServer {
 public:
  using httplib::SSLServer::SSLServer;
  void RaiseBacklog() { ::listen(this->svr_sock_, SOMAXCONN); }
};

bool IsDashboardPath(absl::string_view path) {
  return path == "/" || path == "/metrics";
}

// Whether `req` may have carried a report (a POST to a report path): if it
// is refused before its report is stored, the rollout gate must know it
// never saw it (GroupCommitter::NoteLost).
bool MayCarryReport(const httplib::Request& req) {
  return req.method == "POST" && !IsDashboardPath(req.path);
}

// Whether every byte of a (percent-decoded) report path is printable ASCII
// or space, so that either store keeps it as text: PostgreSQL's text holds
// neither a NUL nor invalid UTF-8, and such a report would fail the whole
// batch, other clients' reports with it.
bool IsStorableReportPath(absl::string_view path) {
  return std::all_of(path.begin(), path.end(),
                     [](char c) { return c >= 0x20 && c <= 0x7e; });
}

// Whether `value` is application/json, with optional parameters
// ("; charset=utf-8"), case-insensitively.
bool IsJsonContentType(absl::string_view value) {
  absl::string_view type = value.substr(0, value.find(';'));
  type = absl::StripAsciiWhitespace(type);
  return absl::EqualsIgnoreCase(type, "application/json");
}

}  // namespace

const char* RefusalName(Refusal refusal) {
  const size_t i = static_cast<size_t>(refusal);
  return i < static_cast<size_t>(Refusal::kCount) ? kRefusalNames[i]
                                                   : "unknown";
}

absl::StatusOr<std::unique_ptr<CollectorServer>> CollectorServer::Start(
    const CollectorOptions& options, std::unique_ptr<ReportStore> store) {
  std::unique_ptr<CollectorServer> server(new CollectorServer());
  server->options_ = options;
  if (!server->options_.clock) {
    server->options_.clock = [] { return absl::Now(); };
  }
  const bool tls =
      !options.tls_cert_path.empty() || !options.tls_key_path.empty();
  std::function<void()> raise_backlog;
  if (tls) {
    if (options.tls_cert_path.empty() || options.tls_key_path.empty()) {
      return absl::InvalidArgumentError(
          "--tls-cert and --tls-key must be given together");
    }
    auto https = std::make_unique<WideBacklogHttps>(
        options.tls_cert_path.c_str(), options.tls_key_path.c_str());
    if (!https->is_valid()) {
      return absl::InvalidArgumentError(absl::StrCat(
          options.tls_cert_path, ", ", options.tls_key_path,
          ": cannot load the TLS certificate chain and key (PEM)"));
    }
    auto* raw = https.get();
    raise_backlog = [raw] { raw->RaiseBacklog(); };
    server->http_ = std::move(https);
  } else {
    auto http = std::make_unique<TimedHttpServer>();
    auto* raw = http.get();
    raise_backlog = [raw] { raw->RaiseBacklog(); };
    CollectorServer* self = server.get();
    http->set_timeout_handler([self] {
      self->refused_[static_cast<size_t>(Refusal::kRequestTimeout)]
          .fetch_add(1);
      return self->TimeoutReason();
    });
    server->http_ = std::move(http);
  }
  server->committer_ = std::make_unique<GroupCommitter>(
      std::move(store), server->options_.clock, server->options_.limits);
  server->limiter_ = std::make_unique<RateLimiter>(options.rate_per_second,
                                                   options.rate_burst);
  server->Install();
  int port = options.port;
  if (port == 0) {
    port = server->http_->bind_to_any_port(options.host);
  } else if (!server->http_->bind_to_port(options.host, port)) {
    port = -1;
  }
  if (port <= 0) {
    return absl::UnavailableError(absl::StrCat(
        "cannot listen on ", options.host, ":", options.port,
        " (address in use, or not an address of this machine)"));
  }
  server->port_ = port;
  raise_backlog();
  httplib::Server* http = server->http_.get();
  server->thread_ = std::thread([http] { http->listen_after_bind(); });
  return server;
}

CollectorServer::~CollectorServer() {
  Stop();
  Wait();
}

void CollectorServer::Stop() {
  if (http_) http_->stop();
}

void CollectorServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

int64_t CollectorServer::refused(Refusal refusal) const {
  return refused_[static_cast<size_t>(refusal)].load();
}

std::string CollectorServer::MetricsText() const {
  std::string out =
      "# HELP pinbake_collector_refused_total Requests refused, by reason.\n"
      "# TYPE pinbake_collector_refused_total counter\n";
  for (size_t i = 0; i < static_cast<size_t>(Refusal::kCount); ++i) {
    absl::StrAppend(&out, "pinbake_collector_refused_total{reason=\"",
                    kRefusalNames[i], "\"} ", refused_[i].load(), "\n");
  }
  absl::StrAppend(
      &out,
      "# TYPE pinbake_collector_reports_stored_total counter\n"
      "pinbake_collector_reports_stored_total ",
      stored_.load(),
      "\n# TYPE pinbake_collector_reports_duplicate_total counter\n"
      "pinbake_collector_reports_duplicate_total ",
      duplicates_.load(),
      "\n# TYPE pinbake_collector_commit_batches_total counter\n"
      "pinbake_collector_commit_batches_total ",
      committer_->batches(),
      "\n# TYPE pinbake_collector_reports_pruned_total counter\n"
      "pinbake_collector_reports_pruned_total ",
      committer_->pruned(),
      "\n# TYPE pinbake_collector_database_rows gauge\n"
      "pinbake_collector_database_rows ",
      committer_->rows(), "\n");
  return out;
}

std::string CollectorServer::TimeoutReason() const {
  return absl::StrCat("no complete request within ",
                      absl::FormatDuration(options_.read_timeout),
                      " (read timeout); connection closed");
}

void CollectorServer::Install() {
  httplib::Server& http = *http_;
  const int threads = options_.threads > 0 ? options_.threads : 8;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(options_.max_body);
  const int64_t read_us = absl::ToInt64Microseconds(options_.read_timeout);
  const int64_t write_us = absl::ToInt64Microseconds(options_.write_timeout);
  http.set_read_timeout(read_us / 1000000, read_us % 1000000);
  http.set_write_timeout(write_us / 1000000, write_us % 1000000);
  http.set_keep_alive_max_count(10000);
  // Headers and body are separate writes: without this, Nagle and delayed
  // ACKs add ~40 ms to every keep-alive exchange.
  http.set_tcp_nodelay(true);
  http.set_keep_alive_timeout(5);

  auto refuse = [this](httplib::Response& res, Refusal refusal, int status,
                       absl::string_view reason) {
    refused_[static_cast<size_t>(refusal)].fetch_add(1);
    res.status = status;
    res.set_header(kRefusalHeader, RefusalName(refusal));
    res.set_content(absl::StrCat(reason, "\n"), "text/plain; charset=utf-8");
  };

  http.set_pre_routing_handler(
      [this, refuse](const httplib::Request& req, httplib::Response& res) {
        if (!limiter_->Allow(req.remote_addr, options_.clock())) {
          if (MayCarryReport(req)) {
            committer_->NoteLost(RefusalName(Refusal::kRateLimited), 1);
          }
          refuse(res, Refusal::kRateLimited, 429,
                 "too many requests from this address; retry later");
          res.set_header("Retry-After", "1");
          return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
      });

  http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
    std::string html =
        options_.dashboard
            ? options_.dashboard()
            : std::string("<!DOCTYPE html><title>pinbake collector</title>"
                          "<p>pinbake collector</p>");
    res.set_header("Content-Security-Policy",
                   "default-src 'none'; style-src 'unsafe-inline'");
    res.set_content(html, "text/html; charset=utf-8");
  });
  http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(MetricsText(), "text/plain; version=0.0.4");
  });

  auto wrong_method = [refuse](const httplib::Request& req,
                               httplib::Response& res) {
    res.set_header("Allow", IsDashboardPath(req.path) ? "GET" : "POST");
    refuse(res, Refusal::kMethod, 405,
           IsDashboardPath(req.path)
               ? "the dashboard takes no reports; POST them to the "
                 "pinset's report_uri path"
               : "reports are sent with POST");
  };
  http.Put(".*", wrong_method);
  http.Patch(".*", wrong_method);
  http.Delete(".*", wrong_method);
  http.Options(".*", wrong_method);

  http.Post(".*", [this, refuse, wrong_method](const httplib::Request& req,
                                               httplib::Response& res) {
    if (IsDashboardPath(req.path)) {
      wrong_method(req, res);
      return;
    }
    if (!IsStorableReportPath(req.path)) {
      refuse(res, Refusal::kBadRequest, 400,
             "report path must be printable ASCII after percent-decoding");
      return;
    }
    if (!req.has_header("Content-Type") ||
        !IsJsonContentType(req.get_header_value("Content-Type"))) {
      refuse(res, Refusal::kContentType, 415,
             "Content-Type must be application/json");
      return;
    }
    absl::StatusOr<ValidatedReport> report = ParseReport(req.body);
    if (!report.ok()) {
      const absl::string_view reason = report.status().message();
      const Refusal refusal =
          absl::StartsWith(reason, "malformed JSON")   ? Refusal::kMalformedJson
          : absl::StartsWith(reason, "ambiguous JSON") ? Refusal::kAmbiguousJson
                                                       : Refusal::kInvalidReport;
      refuse(res, refusal, 400, reason);
      return;
    }
    IncomingReport incoming;
    incoming.uri = req.path;
    incoming.dedup_key = ReportDedupKey(*report, req.path);
    incoming.report = *std::move(report);
    absl::StatusOr<InsertOutcome> outcome =
        committer_->Submit(std::move(incoming));
    if (absl::IsResourceExhausted(outcome.status())) {
      refuse(res, Refusal::kStoreFull, 507,
             "the collector's database is full; the report was not "
             "stored");
      return;
    }
    if (!outcome.ok()) {
      refuse(res, Refusal::kStoreUnavailable, 503,
             "the report could not be stored; retry later");
      return;
    }
    (outcome->duplicate ? duplicates_ : stored_).fetch_add(1);
    res.status = outcome->duplicate ? 200 : 201;
    res.set_content(absl::StrCat("{\"id\":", outcome->id, ",\"duplicate\":",
                                 outcome->duplicate ? "true" : "false",
                                 "}\n"),
                    "application/json");
  });

  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const httplib::Request& req, httplib::Response& res) {
    if (res.has_header(kRefusalHeader)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    Refusal refusal = Refusal::kBadRequest;
    std::string reason = "bad request";
    if (res.status == 413) {
      // Before the timeout: the library reads (and drops) a declared body
      // over the limit, so a client that then sends nothing also times out.
      refusal = Refusal::kBodyTooLarge;
      if (MayCarryReport(req)) committer_->NoteLost(RefusalName(refusal), 1);
      reason = absl::StrCat("body larger than ", options_.max_body, " bytes");
    } else if (TimedHttpServer::CurrentRequestTimedOut()) {
      refusal = Refusal::kRequestTimeout;
      res.status = 408;
      reason = TimeoutReason();
      // Its line was read: it may be a report from a slow network.
      if (MayCarryReport(req)) committer_->NoteLost(RefusalName(refusal), 1);
    } else if (res.status == 404) {
      refusal = Refusal::kNotFound;
      reason = "not found; the dashboard is at /";
    } else if (res.status == 405) {
      refusal = Refusal::kMethod;
      reason = "method not allowed; reports are sent with POST";
    } else if (res.status == 414) {
      reason = "request URI too long";
    } else if (res.status >= 500) {
      refusal = Refusal::kStoreUnavailable;
      reason = "internal error";
    } else if (res.status == 400) {
      reason = "malformed HTTP request, or body cut short or too slow";
    }
    if (refusal == Refusal::kBadRequest) {
      TimedHttpServer::CloseAfterCurrentRequest();
    }
    refused_[static_cast<size_t>(refusal)].fetch_add(1);
    res.set_header(kRefusalHeader, RefusalName(refusal));
    res.set_content(absl::StrCat(reason, "\n"), "text/plain; charset=utf-8");
    return httplib::Server::HandlerResponse::Handled;
  }));
}

}  // namespace collector
}  // namespace pinbake
