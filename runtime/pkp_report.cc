#include "runtime/pkp_report.h"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "format/host_name.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace {

using Json = nlohmann::ordered_json;

std::string FormatReportTime(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", t, absl::UTCTimeZone());
}

// The report without its two dates, in the order RFC 7469 lists the fields
// (date-time and effective-expiration-date are inserted by the caller).
Json ReportBody(const PkpReport& report) {
  Json out;
  out["hostname"] = report.hostname;
  out["port"] = report.port;
  out["include-subdomains"] = report.include_subdomains;
  out["noted-hostname"] = report.noted_hostname;
  Json served = Json::array();
  for (const std::string& der : report.served_chain_der) {
    served.push_back(DerToPemCertificate(der));
  }
  out["served-certificate-chain"] = std::move(served);
  Json validated = Json::array();
  for (const std::string& der : report.validated_chain_der) {
    validated.push_back(DerToPemCertificate(der));
  }
  out["validated-certificate-chain"] = std::move(validated);
  Json pins = Json::array();
  for (const SpkiHash& pin : report.known_pins) {
    const std::string text = SpkiHashToString(pin);
    pins.push_back(absl::StrCat(
        "pin-sha256=\"", absl::string_view(text).substr(kSpkiHashPrefix.size()),
        "\""));
  }
  out["known-pins"] = std::move(pins);
  return out;
}

}  // namespace

std::optional<PkpReport> MakePkpReport(
    const ChainCheckResult& result, const PinList& list, int port,
    absl::Time now, std::vector<std::string> served_chain_der,
    std::vector<std::string> validated_chain_der) {
  if (!result.lookup.pinset.has_value() ||
      !result.lookup.pin_rule.has_value()) {
    return std::nullopt;
  }
  PkpReport report;
  report.date_time = now;
  report.hostname = std::string(result.lookup.canonical.view());
  report.port = port;
  const TableReader& table = list.table();
  report.effective_expiration_date =
      ListExpiry(table.timestamp(), table.max_age_days());
  report.include_subdomains =
      result.lookup.pin_rule->covers_subdomains_for_pins();
  report.noted_hostname = result.lookup.PinRuleName();
  report.served_chain_der = std::move(served_chain_der);
  report.validated_chain_der = std::move(validated_chain_der);
  for (size_t i = 0; i < result.lookup.pinset->good_count(); ++i) {
    report.known_pins.push_back(result.lookup.pinset->good(i));
  }
  return report;
}

std::string PkpReportToJson(const PkpReport& report) {
  Json out;
  out["date-time"] = FormatReportTime(report.date_time);
  Json body = ReportBody(report);
  out["hostname"] = body["hostname"];
  out["port"] = body["port"];
  out["effective-expiration-date"] =
      FormatReportTime(report.effective_expiration_date);
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "hostname" && it.key() != "port") out[it.key()] = *it;
  }
  return out.dump();
}

std::string PkpReportCacheKey(const PkpReport& report,
                              absl::string_view report_uri) {
  const std::string input =
      absl::StrCat(ReportBody(report).dump(), "\n", report_uri);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  if (EVP_Digest(input.data(), input.size(), digest, &digest_size,
                 EVP_sha256(), nullptr) != 1) {
    return input;  // Still a correct key, only longer.
  }
  return absl::BytesToHexString(absl::string_view(
      reinterpret_cast<const char*>(digest), digest_size));
}

std::string DerToPemCertificate(absl::string_view der) {
  const std::string b64 = absl::Base64Escape(der);
  std::string out = "-----BEGIN CERTIFICATE-----\n";
  for (size_t i = 0; i < b64.size(); i += 64) {
    out.append(b64, i, 64);
    out.push_back('\n');
  }
  out += "-----END CERTIFICATE-----\n";
  return out;
}

std::string HttpsReportUriHost(absl::string_view report_uri) {
  constexpr absl::string_view kScheme = "https://";
  if (report_uri.size() < kScheme.size() ||
      !absl::EqualsIgnoreCase(report_uri.substr(0, kScheme.size()), kScheme)) {
    return "";
  }
  absl::string_view authority = report_uri.substr(kScheme.size());
  authority = authority.substr(0, authority.find_first_of("/?#"));
  const size_t at = authority.rfind('@');
  if (at != absl::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority[0] == '[') return "";  // IPv6.
  const size_t colon = authority.rfind(':');
  if (colon != absl::string_view::npos) authority = authority.substr(0, colon);
  if (authority.find('%') != absl::string_view::npos) return "%";
  CanonicalHost host;
  if (CanonicalizeHost(authority, &host) != HostError::kNone) return "";
  return std::string(host.view());
}

bool ShouldSuppressPkpReport(const PinList& list,
                             const ChainCheckResult& result,
                             absl::string_view report_uri) {
  const std::string uri_host = HttpsReportUriHost(report_uri);
  if (uri_host.empty()) return false;
  if (uri_host == "%") return true;
  if (uri_host == result.lookup.canonical.view()) return true;
  if (!result.lookup.pinset.has_value()) return false;
  const LookupResult target = list.Lookup(uri_host);
  if (!target.pinned()) return false;
  return target.pinset->name() == result.lookup.pinset->name();
}

PkpReportCache::PkpReportCache(std::function<absl::Time()> clock)
    : clock_(clock ? std::move(clock) : std::function<absl::Time()>(absl::Now)) {}

bool PkpReportCache::ShouldSend(absl::string_view key) {
  const absl::Time now = clock_();
  absl::MutexLock lock(&mu_);
  auto it = sent_.find(key);
  if (it != sent_.end()) {
    if (now - it->second < kTimeToRemember) return false;
    it->second = now;
    return true;
  }
  if (sent_.size() >= kMaxEntries) {
    for (auto e = sent_.begin(); e != sent_.end();) {
      if (now - e->second >= kTimeToRemember) {
        sent_.erase(e++);
      } else {
        ++e;
      }
    }
  }
  if (sent_.size() >= kMaxEntries) {
    auto oldest = sent_.begin();
    for (auto e = sent_.begin(); e != sent_.end(); ++e) {
      if (e->second < oldest->second) oldest = e;
    }
    sent_.erase(oldest);
  }
  sent_.emplace(std::string(key), now);
  return true;
}

size_t PkpReportCache::size() const {
  absl::MutexLock lock(&mu_);
  return sent_.size();
}

PkpReporter::PkpReporter(PkpReportSink* sink, std::function<absl::Time()> clock)
    : sink_(sink), cache_(std::move(clock)) {}

bool PkpReporter::Report(absl::string_view report_uri,
                         const PkpReport& report) {
  if (report_uri.empty() || sink_ == nullptr) return false;
  const std::string uri_host = HttpsReportUriHost(report_uri);
  if (uri_host == "%" || (!uri_host.empty() && uri_host == report.hostname)) {
    return false;  // Would go over a connection that fails the same pins.
  }
  if (!cache_.ShouldSend(PkpReportCacheKey(report, report_uri))) return false;
  sink_->Send(report_uri, PkpReportToJson(report));
  return true;
}

}  // namespace pinbake
