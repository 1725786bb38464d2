// The collector's HTTP server over real sockets on 127.0.0.1: each
// malformed request gets its status and reason, counted, and the server
// keeps answering.

#include "collector/collector_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collector/report_test_util.h"
#include "collector/sqlite_store.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "testing/test_pki.h"

namespace pinbake {
namespace collector {
namespace {

using Json = nlohmann::json;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TEST_TMPDIR");
  std::string path = std::string(dir ? dir : "/tmp") + "/" + name;
  std::remove(path.c_str());
  return path;
}

std::unique_ptr<CollectorServer> StartServer(const std::string& db,
                                             CollectorOptions options) {
  auto store = SqliteStore::Open(TempPath(db));
  EXPECT_TRUE(store.ok()) << store.status();
  auto server = CollectorServer::Start(options, *std::move(store));
  EXPECT_TRUE(server.ok()) << server.status();
  return server.ok() ? *std::move(server) : nullptr;
}

// Sends `raw` on a fresh connection and returns what the server answered
// before closing (at most a few KiB).
std::string RawExchange(int port, const std::string& raw, int wait_ms = 0) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return "connect failed";
  }
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  (void)!write(fd, raw.data(), raw.size());
  if (wait_ms > 0) usleep(wait_ms * 1000);
  std::string out;
  char buf[4096];
  ssize_t n;
  // Until one whole response (headers and Content-Length bytes) arrived:
  // the server keeps the connection open afterwards.
  while ((n = read(fd, buf, sizeof(buf))) > 0 && out.size() < 16384) {
    out.append(buf, static_cast<size_t>(n));
    const size_t end = out.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    size_t length = 0;
    const size_t at = out.find("Content-Length: ");
    if (at != std::string::npos && at < end) {
      length = std::strtoul(out.c_str() + at + 16, nullptr, 10);
    }
    if (out.size() >= end + 4 + length) break;
  }
  close(fd);
  return out;
}

class CollectorServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CollectorOptions options;
    options.max_body = 16 * 1024;
    options.read_timeout = absl::Seconds(1);
    options.rate_per_second = 0;  // Off; RateLimited has its own server.
    server_ = StartServer("server.db", options);
    ASSERT_NE(server_, nullptr);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
    chain_ = MakeChain("a.test");
  }
  Json Good() const {
    return Json::parse(TestReportJson("www.example.com", chain_));
  }
  void ExpectServing() {
    auto res = client_->Get("/metrics");
    ASSERT_TRUE(res) << "server stopped answering";
    EXPECT_EQ(res->status, 200);
  }

  std::unique_ptr<CollectorServer> server_;
  std::unique_ptr<httplib::Client> client_;
  TestChain chain_;
};

struct BadBody {
  const char* name;
  std::string body;
  const char* reason;  // Expected in the 400 body.
};

TEST_F(CollectorServerTest, MalformedRequestsEachRefusedWithReason) {
  auto with = [&](const char* field, Json value) {
    Json j = Good();
    j[field] = std::move(value);
    return j.dump();
  };
  auto without = [&](const char* field) {
    Json j = Good();
    j.erase(field);
    return j.dump();
  };
  // The good report with `extra` as its first member.
  auto prefixed = [&](const std::string& extra) {
    const std::string good = Good().dump();
    return "{" + extra + "," + good.substr(1);
  };
  // The good report with `field`'s value written as `raw` JSON text.
  auto with_raw = [&](const char* field, const std::string& raw) {
    Json j = Good();
    j[field] = "@@";
    std::string body = j.dump();
    body.replace(body.find("\"@@\""), 4, raw);
    return body;
  };
  Json seventeen = Json::array();
  for (int i = 0; i < 17; ++i) seventeen.push_back(chain_.leaf.pem);
  const std::string bad_der_pem =
      "-----BEGIN CERTIFICATE-----\nAAECAwQFBgcICQ==\n-----END CERTIFICATE-----\n";
  const std::vector<BadBody> bodies = {
      {"empty body", "", "malformed JSON"},
      {"truncated JSON", "{\"hostname\":", "malformed JSON"},
      {"not JSON", "hello", "malformed JSON"},
      {"invalid UTF-8", "{\"hostname\":\"\xff\xfe\"}", "malformed JSON"},
      {"array", "[]", "report must be a JSON object"},
      {"null", "null", "report must be a JSON object"},
      {"string", "\"report\"", "report must be a JSON object"},
      {"deep nesting", std::string(5000, '[') + std::string(5000, ']'),
       "ambiguous JSON: objects and arrays nested deeper than 32 levels"},
      {"hostname twice", prefixed("\"hostname\":\"evil.example\""),
       "ambiguous JSON: duplicate member \"hostname\""},
      {"hostname twice, escaped",
       prefixed("\"hos\\u0074name\":\"evil.example\""),
       "ambiguous JSON: duplicate member \"hostname\""},
      {"member twice in a nested object",
       prefixed("\"x\":[{\"y\":{\"a\":1,\"a\":2}}]"),
       "ambiguous JSON: duplicate member \"a\""},
      {"NUL in a string", prefixed("\"x\":\"a\\u0000\""),
       "ambiguous JSON: a string holds a NUL character"},
      {"NUL in a member name", prefixed("\"a\\u0000\":1"),
       "ambiguous JSON: member name \"a\\u0000\" holds a NUL character"},
      {"number out of range", prefixed("\"x\":1e999"), "malformed JSON"},
      {"lone surrogate", prefixed("\"x\":\"\\udc00\""), "malformed JSON"},
      {"overlong UTF-8", prefixed("\"x\":\"\xc0\xae\""), "malformed JSON"},
      {"two JSON values", Good().dump() + "{}", "malformed JSON"},
      {"port -0", with_raw("port", "-0"), "\"port\": must be an integer"},
      {"port 1e2", with_raw("port", "1e2"), "\"port\": must be an integer"},
      {"date-time missing", without("date-time"), "\"date-time\": missing"},
      {"date-time number", with("date-time", 17), "\"date-time\": must be a string"},
      {"date-time text", with("date-time", "last tuesday"),
       "\"date-time\": must be an RFC 3339"},
      {"date-time before 1970", with("date-time", "1969-12-31T23:59:59Z"),
       "\"date-time\": out of range"},
      {"expiration bad", with("effective-expiration-date", "2026-13-01T00:00:00Z"),
       "\"effective-expiration-date\": must be an RFC 3339"},
      {"hostname missing", without("hostname"), "\"hostname\": missing"},
      {"hostname empty label", with("hostname", "a..example"),
       "\"hostname\": not a valid host name"},
      {"hostname IP", with("hostname", "192.168.1.1"),
       "\"hostname\": not a valid host name (ip-literal)"},
      {"hostname bad char", with("hostname", "a b.example"),
       "\"hostname\": not a valid host name (invalid-character)"},
      {"hostname too long", with("hostname", std::string(300, 'a') + ".com"),
       "\"hostname\": not a valid host name"},
      {"port string", with("port", "443"), "\"port\": must be an integer"},
      {"port zero", with("port", 0), "\"port\": must be an integer 1..65535"},
      {"port too big", with("port", 65536), "\"port\": must be an integer 1..65535"},
      {"port negative", with("port", -1), "\"port\": must be an integer 1..65535"},
      {"port fraction", with("port", 443.5), "\"port\": must be an integer"},
      {"port huge", with("port", 18446744073709551615ull), "\"port\": must be"},
      {"include-subdomains string", with("include-subdomains", "yes"),
       "\"include-subdomains\": must be true or false"},
      {"noted-hostname invalid", with("noted-hostname", "*.example.com"),
       "\"noted-hostname\": not a valid host name"},
      {"validated chain missing", without("validated-certificate-chain"),
       "\"validated-certificate-chain\": missing"},
      {"validated chain empty", with("validated-certificate-chain", Json::array()),
       "\"validated-certificate-chain\": must hold at least one"},
      {"validated chain string", with("validated-certificate-chain", chain_.leaf.pem),
       "\"validated-certificate-chain\": must be an array"},
      {"validated chain number item",
       with("validated-certificate-chain", Json::array({42})),
       "\"validated-certificate-chain[0]\": must be a string"},
      {"validated chain junk",
       with("validated-certificate-chain", Json::array({"not pem"})),
       "\"validated-certificate-chain[0]\": not a PEM certificate"},
      {"validated chain not X.509",
       with("validated-certificate-chain", Json::array({bad_der_pem})),
       "\"validated-certificate-chain[0]\": not an X.509 certificate"},
      {"validated chain two in one",
       with("validated-certificate-chain",
            Json::array({chain_.leaf.pem + chain_.intermediate.pem})),
       "must hold exactly one PEM certificate"},
      {"validated chain public key",
       with("validated-certificate-chain", Json::array({chain_.leaf.pubkey_pem})),
       "PEM label is not CERTIFICATE"},
      {"validated chain too long", with("validated-certificate-chain", seventeen),
       "more than 16 certificates"},
      {"served chain junk",
       with("served-certificate-chain", Json::array({"x"})),
       "\"served-certificate-chain[0]\": not a PEM certificate"},
      {"served chain object", with("served-certificate-chain", Json::object()),
       "\"served-certificate-chain\": must be an array"},
      {"known-pins string", with("known-pins", "pin-sha256=\"x\""),
       "\"known-pins\": must be an array"},
      {"known-pins wrong form", with("known-pins", Json::array({"sha256/x"})),
       "\"known-pins[0]\": must be pin-sha256="},
      {"known-pins short hash",
       with("known-pins", Json::array({"pin-sha256=\"AAAA\""})),
       "\"known-pins[0]\": bad pin"},
  };
  for (const BadBody& b : bodies) {
    auto res = client_->Post("/pkp", b.body, "application/json");
    ASSERT_TRUE(res) << b.name << ": no answer";
    EXPECT_EQ(res->status, 400) << b.name << ": " << res->body;
    EXPECT_NE(res->body.find(b.reason), std::string::npos)
        << b.name << ": got " << res->body;
  }
  int64_t malformed = 0;
  int64_t ambiguous = 0;
  for (const BadBody& b : bodies) {
    const std::string reason = b.reason;
    malformed += reason.rfind("malformed JSON", 0) == 0;
    ambiguous += reason.rfind("ambiguous JSON", 0) == 0;
  }
  EXPECT_EQ(malformed, 8);
  EXPECT_EQ(ambiguous, 6);
  EXPECT_EQ(server_->refused(Refusal::kMalformedJson), malformed);
  EXPECT_EQ(server_->refused(Refusal::kAmbiguousJson), ambiguous);
  EXPECT_EQ(server_->refused(Refusal::kInvalidReport),
            static_cast<int64_t>(bodies.size()) - malformed - ambiguous);
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find(
                "pinbake_collector_refused_total{reason=\"ambiguous-json\"} 6"),
            std::string::npos)
      << metrics->body;
  ExpectServing();
}

TEST_F(CollectorServerTest, WrongMethodsPathsTypesAndSizes) {
  const std::string good = Good().dump();
  struct Case {
    const char* name;
    int status;
    const char* reason;
    httplib::Result (*send)(httplib::Client&, const std::string&);
  };
  const Case cases[] = {
      {"GET elsewhere", 404, "not found",
       [](httplib::Client& c, const std::string&) { return c.Get("/pkp"); }},
      {"PUT", 405, "reports are sent with POST",
       [](httplib::Client& c, const std::string& b) {
         return c.Put("/pkp", b, "application/json");
       }},
      {"PATCH", 405, "reports are sent with POST",
       [](httplib::Client& c, const std::string& b) {
         return c.Patch("/pkp", b, "application/json");
       }},
      {"DELETE", 405, "reports are sent with POST",
       [](httplib::Client& c, const std::string&) { return c.Delete("/pkp"); }},
      {"OPTIONS", 405, "reports are sent with POST",
       [](httplib::Client& c, const std::string&) { return c.Options("/pkp"); }},
      {"POST dashboard", 405, "the dashboard takes no reports",
       [](httplib::Client& c, const std::string& b) {
         return c.Post("/", b, "application/json");
       }},
      {"POST metrics", 405, "the dashboard takes no reports",
       [](httplib::Client& c, const std::string& b) {
         return c.Post("/metrics", b, "application/json");
       }},
      {"text/plain", 415, "Content-Type must be application/json",
       [](httplib::Client& c, const std::string& b) {
         return c.Post("/pkp", b, "text/plain");
       }},
      {"form", 415, "Content-Type must be application/json",
       [](httplib::Client& c, const std::string& b) {
         return c.Post("/pkp", b, "application/x-www-form-urlencoded");
       }},
      {"json prefix", 415, "Content-Type must be application/json",
       [](httplib::Client& c, const std::string& b) {
         return c.Post("/pkp", b, "application/jsonx");
       }},
      // Percent-decoded by cpp-httplib: bytes PostgreSQL's text refuses.
      {"path not UTF-8", 400, "report path must be printable ASCII",
       [](httplib::Client& c, const std::string& b) {
         return c.Post("/pkp%FF", b, "application/json");
       }},
      {"path with NUL", 400, "report path must be printable ASCII",
       [](httplib::Client& c, const std::string& b) {
         return c.Post("/pkp%00x", b, "application/json");
       }},
      {"too large", 413, "body larger than 16384 bytes",
       [](httplib::Client& c, const std::string&) {
         return c.Post("/pkp", std::string(20000, ' '), "application/json");
       }},
  };
  for (const Case& c : cases) {
    auto res = c.send(*client_, good);
    ASSERT_TRUE(res) << c.name << ": no answer";
    EXPECT_EQ(res->status, c.status) << c.name << ": " << res->body;
    EXPECT_NE(res->body.find(c.reason), std::string::npos)
        << c.name << ": got " << res->body;
  }
  EXPECT_EQ(server_->refused(Refusal::kNotFound), 1);
  EXPECT_EQ(server_->refused(Refusal::kMethod), 6);
  EXPECT_EQ(server_->refused(Refusal::kContentType), 3);
  EXPECT_EQ(server_->refused(Refusal::kBodyTooLarge), 1);
  EXPECT_EQ(server_->refused(Refusal::kBadRequest), 2);
  ExpectServing();

  // Accepted: application/json with parameters, as Chrome sends it.
  auto stored = client_->Post("/pkp", good, "application/json; charset=utf-8");
  ASSERT_TRUE(stored);
  EXPECT_EQ(stored->status, 201) << stored->body;
  auto again = client_->Post("/pkp", good, "application/json");
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 200) << again->body;
  EXPECT_NE(again->body.find("\"duplicate\":true"), std::string::npos);
  EXPECT_EQ(server_->stored(), 1);
  EXPECT_EQ(server_->duplicates(), 1);
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find(
                "pinbake_collector_refused_total{reason=\"content-type\"} 3"),
            std::string::npos)
      << metrics->body;
}

TEST_F(CollectorServerTest, BrokenHttpAndSlowClients) {
  // A request line that is not HTTP.
  std::string answer = RawExchange(server_->port(), "GARBAGE\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 400") << answer;
  EXPECT_NE(answer.find("malformed HTTP request"), std::string::npos);
  // Too slow, each answered 408 with the reason after the read timeout
  // (1 s), counted as request-timeout: a declared body that never comes,
  // a connection on which nothing is sent, a request line or headers cut
  // short (collector/timed_http_server.h).
  const char* slow[] = {
      "POST /pkp HTTP/1.1\r\nHost: x\r\nContent-Type: "
      "application/json\r\nContent-Length: 500\r\n\r\n{\"a\"",
      "",
      "POST /pkp HTTP/1.",
      "POST /pkp HTTP/1.1\r\nHost: x\r\nContent-Type: appl",
  };
  for (const char* raw : slow) {
    answer = RawExchange(server_->port(), raw);
    EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 408") << raw << ": " << answer;
    EXPECT_NE(answer.find("no complete request within 1s (read timeout); "
                          "connection closed"),
              std::string::npos)
        << raw << ": " << answer;
  }
  EXPECT_EQ(server_->refused(Refusal::kRequestTimeout), 4);
  // A huge Content-Length is refused before reading.
  answer = RawExchange(server_->port(),
                       "POST /pkp HTTP/1.1\r\nHost: x\r\nContent-Type: "
                       "application/json\r\nContent-Length: 99999999999\r\n\r\n");
  EXPECT_EQ(answer.substr(0, 12), "HTTP/1.1 413") << answer;
  EXPECT_EQ(server_->refused(Refusal::kBadRequest), 1);
  auto metrics = client_->Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find(
                "pinbake_collector_refused_total{reason=\"request-timeout\"} 4"),
            std::string::npos)
      << metrics->body;
  ExpectServing();
}

// Slow clients hold no thread past the read timeout: with 2 threads, 6
// silent connections are each answered 408 and a report is still stored.
TEST(CollectorServerSlowTest, SilentConnectionsFreeTheirThreads) {
  CollectorOptions options;
  options.read_timeout = absl::Seconds(1);
  options.threads = 2;
  options.rate_per_second = 0;
  std::unique_ptr<CollectorServer> server = StartServer("slow.db", options);
  ASSERT_NE(server, nullptr);
  std::vector<std::string> answers(6);
  std::vector<std::thread> silent;
  for (size_t i = 0; i < answers.size(); ++i) {
    silent.emplace_back(
        [&, i] { answers[i] = RawExchange(server->port(), ""); });
  }
  TestChain chain = MakeChain("a.test");
  httplib::Client client("127.0.0.1", server->port());
  client.set_read_timeout(20, 0);
  auto stored = client.Post("/pkp", TestReportJson("www.example.com", chain),
                            "application/json");
  for (std::thread& t : silent) t.join();
  ASSERT_TRUE(stored) << "not served while silent connections were cut";
  EXPECT_EQ(stored->status, 201) << stored->body;
  for (const std::string& a : answers) {
    EXPECT_EQ(a.substr(0, 12), "HTTP/1.1 408") << a;
  }
  EXPECT_EQ(server->refused(Refusal::kRequestTimeout), 6);
}

TEST(CollectorServerRateTest, RateLimitedPerAddress) {
  CollectorOptions options;
  options.rate_per_second = 0.001;
  options.rate_burst = 3;
  std::unique_ptr<CollectorServer> server = StartServer("rate.db", options);
  ASSERT_NE(server, nullptr);
  httplib::Client client("127.0.0.1", server->port());
  for (int i = 0; i < 3; ++i) {
    auto res = client.Get("/metrics");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
  auto res = client.Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 429);
  EXPECT_NE(res->body.find("too many requests"), std::string::npos);
  EXPECT_EQ(server->refused(Refusal::kRateLimited), 1);
}

TEST(CollectorServerStartTest, TlsWithoutKeyRefused) {
  CollectorOptions options;
  options.tls_cert_path = "/nonexistent.pem";
  auto store = SqliteStore::Open(TempPath("tls.db"));
  ASSERT_TRUE(store.ok());
  auto server = CollectorServer::Start(options, *std::move(store));
  ASSERT_FALSE(server.ok());
  EXPECT_NE(server.status().message().find("--tls-key"), std::string::npos);
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
