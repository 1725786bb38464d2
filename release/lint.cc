#include "release/lint.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "compiler/model_from_table.h"
#include "compiler/pin_list_model.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace {

constexpr size_t kMaxNamesInMessage = 5;

// "a, b, c" or "a, b, c, d, e and 3 more".
std::string NameList(const std::vector<std::string>& names) {
  if (names.size() <= kMaxNamesInMessage) return absl::StrJoin(names, ", ");
  std::vector<std::string> head(names.begin(),
                                names.begin() + kMaxNamesInMessage);
  return absl::StrCat(absl::StrJoin(head, ", "), " and ",
                      names.size() - kMaxNamesInMessage, " more");
}

std::string HashList(const std::vector<SpkiHash>& hashes,
                     const KeyNames* names) {
  static const KeyNames kNone;
  std::vector<std::string> parts;
  for (const SpkiHash& h : hashes) {
    parts.push_back(PinWithName(h, names != nullptr ? *names : kNone));
  }
  return absl::StrJoin(parts, ", ");
}

void Add(Severity severity, std::string check, std::string subject,
         std::string message, std::vector<LintFinding>* out) {
  out->push_back(LintFinding{severity, std::move(check), std::move(subject),
                             std::move(message)});
}

void CheckExpiry(const TableReader& table, const LintOptions& options,
                 std::vector<LintFinding>* out) {
  if (IsMaxAgeTooLong(table.max_age_days())) {
    Add(Severity::kError, "max-age-too-long", "list",
        MaxAgeTooLongMessage(table.max_age_days()), out);
  }
  if (IsTimestampTooFarAhead(table.timestamp(), options.now)) {
    Add(Severity::kError, "future-timestamp", "list",
        absl::StrCat(TooFarAheadMessage(table.timestamp(), options.now),
                     "; clients would refuse it as an update, and a baked "
                     "list would never go stale"),
        out);
    return;
  }
  if (table.timestamp() == 0) {
    Add(Severity::kError, "no-timestamp", "list",
        "the list has no timestamp, so clients treat it as stale and never "
        "enforce its pins",
        out);
    return;
  }
  const absl::Time expiry =
      ListExpiry(table.timestamp(), table.max_age_days());
  if (options.now > expiry) {
    Add(Severity::kError, "expired", "list",
        absl::StrCat("the list expired on ", UtcTimeText(expiry), " (timestamp ",
                     UtcTimeText(absl::FromUnixSeconds(table.timestamp())),
                     " + max_age_days ", table.max_age_days(),
                     "); clients would not enforce it"),
        out);
  } else if (expiry - options.now <=
             absl::Hours(24) * options.expiry_warning_days) {
    Add(Severity::kWarning, "expires-soon", "list",
        absl::StrCat("the list expires on ", UtcTimeText(expiry), ", within ",
                     options.expiry_warning_days, " days of ",
                     UtcTimeText(options.now)),
        out);
  }
}

struct PinsetUse {
  std::vector<std::string> enforced;
  std::vector<std::string> report_only;
};

// The read-back model's pinsets by name.
std::map<std::string, const Pinset*> PinsetsByName(const PinListModel& model) {
  std::map<std::string, const Pinset*> out;
  for (const Pinset& p : model.pinsets) out[p.name] = &p;
  return out;
}

void CheckBackupPins(const PinListModel& model,
                     std::vector<LintFinding>* out) {
  const std::map<std::string, const Pinset*> pinsets = PinsetsByName(model);
  std::map<std::string, PinsetUse> uses;  // By pinset name.
  for (const HostEntry& entry : model.entries) {
    if (!entry.has_pins()) continue;
    PinsetUse& use = uses[entry.pinset];
    (entry.pin_mode == PinMode::kEnforce ? use.enforced : use.report_only)
        .push_back(entry.name);
  }
  for (const auto& [name, use] : uses) {
    auto it = pinsets.find(name);
    if (it == pinsets.end()) continue;  // Not reached: tables are closed.
    const Pinset& pinset = *it->second;
    if (pinset.good.size() >= 2) continue;
    const std::string count =
        absl::StrCat(pinset.good.size(), " good pin",
                     pinset.good.size() == 1 ? "" : "s");
    if (!use.enforced.empty()) {
      Add(Severity::kError, "single-pin", name,
          absl::StrCat("pinset ", name, " has ", count, " but is enforced for ",
                       NameList(use.enforced),
                       "; RFC 7469 requires a backup pin (at least two)"),
          out);
    } else {
      Add(Severity::kWarning, "single-pin", name,
          absl::StrCat("pinset ", name, " has ", count,
                       " (report-only for ", NameList(use.report_only),
                       "); add a backup pin before enforcing it"),
          out);
    }
  }
}

// The good pins of `pinset` that are in `chain`, and its bad pins that are.
std::pair<std::vector<SpkiHash>, std::vector<SpkiHash>> Match(
    const PinsetView& pinset, const std::vector<SpkiHash>& chain) {
  std::set<SpkiHash> good, bad;
  for (const SpkiHash& h : chain) {
    if (pinset.HasGood(h)) good.insert(h);
    if (pinset.HasBad(h)) bad.insert(h);
  }
  return {std::vector<SpkiHash>(good.begin(), good.end()),
          std::vector<SpkiHash>(bad.begin(), bad.end())};
}

// The good pins the previous list's pinset for `host` shares with `chain`;
// empty if the previous list did not pin the host.
std::vector<SpkiHash> PreviousMatch(const PinList* previous,
                                    absl::string_view host,
                                    const std::vector<SpkiHash>& chain,
                                    std::string* pinset_name) {
  if (previous == nullptr) return {};
  const LookupResult r = previous->Lookup(host);
  if (!r.pinned()) return {};
  const PinsetView pinset = *r.pinset;
  *pinset_name = std::string(pinset.name());
  return Match(pinset, chain).first;
}

void CheckLiveChain(const PinList& list, const LiveChain& live,
                    const LintOptions& options,
                    std::vector<LintFinding>* out) {
  const std::string source =
      live.source.empty() ? std::string() : absl::StrCat(" (", live.source, ")");
  const LookupResult r = list.Lookup(live.host);
  if (!r.valid()) {
    Add(Severity::kError, "invalid-host", live.host,
        absl::StrCat("\"", live.host, "\" is not a valid host name (",
                     HostErrorName(r.error), ")"),
        out);
    return;
  }
  const std::string host(r.canonical.view());
  if (!r.pinned()) {
    Add(Severity::kWarning, "not-pinned", host,
        absl::StrCat(host, " is not pinned by the list; its live chain",
                     source, " was not checked"),
        out);
    return;
  }
  const PinsetView pinset = *r.pinset;
  const std::string pinset_name(pinset.name());
  const bool report_only = r.pin_rule->pin_mode == PinMode::kReportOnly;
  const Severity severity = report_only ? Severity::kWarning : Severity::kError;
  const std::string verb = report_only ? "would report" : "would brick";
  const auto [good, bad] = Match(pinset, live.chain);

  if (!bad.empty()) {
    Add(severity, "blocked-pin", host,
        absl::StrCat(verb, " ", host, ": its live chain", source,
                     " contains blocked pin(s) ", HashList(bad, options.key_names),
                     " of pinset ", pinset_name),
        out);
  }
  if (good.empty()) {
    std::string previous_pinset;
    const std::vector<SpkiHash> was = PreviousMatch(
        options.previous, host, live.chain, &previous_pinset);
    if (!was.empty()) {
      Add(severity, "would-brick", host,
          absl::StrCat(verb, " ", host, ": this change removes every pin its "
                       "live chain", source, " matches (", HashList(was, options.key_names),
                       ", in the previous list's pinset ", previous_pinset,
                       "); pinset ", pinset_name, " has none of them"),
          out);
    } else {
      std::vector<SpkiHash> expected;
      for (size_t i = 0; i < pinset.good_count(); ++i) {
        expected.push_back(pinset.good(i));
      }
      Add(severity, "chain-mismatch", host,
          absl::StrCat(verb, " ", host, ": its live chain", source,
                       " does not match any pin of pinset ", pinset_name,
                       " (", HashList(expected, options.key_names), ")"),
          out);
    }
    return;
  }
  if (good.size() == pinset.good_count()) {
    Add(severity, "no-backup", host,
        absl::StrCat("no backup pin for ", host, ": every good pin of pinset ",
                     pinset_name, " (", pinset.good_count(),
                     ") is in its live chain", source,
                     "; add a pin for a key the chain does not use"),
        out);
  }
}

void CheckUnchecked(const PinList& list, const PinListModel& model,
                    const LintOptions& options,
                    std::vector<LintFinding>* out) {
  std::set<std::string> covered;  // Entries that decided a live chain's pins.
  for (const LiveChain& live : options.live_chains) {
    const LookupResult r = list.Lookup(live.host);
    if (r.pinned()) covered.insert(r.PinRuleName());
  }
  std::vector<const HostEntry*> entries;
  for (const HostEntry& e : model.entries) {
    if (e.has_pins() && e.pin_mode == PinMode::kEnforce &&
        covered.count(e.name) == 0) {
      entries.push_back(&e);
    }
  }
  std::sort(entries.begin(), entries.end(),
            [](const HostEntry* a, const HostEntry* b) {
              return a->name < b->name;
            });
  for (const HostEntry* e : entries) {
    const std::string example =
        e->is_wildcard() ? absl::StrCat("a host under ", e->name.substr(2))
                         : e->name;
    Add(Severity::kWarning, "no-live-chain", e->name,
        absl::StrCat(e->name, " (pinset ", e->pinset,
                     ", enforced) was not checked against a live chain, so "
                     "lint cannot tell whether this list would brick it; "
                     "give --chain HOST=CHAIN.pem or --connect HOST for ",
                     example),
        out);
  }
}

void CheckOverlap(const PinListModel& model, const PinListModel& previous,
                  std::vector<LintFinding>* out) {
  const std::map<std::string, const Pinset*> now_pinsets = PinsetsByName(model);
  const std::map<std::string, const Pinset*> was_pinsets =
      PinsetsByName(previous);
  std::map<std::string, const HostEntry*> was_entries;
  for (const HostEntry& e : previous.entries) was_entries[e.name] = &e;
  for (const HostEntry& now : model.entries) {
    const std::string& name = now.name;
    auto was_it = was_entries.find(name);
    if (was_it == was_entries.end()) continue;
    const HostEntry& was = *was_it->second;
    if (!now.has_pins() || !was.has_pins() ||
        now.pin_mode != PinMode::kEnforce) {
      continue;
    }
    auto now_set = now_pinsets.find(now.pinset);
    auto was_set = was_pinsets.find(was.pinset);
    if (now_set == now_pinsets.end() || was_set == was_pinsets.end()) {
      continue;  // Not reached: tables are closed.
    }
    const std::set<SpkiHash> was_good(was_set->second->good.begin(),
                                      was_set->second->good.end());
    bool shared = false;
    for (const SpkiHash& hash : now_set->second->good) {
      if (was_good.count(hash) != 0) {
        shared = true;
        break;
      }
    }
    if (!shared) {
      Add(Severity::kWarning, "no-pin-overlap", name,
          absl::StrCat("pinset ", now.pinset, " of ", name,
                       " shares no pin with the previous list's pinset ",
                       was.pinset,
                       ", so no chain satisfies both while clients update"),
          out);
    }
  }
}

}  // namespace

absl::StatusOr<std::vector<LintFinding>> LintPinList(
    const PinList& list, const LintOptions& options) {
  absl::StatusOr<PinListModel> model = ModelFromTable(list.table());
  if (!model.ok()) return model.status();
  std::optional<PinListModel> previous;
  if (options.previous != nullptr) {
    absl::StatusOr<PinListModel> read =
        ModelFromTable(options.previous->table());
    if (!read.ok()) return read.status();
    previous = std::move(*read);
  }
  std::vector<LintFinding> out;
  CheckExpiry(list.table(), options, &out);
  CheckBackupPins(*model, &out);
  for (const LiveChain& live : options.live_chains) {
    CheckLiveChain(list, live, options, &out);
  }
  if (options.warn_without_live_chain) {
    CheckUnchecked(list, *model, options, &out);
  }
  if (previous.has_value()) CheckOverlap(*model, *previous, &out);
  return out;
}

size_t CountLintErrors(const std::vector<LintFinding>& findings) {
  size_t n = 0;
  for (const LintFinding& f : findings) n += f.severity == Severity::kError;
  return n;
}

size_t CountLintWarnings(const std::vector<LintFinding>& findings) {
  return findings.size() - CountLintErrors(findings);
}

}  // namespace pinbake
