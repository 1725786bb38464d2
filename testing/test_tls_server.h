// Test-only TLS server: an OpenSSL server on 127.0.0.1 at an ephemeral
// port, in a thread of the test process, serving a fixed certificate chain.
// Used by the handshake tests of the pin verifier and of `pinbake connect`.

#ifndef PINBAKE_TESTING_TEST_TLS_SERVER_H_
#define PINBAKE_TESTING_TEST_TLS_SERVER_H_

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "testing/test_pki.h"

namespace pinbake {

class TestTlsServer {
 public:
  // Starts serving `leaf` (with its private key) followed by `extra` (the
  // rest of the served chain, in order). Accepts connections one at a time
  // until destroyed; each gets a full handshake attempt, then is closed.
  // Aborts the test process on a socket or OpenSSL setup failure. Also sets
  // SIGPIPE to ignored (a client may close mid-write).
  static std::unique_ptr<TestTlsServer> Start(
      const TestCert& leaf, const std::vector<TestCert>& extra);

  ~TestTlsServer();
  TestTlsServer(const TestTlsServer&) = delete;
  TestTlsServer& operator=(const TestTlsServer&) = delete;

  // The TCP port on 127.0.0.1.
  int port() const { return port_; }
  // Handshakes that completed on the server side so far. The server thread
  // counts a handshake after SSL_accept returns, which can be after the
  // client already finished (TLS 1.3): to check a count after a client
  // ran, use WaitForHandshakes.
  int handshakes() const { return handshakes_.load(); }

  // Waits (polling, at most `timeout`) until at least `n` handshakes
  // completed; returns handshakes() then.
  int WaitForHandshakes(int n, absl::Duration timeout = absl::Seconds(10)) const;

 private:
  TestTlsServer() = default;
  void Serve();

  int listen_fd_ = -1;
  int port_ = 0;
  void* ctx_ = nullptr;  // SSL_CTX*.
  std::atomic<bool> stop_{false};
  std::atomic<int> handshakes_{0};
  std::thread thread_;
};

}  // namespace pinbake

#endif  // PINBAKE_TESTING_TEST_TLS_SERVER_H_
