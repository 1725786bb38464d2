#include "compiler/list_dump.h"

#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "compiler/model_from_table.h"
#include "compiler/pin_list_model.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace {

using Json = nlohmann::ordered_json;

Json DumpPinset(const Pinset& pinset) {
  Json out;
  out["name"] = pinset.name;
  Json good = Json::array();
  for (const SpkiHash& hash : pinset.good) {
    good.push_back(SpkiHashToString(hash));
  }
  out["static_spki_hashes"] = good;
  if (!pinset.bad.empty()) {
    Json bad = Json::array();
    for (const SpkiHash& hash : pinset.bad) {
      bad.push_back(SpkiHashToString(hash));
    }
    out["bad_static_spki_hashes"] = bad;
  }
  if (!pinset.report_uri.empty()) out["report_uri"] = pinset.report_uri;
  return out;
}

Json DumpEntry(const HostEntry& entry) {
  Json out;
  out["name"] = entry.name;
  namespace setting = entry_settings_json;
  if (entry.include_subdomains) out[setting::kIncludeSubdomains] = true;
  if (entry.include_subdomains_for_pinning) {
    out[setting::kIncludeSubdomainsForPinning] = true;
  }
  if (entry.force_https) out[setting::kMode] = setting::kForceHttpsMode;
  if (entry.has_pins()) {
    out["pins"] = entry.pinset;
    if (entry.pin_mode != PinMode::kEnforce) {
      out[setting::kPinMode] = PinModeName(entry.pin_mode);
    }
  }
  if (entry.exclude) out["exclude"] = true;
  if (entry.public_suffix_policy) out[setting::kPolicy] = setting::kPublicSuffixPolicy;
  return out;
}

}  // namespace

absl::StatusOr<std::string> DumpTableAsJson(const TableReader& table) {
  absl::StatusOr<PinListModel> model = ModelFromTable(table);
  if (!model.ok()) return model.status();
  Json root;
  Json list;
  if (!model->list.list_id.empty()) list["id"] = model->list.list_id;
  list["version"] = model->list.version;
  if (model->list.timestamp != 0) {
    list["timestamp"] = ListTimeText(model->list.timestamp);
  }
  list["max_age_days"] = model->list.max_age_days;
  root["list"] = list;
  Json pinsets = Json::array();
  for (const Pinset& pinset : model->pinsets) {
    pinsets.push_back(DumpPinset(pinset));
  }
  root["pinsets"] = pinsets;
  Json entries = Json::array();
  for (const HostEntry& entry : model->entries) {
    entries.push_back(DumpEntry(entry));
  }
  root["entries"] = entries;
  return root.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace pinbake
