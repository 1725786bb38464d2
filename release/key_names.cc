#include "release/key_names.h"

#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace pinbake {
namespace {

using Json = nlohmann::json;

void PairNames(const Json& names, const std::vector<SpkiHash>& hashes,
               KeyNames* out) {
  if (!names.is_array() || names.size() != hashes.size()) return;
  for (size_t i = 0; i < hashes.size(); ++i) {
    if (!names[i].is_string()) continue;
    const std::string& name = names[i].get_ref<const std::string&>();
    if (absl::StartsWith(name, "sha256/")) continue;
    out->emplace(hashes[i], name);
  }
}

}  // namespace

KeyNames KeyNamesOfList(absl::string_view json_text,
                        const PinListModel& model) {
  KeyNames out;
  const Json doc = Json::parse(json_text.begin(), json_text.end(), nullptr,
                               /*allow_exceptions=*/false,
                               /*ignore_comments=*/true);
  if (!doc.is_object()) return out;
  if (auto keys = doc.find("keys"); keys != doc.end() && keys->is_object()) {
    for (const auto& [name, value] : keys->items()) {
      if (!value.is_string()) continue;
      absl::StatusOr<SpkiHash> hash =
          ParseSpkiHash(value.get_ref<const std::string&>());
      if (hash.ok()) out.emplace(*hash, name);
    }
  }
  auto pinsets = doc.find("pinsets");
  if (pinsets == doc.end() || !pinsets->is_array()) return out;
  for (const Json& p : *pinsets) {
    if (!p.is_object() || !p.contains("name") || !p["name"].is_string()) {
      continue;
    }
    const std::string& name = p["name"].get_ref<const std::string&>();
    for (const Pinset& resolved : model.pinsets) {
      if (resolved.name != name) continue;
      if (p.contains("static_spki_hashes")) {
        PairNames(p["static_spki_hashes"], resolved.good, &out);
      }
      if (p.contains("bad_static_spki_hashes")) {
        PairNames(p["bad_static_spki_hashes"], resolved.bad, &out);
      }
    }
  }
  return out;
}

void MergeKeyNames(const KeyNames& from, KeyNames* to) {
  for (const auto& [hash, name] : from) to->emplace(hash, name);
}

std::string PinWithName(const SpkiHash& hash, const KeyNames& names) {
  auto it = names.find(hash);
  if (it == names.end()) return SpkiHashToString(hash);
  return absl::StrCat(SpkiHashToString(hash), " (", it->second, ")");
}

}  // namespace pinbake
