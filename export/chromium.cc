#include "export/chromium.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "export/code_text.h"
#include "format/subdomain_coverage.h"

namespace pinbake {
namespace {

using Json = nlohmann::ordered_json;

}  // namespace

ChromiumConfig ChromiumConfigFromModel(const PinListModel& model,
                                       std::vector<ExportFinding>* findings) {
  ChromiumConfig config;
  config.timestamp = model.list.timestamp;
  if (model.list.max_age_days != kChromiumMaxAgeDays) {
    findings->push_back(
        {"", "list.max_age_days",
         absl::StrCat("max_age_days is ", model.list.max_age_days,
                      "; Chromium enforces static pins for 70 days after "
                      "PinsListTimestamp")});
  }
  std::set<std::string> used;
  // Whether some pinned entry lies above `name` (else an entry without
  // pins changes nothing and is left out).
  absl::flat_hash_set<std::string> pinned;  // Wildcards as their parent.
  for (const HostEntry& e : model.entries) {
    if (!e.has_pins()) continue;
    pinned.insert(e.is_wildcard() ? e.name.substr(2) : e.name);
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
    if (!entry.has_pins() && !under_pins(entry.name)) continue;
    ChromiumEntry out;
    out.name = entry.name;
    out.include_subdomains = CoversSubdomainsForPins(
        entry.include_subdomains, entry.include_subdomains_for_pinning);
    if (entry.has_pins() && entry.pin_mode == PinMode::kEnforce) {
      out.pinset = entry.pinset;
      used.insert(entry.pinset);
    }
    config.entries.push_back(std::move(out));
  }
  for (const Pinset& p : model.pinsets) {
    if (used.count(p.name) > 0) config.pinsets.push_back(p);
  }
  // The output depends on the list's content, not its order.
  std::sort(config.entries.begin(), config.entries.end(),
            [](const ChromiumEntry& a, const ChromiumEntry& b) {
              return a.name < b.name;
            });
  std::sort(config.pinsets.begin(), config.pinsets.end(),
            [](const Pinset& a, const Pinset& b) { return a.name < b.name; });
  for (Pinset& p : config.pinsets) {
    SortUnique(&p.good);
    SortUnique(&p.bad);
  }
  config.Index();
  return config;
}

void ChromiumConfig::Index() {
  entry_by_name.clear();
  pinset_by_name.clear();
  for (size_t i = 0; i < entries.size(); ++i) {
    entry_by_name.emplace(entries[i].name, i);
  }
  for (size_t i = 0; i < pinsets.size(); ++i) {
    pinset_by_name.emplace(pinsets[i].name, i);
  }
}

PlatformAnswer ChromiumAnswer(const ChromiumConfig& config,
                              absl::string_view host) {
  PlatformAnswer answer;
  // The deepest name (host itself, then each ancestor) that has an entry.
  const ChromiumEntry* found = nullptr;
  absl::string_view name = host;
  bool exact = true;
  while (found == nullptr && !name.empty()) {
    auto it = config.entry_by_name.find(name);
    if (it != config.entry_by_name.end()) {
      found = &config.entries[it->second];
      break;
    }
    const size_t dot = name.find('.');
    if (dot == absl::string_view::npos) break;
    name.remove_prefix(dot + 1);
    exact = false;
  }
  if (found == nullptr) return answer;
  answer.decided_by = found->name;  // Also when it hides its ancestors.
  if (!exact && !found->include_subdomains) return answer;
  auto p = config.pinset_by_name.find(found->pinset);
  if (found->pinset.empty() || p == config.pinset_by_name.end()) return answer;
  const Pinset* pinset = &config.pinsets[p->second];
  answer.pinned = true;
  answer.good = pinset->good;
  answer.bad = pinset->bad;
  SortUnique(&answer.good);
  SortUnique(&answer.bad);
  answer.report_uri = pinset->report_uri;
  return answer;
}

std::string ChromiumKeyName(const SpkiHash& hash) {
  return absl::StrCat(
      "PinbakeKey_",
      absl::BytesToHexString(absl::string_view(
          reinterpret_cast<const char*>(hash.bytes.data()), 12)));
}

std::string WriteChromiumJson(const ChromiumConfig& config,
                              const std::vector<std::string>& comments) {
  Json root;
  root["pinsets"] = Json::array();
  for (const Pinset& p : config.pinsets) {
    Json pinset;
    pinset["name"] = p.name;
    pinset["static_spki_hashes"] = Json::array();
    for (const SpkiHash& h : p.good) {
      pinset["static_spki_hashes"].push_back(ChromiumKeyName(h));
    }
    if (!p.bad.empty()) {
      pinset["bad_static_spki_hashes"] = Json::array();
      for (const SpkiHash& h : p.bad) {
        pinset["bad_static_spki_hashes"].push_back(ChromiumKeyName(h));
      }
    }
    if (!p.report_uri.empty()) pinset["report_uri"] = p.report_uri;
    root["pinsets"].push_back(std::move(pinset));
  }
  root["entries"] = Json::array();
  for (const ChromiumEntry& e : config.entries) {
    Json entry;
    entry["name"] = e.name;
    if (!e.pinset.empty()) entry["pins"] = e.pinset;
    if (e.include_subdomains) entry["include_subdomains"] = true;
    root["entries"].push_back(std::move(entry));
  }
  std::string out =
      "// Generated by `pinbake export --format chromium`: Chromium's "
      "transport_security_state_static_pins.json\n// (keys in the .pins file "
      "beside it). Do not edit: change the pin list and export again.\n";
  for (const std::string& c : comments) {
    absl::StrAppend(&out, "// ", CommentSafe(c), "\n");
  }
  absl::StrAppend(&out,
                  root.dump(2, ' ', false, Json::error_handler_t::replace),
                  "\n");
  return out;
}

std::string WriteChromiumPins(const ChromiumConfig& config) {
  std::set<SpkiHash> keys;
  for (const Pinset& p : config.pinsets) {
    keys.insert(p.good.begin(), p.good.end());
    keys.insert(p.bad.begin(), p.bad.end());
  }
  std::string out = absl::StrCat(
      "# Generated by `pinbake export --format chromium`.\n"
      "PinsListTimestamp\n",
      config.timestamp, "\n");
  for (const SpkiHash& h : keys) {
    absl::StrAppend(&out, "\n", ChromiumKeyName(h), "\n", SpkiHashToString(h),
                    "\n");
  }
  return out;
}

}  // namespace pinbake
