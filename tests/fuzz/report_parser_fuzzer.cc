// Fuzzes ParseReport (collector/report_parser.h), the collector's parser of
// untrusted RFC 7469 report bodies, and checks its contract on every input:
//   - it never crashes, leaks or reads out of bounds (ASan/UBSan);
//   - a refusal has a non-empty reason;
//   - an accepted report has canonical host names, a port in 1..65535, a
//     validated chain of 1..16 certificates, each with the SPKI hash the
//     certificate's DER gives;
//   - parsing is deterministic (the certificate cache changes nothing): the
//     same input gives the same dedup key again;
//   - written back with the runtime's PkpReportToJson, the report parses to
//     the same dedup key (what pinbake's own clients send round-trips).

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "collector/certificate_cache.h"
#include "collector/report_parser.h"
#include "format/host_name.h"
#include "runtime/cert_util.h"
#include "runtime/pkp_report.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using pinbake::collector::ParseReport;
using pinbake::collector::ReportDedupKey;
using pinbake::collector::ValidatedReport;

void CheckCanonical(const std::string& host) {
  pinbake::CanonicalHost canonical;
  FUZZ_CHECK(pinbake::CanonicalizeHost(host, &canonical) ==
             pinbake::HostError::kNone);
  FUZZ_CHECK(canonical.view() == host);
}

std::vector<std::string> Ders(
    const std::vector<pinbake::collector::ReportCertificate>& chain) {
  std::vector<std::string> ders;
  for (const auto& cert : chain) {
    absl::StatusOr<std::vector<std::string>> der =
        pinbake::ParsePemCertificateChain(cert.pem);
    FUZZ_CHECK(der.ok() && der->size() == 1);
    absl::StatusOr<pinbake::collector::CertificateFacts> facts =
        pinbake::collector::DecodeCertificateFacts((*der)[0]);
    FUZZ_CHECK(facts.ok());
    FUZZ_CHECK(facts->spki_hash == cert.spki_hash);
    ders.push_back((*der)[0]);
  }
  return ders;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view input(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<ValidatedReport> report = ParseReport(input);
  if (!report.ok()) {
    FUZZ_CHECK(!report.status().message().empty());
    return 0;
  }
  CheckCanonical(report->hostname);
  CheckCanonical(report->noted_hostname);
  FUZZ_CHECK(report->port >= 1 && report->port <= 65535);
  FUZZ_CHECK(!report->validated_chain.empty());
  FUZZ_CHECK(report->validated_chain.size() <=
             pinbake::collector::kMaxChainLength);
  const std::string key = ReportDedupKey(*report, "/pkp");
  FUZZ_CHECK(key.size() == 64);
  absl::StatusOr<ValidatedReport> again = ParseReport(input);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(ReportDedupKey(*again, "/pkp") == key);

  pinbake::PkpReport written;
  written.date_time = report->date_time;
  written.hostname = report->hostname;
  written.port = report->port;
  written.effective_expiration_date = report->effective_expiration_date;
  written.include_subdomains = report->include_subdomains;
  written.noted_hostname = report->noted_hostname;
  written.served_chain_der = Ders(report->served_chain);
  written.validated_chain_der = Ders(report->validated_chain);
  written.known_pins = report->known_pins;
  absl::StatusOr<ValidatedReport> round_trip =
      ParseReport(pinbake::PkpReportToJson(written));
  FUZZ_CHECK(round_trip.ok());
  FUZZ_CHECK(ReportDedupKey(*round_trip, "/pkp") == key);
  return 0;
}
