#include "collector/report_parser.h"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include <cstdint>
#include <string_view>
#include <memory>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "collector/certificate_cache.h"
#include "format/host_name.h"
#include "nlohmann/json.hpp"
#include "runtime/pkp_report.h"

namespace pinbake {
namespace collector {
namespace {

using Json = nlohmann::json;

absl::Status FieldError(absl::string_view field, absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat("\"", field, "\": ", problem));
}

const Json* Find(const Json& object, const char* field) {
  auto it = object.find(field);
  return it == object.end() ? nullptr : &*it;
}

absl::StatusOr<std::string> RequiredString(const Json& object,
                                           const char* field) {
  const Json* value = Find(object, field);
  if (value == nullptr) return FieldError(field, "missing");
  if (!value->is_string()) return FieldError(field, "must be a string");
  return value->get<std::string>();
}

absl::StatusOr<absl::Time> RequiredDate(const Json& object,
                                        const char* field) {
  absl::StatusOr<std::string> text = RequiredString(object, field);
  if (!text.ok()) return text.status();
  absl::Time time;
  std::string error;
  if (text->size() > 64 ||
      !absl::ParseTime(absl::RFC3339_full, *text, &time, &error)) {
    return FieldError(field,
                      "must be an RFC 3339 date-time, e.g. "
                      "2026-01-02T03:04:05.000Z");
  }
  // Years 1970..9999: what SQL columns and RFC 3339 writers agree on.
  if (time < absl::UnixEpoch() ||
      time > absl::FromUnixSeconds(253402300799)) {
    return FieldError(field, "out of range (years 1970..9999)");
  }
  return time;
}

absl::StatusOr<std::string> RequiredHost(const Json& object,
                                         const char* field) {
  absl::StatusOr<std::string> text = RequiredString(object, field);
  if (!text.ok()) return text.status();
  CanonicalHost canonical;
  HostError error = CanonicalizeHost(*text, &canonical);
  if (error != HostError::kNone) {
    return FieldError(field, absl::StrCat("not a valid host name (",
                                          HostErrorName(error), ")"));
  }
  return std::string(canonical.view());
}

// The DER of the one PEM CERTIFICATE block in `text` (OpenSSL's PEM
// reader); InvalidArgument on no block, another label, PEM headers or a
// second block.
absl::StatusOr<std::string> OnePemCertificate(absl::string_view text) {
  if (text.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::InvalidArgumentError("too large");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(text.data(), static_cast<int>(text.size())), BIO_free);
  if (!bio) return absl::ResourceExhaustedError("out of memory");
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long size = 0;
  const int ok = PEM_read_bio(bio.get(), &name, &header, &data, &size);
  std::unique_ptr<char, void (*)(char*)> name_owner(
      name, [](char* q) { OPENSSL_free(q); });
  std::unique_ptr<char, void (*)(char*)> header_owner(
      header, [](char* q) { OPENSSL_free(q); });
  std::unique_ptr<unsigned char, void (*)(unsigned char*)> data_owner(
      data, [](unsigned char* q) { OPENSSL_free(q); });
  ERR_clear_error();
  if (!ok || name == nullptr || data == nullptr || size <= 0) {
    return absl::InvalidArgumentError("no PEM block");
  }
  if (std::string_view(name) != "CERTIFICATE") {
    return absl::InvalidArgumentError("PEM label is not CERTIFICATE");
  }
  if (header != nullptr && header[0] != '\0') {
    return absl::InvalidArgumentError("PEM headers are not allowed");
  }
  std::string der(reinterpret_cast<const char*>(data),
                  static_cast<size_t>(size));
  char* name2 = nullptr;
  char* header2 = nullptr;
  unsigned char* data2 = nullptr;
  long size2 = 0;
  const int more = PEM_read_bio(bio.get(), &name2, &header2, &data2, &size2);
  OPENSSL_free(name2);
  OPENSSL_free(header2);
  OPENSSL_free(data2);
  ERR_clear_error();
  if (more) {
    return absl::InvalidArgumentError("must hold exactly one PEM certificate");
  }
  return der;
}

absl::StatusOr<std::vector<ReportCertificate>> Chain(const Json& object,
                                                     const char* field,
                                                     bool required) {
  const Json* value = Find(object, field);
  std::vector<ReportCertificate> chain;
  if (value == nullptr) {
    if (required) return FieldError(field, "missing");
    return chain;
  }
  if (!value->is_array()) {
    return FieldError(field, "must be an array of PEM certificates");
  }
  if (value->size() > kMaxChainLength) {
    return FieldError(field, absl::StrCat("more than ", kMaxChainLength,
                                          " certificates"));
  }
  if (required && value->empty()) {
    return FieldError(field, "must hold at least one certificate");
  }
  for (size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    const std::string where = absl::StrCat(field, "[", i, "]");
    if (!item.is_string()) return FieldError(where, "must be a string");
    absl::StatusOr<std::string> der =
        OnePemCertificate(item.get_ref<const std::string&>());
    if (!der.ok()) {
      if (der.status().message() == "must hold exactly one PEM certificate") {
        return FieldError(where, der.status().message());
      }
      return FieldError(where, absl::StrCat("not a PEM certificate (",
                                            der.status().message(), ")"));
    }
    absl::StatusOr<CertificateFacts> facts =
        CertificateCache::Shared().Get(*der);
    if (!facts.ok()) {
      return FieldError(where, absl::StrCat("not an X.509 certificate (",
                                            facts.status().message(), ")"));
    }
    ReportCertificate cert;
    cert.pem = DerToPemCertificate(*der);
    cert.spki_hash = facts->spki_hash;
    cert.subject = facts->subject;
    chain.push_back(std::move(cert));
  }
  return chain;
}

absl::StatusOr<std::vector<SpkiHash>> KnownPins(const Json& object) {
  std::vector<SpkiHash> pins;
  const Json* value = Find(object, "known-pins");
  if (value == nullptr) return pins;
  if (!value->is_array()) {
    return FieldError("known-pins", "must be an array of strings");
  }
  if (value->size() > kMaxKnownPins) {
    return FieldError("known-pins",
                      absl::StrCat("more than ", kMaxKnownPins, " pins"));
  }
  constexpr absl::string_view kPrefix = "pin-sha256=\"";
  for (size_t i = 0; i < value->size(); ++i) {
    const Json& item = (*value)[i];
    const std::string where = absl::StrCat("known-pins[", i, "]");
    if (!item.is_string()) return FieldError(where, "must be a string");
    absl::string_view text = item.get_ref<const std::string&>();
    if (!absl::StartsWith(text, kPrefix) || !absl::EndsWith(text, "\"") ||
        text.size() < kPrefix.size() + 1) {
      return FieldError(where, "must be pin-sha256=\"<base64>\"");
    }
    text.remove_prefix(kPrefix.size());
    text.remove_suffix(1);
    absl::StatusOr<SpkiHash> hash =
        ParseSpkiHash(absl::StrCat("sha256/", text));
    if (!hash.ok()) {
      return FieldError(where, absl::StrCat("bad pin (",
                                            hash.status().message(), ")"));
    }
    pins.push_back(*hash);
  }
  return pins;
}

// A SAX handler for nlohmann/json's parser (Json::sax_parse: every value,
// member name, object and array start and end, in input order) that builds
// the document with nlohmann's own DOM builder (json_sax_dom_parser, to
// which each event is handed on) and stops at the first thing two JSON
// parsers may read differently:
//   - a member name repeated in one object (at any depth): some parsers
//     keep the first value, some the last (nlohmann's builder among them),
//     some refuse;
//   - a NUL character (\u0000) in a string or member name: C-string
//     readers stop at it;
//   - objects or arrays nested deeper than kMaxJsonDepth: recursive
//     parsers give up at different depths.
// One pass, linear time: one hash set of member names per open object.
// (Not a parser callback of Json::parse: its callback parser scans the
// parent container at every object end, quadratic on an array of objects.)
class StrictJsonCheck final : public nlohmann::json_sax<Json> {
 public:
  // Builds the document into `*root`.
  explicit StrictJsonCheck(Json* root) : dom_(*root, /*allow_exceptions=*/false) {}

  // The first ambiguity seen, "" if none.
  const std::string& problem() const { return problem_; }
  // Where the JSON syntax broke (a byte offset, 1-based), 0 if it did not.
  size_t syntax_error_at() const { return syntax_error_at_; }

  bool null() override { return dom_.null(); }
  bool boolean(bool value) override { return dom_.boolean(value); }
  bool number_integer(number_integer_t value) override {
    return dom_.number_integer(value);
  }
  bool number_unsigned(number_unsigned_t value) override {
    return dom_.number_unsigned(value);
  }
  bool number_float(number_float_t value, const string_t& text) override {
    return dom_.number_float(value, text);
  }
  bool binary(binary_t& value) override { return dom_.binary(value); }
  bool string(string_t& value) override {
    if (value.find('\0') != std::string::npos) {
      return Refuse("a string holds a NUL character (\\u0000)");
    }
    return dom_.string(value);
  }
  bool start_object(std::size_t size) override {
    names_.emplace_back();
    return Enter() && dom_.start_object(size);
  }
  bool key(string_t& name) override {
    if (name.find('\0') != std::string::npos) {
      return Refuse(absl::StrCat("member name ", Quoted(name),
                                 " holds a NUL character (\\u0000)"));
    }
    if (!names_.empty() && !names_.back().insert(name).second) {
      return Refuse(absl::StrCat("duplicate member ", Quoted(name)));
    }
    return dom_.key(name);
  }
  bool end_object() override {
    if (!names_.empty()) names_.pop_back();
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t size) override {
    return Enter() && dom_.start_array(size);
  }
  bool end_array() override {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string&,
                   const nlohmann::detail::exception&) override {
    syntax_error_at_ = position == 0 ? 1 : position;
    return false;
  }

 private:
  bool Enter() {
    if (++depth_ <= kMaxJsonDepth) return true;
    return Refuse(absl::StrCat("objects and arrays nested deeper than ",
                               kMaxJsonDepth, " levels"));
  }
  bool Refuse(std::string problem) {
    problem_ = std::move(problem);
    return false;  // Stops the parse.
  }
  // `name` as a JSON string (escaped, so the reason stays one line),
  // cut to 64 bytes.
  static std::string Quoted(const std::string& name) {
    return Json(name.substr(0, 64))
        .dump(-1, ' ', false, Json::error_handler_t::replace);
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::vector<absl::flat_hash_set<std::string>> names_;  // Per open object.
  size_t depth_ = 0;
  std::string problem_;
  size_t syntax_error_at_ = 0;
};

}  // namespace

absl::StatusOr<ValidatedReport> ParseReport(absl::string_view body) {
  // One pass: syntax, ambiguities, and the document.
  Json json;
  StrictJsonCheck strict(&json);
  const bool clean = Json::sax_parse(body.begin(), body.end(), &strict);
  if (strict.syntax_error_at() != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "malformed JSON (at byte ", strict.syntax_error_at(), ")"));
  }
  if (!strict.problem().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("ambiguous JSON: ", strict.problem()));
  }
  if (!clean) return absl::InvalidArgumentError("malformed JSON");
  if (!json.is_object()) {
    return absl::InvalidArgumentError("report must be a JSON object");
  }
  ValidatedReport report;
  absl::StatusOr<absl::Time> date = RequiredDate(json, "date-time");
  if (!date.ok()) return date.status();
  report.date_time = *date;
  absl::StatusOr<std::string> host = RequiredHost(json, "hostname");
  if (!host.ok()) return host.status();
  report.hostname = *std::move(host);

  const Json* port = Find(json, "port");
  if (port == nullptr) return FieldError("port", "missing");
  if (!port->is_number_integer()) {
    return FieldError("port", "must be an integer 1..65535");
  }
  const int64_t port_value = port->is_number_unsigned()
                                 ? static_cast<int64_t>(std::min<uint64_t>(
                                       port->get<uint64_t>(), 1u << 20))
                                 : port->get<int64_t>();
  if (port_value < 1 || port_value > 65535) {
    return FieldError("port", "must be an integer 1..65535");
  }
  report.port = static_cast<int>(port_value);

  absl::StatusOr<absl::Time> expiry =
      RequiredDate(json, "effective-expiration-date");
  if (!expiry.ok()) return expiry.status();
  report.effective_expiration_date = *expiry;

  const Json* subdomains = Find(json, "include-subdomains");
  if (subdomains == nullptr) return FieldError("include-subdomains", "missing");
  if (!subdomains->is_boolean()) {
    return FieldError("include-subdomains", "must be true or false");
  }
  report.include_subdomains = subdomains->get<bool>();

  absl::StatusOr<std::string> noted = RequiredHost(json, "noted-hostname");
  if (!noted.ok()) return noted.status();
  report.noted_hostname = *std::move(noted);

  absl::StatusOr<std::vector<ReportCertificate>> served =
      Chain(json, "served-certificate-chain", /*required=*/false);
  if (!served.ok()) return served.status();
  report.served_chain = *std::move(served);
  absl::StatusOr<std::vector<ReportCertificate>> validated =
      Chain(json, "validated-certificate-chain", /*required=*/true);
  if (!validated.ok()) return validated.status();
  report.validated_chain = *std::move(validated);

  absl::StatusOr<std::vector<SpkiHash>> pins = KnownPins(json);
  if (!pins.ok()) return pins.status();
  report.known_pins = *std::move(pins);
  return report;
}

std::string ChainSpkiText(const std::vector<ReportCertificate>& chain) {
  std::vector<std::string> parts;
  parts.reserve(chain.size());
  for (const ReportCertificate& cert : chain) {
    parts.push_back(SpkiHashToString(cert.spki_hash));
  }
  return absl::StrJoin(parts, " ");
}

std::string ReportDedupKey(const ValidatedReport& report,
                           absl::string_view report_uri) {
  // Each field as <8-byte length><bytes>, so that no two different
  // reports give the same input.
  std::string material;
  auto field = [&](absl::string_view bytes) {
    const uint64_t size = bytes.size();
    for (int i = 0; i < 8; ++i) material.push_back(static_cast<char>(size >> (8 * i)));
    material.append(bytes.data(), bytes.size());
  };
  field(report_uri);
  field(report.hostname);
  field(absl::StrCat(report.port));
  field(report.include_subdomains ? "1" : "0");
  field(report.noted_hostname);
  field(absl::StrCat(report.served_chain.size()));
  for (const ReportCertificate& c : report.served_chain) field(c.pem);
  field(absl::StrCat(report.validated_chain.size()));
  for (const ReportCertificate& c : report.validated_chain) field(c.pem);
  field(absl::StrCat(report.known_pins.size()));
  for (const SpkiHash& pin : report.known_pins) field(SpkiHashToString(pin));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(material.data(), material.size(), digest, &size,
                 EVP_sha256(), nullptr) != 1) {
    return material;  // Unreachable with a working libcrypto; still exact.
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 15]);
  }
  return hex;
}

}  // namespace collector
}  // namespace pinbake
