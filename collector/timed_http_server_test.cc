// TimedHttpServer over real sockets on 127.0.0.1, beside the library's own
// server (Debian 12's cpp-httplib 0.11.4) under the same slow clients:
// what the library does by itself, and that ours answers 408 and frees the
// thread. Read timeout 1 s, keep-alive timeout 3 s.

#include "collector/timed_http_server.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace pinbake {
namespace collector {
namespace {

using Clock = std::chrono::steady_clock;

// What a slow client saw: every byte the server sent until it closed, and
// after how long.
struct Seen {
  std::string answer;
  double seconds = 0;
  bool closed = false;  // The server closed (not our 20 s guard).
};

int Connect(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  timeval tv{20, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  return fd;
}

// Reads until the server closes `fd` (or 20 s pass).
Seen ReadUntilClosed(int fd, Clock::time_point start) {
  Seen seen;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof(buf))) > 0) seen.answer.append(buf, n);
  seen.closed = n == 0;
  seen.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  close(fd);
  return seen;
}

// Sends `parts` (each after `gap_ms`), then waits for the close.
Seen SlowClient(int port, const std::vector<std::string>& parts,
                int gap_ms = 0) {
  const Clock::time_point start = Clock::now();
  int fd = Connect(port);
  if (fd < 0) return Seen{"connect failed"};
  for (const std::string& part : parts) {
    // Between parts, stop sending once the server answered.
    pollfd p{fd, POLLIN, 0};
    if (gap_ms > 0 && poll(&p, 1, gap_ms) > 0) break;
    (void)!send(fd, part.data(), part.size(), MSG_NOSIGNAL);
  }
  return ReadUntilClosed(fd, start);
}

const std::vector<std::string> kNothing = {};
const std::vector<std::string> kRequestLineCut = {"POST /pkp HT"};
const std::vector<std::string> kHeadersCut = {
    "POST /pkp HTTP/1.1\r\nHost: x\r\nContent-Ty"};
const std::vector<std::string> kBodyCut = {
    "POST /pkp HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"a\""};

template <class Server>
struct Running {
  explicit Running(int threads) {
    server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    server.set_read_timeout(1, 0);
    server.set_keep_alive_timeout(3);
    server.set_tcp_nodelay(true);  // As the collector.
    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok", "text/plain");
    });
    server.Post(".*", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("stored", "text/plain");
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request&, httplib::Response& res) {
          error_statuses.fetch_add(1);
          if (TimedHttpServer::CurrentRequestTimedOut()) {
            res.status = 408;
            res.set_content("too slow (error handler)\n", "text/plain");
            return httplib::Server::HandlerResponse::Handled;
          }
          return httplib::Server::HandlerResponse::Unhandled;
        }));
    port = server.bind_to_any_port("127.0.0.1");
    thread = std::thread([this] { server.listen_after_bind(); });
  }
  ~Running() {
    server.stop();
    thread.join();
  }
  Server server;
  int port = 0;
  std::atomic<int> error_statuses{0};
  std::thread thread;
};

// Runs the four slow clients at once against `port`.
std::vector<Seen> FourSlowClients(int port) {
  const std::vector<std::string>* cases[] = {&kNothing, &kRequestLineCut,
                                             &kHeadersCut, &kBodyCut};
  std::vector<Seen> seen(4);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] { seen[i] = SlowClient(port, *cases[i]); });
  }
  for (std::thread& t : threads) t.join();
  return seen;
}

// The facts docs/collector.md and timed_http_server.h state about the
// library alone (so that a new Debian version that changes them is
// noticed).
TEST(TimedHttpServerTest, LibraryAloneDropsSilentClientsAndAnswers400) {
  Running<httplib::Server> lib(8);
  const std::vector<Seen> seen = FourSlowClients(lib.port);
  for (const Seen& s : seen) {
    std::printf("library alone: %zu bytes (%s), closed after %.2f s\n",
                s.answer.size(), s.answer.substr(0, 24).c_str(), s.seconds);
  }
  // Nothing sent: no answer, closed after the keep-alive timeout (3 s),
  // not the read timeout (1 s).
  EXPECT_TRUE(seen[0].closed);
  EXPECT_EQ(seen[0].answer, "");
  EXPECT_GT(seen[0].seconds, 2.5);
  // Request line cut: no answer, closed after the read timeout.
  EXPECT_EQ(seen[1].answer, "");
  // Headers or body cut: 400 (not 408) after the read timeout.
  EXPECT_EQ(seen[2].answer.substr(0, 12), "HTTP/1.1 400");
  EXPECT_EQ(seen[3].answer.substr(0, 12), "HTTP/1.1 400");
  EXPECT_EQ(lib.error_statuses.load(), 2) << "the two silent ones unseen";
}

TEST(TimedHttpServerTest, SlowClientsAnswered408AndClosed) {
  Running<TimedHttpServer> timed(8);
  std::atomic<int> timeouts{0};
  timed.server.set_timeout_handler([&] {
    timeouts.fetch_add(1);
    return std::string("no complete request within 1s");
  });
  const std::vector<Seen> seen = FourSlowClients(timed.port);
  const char* names[] = {"nothing sent", "request line cut", "headers cut",
                         "body cut"};
  for (int i = 0; i < 4; ++i) {
    const Seen& s = seen[static_cast<size_t>(i)];
    std::printf("timed: %s: %s... closed after %.2f s\n", names[i],
                s.answer.substr(0, 28).c_str(), s.seconds);
    EXPECT_EQ(s.answer.substr(0, 12), "HTTP/1.1 408") << names[i] << ": " << s.answer;
    EXPECT_TRUE(s.closed) << names[i];
    EXPECT_LT(s.seconds, 2.5) << names[i] << ": the read timeout (1 s) ends it";
  }
  EXPECT_NE(seen[0].answer.find("no complete request within 1s"),
            std::string::npos);
  EXPECT_NE(seen[1].answer.find("no complete request within 1s"),
            std::string::npos);
  EXPECT_NE(seen[2].answer.find("too slow (error handler)"), std::string::npos);
  EXPECT_NE(seen[3].answer.find("too slow (error handler)"), std::string::npos);
  EXPECT_EQ(timeouts.load(), 2);
}

TEST(TimedHttpServerTest, DrippedRequestCutAtFourReadTimeouts) {
  Running<TimedHttpServer> timed(2);
  // One header byte every 0.5 s: never a read timeout, but the request is
  // not complete within 4 s of its first byte.
  std::vector<std::string> drip = {"GET / HTTP/1.1\r\n"};
  for (int i = 0; i < 40; ++i) drip.push_back("X");
  const Seen s = SlowClient(timed.port, drip, 500);
  std::printf("dripped: %s... after %.2f s\n", s.answer.substr(0, 24).c_str(),
              s.seconds);
  EXPECT_EQ(s.answer.substr(0, 12), "HTTP/1.1 408") << s.answer;
  EXPECT_LT(s.seconds, 8) << "cut at ~4 s, not after the 20 s of dripping";
}

TEST(TimedHttpServerTest, ThreadsFreedAndKeepAliveStillServes) {
  Running<TimedHttpServer> timed(2);
  // Two silent connections take both threads; they are cut after the read
  // timeout and a real client is then served.
  const Clock::time_point start = Clock::now();
  int a = Connect(timed.port);
  int b = Connect(timed.port);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  httplib::Client client("127.0.0.1", timed.port);
  client.set_read_timeout(20, 0);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);
  auto res = client.Get("/");
  ASSERT_TRUE(res) << "not served while two silent connections were cut";
  EXPECT_EQ(res->status, 200);
  std::printf("served after %.2f s\n",
              std::chrono::duration<double>(Clock::now() - start).count());
  const Seen sa = ReadUntilClosed(a, start);
  const Seen sb = ReadUntilClosed(b, start);
  EXPECT_EQ(sa.answer.substr(0, 12), "HTTP/1.1 408");
  EXPECT_EQ(sb.answer.substr(0, 12), "HTTP/1.1 408");
  // Keep-alive: many requests on the client's one connection, a POST body.
  const Clock::time_point posts = Clock::now();
  for (int i = 0; i < 50; ++i) {
    auto again = client.Post("/pkp", std::string(5000, 'x'), "application/json");
    ASSERT_TRUE(again) << i;
    EXPECT_EQ(again->status, 200);
    EXPECT_EQ(again->body, "stored");
  }
  std::printf("50 keep-alive POSTs in %.3f s\n",
              std::chrono::duration<double>(Clock::now() - posts).count());
  EXPECT_EQ(timed.error_statuses.load(), 0);
}

TEST(TimedHttpServerTest, IdleKeepAliveClosedSilently) {
  Running<TimedHttpServer> timed(2);
  std::atomic<int> timeouts{0};
  timed.server.set_timeout_handler([&] {
    timeouts.fetch_add(1);
    return std::string("x");
  });
  const Clock::time_point start = Clock::now();
  int fd = Connect(timed.port);
  const std::string get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  (void)!write(fd, get.data(), get.size());
  const Seen s = ReadUntilClosed(fd, start);
  // One 200, then the close after the keep-alive timeout: no 408.
  EXPECT_EQ(s.answer.substr(0, 12), "HTTP/1.1 200");
  EXPECT_EQ(s.answer.find("408"), std::string::npos) << s.answer;
  EXPECT_TRUE(s.closed);
  EXPECT_GT(s.seconds, 2.5);
  EXPECT_EQ(timeouts.load(), 0);
}

}  // namespace
}  // namespace collector
}  // namespace pinbake
