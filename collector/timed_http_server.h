// cpp-httplib's HTTP server (Debian 12's libcpp-httplib 0.11.4) with its
// per-connection loop replaced, so that a client too slow to send its
// request is answered "408 Request Timeout" (with a reason, counted by the
// caller) and its pool thread freed, instead of being dropped in silence.
//
//   TimedHttpServer http;
//   http.set_timeout_handler([] { return std::string("too slow"); });
//   http.set_error_handler(...);  // Sees CurrentRequestTimedOut() == true
//                                 // for headers or body cut short.
//
// What 0.11.4 does by itself (collector/timed_http_server_test.cc's
// LibraryAlone case checks it with read timeout 1 s, keep-alive 3 s):
//   - a connection on which nothing is sent: waits the KEEP-ALIVE timeout
//     (not the read timeout) for a first byte, then closes without an
//     answer; no handler runs, so nothing can count it;
//   - a request line cut short (no CRLF): closed after the read timeout,
//     no answer, no handler;
//   - request line read, headers or body cut short: after the read timeout
//     the error handler sees status 400 (not 408) and the 400 is sent, then
//     the connection is kept for another keep-alive timeout.
//   The pool thread is held all that time.
// With this class, on plain HTTP:
//   - each request's first byte is awaited for the read timeout (the first
//     request of a connection) or the keep-alive timeout (later requests:
//     an idle keep-alive connection is closed in silence, as clients
//     expect, and not counted);
//   - every read within a request waits at most the read timeout, and the
//     whole request (line, headers, body) must arrive within 4 read
//     timeouts of its first byte (a client dripping a byte per second
//     cannot hold a thread for hours); when either runs out the request is
//     answered 408 and the connection closed:
//     before the request line and headers are read, with the
//     timeout handler's reason (written here); after, through the error
//     handler (CurrentRequestTimedOut() is true on that thread), which
//     sets the status and reason.
// HTTPS (httplib::SSLServer) keeps the library's loop: its TLS stream is
// not public API. The HTTP parsing is the library's in both.

#ifndef PINBAKE_COLLECTOR_TIMED_HTTP_SERVER_H_
#define PINBAKE_COLLECTOR_TIMED_HTTP_SERVER_H_

#include <httplib.h>

#include <functional>
#include <string>

namespace pinbake {
namespace collector {

class TimedHttpServer : public httplib::Server {
 public:
  // `handler` runs on the connection's thread when a request timed out
  // before its line and headers were read; it returns the one-line reason
  // sent as the 408's body. Unset: "request timeout".
  void set_timeout_handler(std::function<std::string()> handler) {
    timeout_handler_ = std::move(handler);
  }

  // Whether a read of the request being handled on this thread timed out
  // (for the error handler: headers or body cut short).
  static bool CurrentRequestTimedOut();

  // Closes the connection after the response to the request being
  // handled on this thread (for the error handler: after a broken request
  // line or header the rest of the bytes cannot be framed). No-op off a
  // connection thread.
  static void CloseAfterCurrentRequest();

  // listen(2) again on the bound socket with SOMAXCONN: cpp-httplib 0.11
  // listens with a backlog of 5, and a burst of connections overflows it
  // (each dropped SYN costs the client a 1 s retransmit).
  void RaiseBacklog();

 private:
  bool process_and_close_socket(socket_t sock) override;

  std::function<std::string()> timeout_handler_;
};

}  // namespace collector
}  // namespace pinbake

#endif  // PINBAKE_COLLECTOR_TIMED_HTTP_SERVER_H_
