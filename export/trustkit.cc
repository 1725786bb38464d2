#include "export/trustkit.h"

#include <libpsl.h>
#include <plist/plist.h>

#include <algorithm>
#include <cstdlib>
#include <memory>
#include <optional>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "export/code_text.h"
#include "format/host_name.h"
#include "format/subdomain_coverage.h"

namespace pinbake {
namespace {

constexpr char kPinnedDomains[] = "kTSKPinnedDomains";
constexpr char kIncludeSubdomains[] = "kTSKIncludeSubdomains";
constexpr char kPublicKeyHashes[] = "kTSKPublicKeyHashes";
constexpr char kEnforcePinning[] = "kTSKEnforcePinning";
constexpr char kReportUris[] = "kTSKReportUris";
constexpr char kExpirationDate[] = "kTSKExpirationDate";
constexpr char kExclude[] = "kTSKExcludeSubdomainFromParentPolicy";
constexpr char kSwizzle[] = "kTSKSwizzleNetworkDelegates";
constexpr char kConfiguration[] = "TSKConfiguration";

const Pinset* FindPinset(const PinListModel& model, absl::string_view name) {
  for (const Pinset& p : model.pinsets) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

// Whether `name` is a public suffix (libpsl: Debian's list, ICANN and
// private sections, as the compiler's checks use it).
bool IsPublicSuffix(const std::string& name) {
  static const psl_ctx_t* const ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    return c != nullptr ? c : psl_builtin();
  }();
  return ctx != nullptr && psl_is_public_suffix(ctx, name.c_str()) != 0;
}

std::string Base64Of(const SpkiHash& h) {
  return std::string(absl::StripPrefix(SpkiHashToString(h), kSpkiHashPrefix));
}

}  // namespace

TrustKitConfig TrustKitConfigFromModel(const PinListModel& model,
                                       std::vector<ExportFinding>* findings) {
  TrustKitConfig config;
  const int64_t expires_at = ListExpiresAt(model.list);
  if (expires_at > 0) config.expiration = UtcDate(expires_at);
  absl::flat_hash_set<std::string> pinned;
  for (const HostEntry& e : model.entries) {
    if (e.has_pins() && !e.is_wildcard()) pinned.insert(e.name);
  }
  auto under_pins = [&](absl::string_view name) {
    for (size_t dot = name.find('.'); dot != absl::string_view::npos;
         dot = name.find('.', dot + 1)) {
      if (pinned.contains(name.substr(dot + 1))) return true;
    }
    return false;
  };
  for (const HostEntry& entry : model.entries) {
    if (entry.is_wildcard()) continue;
    TrustKitDomain d;
    d.domain = entry.name;
    d.entry = entry.name;
    if (!entry.has_pins()) {
      if (!under_pins(entry.name)) continue;
      d.exclude_from_parent = true;
      config.domains.push_back(std::move(d));
      continue;
    }
    const Pinset* pinset = FindPinset(model, entry.pinset);
    if (pinset == nullptr) continue;
    d.pins = pinset->good;
    SortUnique(&d.pins);
    d.include_subdomains = CoversSubdomainsForPins(
        entry.include_subdomains, entry.include_subdomains_for_pinning);
    if (d.pins.size() < 2) {
      findings->push_back(
          {entry.name, entry.location,
           absl::StrCat("pinset ", pinset->name, " has ", d.pins.size(),
                        " pin(s); TrustKit refuses a domain with fewer than "
                        "two kTSKPublicKeyHashes (a backup pin), so it is "
                        "left out and not pinned")});
      continue;
    }
    if (d.include_subdomains &&
        (entry.public_suffix_policy || IsPublicSuffix(entry.name))) {
      findings->push_back(
          {entry.name, entry.location,
           "include_subdomains on a public suffix: TrustKit refuses "
           "kTSKIncludeSubdomains there, so it is left out and not pinned"});
      continue;
    }
    d.enforce = entry.pin_mode == PinMode::kEnforce;
    d.report_uri = pinset->report_uri;
    config.domains.push_back(std::move(d));
  }
  std::sort(config.domains.begin(), config.domains.end(),
            [](const TrustKitDomain& a, const TrustKitDomain& b) {
              return a.domain < b.domain;
            });
  config.Index();
  return config;
}

void TrustKitConfig::Index() {
  by_domain.clear();
  for (size_t i = 0; i < domains.size(); ++i) {
    by_domain.emplace(domains[i].domain, i);
  }
}

namespace {

PlatformAnswer AnswerOf(const TrustKitDomain& d) {
  PlatformAnswer answer;
  answer.decided_by = d.entry;
  if (d.exclude_from_parent) return answer;
  answer.pinned = true;
  answer.good = d.pins;
  answer.report_only = !d.enforce;
  answer.report_uri = d.report_uri;
  return answer;
}

}  // namespace

PlatformAnswer TrustKitAnswer(const TrustKitConfig& config,
                              absl::string_view host) {
  if (auto it = config.by_domain.find(host); it != config.by_domain.end()) {
    return AnswerOf(config.domains[it->second]);
  }
  // Every configured ancestor with includeSubdomains applies; TrustKit
  // takes the first in dictionary order.
  std::optional<PlatformAnswer> chosen;
  for (absl::string_view s = host;;) {
    const size_t dot = s.find('.');
    if (dot == absl::string_view::npos) break;
    s.remove_prefix(dot + 1);
    auto it = config.by_domain.find(s);
    if (it == config.by_domain.end()) continue;
    const TrustKitDomain& d = config.domains[it->second];
    if (!d.include_subdomains || d.exclude_from_parent) continue;
    PlatformAnswer answer = AnswerOf(d);
    if (!chosen) {
      chosen = std::move(answer);
    } else if (!SameAnswer(*chosen, answer, kTrustKitAspects)) {
      PlatformAnswer ambiguous;
      ambiguous.ambiguous = true;
      return ambiguous;
    }
  }
  return chosen.value_or(PlatformAnswer());
}

namespace {

struct PlistDeleter {
  void operator()(void* p) const { plist_free(static_cast<plist_t>(p)); }
};
using PlistPtr = std::unique_ptr<void, PlistDeleter>;

plist_t DomainDict(const TrustKitDomain& d, const std::string& expiration) {
  plist_t dict = plist_new_dict();
  if (d.exclude_from_parent) {
    plist_dict_set_item(dict, kExclude, plist_new_bool(1));
    return dict;
  }
  plist_dict_set_item(dict, kEnforcePinning, plist_new_bool(d.enforce ? 1 : 0));
  if (!expiration.empty()) {
    plist_dict_set_item(dict, kExpirationDate,
                        plist_new_string(expiration.c_str()));
  }
  plist_dict_set_item(dict, kIncludeSubdomains,
                      plist_new_bool(d.include_subdomains ? 1 : 0));
  plist_t hashes = plist_new_array();
  for (const SpkiHash& h : d.pins) {
    plist_array_append_item(hashes, plist_new_string(Base64Of(h).c_str()));
  }
  plist_dict_set_item(dict, kPublicKeyHashes, hashes);
  if (!d.report_uri.empty()) {
    plist_t uris = plist_new_array();
    plist_array_append_item(uris, plist_new_string(d.report_uri.c_str()));
    plist_dict_set_item(dict, kReportUris, uris);
  }
  return dict;
}

}  // namespace

absl::StatusOr<std::string> WriteTrustKitPlist(
    const TrustKitConfig& config, const std::vector<std::string>& comments) {
  PlistPtr root(plist_new_dict());
  plist_t tsk = plist_new_dict();
  plist_t domains = plist_new_dict();
  for (const TrustKitDomain& d : config.domains) {
    plist_dict_set_item(domains, d.domain.c_str(),
                        DomainDict(d, config.expiration));
  }
  plist_dict_set_item(tsk, kPinnedDomains, domains);
  plist_dict_set_item(tsk, kSwizzle, plist_new_bool(0));
  plist_dict_set_item(static_cast<plist_t>(root.get()), kConfiguration, tsk);
  char* xml = nullptr;
  uint32_t length = 0;
  plist_to_xml(static_cast<plist_t>(root.get()), &xml, &length);
  if (xml == nullptr) return absl::InternalError("libplist: plist_to_xml failed");
  std::string text(xml, length);
  plist_to_xml_free(xml);
  // Comments go after the DOCTYPE, before <plist>.
  std::string notes =
      "<!-- Generated by pinbake export, format trustkit-plist (TrustKit). "
      "Do not edit: change the pin list and export again. -->\n";
  for (const std::string& c : comments) {
    absl::StrAppend(&notes, "<!-- ", XmlCommentSafe(c), " -->\n");
  }
  const size_t at = text.find("<plist");
  if (at == std::string::npos) return absl::InternalError("libplist: no <plist>");
  text.insert(at, notes);
  return text;
}

std::string WriteTrustKitSwift(const TrustKitConfig& config,
                               const std::string& class_name,
                               const std::vector<std::string>& comments) {
  auto q = [](absl::string_view s) {
    return QuotedString(s, SourceLanguage::kSwift);
  };
  std::string out =
      "// Generated by `pinbake export --format trustkit-swift` (TrustKit). Do "
      "not edit: change the pin list and export again.\n";
  for (const std::string& c : comments) {
    absl::StrAppend(&out, "// ", CommentSafe(c), "\n");
  }
  absl::StrAppend(&out, "//\n// TrustKit.initSharedInstance(withConfiguration: ",
                  class_name, ".configuration)\n\n",
                  "import Foundation\nimport TrustKit\n\n", "enum ", class_name,
                  " {\n  static let configuration: [String: Any] = [\n",
                  "    ", kSwizzle, ": false,\n    ", kPinnedDomains, ": [\n");
  for (const TrustKitDomain& d : config.domains) {
    absl::StrAppend(&out, "      ", q(d.domain), ": [\n");
    if (d.exclude_from_parent) {
      absl::StrAppend(&out, "        ", kExclude, ": true,\n");
    } else {
      absl::StrAppend(&out, "        ", kEnforcePinning, ": ",
                      d.enforce ? "true" : "false", ",\n");
      if (!config.expiration.empty()) {
        absl::StrAppend(&out, "        ", kExpirationDate, ": ",
                        q(config.expiration), ",\n");
      }
      absl::StrAppend(&out, "        ", kIncludeSubdomains, ": ",
                      d.include_subdomains ? "true" : "false", ",\n");
      absl::StrAppend(&out, "        ", kPublicKeyHashes, ": [\n");
      for (const SpkiHash& h : d.pins) {
        absl::StrAppend(&out, "          ", q(Base64Of(h)), ",\n");
      }
      absl::StrAppend(&out, "        ],\n");
      if (!d.report_uri.empty()) {
        absl::StrAppend(&out, "        ", kReportUris, ": [", q(d.report_uri),
                        "],\n");
      }
    }
    absl::StrAppend(&out, "      ],\n");
  }
  absl::StrAppend(&out, "    ],\n  ]\n}\n");
  return out;
}

namespace {

constexpr size_t kMaxImportBytes = size_t{16} << 20;

std::string StringValue(plist_t node) {
  char* value = nullptr;
  plist_get_string_val(node, &value);
  std::string out = value ? value : "";
  free(value);
  return out;
}

class TrustKitReader {
 public:
  TrustKitReader(absl::string_view path, ImportedList* out)
      : path_(path), out_(out) {}

  absl::Status Error(absl::string_view where, absl::string_view message) {
    return absl::InvalidArgumentError(
        absl::StrCat(path_, ": ", where, ": ", message));
  }

  absl::StatusOr<bool> Bool(plist_t dict, const char* key, bool fallback,
                            const std::string& where) {
    plist_t node = plist_dict_get_item(dict, key);
    if (node == nullptr) return fallback;
    if (plist_get_node_type(node) != PLIST_BOOLEAN) {
      return Error(absl::StrCat(where, ".", key), "not a boolean");
    }
    uint8_t value = 0;
    plist_get_bool_val(node, &value);
    return value != 0;
  }

  absl::Status Domain(const std::string& raw, plist_t policy) {
    const std::string where = absl::StrCat(kPinnedDomains, ".", CommentSafe(raw));
    if (plist_get_node_type(policy) != PLIST_DICT) {
      return Error(where, "not a dictionary");
    }
    const std::string name = absl::AsciiStrToLower(raw);
    CanonicalHost canonical;
    if (CanonicalizeHost(name, &canonical) != HostError::kNone ||
        canonical.view() != name) {
      return Error(where, "not a host name (TrustKit has no wildcards)");
    }
    HostEntry entry;
    entry.name = name;
    entry.location = absl::StrCat("entries[", out_->model.entries.size(), "]");
    absl::StatusOr<bool> exclude = Bool(policy, kExclude, false, where);
    if (!exclude.ok()) return exclude.status();
    if (*exclude) {
      entry.exclude = true;
      out_->model.entries.push_back(std::move(entry));
      return absl::OkStatus();
    }
    absl::StatusOr<bool> subdomains = Bool(policy, kIncludeSubdomains, false, where);
    if (!subdomains.ok()) return subdomains.status();
    absl::StatusOr<bool> enforce = Bool(policy, kEnforcePinning, true, where);
    if (!enforce.ok()) return enforce.status();
    entry.include_subdomains = *subdomains;
    entry.pin_mode = *enforce ? PinMode::kEnforce : PinMode::kReportOnly;

    plist_t hashes = plist_dict_get_item(policy, kPublicKeyHashes);
    if (hashes == nullptr || plist_get_node_type(hashes) != PLIST_ARRAY) {
      return Error(absl::StrCat(where, ".", kPublicKeyHashes),
                   "missing or not an array");
    }
    std::vector<SpkiHash> pins;
    for (uint32_t i = 0; i < plist_array_get_size(hashes); ++i) {
      plist_t item = plist_array_get_item(hashes, i);
      const std::string at = absl::StrCat(where, ".", kPublicKeyHashes, "[", i, "]");
      if (plist_get_node_type(item) != PLIST_STRING) {
        return Error(at, "not a string");
      }
      const std::string text = StringValue(item);
      absl::StatusOr<SpkiHash> hash =
          ParseSpkiHash(absl::StrCat(kSpkiHashPrefix, text));
      if (!hash.ok()) return Error(at, hash.status().message());
      pins.push_back(*hash);
    }
    SortUnique(&pins);
    if (pins.size() < 2) {
      out_->warnings.push_back(absl::StrCat(
          path_, ": ", where, ": fewer than two pins (TrustKit refuses this)"));
    }
    if (pins.empty()) return Error(where, "no kTSKPublicKeyHashes");
    if (plist_t uris = plist_dict_get_item(policy, kReportUris)) {
      if (plist_get_node_type(uris) != PLIST_ARRAY) {
        return Error(absl::StrCat(where, ".", kReportUris), "not an array");
      }
      for (uint32_t i = 0; i < plist_array_get_size(uris); ++i) {
        plist_t item = plist_array_get_item(uris, i);
        if (plist_get_node_type(item) != PLIST_STRING) {
          return Error(absl::StrCat(where, ".", kReportUris, "[", i, "]"),
                       "not a string");
        }
        if (i == 0) {
          report_uri_ = StringValue(item);
        } else {
          out_->warnings.push_back(absl::StrCat(
              path_, ": ", where, ": only the first kTSKReportUris is kept"));
        }
      }
    } else {
      report_uri_.clear();
    }
    if (plist_t date = plist_dict_get_item(policy, kExpirationDate)) {
      absl::Time t;
      std::string err;
      if (plist_get_node_type(date) != PLIST_STRING ||
          !absl::ParseTime("%Y-%m-%d", StringValue(date), absl::UTCTimeZone(),
                           &t, &err)) {
        return Error(absl::StrCat(where, ".", kExpirationDate),
                     "not a yyyy-MM-dd string");
      }
      const int64_t s = absl::ToUnixSeconds(t);
      if (earliest_ && *earliest_ != s) {
        out_->warnings.push_back(
            "domains expire on different dates; the list uses the earliest");
      }
      if (!earliest_ || s < *earliest_) earliest_ = s;
    }
    entry.pinset = SharedPinset(pins, report_uri_, "trustkit", out_);
    out_->model.entries.push_back(std::move(entry));
    return absl::OkStatus();
  }

  absl::Status Root(plist_t root) {
    if (root == nullptr || plist_get_node_type(root) != PLIST_DICT) {
      return absl::InvalidArgumentError(
          absl::StrCat(path_, ": not a plist with a dictionary at the root"));
    }
    plist_t config = root;
    if (plist_t tsk = plist_dict_get_item(root, kConfiguration)) config = tsk;
    if (plist_get_node_type(config) != PLIST_DICT) {
      return Error(kConfiguration, "not a dictionary");
    }
    plist_t domains = plist_dict_get_item(config, kPinnedDomains);
    if (domains == nullptr || plist_get_node_type(domains) != PLIST_DICT) {
      return Error(kPinnedDomains, "missing or not a dictionary");
    }
    // Sorted by name: the list does not depend on the file's key order.
    std::vector<std::pair<std::string, plist_t>> items;
    plist_dict_iter iter = nullptr;
    plist_dict_new_iter(domains, &iter);
    for (;;) {
      char* key = nullptr;
      plist_t value = nullptr;
      plist_dict_next_item(domains, iter, &key, &value);
      if (key == nullptr) break;
      items.emplace_back(key, value);
      free(key);
    }
    free(iter);
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    std::set<std::string> seen;
    for (size_t i = 0; i < items.size(); ++i) {
      if (!seen.insert(absl::AsciiStrToLower(items[i].first)).second) {
        return Error(absl::StrCat(kPinnedDomains, ".", CommentSafe(items[i].first)),
                     "the domain appears twice");
      }
      if (absl::Status s = Domain(items[i].first, items[i].second); !s.ok()) {
        return s;
      }
    }
    return absl::OkStatus();
  }

  std::optional<int64_t> earliest() const { return earliest_; }

 private:
  std::string path_;
  ImportedList* out_;
  std::string report_uri_;
  std::optional<int64_t> earliest_;
};

}  // namespace

absl::StatusOr<ImportedList> ImportTrustKitPlist(absl::string_view bytes,
                                                 absl::string_view path,
                                                 int64_t timestamp) {
  if (bytes.size() > kMaxImportBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": ", bytes.size(), " bytes, more than 16 MiB"));
  }
  plist_t root = nullptr;
  plist_from_memory(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  PlistPtr holder(root);
  ImportedList imported;
  TrustKitReader reader(path, &imported);
  if (absl::Status s = reader.Root(root); !s.ok()) return s;
  SetImportedLifetime(timestamp, reader.earliest(), &imported);
  return imported;
}

}  // namespace pinbake
