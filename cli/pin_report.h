// The review part of a pin check as `pinbake check` and `pinbake connect`
// print it, in the spirit of OkHttp's CertificatePinner message: the pins
// the host's pinset expects (with key names where known) and, for each
// certificate of the chain, its pin and subject.
//
//   absl::StatusOr<std::vector<ChainCertificate>> chain = DescribeChain(ders);
//   PinReport report{view, good_pins, bad_pins, *chain, &key_names};
//   std::cout << PinReportText(report);        // human form
//   AppendPinReportJson(report, &json_object);  // --json form
//
// Text form (a violation):
//   www.example.com: violation: the chain matches no pin of pinset example
//     (enforce; rule example.com); the connection is refused
//     pinned keys of pinset example:
//       sha256/AAAA...= DemoIntermediate
//       sha256/BBBB...= DemoBackupKey
//     peer certificate chain:
//       sha256/cccc...=: CN=www.example.com
//       sha256/dddd...=: CN=Unrelated CA

#ifndef PINBAKE_CLI_PIN_REPORT_H_
#define PINBAKE_CLI_PIN_REPORT_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "cli/check_result_json.h"
#include "cli/cli_common.h"
#include "format/spki_hash.h"
#include "release/key_names.h"

namespace pinbake {
namespace cli {


// One certificate of a chain: the pin of its public key and its subject
// (OpenSSL's RFC 2253 one-line form, "CN=www.example.com,O=Example").
struct ChainCertificate {
  SpkiHash pin;
  std::string subject;
};

// The subject of the DER certificate `der`. InvalidArgument if it is not
// one certificate.
absl::StatusOr<std::string> CertificateSubject(absl::string_view der);

// Each certificate of `ders` (leaf first) described, in order.
// InvalidArgument naming the certificate (1-based) that does not parse.
absl::StatusOr<std::vector<ChainCertificate>> DescribeChain(
    const std::vector<std::string>& ders);

// What the report shows. `key_names` may be null.
struct PinReport {
  CheckResultView result;
  std::vector<SpkiHash> good_pins;  // The pinset's; empty when not pinned.
  std::vector<SpkiHash> bad_pins;
  std::vector<ChainCertificate> chain;  // Leaf first.
  const KeyNames* key_names = nullptr;
};

// The name shown for `pin`: its key name, else the subject of the chain
// certificate with that key, else "".
std::string PinName(const PinReport& report, const SpkiHash& pin);

// Adds "expected_pins" [{"pin", "name", "in_chain"}], "blocked_pins"
// [{"pin", "name", "in_chain"}] and "chain_certificates" [{"pin",
// "subject", "match": "good" | "bad" | null}] to `*out`. "name" is null
// when PinName is empty.
void AppendPinReportJson(const PinReport& report, Json* out);

// The human form (see the file comment): a headline, then the pinned keys
// and the chain, each line ending in "\n".
std::string PinReportText(const PinReport& report);

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_PIN_REPORT_H_
