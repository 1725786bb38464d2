#include "cli/pin_report.h"

#include <openssl/bio.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>

#include "absl/strings/str_cat.h"
#include "runtime/cert_util.h"

namespace pinbake {
namespace cli {
namespace {

bool Contains(const std::vector<SpkiHash>& pins, const SpkiHash& pin) {
  return std::find(pins.begin(), pins.end(), pin) != pins.end();
}

bool InChain(const PinReport& report, const SpkiHash& pin) {
  for (const ChainCertificate& c : report.chain) {
    if (c.pin == pin) return true;
  }
  return false;
}

Json PinsJson(const PinReport& report, const std::vector<SpkiHash>& pins) {
  Json out = Json::array();
  for (const SpkiHash& pin : pins) {
    const std::string name = PinName(report, pin);
    out.push_back({{"pin", SpkiHashToString(pin)},
                   {"name", name.empty() ? Json(nullptr) : Json(name)},
                   {"in_chain", InChain(report, pin)}});
  }
  return out;
}

// What the outcome means, after "HOST: RESULT".
std::string Explanation(const PinReport& report) {
  const CheckResultView& v = report.result;
  const std::string where =
      v.pinset ? absl::StrCat(" of pinset ", *v.pinset) : std::string();
  switch (v.outcome) {
    case CheckOutcome::kInvalidHost:
      return "not a valid host name; refused";
    case CheckOutcome::kNotPinned:
      return "the host is not pinned; allowed";
    case CheckOutcome::kOk:
      return absl::StrCat("the chain matches a pin", where, "; allowed");
    case CheckOutcome::kBypassed:
      return absl::StrCat(
          v.bad_pin_found ? "the chain has a blocked pin" : "the chain matches no pin",
          where, ", but it ends at a locally installed root; allowed (bypassed)");
    case CheckOutcome::kStale:
      return absl::StrCat("the list is stale, pins are not enforced; allowed",
                          v.would_fail ? " (the chain would fail the pins)" : "");
    case CheckOutcome::kViolation:
      break;
  }
  std::string why = v.bad_pin_found
                        ? absl::StrCat("the chain has a blocked pin", where)
                        : absl::StrCat("the chain matches no pin", where);
  return absl::StrCat(why, v.allowed ? "; allowed (report-only)"
                                     : "; the connection is refused");
}

}  // namespace

absl::StatusOr<std::string> CertificateSubject(absl::string_view der) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<X509, decltype(&X509_free)> cert(
      d2i_X509(nullptr, &p, static_cast<long>(der.size())), X509_free);
  if (cert == nullptr ||
      p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return absl::InvalidArgumentError("not one DER certificate");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (bio == nullptr ||
      X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert.get()), 0,
                         XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    return absl::InternalError("cannot print the certificate subject");
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, size > 0 ? static_cast<size_t>(size) : 0);
}

absl::StatusOr<std::vector<ChainCertificate>> DescribeChain(
    const std::vector<std::string>& ders) {
  std::vector<ChainCertificate> out;
  for (size_t i = 0; i < ders.size(); ++i) {
    absl::StatusOr<SpkiHash> pin = SpkiHashOfDerCertificate(ders[i]);
    absl::StatusOr<std::string> subject =
        pin.ok() ? CertificateSubject(ders[i]) : pin.status();
    if (!subject.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "certificate ", i + 1, ": ", subject.status().message()));
    }
    out.push_back({*pin, *std::move(subject)});
  }
  return out;
}

std::string PinName(const PinReport& report, const SpkiHash& pin) {
  if (report.key_names != nullptr) {
    auto it = report.key_names->find(pin);
    if (it != report.key_names->end()) return it->second;
  }
  for (const ChainCertificate& c : report.chain) {
    if (c.pin == pin) return c.subject;
  }
  return "";
}

void AppendPinReportJson(const PinReport& report, Json* out) {
  (*out)["expected_pins"] = PinsJson(report, report.good_pins);
  (*out)["blocked_pins"] = PinsJson(report, report.bad_pins);
  Json chain = Json::array();
  for (const ChainCertificate& c : report.chain) {
    const char* match = Contains(report.good_pins, c.pin)  ? "good"
                        : Contains(report.bad_pins, c.pin) ? "bad"
                                                           : nullptr;
    chain.push_back({{"pin", SpkiHashToString(c.pin)},
                     {"subject", c.subject},
                     {"match", match ? Json(match) : Json(nullptr)}});
  }
  (*out)["chain_certificates"] = std::move(chain);
}

std::string PinReportText(const PinReport& report) {
  const CheckResultView& v = report.result;
  // An invalid host is shown as a JSON string: control bytes escaped,
  // bytes that are not UTF-8 as U+FFFD (never raw to a terminal).
  const std::string host =
      v.canonical ? *v.canonical : DumpLine(Json(v.host));
  std::string out = absl::StrCat(host, ": ",
                                 CheckOutcomeName(v.outcome), ": ",
                                 Explanation(report));
  if (v.pin_mode && v.pin_entry) {
    absl::StrAppend(&out, " (", PinModeName(*v.pin_mode), "; entry ", *v.pin_entry,
                    ")");
  }
  out += "\n";
  auto pin_lines = [&](const char* title, const std::vector<SpkiHash>& pins) {
    if (pins.empty()) return;
    absl::StrAppend(&out, "  ", title, " of pinset ", v.pinset.value_or("?"),
                    ":\n");
    for (const SpkiHash& pin : pins) {
      const std::string name = PinName(report, pin);
      absl::StrAppend(&out, "    ", SpkiHashToString(pin),
                      name.empty() ? "" : " ", name,
                      InChain(report, pin) ? " (in the chain)" : "", "\n");
    }
  };
  pin_lines("pinned keys", report.good_pins);
  pin_lines("blocked keys", report.bad_pins);
  if (!report.chain.empty()) out += "  peer certificate chain:\n";
  for (const ChainCertificate& c : report.chain) {
    absl::StrAppend(&out, "    ", SpkiHashToString(c.pin), ": ", c.subject,
                    Contains(report.good_pins, c.pin)  ? " (pinned)"
                    : Contains(report.bad_pins, c.pin) ? " (blocked)"
                                                       : "",
                    "\n");
  }
  return out;
}

}  // namespace cli
}  // namespace pinbake
