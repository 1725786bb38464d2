#include "collector/timed_http_server.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace pinbake {
namespace collector {
namespace {

using Clock = std::chrono::steady_clock;

// A whole request (line, headers, body) must arrive within this many read
// timeouts of its first byte.
constexpr int kRequestDeadlineReadTimeouts = 4;

// poll(2) for `events` up to `ms` milliseconds: > 0 ready, 0 timed out,
// < 0 error.
int PollFor(int fd, short events, int ms) {
  pollfd p{fd, events, 0};
  int r;
  do {
    r = ::poll(&p, 1, ms);
  } while (r < 0 && errno == EINTR);
  return r;
}

int ToMs(time_t sec, time_t usec) {
  const int64_t ms = static_cast<int64_t>(sec) * 1000 + usec / 1000;
  return static_cast<int>(std::clamp<int64_t>(ms, 1, 24 * 3600 * 1000));
}

// The numeric address and port of `fd`'s peer (or own end); port 0 if
// unknown.
void Address(bool peer, int fd, std::string& ip, int& port) {
  port = 0;
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  const int r = peer ? getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                     : getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (r != 0) return;
  char host[NI_MAXHOST];
  char serv[NI_MAXSERV];
  if (getnameinfo(reinterpret_cast<sockaddr*>(&addr), len, host, sizeof(host),
                  serv, sizeof(serv), NI_NUMERICHOST | NI_NUMERICSERV) == 0) {
    ip = host;
    port = std::atoi(serv);
  }
}

// One connection's socket as an httplib::Stream: buffered reads, each
// waiting at most the read timeout (and noting when one timed out),
// writes waiting at most the write timeout.
class ConnectionStream final : public httplib::Stream {
 public:
  ConnectionStream(int fd, int read_ms, int write_ms)
      : fd_(fd), read_ms_(read_ms), write_ms_(write_ms) {}

  bool is_readable() const override {
    return begin_ < end_ || PollFor(fd_, POLLIN, ReadWaitMs()) > 0;
  }
  bool is_writable() const override {
    return PollFor(fd_, POLLOUT, write_ms_) > 0;
  }
  ssize_t read(char* ptr, size_t size) override {
    if (begin_ == end_) {
      const int wait_ms = ReadWaitMs();
      const int ready = wait_ms > 0 ? PollFor(fd_, POLLIN, wait_ms) : 0;
      if (ready == 0) timed_out_ = true;
      if (ready <= 0) return -1;
      ssize_t n;
      do {
        n = ::recv(fd_, buffer_, sizeof(buffer_), 0);
      } while (n < 0 && errno == EINTR);
      if (n <= 0) return n;
      begin_ = 0;
      end_ = static_cast<size_t>(n);
    }
    const size_t n = std::min(size, end_ - begin_);
    std::memcpy(ptr, buffer_ + begin_, n);
    begin_ += n;
    return static_cast<ssize_t>(n);
  }
  ssize_t write(const char* ptr, size_t size) override {
    if (PollFor(fd_, POLLOUT, write_ms_) <= 0) return -1;
    ssize_t n;
    do {
      n = ::send(fd_, ptr, size, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n > 0) written_ += static_cast<size_t>(n);
    return n;
  }
  // Looked up once per connection (the library asks on every request).
  void get_remote_ip_and_port(std::string& ip, int& port) const override {
    if (remote_port_ < 0) Address(/*peer=*/true, fd_, remote_ip_, remote_port_);
    ip = remote_ip_;
    port = remote_port_;
  }
  void get_local_ip_and_port(std::string& ip, int& port) const override {
    if (local_port_ < 0) Address(/*peer=*/false, fd_, local_ip_, local_port_);
    ip = local_ip_;
    port = local_port_;
  }
  socket_t socket() const override { return fd_; }

  // Waits up to `ms` for the next request's first byte (or the peer's
  // close), in slices so that `stopping` is seen within 100 ms: true if
  // there is something to read.
  template <class Stopping>
  bool AwaitRequest(int ms, Stopping stopping) {
    if (begin_ < end_) return true;
    const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(ms);
    while (!stopping()) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - Clock::now())
                            .count();
      if (left <= 0) return false;
      const int r = PollFor(fd_, POLLIN, static_cast<int>(std::min<int64_t>(left, 100)));
      if (r != 0) return true;  // Data, the peer's close, or an error.
    }
    return false;
  }
  void MarkTimedOut() { timed_out_ = true; }
  void RequestClose() { close_requested_ = true; }
  bool close_requested() const { return close_requested_; }
  // Starts a request: clears its timeout and written counts.
  void StartRequest() {
    timed_out_ = false;
    written_ = 0;
    deadline_ = Clock::time_point::max();
  }
  // The request's first byte is here: all of it must be read within
  // `total_ms` from now (a client dripping one byte per read timeout
  // cannot hold the thread).
  void SetDeadline(int total_ms) {
    deadline_ = Clock::now() + std::chrono::milliseconds(total_ms);
  }
  bool timed_out() const { return timed_out_; }
  size_t written() const { return written_; }

 private:
  const int fd_;
  const int read_ms_;
  const int write_ms_;
  char buffer_[16 * 1024];
  size_t begin_ = 0;
  size_t end_ = 0;
  mutable std::string remote_ip_;
  mutable int remote_port_ = -1;
  mutable std::string local_ip_;
  mutable int local_port_ = -1;
  bool timed_out_ = false;
  bool close_requested_ = false;
  size_t written_ = 0;
  Clock::time_point deadline_ = Clock::time_point::max();

  // How long the next read may wait: the read timeout, or less to keep
  // the request's deadline; 0 when that has passed.
  int ReadWaitMs() const {
    if (deadline_ == Clock::time_point::max()) return read_ms_;
    const int64_t left = std::chrono::duration_cast<std::chrono::milliseconds>(
                             deadline_ - Clock::now())
                             .count();
    return static_cast<int>(std::clamp<int64_t>(left, 0, read_ms_));
  }
};

thread_local ConnectionStream* current_stream = nullptr;

}  // namespace

bool TimedHttpServer::CurrentRequestTimedOut() {
  return current_stream != nullptr && current_stream->timed_out();
}

void TimedHttpServer::CloseAfterCurrentRequest() {
  if (current_stream != nullptr) current_stream->RequestClose();
}

void TimedHttpServer::RaiseBacklog() { ::listen(svr_sock_, SOMAXCONN); }

bool TimedHttpServer::process_and_close_socket(socket_t sock) {
  const int read_ms = ToMs(read_timeout_sec_, read_timeout_usec_);
  const int keep_alive_ms = ToMs(keep_alive_timeout_sec_, 0);
  ConnectionStream stream(sock, read_ms, ToMs(write_timeout_sec_,
                                              write_timeout_usec_));
  auto stopping = [this] { return svr_sock_ == INVALID_SOCKET; };
  bool ok = false;
  size_t count = keep_alive_max_count_;
  for (bool first = true; count > 0 && !stopping(); first = false, --count) {
    stream.StartRequest();
    if (!stream.AwaitRequest(first ? read_ms : keep_alive_ms, stopping)) {
      // Nothing after a completed request: an idle keep-alive connection,
      // closed in silence. Nothing on a new connection: a request that
      // never came.
      if (!first || stopping()) break;
      stream.MarkTimedOut();
    } else {
      bool connection_closed = false;
      stream.SetDeadline(kRequestDeadlineReadTimeouts * read_ms);
      current_stream = &stream;
      ok = process_request(stream, count == 1, connection_closed, nullptr);
      current_stream = nullptr;
      if (!stream.timed_out()) {
        if (!ok || connection_closed || stream.close_requested()) break;
        continue;
      }
    }
    // Timed out. After its line and headers the error handler answered
    // (through the library); before them nothing was written: answer here.
    if (stream.written() == 0) {
      const std::string reason =
          timeout_handler_ ? timeout_handler_() : std::string("request timeout");
      const std::string body = absl::StrCat(reason, "\n");
      const std::string head = absl::StrCat(
          "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n"
          "Content-Type: text/plain; charset=utf-8\r\nContent-Length: ",
          body.size(), "\r\n\r\n");
      const std::string answer = head + body;
      stream.write(answer.data(), answer.size());
    }
    ok = false;
    break;
  }
  current_stream = nullptr;
  ::shutdown(sock, SHUT_RDWR);
  ::close(sock);
  return ok;
}

}  // namespace collector
}  // namespace pinbake
