// `pinbake collect`: the RFC 7469 report collector service
// (collector/collector_server.h, docs/collector.md).

#include <signal.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cli/cli_common.h"
#include "cli/collector_flags.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "collector/collector_server.h"
#include "collector/current_list.h"
#include "collector/dashboard.h"
#include "collector/open_store.h"
#include "collector/report_summary.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kCollectHelp[] =
    R"(pinbake collect --listen HOST:PORT --db PATH_OR_URL [options]

Receives RFC 7469 violation reports: POST, Content-Type application/json,
on any path but / (the dashboard) and /metrics (refusal counters). Each
report is validated (field types, dates, host names, PEM chains) and stored
in the database before it is answered 201 (stored) or 200 (a duplicate of a
report received within the last hour, counted). Refusals are 4xx with a
one-line reason. Port 0 picks a free port; the address is printed as
"listening on HOST:PORT". Stops on SIGINT or SIGTERM.

  --db PATH_OR_URL     SQLite file, or postgresql://... (libpq URI).
  --tls-cert F         PEM certificate chain: serve HTTPS (with --tls-key).
  --tls-key F          PEM private key.
  --max-body BYTES     Largest report body (default 65536).
  --rate-limit N       Requests per second per client address, burst 2N
                       (default 100; 0: no limit).
  --read-timeout S     Seconds a client may take to send a request (5).
  --max-reports N      Most reports (rows) the database keeps (default
                       1000000, about 4 GB; 0: no limit). When it holds N,
                       reports are refused with 507 until rows are
                       deleted (by --retain or `pinbake reports prune`).
  --retain DURATION    Delete reports last received longer ago than this
                       (e.g. 90d), at start and every 10 minutes
                       (default: keep them).
  --list L | --table T The current list: the dashboard marks the chains
                       that would fail it.
)";

std::optional<int64_t> PositiveFlag(const ParsedArgs& parsed,
                                    const std::string& flag, int64_t fallback,
                                    bool allow_zero) {
  std::optional<std::string> text = parsed.Value(flag);
  if (!text) return fallback;
  int64_t value = 0;
  if (!absl::SimpleAtoi(*text, &value) || value < (allow_zero ? 0 : 1)) {
    return std::nullopt;
  }
  return value;
}

int RunCollect(const ParsedArgs& parsed) {
  const std::string listen = *parsed.Value("--listen");
  const size_t colon = listen.rfind(':');
  int port = -1;
  if (colon == std::string::npos || colon == 0 ||
      !absl::SimpleAtoi(listen.substr(colon + 1), &port) || port < 0 ||
      port > 65535) {
    return UsageError("--listen: expected HOST:PORT, e.g. 127.0.0.1:8443",
                      kCollectHelp);
  }
  collector::CollectorOptions options;
  options.host = listen.substr(0, colon);
  if (options.host.size() > 2 && options.host.front() == '[' &&
      options.host.back() == ']') {
    options.host = options.host.substr(1, options.host.size() - 2);
  }
  options.port = port;
  options.tls_cert_path = parsed.Value("--tls-cert").value_or("");
  options.tls_key_path = parsed.Value("--tls-key").value_or("");
  std::optional<int64_t> max_body =
      PositiveFlag(parsed, "--max-body", 64 * 1024, false);
  if (!max_body || *max_body > (int64_t{64} << 20)) {
    return UsageError("--max-body: a number of bytes, 1..67108864",
                      kCollectHelp);
  }
  options.max_body = static_cast<size_t>(*max_body);
  std::optional<int64_t> rate = PositiveFlag(parsed, "--rate-limit", 100, true);
  if (!rate) return UsageError("--rate-limit: a number >= 0", kCollectHelp);
  options.rate_per_second = static_cast<double>(*rate);
  options.rate_burst = 2.0 * static_cast<double>(*rate);
  std::optional<int64_t> read_timeout =
      PositiveFlag(parsed, "--read-timeout", 5, false);
  if (!read_timeout || *read_timeout > 3600) {
    return UsageError("--read-timeout: seconds, 1..3600", kCollectHelp);
  }
  options.read_timeout = absl::Seconds(*read_timeout);
  std::optional<int64_t> max_reports =
      PositiveFlag(parsed, "--max-reports", 1000000, true);
  if (!max_reports) {
    return UsageError("--max-reports: a number of reports >= 0",
                      kCollectHelp);
  }
  options.limits.max_reports = *max_reports;
  if (std::optional<std::string> text = parsed.Value("--retain")) {
    std::optional<absl::Duration> retain = ParseSinceDuration(*text);
    if (!retain || *retain <= absl::ZeroDuration()) {
      return UsageError("--retain: a duration like 90d or 720h",
                        kCollectHelp);
    }
    options.limits.retain = *retain;
  }

  const std::string db = *parsed.Value("--db");
  absl::StatusOr<std::unique_ptr<collector::CurrentList>> loaded =
      CurrentListFromFlags(parsed);
  if (!loaded.ok()) return InputError(loaded.status().message());
  std::shared_ptr<collector::CurrentList> list = *std::move(loaded);
  absl::StatusOr<std::unique_ptr<collector::ReportStore>> store =
      collector::OpenReportStore(db);
  if (!store.ok()) return InputError(store.status().message());
  options.dashboard = [db, list]() -> std::string {
    absl::StatusOr<std::unique_ptr<collector::ReportStore>> reader =
        collector::OpenReportStore(db);
    if (!reader.ok()) {
      return "<!DOCTYPE html><title>pinbake collector</title><p>database "
             "unavailable</p>";
    }
    absl::StatusOr<std::string> html =
        collector::DashboardFromStore(**reader, list.get(), absl::Now());
    if (!html.ok()) {
      return "<!DOCTYPE html><title>pinbake collector</title><p>database "
             "unavailable</p>";
    }
    return *std::move(html);
  };

  // SIGINT / SIGTERM stop the server; blocked here so that every thread
  // inherits the mask and one thread receives them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<std::unique_ptr<collector::CollectorServer>> server =
      collector::CollectorServer::Start(options, *std::move(store));
  if (!server.ok()) return InputError(server.status().message());
  collector::CollectorServer* running = server->get();
  std::thread stopper([running, stop_signals] {
    int signal_number = 0;
    sigwait(&stop_signals, &signal_number);
    running->Stop();
  });
  stopper.detach();
  std::cout << "listening on " << options.host << ":" << running->port()
            << (options.tls_cert_path.empty() ? "" : " (https)") << std::endl;
  running->Wait();
  std::cerr << "pinbake collect: stopped; " << running->stored()
            << " reports stored, " << running->duplicates()
            << " duplicates counted\n";
  return kExitOk;
}

}  // namespace

const Subcommand kCollectCommand = {
    "collect",
    R"(pinbake collect --listen HOST:PORT --db PATH_OR_URL [--tls-cert F --tls-key F]
                [--max-body BYTES] [--rate-limit N] [--max-reports N]
                [--retain DURATION] [--list L | --table T])",
    kCollectHelp,
    {{},
     {"--listen", "--db", "--tls-cert", "--tls-key", "--max-body",
      "--rate-limit", "--read-timeout", "--max-reports", "--retain",
      "--list", "--table"}},
    0,
    0,
    {"--listen", "--db"},
    "collect needs --listen HOST:PORT and --db PATH_OR_URL",
    RunCollect,
};

}  // namespace cli
}  // namespace pinbake
