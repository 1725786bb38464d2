#include "compiler/list_dump.h"

#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace {

using Json = nlohmann::ordered_json;

std::string Str(absl::string_view s) { return std::string(s); }

Json DumpPinset(const PinsetView& pinset) {
  Json out;
  out["name"] = Str(pinset.name());
  Json good = Json::array();
  for (size_t i = 0; i < pinset.good_count(); ++i) {
    good.push_back(SpkiHashToString(pinset.good(i)));
  }
  out["static_spki_hashes"] = good;
  if (pinset.bad_count() > 0) {
    Json bad = Json::array();
    for (size_t i = 0; i < pinset.bad_count(); ++i) {
      bad.push_back(SpkiHashToString(pinset.bad(i)));
    }
    out["bad_static_spki_hashes"] = bad;
  }
  if (!pinset.report_uri().empty()) {
    out["report_uri"] = Str(pinset.report_uri());
  }
  return out;
}

Json DumpEntry(const TableReader& table, const std::string& name,
               const HostRule& rule) {
  Json out;
  out["name"] = name;
  if (rule.include_subdomains) out["include_subdomains"] = true;
  if (rule.include_subdomains_for_pinning) {
    out["include_subdomains_for_pinning"] = true;
  }
  if (rule.force_https) out["mode"] = "force-https";
  if (rule.has_pins()) {
    out["pins"] = Str(table.pinset(rule.pinset_index).name());
    if (rule.pin_mode == PinMode::kReportOnly) out["pin_mode"] = "report-only";
  }
  if (!rule.force_https && !rule.has_pins()) out["exclude"] = true;
  if (rule.public_suffix_policy) out["policy"] = "public-suffix";
  return out;
}

}  // namespace

absl::StatusOr<std::string> DumpTableAsJson(const TableReader& table) {
  Json root;
  Json list;
  if (!table.list_id().empty()) list["id"] = std::string(table.list_id());
  list["version"] = table.list_version();
  if (table.timestamp() != 0) {
    list["timestamp"] =
        ListTimeText(table.timestamp());
  }
  list["max_age_days"] = table.max_age_days();
  root["list"] = list;
  Json pinsets = Json::array();
  for (size_t i = 0; i < table.pinset_count(); ++i) {
    pinsets.push_back(DumpPinset(table.pinset(i)));
  }
  root["pinsets"] = pinsets;
  absl::StatusOr<std::vector<std::pair<std::string, HostRule>>> all =
      table.Entries();
  if (!all.ok()) return all.status();
  Json entries = Json::array();
  for (const auto& [name, rule] : *all) {
    entries.push_back(DumpEntry(table, name, rule));
  }
  root["entries"] = entries;
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace pinbake
