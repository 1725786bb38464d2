// Test and benchmark client of `pinbake collect` (tests/collector/*.sh):
//
//   collector_client post PORT PATH FILE [--from-check] [--tls CA.pem]
//       POSTs FILE (or, with --from-check, the "report" object of a
//       `pinbake check --report` output) to 127.0.0.1:PORT PATH as
//       application/json; prints "STATUS BODY". Exit 0 on any HTTP answer.
//   collector_client get PORT PATH
//       GETs 127.0.0.1:PORT PATH; prints "STATUS BODY". Exit 0 on any
//       HTTP answer.
//   collector_client load PORT --reports N --clients C [--acked FILE]
//                    [--seconds S] [--prefix P]
//       C threads, one keep-alive connection each, POST N distinct reports
//       in all (stopping after S seconds); prints reports/s and latency
//       percentiles; writes the host of every report answered 2xx to FILE.
//       Hosts are rI.cC.P.test (P: --prefix, default "load"). Also
//       prints the collector's commits during the run (from /metrics):
//       how many reports each fsync carried.
//   collector_client fsync DIR
//       The disk's own commit cost, as a baseline for `load`: 200 times
//       4 KiB written at offset 0 of a file in DIR and fdatasync'ed;
//       prints p50/p90 and the rate one commit per fsync of 16 reports
//       (16 clients) would allow.
//   collector_client fill DB --reports N [--hosts H] [--chains C]
//       Stores N distinct reports straight into the SQLite file DB (batches
//       of 10,000 through SqliteStore::InsertBatch): noted hosts
//       h0.test..h(H-1).test (default 4), C distinct validated chains
//       (default 4), received one minute apart per batch up to now. The PEM
//       columns (which no summary reads) are left empty to keep the file
//       small. Prints rows and seconds.
//   collector_client parse-time [--reports N]
//       Times ParseReport (collector/report_parser.h) on N (default
//       20,000) distinct well-formed report bodies of the load test's
//       shape, in this process; prints microseconds per report.
//   collector_client peak-rss PROGRAM ARGS...
//       Runs PROGRAM, its standard output passed through, and prints its
//       peak resident set (getrusage ru_maxrss of the child) to stderr as
//       "peak-rss: N KiB"; exits with PROGRAM's exit code.
//   collector_client verify DB --acked FILE
//       Every host in FILE has a report in DB (a SQLite file or a
//       postgresql:// URI) and, for SQLite, PRAGMA integrity_check is ok.
//       Exit 1 otherwise.

#include <fcntl.h>
#include <httplib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "collector/report_test_util.h"
#include "collector/open_store.h"
#include "collector/sqlite_store.h"
#include "nlohmann/json.hpp"
#include "testing/test_pki.h"

namespace pinbake {
namespace collector {
namespace {

int Usage() {
  std::cerr << "usage: collector_client post|get|load|fill|parse-time|"
               "peak-rss|verify|fsync ... (see the "
               "source)\n";
  return 2;
}

std::string Flag(const std::vector<std::string>& args, const std::string& name,
                 const std::string& fallback) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == name) return args[i + 1];
  }
  return fallback;
}

bool Has(const std::vector<std::string>& args, const std::string& name) {
  return std::find(args.begin(), args.end(), name) != args.end();
}

int Post(const std::vector<std::string>& args) {
  if (args.size() < 3) return Usage();
  int port = 0;
  if (!absl::SimpleAtoi(args[0], &port)) return Usage();
  std::ifstream in(args[2], std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string body = buffer.str();
  if (Has(args, "--from-check")) {
    nlohmann::json check = nlohmann::json::parse(body, nullptr, false);
    if (!check.is_object() || !check.contains("report") ||
        !check["report"].is_object()) {
      std::cerr << "collector_client: no \"report\" object in " << args[2]
                << "\n";
      return 2;
    }
    body = check["report"].dump();
  }
  const std::string ca = Flag(args, "--tls", "");
  httplib::Result res = [&] {
    if (!ca.empty()) {
      httplib::SSLClient client("127.0.0.1", port);
      client.set_ca_cert_path(ca.c_str());
      client.enable_server_certificate_verification(true);
      return client.Post(args[1].c_str(), body, "application/json");
    }
    httplib::Client client("127.0.0.1", port);
    return client.Post(args[1].c_str(), body, "application/json");
  }();
  if (!res) {
    std::cout << "error " << httplib::to_string(res.error()) << "\n";
    return 1;
  }
  std::cout << res->status << " " << res->body;
  return 0;
}

// The value of the unlabelled counter `name` in the collector's /metrics,
// or -1 when it cannot be read.
int64_t MetricsCounter(int port, absl::string_view name) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5, 0);
  httplib::Result res = client.Get("/metrics");
  if (!res || res->status != 200) return -1;
  std::istringstream lines(res->body);
  std::string line;
  while (std::getline(lines, line)) {
    if (absl::StartsWith(line, name) && line.size() > name.size() &&
        line[name.size()] == ' ') {
      int64_t v = 0;
      if (absl::SimpleAtoi(line.substr(name.size() + 1), &v)) return v;
    }
  }
  return -1;
}

constexpr char kBatchesCounter[] = "pinbake_collector_commit_batches_total";
constexpr char kStoredCounter[] = "pinbake_collector_reports_stored_total";

int Fsync(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  const std::string path = args[0] + "/fsync-probe";
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) {
    std::cerr << "fsync: cannot create " << path << "\n";
    return 1;
  }
  const std::string block(4096, 'x');
  std::vector<double> ms;
  for (int i = 0; i < 200; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    if (pwrite(fd, block.data(), block.size(), 0) !=
            static_cast<ssize_t>(block.size()) ||
        fdatasync(fd) != 0) {
      std::cerr << "fsync: write or fdatasync failed on " << path << "\n";
      close(fd);
      return 1;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - t0)
                     .count());
  }
  close(fd);
  unlink(path.c_str());
  std::sort(ms.begin(), ms.end());
  const double p50 = ms[ms.size() / 2];
  std::cout << absl::StrFormat(
      "fsync: 4 KiB write + fdatasync p50 %.3f ms, p90 %.3f ms; one commit "
      "per fsync of 16 reports allows at most %.0f reports/s\n",
      p50, ms[ms.size() * 9 / 10], p50 > 0 ? 16.0 / (p50 / 1000.0) : 0.0);
  return 0;
}

int Get(const std::vector<std::string>& args) {
  if (args.size() < 2) return Usage();
  int port = 0;
  if (!absl::SimpleAtoi(args[0], &port)) return Usage();
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(10, 0);
  httplib::Result res = client.Get(args[1].c_str());
  if (!res) {
    std::cout << "error " << httplib::to_string(res.error()) << "\n";
    return 1;
  }
  std::cout << res->status << " " << res->body;
  return 0;
}

int Load(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  int port = 0, clients = 0;
  int64_t reports = 0, seconds = 0;
  if (!absl::SimpleAtoi(args[0], &port) ||
      !absl::SimpleAtoi(Flag(args, "--reports", "20000"), &reports) ||
      !absl::SimpleAtoi(Flag(args, "--clients", "16"), &clients) ||
      !absl::SimpleAtoi(Flag(args, "--seconds", "60"), &seconds) ||
      clients < 1 || reports < 1) {
    return Usage();
  }
  const std::string acked_path = Flag(args, "--acked", "");
  const std::string prefix = Flag(args, "--prefix", "load");
  // One chain per client: the collector sees as many distinct chains as
  // clients (its certificate cache holds them all).
  std::vector<TestChain> chains;
  for (int c = 0; c < clients; ++c) {
    chains.push_back(MakeChain(absl::StrCat("client", c, ".load.test")));
  }
  const int64_t batches_before = MetricsCounter(port, kBatchesCounter);
  const int64_t stored_before = MetricsCounter(port, kStoredCounter);
  std::atomic<int64_t> next{0};
  std::vector<std::vector<double>> latencies(clients);
  std::vector<std::vector<std::string>> acked(clients);
  std::atomic<int64_t> errors{0}, refused{0};
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      httplib::Client client("127.0.0.1", port);
      client.set_keep_alive(true);
      client.set_tcp_nodelay(true);
      client.set_connection_timeout(5, 0);
      client.set_read_timeout(10, 0);
      for (;;) {
        // The deadline is checked before taking a number, so that "sent"
        // below counts only reports actually sent.
        if (std::chrono::steady_clock::now() > deadline) break;
        const int64_t i = next.fetch_add(1);
        if (i >= reports) break;
        const std::string host = absl::StrCat("r", i, ".c", c, ".", prefix, ".test");
        const std::string body = TestReportJson(host, chains[c]);
        const auto t0 = std::chrono::steady_clock::now();
        // A connection error is retried twice, as a reporting client would;
        // a refused connection (server gone) fails fast.
        httplib::Result res = client.Post("/pkp", body, "application/json");
        for (int retry = 0; !res && retry < 2; ++retry) {
          res = client.Post("/pkp", body, "application/json");
        }
        const auto t1 = std::chrono::steady_clock::now();
        if (!res) {
          errors.fetch_add(1);
          continue;
        }
        if (res->status == 200 || res->status == 201) {
          latencies[c].push_back(
              std::chrono::duration<double, std::milli>(t1 - t0).count());
          acked[c].push_back(host);
        } else {
          refused.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](double p) {
    if (all.empty()) return 0.0;
    size_t i = static_cast<size_t>(p * static_cast<double>(all.size() - 1));
    return all[i];
  };
  std::cout << absl::StrFormat(
      "load: %d acknowledged of %d sent by %d clients in %.2f s: %.0f "
      "reports/s, latency p50 %.2f ms, p99 %.2f ms, max %.2f ms; %d "
      "connection errors, %d non-2xx\n",
      all.size(), std::min<int64_t>(reports, next.load()), clients, elapsed,
      static_cast<double>(all.size()) / elapsed, pct(0.50), pct(0.99),
      all.empty() ? 0.0 : all.back(), errors.load(), refused.load());
  const int64_t batches = MetricsCounter(port, kBatchesCounter);
  const int64_t stored = MetricsCounter(port, kStoredCounter);
  if (batches_before >= 0 && stored_before >= 0 && batches > batches_before &&
      stored >= stored_before) {
    std::cout << absl::StrFormat(
        "load: the collector stored %d reports in %d commits (%.1f reports "
        "per commit)\n",
        stored - stored_before, batches - batches_before,
        static_cast<double>(stored - stored_before) /
            static_cast<double>(batches - batches_before));
  }
  if (!acked_path.empty()) {
    std::ofstream out(acked_path);
    for (const auto& hosts : acked) {
      for (const std::string& h : hosts) out << h << "\n";
    }
  }
  return 0;
}

int Fill(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  int64_t reports = 0, hosts = 4, chains = 4;
  if (!absl::SimpleAtoi(Flag(args, "--reports", ""), &reports) ||
      !absl::SimpleAtoi(Flag(args, "--hosts", "4"), &hosts) ||
      !absl::SimpleAtoi(Flag(args, "--chains", "4"), &chains) ||
      reports < 1 || hosts < 1 || chains < 1) {
    return Usage();
  }
  auto store = SqliteStore::Open(args[0]);
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 1;
  }
  std::vector<ValidatedReport> bases;
  for (int64_t c = 0; c < chains; ++c) {
    TestChain chain = MakeChain(absl::StrCat("chain", c, ".test"));
    absl::StatusOr<ValidatedReport> base =
        ParseReport(TestReportJson("h0.test", chain));
    if (!base.ok()) {
      std::cerr << base.status() << "\n";
      return 1;
    }
    for (ReportCertificate& cert : base->validated_chain) cert.pem.clear();
    base->served_chain.clear();
    bases.push_back(*std::move(base));
  }
  const auto start = std::chrono::steady_clock::now();
  constexpr int64_t kBatch = 10000;
  const int64_t batches = (reports + kBatch - 1) / kBatch;
  const absl::Time first = absl::Now() - absl::Minutes(batches);
  std::vector<IncomingReport> batch;
  for (int64_t i = 0; i < reports;) {
    batch.clear();
    const absl::Time when = first + absl::Minutes(i / kBatch);
    for (; i < reports && static_cast<int64_t>(batch.size()) < kBatch; ++i) {
      IncomingReport in;
      in.report = bases[static_cast<size_t>(i % chains)];
      in.report.hostname = absl::StrCat("h", (i / chains) % hosts, ".test");
      in.report.noted_hostname = in.report.hostname;
      in.report.port = static_cast<int>(1 + i % 65535);
      in.uri = absl::StrCat("/pkp/", i / 65535);
      in.dedup_key = ReportDedupKey(in.report, in.uri);
      batch.push_back(std::move(in));
    }
    auto done = (*store)->InsertBatch(batch, when);
    if (!done.ok()) {
      std::cerr << done.status() << "\n";
      return 1;
    }
  }
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  std::cout << absl::StrFormat("fill: %d reports in %.1f s\n", reports,
                               seconds);
  return 0;
}

int ParseTime(const std::vector<std::string>& args) {
  int64_t reports = 20000;
  if (!absl::SimpleAtoi(Flag(args, "--reports", "20000"), &reports) ||
      reports < 1) {
    return Usage();
  }
  TestChain chain = MakeChain("parse.test");
  std::vector<std::string> bodies;
  for (int64_t i = 0; i < reports; ++i) {
    bodies.push_back(TestReportJson(absl::StrCat("r", i, ".parse.test"), chain));
  }
  // Once untimed: the certificate cache holds the chain's facts, as in a
  // running collector.
  if (!ParseReport(bodies[0]).ok()) return 1;
  const auto start = std::chrono::steady_clock::now();
  int64_t ok = 0;
  for (const std::string& body : bodies) ok += ParseReport(body).ok();
  const double seconds = std::chrono::duration<double>(
                             std::chrono::steady_clock::now() - start)
                             .count();
  std::cout << absl::StrFormat(
      "parse-time: %d reports (%d bytes each) in %.3f s: %.1f us per report\n",
      ok, bodies[0].size(), seconds, 1e6 * seconds / reports);
  return ok == reports ? 0 : 1;
}

int PeakRss(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::cout.flush();
  const pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) {
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) != pid) return 1;
  std::cerr << "peak-rss: " << usage.ru_maxrss << " KiB\n";
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int Verify(const std::vector<std::string>& args) {
  if (args.empty()) return Usage();
  const bool sqlite = !IsPostgresUri(args[0]);
  auto store = OpenReportStore(args[0]);
  if (!store.ok()) {
    std::cerr << store.status() << "\n";
    return 1;
  }
  absl::StatusOr<std::string> integrity =
      sqlite ? static_cast<SqliteStore*>(store->get())->IntegrityCheck()
             : absl::StatusOr<std::string>("ok");
  auto reports = (*store)->ListReports(absl::InfinitePast());
  if (!integrity.ok() || !reports.ok()) {
    std::cerr << "verify: cannot read " << args[0] << "\n";
    return 1;
  }
  absl::flat_hash_set<std::string> hosts;
  for (const StoredReport& r : *reports) hosts.insert(r.hostname);
  std::ifstream in(Flag(args, "--acked", ""));
  int64_t acked = 0, missing = 0;
  std::string host;
  while (std::getline(in, host)) {
    if (host.empty()) continue;
    ++acked;
    if (!hosts.contains(host)) {
      if (missing < 5) std::cerr << "verify: acknowledged but missing: " << host << "\n";
      ++missing;
    }
  }
  std::cout << "verify: " << acked << " acknowledged reports, " << missing
            << " missing, " << reports->size()
            << " rows in the database, integrity_check: " << *integrity
            << "\n";
  return missing == 0 && *integrity == "ok" ? 0 : 1;
}

}  // namespace
}  // namespace collector
}  // namespace pinbake

int main(int argc, char** argv) {
  if (argc < 2) return pinbake::collector::Usage();
  const std::string mode = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  if (mode == "post") return pinbake::collector::Post(args);
  if (mode == "load") return pinbake::collector::Load(args);
  if (mode == "get") return pinbake::collector::Get(args);
  if (mode == "verify") return pinbake::collector::Verify(args);
  if (mode == "fill") return pinbake::collector::Fill(args);
  if (mode == "peak-rss") return pinbake::collector::PeakRss(args);
  if (mode == "parse-time") return pinbake::collector::ParseTime(args);
  if (mode == "fsync") return pinbake::collector::Fsync(args);
  return pinbake::collector::Usage();
}
