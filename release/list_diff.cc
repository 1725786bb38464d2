#include "release/list_diff.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "compiler/model_from_table.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace {

using Json = nlohmann::ordered_json;

// One side, by name; pinsets' hashes sorted.
struct Side {
  ListInfo list;
  std::map<std::string, Pinset> pinsets;
  std::map<std::string, HostEntry> entries;
};

absl::StatusOr<Side> ReadSide(const TableReader& table) {
  absl::StatusOr<PinListModel> model = ModelFromTable(table);
  if (!model.ok()) return model.status();
  Side side;
  side.list = model->list;
  for (Pinset& p : model->pinsets) {
    std::sort(p.good.begin(), p.good.end());
    std::sort(p.bad.begin(), p.bad.end());
    std::string name = p.name;
    side.pinsets[name] = std::move(p);
  }
  for (HostEntry& e : model->entries) {
    std::string name = e.name;
    side.entries[name] = std::move(e);
  }
  return side;
}

// a \ b for sorted vectors.
std::vector<SpkiHash> Minus(const std::vector<SpkiHash>& a,
                            const std::vector<SpkiHash>& b) {
  std::vector<SpkiHash> out;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(),
                      std::back_inserter(out));
  return out;
}

const char* Bool(bool b) { return b ? "true" : "false"; }

std::string TimeText(int64_t seconds) {
  if (seconds == 0) return "none";
  return ListTimeText(seconds);
}

void AddIfDifferent(const std::string& field, const std::string& old_value,
                    const std::string& new_value,
                    std::vector<FieldChange>* out) {
  if (old_value != new_value) out->push_back({field, old_value, new_value});
}

// The pins an entry enforces: (good, bad) of its pinset, or empty.
std::pair<std::vector<SpkiHash>, std::vector<SpkiHash>> PinsOf(
    const Side& side, const HostEntry& e) {
  if (e.pinset.empty()) return {};
  auto it = side.pinsets.find(e.pinset);
  if (it == side.pinsets.end()) return {};
  return {it->second.good, it->second.bad};
}


std::string EntrySummary(const HostEntry& e) {
  std::vector<std::string> parts;
  if (!e.pinset.empty()) {
    parts.push_back(absl::StrCat("pins ", e.pinset, " (", PinModeName(e.pin_mode), ")"));
  }
  if (e.force_https) parts.push_back("force-https");
  if (e.include_subdomains) parts.push_back("include_subdomains");
  if (e.include_subdomains_for_pinning) {
    parts.push_back("include_subdomains_for_pinning");
  }
  if (e.public_suffix_policy) parts.push_back("policy public-suffix");
  if (e.pinset.empty() && !e.force_https) parts.push_back("exclusion");
  return absl::StrJoin(parts, ", ");
}

Json HashesJson(const std::vector<SpkiHash>& hashes) {
  Json out = Json::array();
  for (const SpkiHash& h : hashes) out.push_back(SpkiHashToString(h));
  return out;
}

Json FieldsJson(const std::vector<FieldChange>& fields) {
  Json out = Json::array();
  for (const FieldChange& f : fields) {
    out.push_back({{"field", f.field}, {"old", f.old_value}, {"new", f.new_value}});
  }
  return out;
}

Json PinsetJson(const Pinset& p) {
  Json out;
  out["name"] = p.name;
  out["good"] = HashesJson(p.good);
  out["bad"] = HashesJson(p.bad);
  out["report_uri"] = p.report_uri.empty() ? Json(nullptr) : Json(p.report_uri);
  return out;
}

Json EntryJson(const HostEntry& e) {
  Json out;
  out["name"] = e.name;
  out["include_subdomains"] = e.include_subdomains;
  out["include_subdomains_for_pinning"] = e.include_subdomains_for_pinning;
  out["force_https"] = e.force_https;
  out["public_suffix_policy"] = e.public_suffix_policy;
  out["pinset"] = e.pinset.empty() ? Json(nullptr) : Json(e.pinset);
  out["pin_mode"] = e.pinset.empty() ? Json(nullptr) : Json(PinModeName(e.pin_mode));
  return out;
}

}  // namespace

absl::StatusOr<ListDiff> DiffTables(const TableReader& old_table,
                                    const TableReader& new_table) {
  absl::StatusOr<Side> old_side = ReadSide(old_table);
  if (!old_side.ok()) return old_side.status();
  absl::StatusOr<Side> new_side = ReadSide(new_table);
  if (!new_side.ok()) return new_side.status();
  ListDiff diff;

  const ListInfo& old_list = old_side->list;
  const ListInfo& new_list = new_side->list;
  AddIfDifferent("version", absl::StrCat(old_list.version),
                 absl::StrCat(new_list.version), &diff.list);
  AddIfDifferent("timestamp", TimeText(old_list.timestamp),
                 TimeText(new_list.timestamp), &diff.list);
  AddIfDifferent("max_age_days", absl::StrCat(old_list.max_age_days),
                 absl::StrCat(new_list.max_age_days), &diff.list);

  // Pinsets (std::map iterates in name order).
  for (const auto& [name, p] : old_side->pinsets) {
    if (new_side->pinsets.count(name) == 0) diff.pinsets_removed.push_back(p);
  }
  for (const auto& [name, p] : new_side->pinsets) {
    auto old_it = old_side->pinsets.find(name);
    if (old_it == old_side->pinsets.end()) {
      diff.pinsets_added.push_back(p);
      continue;
    }
    const Pinset& o = old_it->second;
    PinsetChange change;
    change.name = name;
    change.good_added = Minus(p.good, o.good);
    change.good_removed = Minus(o.good, p.good);
    change.bad_added = Minus(p.bad, o.bad);
    change.bad_removed = Minus(o.bad, p.bad);
    AddIfDifferent("report_uri", o.report_uri, p.report_uri, &change.fields);
    if (change.good_added.empty() && change.good_removed.empty() &&
        change.bad_added.empty() && change.bad_removed.empty() &&
        change.fields.empty()) {
      continue;
    }
    for (const auto& [entry_name, e] : new_side->entries) {
      if (e.pinset == name) change.used_by.push_back(entry_name);
    }
    diff.pinsets_changed.push_back(std::move(change));
  }

  // Entries.
  for (const auto& [name, e] : old_side->entries) {
    if (new_side->entries.count(name) == 0) diff.entries_removed.push_back(e);
  }
  for (const auto& [name, e] : new_side->entries) {
    auto old_it = old_side->entries.find(name);
    if (old_it == old_side->entries.end()) {
      diff.entries_added.push_back(e);
      continue;
    }
    const HostEntry& o = old_it->second;
    EntryChange change;
    change.name = name;
    AddIfDifferent("include_subdomains", Bool(o.include_subdomains),
                   Bool(e.include_subdomains), &change.fields);
    AddIfDifferent("include_subdomains_for_pinning",
                   Bool(o.include_subdomains_for_pinning),
                   Bool(e.include_subdomains_for_pinning), &change.fields);
    AddIfDifferent("force_https", Bool(o.force_https), Bool(e.force_https),
                   &change.fields);
    AddIfDifferent("public_suffix_policy", Bool(o.public_suffix_policy),
                   Bool(e.public_suffix_policy), &change.fields);
    AddIfDifferent("pinset", o.pinset.empty() ? "(none)" : o.pinset,
                   e.pinset.empty() ? "(none)" : e.pinset, &change.fields);
    // pin_mode means something only with pins on both sides; gaining or
    // losing pins is the pinset change above.
    if (!o.pinset.empty() && !e.pinset.empty()) {
      AddIfDifferent("pin_mode", PinModeName(o.pin_mode),
                     PinModeName(e.pin_mode), &change.fields);
    }
    if (o.pinset != e.pinset) {
      change.pins_changed = PinsOf(*old_side, o) != PinsOf(*new_side, e);
    }
    if (!change.fields.empty()) diff.entries_changed.push_back(std::move(change));
  }
  return diff;
}

std::string FormatDiffText(const ListDiff& diff, const KeyNames& key_names) {
  const auto named = [&](const std::vector<SpkiHash>& hashes) {
    std::vector<std::string> parts;
    for (const SpkiHash& h : hashes) parts.push_back(PinWithName(h, key_names));
    return absl::StrJoin(parts, ", ");
  };
  std::string out;
  for (const FieldChange& f : diff.list) {
    absl::StrAppend(&out, "~ list.", f.field, ": ", f.old_value, " -> ",
                    f.new_value, "\n");
  }
  for (const Pinset& p : diff.pinsets_removed) {
    absl::StrAppend(&out, "- pinset ", p.name, " (", p.good.size(), " good, ",
                    p.bad.size(), " bad)\n");
  }
  for (const Pinset& p : diff.pinsets_added) {
    absl::StrAppend(&out, "+ pinset ", p.name, ": good ", named(p.good));
    if (!p.bad.empty()) absl::StrAppend(&out, "; bad ", named(p.bad));
    absl::StrAppend(&out, "\n");
  }
  for (const PinsetChange& c : diff.pinsets_changed) {
    absl::StrAppend(&out, "~ pinset ", c.name, " (used by ",
                    c.used_by.empty() ? "no entry" : absl::StrJoin(c.used_by, ", "),
                    "):\n");
    for (const SpkiHash& h : c.good_added) {
      absl::StrAppend(&out, "    + good ", PinWithName(h, key_names), "\n");
    }
    for (const SpkiHash& h : c.good_removed) {
      absl::StrAppend(&out, "    - good ", PinWithName(h, key_names), "\n");
    }
    for (const SpkiHash& h : c.bad_added) {
      absl::StrAppend(&out, "    + bad ", PinWithName(h, key_names), "\n");
    }
    for (const SpkiHash& h : c.bad_removed) {
      absl::StrAppend(&out, "    - bad ", PinWithName(h, key_names), "\n");
    }
    for (const FieldChange& f : c.fields) {
      absl::StrAppend(&out, "    ~ ", f.field, ": \"", f.old_value, "\" -> \"",
                      f.new_value, "\"\n");
    }
  }
  for (const HostEntry& e : diff.entries_removed) {
    absl::StrAppend(&out, "- host ", e.name, " (", EntrySummary(e), ")\n");
  }
  for (const HostEntry& e : diff.entries_added) {
    absl::StrAppend(&out, "+ host ", e.name, " (", EntrySummary(e), ")\n");
  }
  for (const EntryChange& c : diff.entries_changed) {
    std::vector<std::string> parts;
    for (const FieldChange& f : c.fields) {
      std::string part =
          absl::StrCat(f.field, " ", f.old_value, " -> ", f.new_value);
      if (f.field == "pinset") {
        absl::StrAppend(&part, c.pins_changed ? " (pins differ)" : " (same pins)");
      }
      parts.push_back(std::move(part));
    }
    absl::StrAppend(&out, "~ host ", c.name, ": ", absl::StrJoin(parts, "; "),
                    "\n");
  }
  if (diff.identical()) {
    absl::StrAppend(&out, "identical\n");
  } else {
    absl::StrAppend(
        &out, "hosts: ", diff.entries_added.size(), " added, ",
        diff.entries_removed.size(), " removed, ", diff.entries_changed.size(),
        " changed; pinsets: ", diff.pinsets_added.size(), " added, ",
        diff.pinsets_removed.size(), " removed, ", diff.pinsets_changed.size(),
        " changed\n");
  }
  return out;
}

std::string FormatDiffJson(const ListDiff& diff, const KeyNames& key_names) {
  Json out;
  out["identical"] = diff.identical();
  out["list"] = FieldsJson(diff.list);
  Json pinsets;
  pinsets["added"] = Json::array();
  for (const Pinset& p : diff.pinsets_added) pinsets["added"].push_back(PinsetJson(p));
  pinsets["removed"] = Json::array();
  for (const Pinset& p : diff.pinsets_removed) {
    pinsets["removed"].push_back(PinsetJson(p));
  }
  pinsets["changed"] = Json::array();
  for (const PinsetChange& c : diff.pinsets_changed) {
    Json j;
    j["name"] = c.name;
    j["good_added"] = HashesJson(c.good_added);
    j["good_removed"] = HashesJson(c.good_removed);
    j["bad_added"] = HashesJson(c.bad_added);
    j["bad_removed"] = HashesJson(c.bad_removed);
    j["fields"] = FieldsJson(c.fields);
    j["used_by"] = c.used_by;
    pinsets["changed"].push_back(std::move(j));
  }
  out["pinsets"] = std::move(pinsets);
  Json entries;
  entries["added"] = Json::array();
  for (const HostEntry& e : diff.entries_added) entries["added"].push_back(EntryJson(e));
  entries["removed"] = Json::array();
  for (const HostEntry& e : diff.entries_removed) {
    entries["removed"].push_back(EntryJson(e));
  }
  entries["changed"] = Json::array();
  for (const EntryChange& c : diff.entries_changed) {
    Json j;
    j["name"] = c.name;
    j["fields"] = FieldsJson(c.fields);
    j["pins_changed"] = c.pins_changed;
    entries["changed"].push_back(std::move(j));
  }
  out["entries"] = std::move(entries);
  Json names = Json::object();
  const auto add_names = [&](const std::vector<SpkiHash>& hashes) {
    for (const SpkiHash& h : hashes) {
      auto it = key_names.find(h);
      if (it != key_names.end()) names[SpkiHashToString(h)] = it->second;
    }
  };
  for (const Pinset& p : diff.pinsets_added) add_names(p.good), add_names(p.bad);
  for (const Pinset& p : diff.pinsets_removed) add_names(p.good), add_names(p.bad);
  for (const PinsetChange& c : diff.pinsets_changed) {
    add_names(c.good_added), add_names(c.good_removed);
    add_names(c.bad_added), add_names(c.bad_removed);
  }
  out["key_names"] = std::move(names);
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace pinbake
