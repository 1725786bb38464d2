#include "cli/live_chain.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "compiler/file_util.h"
#include "runtime/cert_util.h"
#include "runtime/openssl_error.h"

namespace pinbake {
namespace cli {
namespace {

struct SslDeleter {
  void operator()(SSL* ssl) const { SSL_free(ssl); }
  void operator()(SSL_CTX* ctx) const { SSL_CTX_free(ctx); }
};

std::string Der(X509* cert) {
  unsigned char* out = nullptr;
  const int n = i2d_X509(cert, &out);
  if (n <= 0) return "";
  std::string der(reinterpret_cast<char*>(out), n);
  OPENSSL_free(out);
  return der;
}

std::vector<std::string> Ders(STACK_OF(X509) * certs) {
  std::vector<std::string> out;
  if (certs == nullptr) return out;
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    out.push_back(Der(sk_X509_value(certs, i)));
  }
  return out;
}

}  // namespace

bool SplitHostPort(const std::string& text, std::string* host, int* port) {
  std::string port_text;
  if (!text.empty() && text[0] == '[') {
    const size_t close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() ||
        text[close + 1] != ':') {
      return false;
    }
    *host = text.substr(1, close - 1);
    port_text = text.substr(close + 2);
  } else {
    const size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    *host = text.substr(0, colon);
    port_text = text.substr(colon + 1);
  }
  return !host->empty() && absl::SimpleAtoi(port_text, port) && *port > 0 &&
         *port < 65536;
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buf[16];
  return inet_pton(AF_INET, host.c_str(), buf) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buf) == 1;
}

int ConnectTcp(const std::string& host, int port, std::string* address,
               std::string* error, int timeout_seconds) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* results = nullptr;
  const std::string port_text = absl::StrCat(port);
  const int rc = getaddrinfo(host.c_str(), port_text.c_str(), &hints, &results);
  if (rc != 0) {
    *error = absl::StrCat("cannot resolve ", host, ": ", gai_strerror(rc));
    return -1;
  }
  int fd = -1;
  std::string last_error = "no address";
  for (addrinfo* ai = results; ai != nullptr; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
    if (fd < 0) continue;
    timeval tv{};
    tv.tv_sec = timeout_seconds;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    char text[INET6_ADDRSTRLEN] = "?";
    const void* in_addr =
        ai->ai_family == AF_INET6
            ? static_cast<const void*>(
                  &reinterpret_cast<sockaddr_in6*>(ai->ai_addr)->sin6_addr)
            : static_cast<const void*>(
                  &reinterpret_cast<sockaddr_in*>(ai->ai_addr)->sin_addr);
    inet_ntop(ai->ai_family, in_addr, text, sizeof(text));
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
      *address = ai->ai_family == AF_INET6 ? absl::StrCat("[", text, "]:", port)
                                           : absl::StrCat(text, ":", port);
      break;
    }
    last_error = absl::StrCat(text, ": ", strerror(errno));
    close(fd);
    fd = -1;
  }
  freeaddrinfo(results);
  if (fd < 0) {
    *error = absl::StrCat("cannot connect to ", host, ":", port, ": ",
                          last_error);
  }
  return fd;
}

std::string LiveServer::ToString() const {
  std::string out = absl::StrCat(host, ":", port);
  if (address != host) absl::StrAppend(&out, "@", address);
  return out;
}

absl::StatusOr<LiveServer> ParseLiveServer(absl::string_view text) {
  const auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", text, "\" is not HOST[:PORT][@ADDRESS] (for example "
        "www.example.com or www.example.com:8443@127.0.0.1)"));
  };
  LiveServer server;
  std::string host_port(text);
  if (const size_t at = host_port.find('@'); at != std::string::npos) {
    server.address = host_port.substr(at + 1);
    host_port.resize(at);
    if (server.address.empty()) return bad();
  }
  if (host_port.find(':') != std::string::npos &&
      !SplitHostPort(host_port, &server.host, &server.port)) {
    return bad();
  }
  if (host_port.find(':') == std::string::npos) server.host = host_port;
  if (server.host.empty()) return bad();
  if (server.address.empty()) server.address = server.host;
  return server;
}

absl::StatusOr<CapturedChain> CaptureChain(
    const LiveServer& server, const std::vector<std::string>& extra_root_ders) {
  signal(SIGPIPE, SIG_IGN);  // A peer may close while we write.
  std::unique_ptr<SSL_CTX, SslDeleter> ctx(SSL_CTX_new(TLS_client_method()));
  if (ctx == nullptr || SSL_CTX_set_default_verify_paths(ctx.get()) != 1) {
    return absl::InternalError(
        absl::StrCat("OpenSSL setup failed: ", DrainOpenSslErrors()));
  }
  X509_STORE* store = SSL_CTX_get_cert_store(ctx.get());
  for (const std::string& der : extra_root_ders) {
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    std::unique_ptr<X509, decltype(&X509_free)> root(
        d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
    if (root == nullptr || X509_STORE_add_cert(store, root.get()) != 1) {
      return absl::InvalidArgumentError("a --ca certificate does not load");
    }
  }
  // Capture, do not enforce: the verification outcome is reported.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);

  CapturedChain out;
  std::string error;
  const int fd = ConnectTcp(server.address, server.port, &out.address, &error);
  if (fd < 0) return absl::UnavailableError(error);
  std::unique_ptr<SSL, SslDeleter> ssl(SSL_new(ctx.get()));
  bool setup_ok = ssl != nullptr && SSL_set_fd(ssl.get(), fd) == 1;
  if (setup_ok && !IsIpLiteral(server.host)) {
    setup_ok =
        SSL_set_tlsext_host_name(ssl.get(), server.host.c_str()) == 1 &&
        SSL_set1_host(ssl.get(), server.host.c_str()) == 1;
  } else if (setup_ok) {
    setup_ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl.get()),
                                             server.host.c_str()) == 1;
  }
  if (!setup_ok) {
    close(fd);
    return absl::InternalError(
        absl::StrCat("OpenSSL setup failed: ", DrainOpenSslErrors()));
  }
  const bool connected = SSL_connect(ssl.get()) == 1;
  if (!connected) {
    const std::string why = DrainOpenSslErrors();
    ssl.reset();
    close(fd);
    return absl::UnavailableError(absl::StrCat(
        "TLS handshake with ", server.ToString(), " (", out.address,
        ") failed: ", why.empty() ? "the peer closed the connection" : why));
  }
  out.served = Ders(SSL_get_peer_cert_chain(ssl.get()));
  out.verify_result = SSL_get_verify_result(ssl.get());
  out.verify_message = X509_verify_cert_error_string(out.verify_result);
  if (out.verify_result == X509_V_OK) {
    out.verified = Ders(SSL_get0_verified_chain(ssl.get()));
  }
  SSL_shutdown(ssl.get());
  ssl.reset();
  close(fd);
  if (out.served.empty()) {
    return absl::UnavailableError(absl::StrCat(
        server.ToString(), " presented no certificate"));
  }
  return out;
}

absl::StatusOr<std::string> CertificatesToPem(
    const std::vector<std::string>& ders) {
  std::string out;
  for (size_t i = 0; i < ders.size(); ++i) {
    const unsigned char* p =
        reinterpret_cast<const unsigned char*>(ders[i].data());
    std::unique_ptr<X509, decltype(&X509_free)> cert(
        d2i_X509(nullptr, &p, static_cast<long>(ders[i].size())), X509_free);
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()),
                                                  BIO_free);
    if (cert == nullptr || bio == nullptr ||
        PEM_write_bio_X509(bio.get(), cert.get()) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("certificate ", i + 1, " is not a certificate"));
    }
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio.get(), &data);
    out.append(data, size > 0 ? static_cast<size_t>(size) : 0);
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> CaRootsFromFlag(
    const ParsedArgs& parsed) {
  std::optional<std::string> ca = parsed.Value("--ca");
  if (!ca) return std::vector<std::string>();
  absl::StatusOr<std::string> pem = ReadFileToString(*ca);
  if (!pem.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--ca: ", pem.status().message()));
  }
  absl::StatusOr<std::vector<std::string>> ders =
      ParsePemCertificateChain(*pem);
  if (!ders.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--ca ", *ca, ": ", ders.status().message()));
  }
  return ders;
}

}  // namespace cli
}  // namespace pinbake
