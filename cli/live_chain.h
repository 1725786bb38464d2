// The certificate chain a live TLS server presents, captured with a real
// handshake, for `pinbake connect --save-chain`, `lint --connect` and
// `init`; and the TCP/host:port helpers they share.
//
//   absl::StatusOr<LiveServer> server = ParseLiveServer("www.example.com");
//   absl::StatusOr<CapturedChain> chain = CaptureChain(*server, extra_roots);
//   chain->best()  // verified chain (leaf to root), else the served one
//   WriteFileAtomically(path, CertificatesToPem(chain->best()));

#ifndef PINBAKE_CLI_LIVE_CHAIN_H_
#define PINBAKE_CLI_LIVE_CHAIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/command_line.h"

namespace pinbake {
namespace cli {

// Splits "host:port" or "[v6]:port"; false if either part is missing or
// the port is not 1..65535.
bool SplitHostPort(const std::string& text, std::string* host, int* port);

// Whether `host` is an IPv4 or IPv6 address literal.
bool IsIpLiteral(const std::string& host);

// Connects a TCP socket to host:port with send/receive timeouts of
// `timeout_seconds`. Returns the fd and sets `*address` ("1.2.3.4:443"),
// or returns -1 with `*error` set.
int ConnectTcp(const std::string& host, int port, std::string* address,
               std::string* error, int timeout_seconds = 10);

// A server to capture from: "HOST[:PORT][@ADDRESS]". HOST is the name for
// SNI, the certificate's host check and the pin list; the TCP connection
// goes to ADDRESS (default HOST) at PORT (default 443).
struct LiveServer {
  std::string host;
  int port = 443;
  std::string address;  // Where to connect.
  std::string ToString() const;  // "HOST:PORT" or "HOST:PORT@ADDRESS".
};

// Parses "HOST[:PORT][@ADDRESS]". InvalidArgument naming the text and the
// expected form.
absl::StatusOr<LiveServer> ParseLiveServer(absl::string_view text);

// What a handshake saw. DER certificates, leaf first.
struct CapturedChain {
  std::string address;                  // "127.0.0.1:8443".
  std::vector<std::string> served;      // As the server sent it.
  std::vector<std::string> verified;    // Leaf to root; empty if not verified.
  long verify_result = 0;               // OpenSSL's X509_V_* code.
  std::string verify_message;           // Its text.
  // The verified chain when verification succeeded, else the served one.
  const std::vector<std::string>& best() const {
    return verified.empty() ? served : verified;
  }
};

// The roots of `--ca FILE.pem` (DER, in file order) for CaptureChain; empty
// when the flag is not given. Errors name the flag and the file.
absl::StatusOr<std::vector<std::string>> CaRootsFromFlag(
    const ParsedArgs& parsed);

// Makes a TLS handshake with `server` (SNI and host check for server.host
// unless it is an IP literal), verifying against the system's roots plus
// `extra_root_ders`, and returns the chains whatever the verification
// outcome (it is reported, not enforced: capturing is not trusting).
// Unavailable for a connection or handshake failure, with the reason.
absl::StatusOr<CapturedChain> CaptureChain(
    const LiveServer& server, const std::vector<std::string>& extra_root_ders);

// The DER certificates as PEM blocks, in order. InvalidArgument if one is
// not a certificate.
absl::StatusOr<std::string> CertificatesToPem(
    const std::vector<std::string>& ders);

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_LIVE_CHAIN_H_
