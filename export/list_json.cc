#include "export/list_json.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "export/code_text.h"

namespace pinbake {

void SetImportedLifetime(int64_t timestamp, std::optional<int64_t> expires_at,
                         ImportedList* imported) {
  imported->model.list.timestamp = timestamp;
  if (!expires_at.has_value()) {
    imported->model.list.max_age_days = kDefaultMaxAgeDays;
    imported->warnings.push_back(absl::StrCat(
        "no pin expiration: the platform pins forever, pinbake's list "
        "expires after max_age_days (", kDefaultMaxAgeDays, " days)"));
    return;
  }
  int64_t days = (*expires_at - timestamp) / 86400;
  if (days < 1 || days > 365) {
    imported->warnings.push_back(absl::StrCat(
        "the pins expire ", days, " day(s) after the timestamp; "
        "max_age_days set to ", days < 1 ? 1 : 365));
    days = days < 1 ? 1 : 365;
  }
  imported->model.list.max_age_days = static_cast<int32_t>(days);
}

std::string SharedPinset(const std::vector<SpkiHash>& good,
                         const std::string& report_uri,
                         const std::string& prefix, ImportedList* imported) {
  PinListModel& model = imported->model;
  auto [it, inserted] = imported->pinset_by_content.try_emplace(
      std::make_pair(good, report_uri));
  if (!inserted) return it->second;
  Pinset pinset;
  pinset.name = absl::StrCat(prefix, "-", model.pinsets.size() + 1);
  pinset.good = good;
  pinset.report_uri = report_uri;
  pinset.location = absl::StrCat("pinsets[", model.pinsets.size(), "]");
  model.pinsets.push_back(pinset);
  it->second = pinset.name;
  return pinset.name;
}

std::string ModelToListJson(const PinListModel& model,
                            const std::vector<std::string>& comments) {
  using Json = nlohmann::ordered_json;
  Json root;
  Json list;
  if (!model.list.list_id.empty()) list["id"] = model.list.list_id;
  if (model.list.timestamp != 0) list["timestamp"] = model.list.timestamp;
  list["max_age_days"] = model.list.max_age_days;
  root["list"] = list;
  root["pinsets"] = Json::array();
  for (const Pinset& p : model.pinsets) {
    Json pinset;
    pinset["name"] = p.name;
    pinset["static_spki_hashes"] = Json::array();
    for (const SpkiHash& h : p.good) {
      pinset["static_spki_hashes"].push_back(SpkiHashToString(h));
    }
    if (!p.bad.empty()) {
      pinset["bad_static_spki_hashes"] = Json::array();
      for (const SpkiHash& h : p.bad) {
        pinset["bad_static_spki_hashes"].push_back(SpkiHashToString(h));
      }
    }
    if (!p.report_uri.empty()) pinset["report_uri"] = p.report_uri;
    root["pinsets"].push_back(std::move(pinset));
  }
  root["entries"] = Json::array();
  for (const HostEntry& e : model.entries) {
    Json entry;
    entry["name"] = e.name;
    if (e.include_subdomains) entry["include_subdomains"] = true;
    if (e.include_subdomains_for_pinning) {
      entry["include_subdomains_for_pinning"] = true;
    }
    if (e.force_https) entry["mode"] = "force-https";
    if (e.has_pins()) entry["pins"] = e.pinset;
    if (e.pin_mode == PinMode::kReportOnly) entry["pin_mode"] = "report-only";
    if (e.exclude) entry["exclude"] = true;
    if (e.public_suffix_policy) entry["policy"] = "public-suffix";
    root["entries"].push_back(std::move(entry));
  }
  std::string out;
  for (const std::string& c : comments) {
    absl::StrAppend(&out, "// ", CommentSafe(c), "\n");
  }
  absl::StrAppend(&out, root.dump(2, ' ', false, Json::error_handler_t::replace),
                  "\n");
  return out;
}

}  // namespace pinbake
