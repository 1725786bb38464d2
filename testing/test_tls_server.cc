#include "testing/test_tls_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/time/clock.h"

namespace pinbake {
namespace {

[[noreturn]] void Die(const char* what) {
  std::fprintf(stderr, "TestTlsServer: %s failed\n", what);
  ERR_print_errors_fp(stderr);
  std::abort();
}

void SetTimeouts(int fd, int seconds) {
  timeval tv{};
  tv.tv_sec = seconds;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
}

}  // namespace

std::unique_ptr<TestTlsServer> TestTlsServer::Start(
    const TestCert& leaf, const std::vector<TestCert>& extra) {
  signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<TestTlsServer> server(new TestTlsServer);
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (ctx == nullptr) Die("SSL_CTX_new");
  if (SSL_CTX_use_certificate(ctx, leaf.x509.get()) != 1) {
    Die("SSL_CTX_use_certificate");
  }
  for (const TestCert& cert : extra) {
    if (SSL_CTX_add1_chain_cert(ctx, cert.x509.get()) != 1) {
      Die("SSL_CTX_add1_chain_cert");
    }
  }
  if (SSL_CTX_use_PrivateKey(ctx, leaf.key.get()) != 1) {
    Die("SSL_CTX_use_PrivateKey");
  }
  server->ctx_ = ctx;

  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) Die("socket");
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    Die("bind");
  }
  if (listen(fd, 16) != 0) Die("listen");
  socklen_t len = sizeof(addr);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    Die("getsockname");
  }
  server->listen_fd_ = fd;
  server->port_ = ntohs(addr.sin_port);
  server->thread_ = std::thread([s = server.get()] { s->Serve(); });
  return server;
}

void TestTlsServer::Serve() {
  SSL_CTX* ctx = static_cast<SSL_CTX*>(ctx_);
  while (!stop_.load()) {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) continue;
    const int conn = accept(listen_fd_, nullptr, nullptr);
    if (conn < 0) continue;
    SetTimeouts(conn, 10);
    SSL* ssl = SSL_new(ctx);
    if (ssl != nullptr && SSL_set_fd(ssl, conn) == 1) {
      if (SSL_accept(ssl) == 1) {
        handshakes_.fetch_add(1);
        // Wait for the client to close (or send anything), so that the
        // session tickets TLS 1.3 sends after the handshake get read.
        char buf[64];
        SSL_read(ssl, buf, sizeof(buf));
        SSL_shutdown(ssl);
      }
    }
    SSL_free(ssl);
    ERR_clear_error();
    close(conn);
  }
}

int TestTlsServer::WaitForHandshakes(int n, absl::Duration timeout) const {
  const absl::Time deadline = absl::Now() + timeout;
  while (handshakes_.load() < n && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  return handshakes_.load();
}

TestTlsServer::~TestTlsServer() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  if (listen_fd_ >= 0) close(listen_fd_);
  SSL_CTX_free(static_cast<SSL_CTX*>(ctx_));
}

}  // namespace pinbake
