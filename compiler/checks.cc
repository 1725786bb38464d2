#include "compiler/checks.h"

#include <libpsl.h>

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"
#include "format/host_name.h"
#include "format/subdomain_coverage.h"
#include "runtime/chain_checker.h"
#include "runtime/idn_host.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace {

// Pins stay enforced for max_age_days after the build; beyond this a stale
// binary can lock sites out for a long time.
constexpr int32_t kLongMaxAgeDays = 365;

// Everything a check needs: where to report, and the model.
struct CheckContext {
  const std::string& list_path;
  PinListModel* model;
  Diagnostics* diags;

  void Error(absl::string_view where, absl::string_view message,
             absl::string_view fix = "") const {
    diags->Error(list_path, where, message, fix);
  }
  void Warning(absl::string_view where, absl::string_view message) const {
    diags->Warning(list_path, where, message);
  }
};

std::string Field(absl::string_view base, absl::string_view key) {
  return absl::StrCat(base, ".", key);
}

bool HasUpper(absl::string_view s) {
  for (char c : s) {
    if (absl::ascii_isupper(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// The name a wildcard entry applies under: "*.example.com" ->
// "example.com"; the name itself for other entries.
absl::string_view BaseName(const HostEntry& e) {
  absl::string_view name = e.name;
  if (e.is_wildcard()) name.remove_prefix(2);
  return name;
}

// Whether `e`'s settings reach its subdomains, for pins and for HSTS
// (the runtime's rule, format/subdomain_coverage.h).
bool CoversPins(const HostEntry& e) { return e.covers_subdomains_for_pins(); }
bool CoversHsts(const HostEntry& e) { return e.covers_subdomains_for_hsts(); }

// Everything but the name and location.
bool SameSettings(const HostEntry& a, const HostEntry& b) {
  return a.SameSettingsAs(b) && a.pinset == b.pinset && a.exclude == b.exclude;
}

// The public suffix list, loaded once (thread-safe static init). Debian's
// /usr/share/publicsuffix list, else libpsl's built-in copy; null if
// neither is available.
const psl_ctx_t* PublicSuffixList() {
  static const psl_ctx_t* const ctx = [] {
    const psl_ctx_t* c = psl_latest(nullptr);
    if (c == nullptr) c = psl_builtin();
    return c;
  }();
  return ctx;
}

// Uppercase twins: Chromium's 2016 list has "0xAA55.me" beside
// "0xaa55.me" with the same settings. Such an uppercase entry is redundant
// (lookups are case-insensitive), so it is dropped with a warning. Other
// uppercase names are left for CheckNameSyntax to reject.
void DropUppercaseTwins(const CheckContext& ctx) {
  std::vector<HostEntry>& entries = ctx.model->entries;
  absl::flat_hash_map<absl::string_view, size_t> lower_index;
  bool any_upper = false;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (HasUpper(entries[i].name)) {
      any_upper = true;
    } else {
      lower_index.try_emplace(entries[i].name, i);
    }
  }
  if (!any_upper) return;
  std::vector<bool> drop(entries.size(), false);
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!HasUpper(entries[i].name)) continue;
    const std::string lower = absl::AsciiStrToLower(entries[i].name);
    auto it = lower_index.find(lower);
    if (it == lower_index.end() || !SameSettings(entries[i], entries[it->second])) {
      continue;
    }
    ctx.Warning(Field(entries[i].location, "name"),
                absl::StrCat("uppercase \"", entries[i].name,
                             "\" duplicates \"", lower, "\" (",
                             entries[it->second].location,
                             ") with the same settings; dropped"));
    drop[i] = true;
  }
  size_t out = 0;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (drop[i]) continue;
    if (out != i) entries[out] = std::move(entries[i]);
    ++out;
  }
  entries.resize(out);
}

// Describes why CanonicalizeHost rejected `name`.
std::string HostErrorMessage(HostError error, absl::string_view name) {
  switch (error) {
    case HostError::kEmpty:
      return "empty host name";
    case HostError::kEmptyLabel:
      return absl::StrCat("\"", name, "\" has an empty label");
    case HostError::kLabelTooLong:
      return absl::StrCat("\"", name, "\" has a label longer than ",
                          kMaxLabelLength, " bytes");
    case HostError::kNameTooLong:
      return absl::StrCat("host name is longer than ", kMaxHostNameLength,
                          " bytes (", name.size(), ")");
    case HostError::kInvalidCharacter: {
      for (char c : name) {
        char l = absl::ascii_tolower(static_cast<unsigned char>(c));
        bool ok = (l >= 'a' && l <= 'z') || (l >= '0' && l <= '9') ||
                  l == '-' || l == '_' || l == '.';
        if (!ok) {
          return absl::StrFormat(
              "\"%s\" has an invalid character 0x%02x (allowed: a-z 0-9 - _ "
              "and dots)",
              absl::CHexEscape(name), static_cast<unsigned char>(c));
        }
      }
      return absl::StrCat("\"", absl::CHexEscape(name),
                          "\" has an invalid character");
    }
    case HostError::kIpLiteral:
      return absl::StrCat("\"", name,
                          "\" looks like an IP address (its last label is all "
                          "digits); entries must be host names");
    case HostError::kNone:
      break;
  }
  return "invalid host name";
}

// A name with bytes outside ASCII: U-labels (Unicode) the table cannot
// hold, since lookups compare A-labels ("xn--..."). The fix is the
// A-label (libidn2, as browsers convert: runtime/idn_host.h) or --idn,
// which converts before the checks run (compiler/idn_names.h); a name
// that is not a valid IDN either gets libidn2's reason.
void CheckULabelName(const CheckContext& ctx, const std::string& where,
                     absl::string_view name, bool wildcard) {
  absl::string_view host = name;
  if (wildcard) host.remove_prefix(2);
  const std::string shown = absl::Utf8SafeCHexEscape(name);
  absl::StatusOr<std::string> a_labels = HostToALabels(host);
  if (!a_labels.ok()) {
    ctx.Error(where, absl::StrCat("\"", shown, "\" is not ASCII and not a "
                                  "valid internationalised host name: ",
                                  a_labels.status().message()));
    return;
  }
  ctx.Error(where,
            absl::StrCat("\"", shown, "\" has U-labels (Unicode); the table "
                         "holds A-labels"),
            absl::StrCat("write \"", wildcard ? "*." : "", *a_labels,
                         "\", or compile with --idn to convert it"));
}

// Host-name syntax: each name must already be canonical as runtime lookups
// canonicalise queries (format/host_name.h), byte for byte, so that the
// entry can be found at all. A wildcard is "*." followed by such a name.
// Returns, per entry, whether its name passed.
std::vector<bool> CheckNameSyntax(const CheckContext& ctx) {
  const std::vector<HostEntry>& entries = ctx.model->entries;
  std::vector<bool> ok(entries.size(), false);
  for (size_t i = 0; i < entries.size(); ++i) {
    const HostEntry& e = entries[i];
    const std::string where = Field(e.location, "name");
    absl::string_view name = e.name;
    const bool wildcard = IsWildcardName(name);
    if (wildcard) name.remove_prefix(2);
    if (name.find('*') != absl::string_view::npos ||
        (!wildcard && !name.empty() && name[0] == '*')) {
      ctx.Error(where, absl::StrCat("\"", e.name,
                                    "\": '*' is only allowed as the whole "
                                    "leftmost label, as in \"*.example.com\""));
      continue;
    }
    if (HasNonAsciiByte(name)) {
      CheckULabelName(ctx, where, e.name, wildcard);
      continue;
    }
    CanonicalHost canonical;
    HostError error = CanonicalizeHost(name, &canonical);
    if (error != HostError::kNone) {
      std::string message = HostErrorMessage(error, name);
      if (wildcard) absl::StrAppend(&message, " (after \"*.\")");
      ctx.Error(where, message);
      continue;
    }
    if (canonical.view() != name) {
      if (!name.empty() && name.back() == '.') {
        ctx.Error(where, absl::StrCat("\"", e.name,
                                      "\" has a trailing dot; write \"",
                                      wildcard ? "*." : "", canonical.view(),
                                      "\""));
      } else {
        ctx.Error(where, absl::StrCat("\"", e.name,
                                      "\" has uppercase letters; write \"",
                                      wildcard ? "*." : "", canonical.view(),
                                      "\""));
      }
      continue;
    }
    if (wildcard && name.size() + 2 > kMaxHostNameLength) {
      ctx.Error(where, absl::StrCat("no host name of at most ",
                                    kMaxHostNameLength,
                                    " bytes fits under \"", e.name, "\""));
      continue;
    }
    ok[i] = true;
  }
  return ok;
}

// Duplicate host names: the second and later occurrences are errors (which
// one would win is not obvious to a reader of the list).
void CheckDuplicateHosts(const CheckContext& ctx) {
  const std::vector<HostEntry>& entries = ctx.model->entries;
  absl::flat_hash_map<absl::string_view, size_t> first;
  first.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    auto [it, inserted] = first.try_emplace(entries[i].name, i);
    if (inserted) continue;
    ctx.Error(Field(entries[i].location, "name"),
              absl::StrCat("duplicate host \"", entries[i].name,
                           "\" (first at ", entries[it->second].location, ")"));
  }
}

// Wildcards match exactly one label ("*.example.com" matches
// "a.example.com", not "a.b.example.com"), so include_subdomains on them is
// meaningless and rejected rather than guessed at.
void CheckWildcardFlags(const CheckContext& ctx) {
  for (const HostEntry& e : ctx.model->entries) {
    if (!e.is_wildcard()) continue;
    if (e.include_subdomains) {
      ctx.Error(Field(e.location, "include_subdomains"),
                absl::StrCat("wildcard \"", e.name,
                             "\" cannot have include_subdomains (a wildcard "
                             "matches one label)"));
    }
    if (e.include_subdomains_for_pinning) {
      ctx.Error(Field(e.location, "include_subdomains_for_pinning"),
                absl::StrCat("wildcard \"", e.name,
                             "\" cannot have include_subdomains_for_pinning "
                             "(a wildcard matches one label)"));
    }
  }
}

// Public-suffix guard: a wildcard over a public suffix ("*.com",
// "*.appspot.com") would pin every registrable domain under it, which is
// never one party's decision: error. include_subdomains on a public suffix
// is a warning unless the entry says "policy": "public-suffix".
void CheckPublicSuffixes(const CheckContext& ctx, const std::vector<bool>& ok) {
  const psl_ctx_t* psl = PublicSuffixList();
  if (psl == nullptr) {
    ctx.Warning("", "no public suffix list available; public-suffix checks "
                    "skipped");
    return;
  }
  const std::vector<HostEntry>& entries = ctx.model->entries;
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!ok[i]) continue;
    const HostEntry& e = entries[i];
    // Only these two cases can be reported; skip the lookup otherwise.
    if (!e.is_wildcard() && !(CoversPins(e) && !e.public_suffix_policy)) {
      continue;
    }
    const std::string base(BaseName(e));
    if (!psl_is_public_suffix(psl, base.c_str())) continue;
    if (e.is_wildcard()) {
      ctx.Error(Field(e.location, "name"),
                absl::StrCat("wildcard \"", e.name, "\" is over the public "
                             "suffix \"", base, "\": it would match every "
                             "registrable domain under it"));
    } else if (CoversPins(e) && !e.public_suffix_policy) {
      ctx.Warning(Field(e.location, e.include_subdomains
                                        ? "include_subdomains"
                                        : "include_subdomains_for_pinning"),
                  absl::StrCat("\"", e.name, "\" is a public suffix; "
                               "including subdomains applies to every site "
                               "under it (add \"policy\": \"public-suffix\" "
                               "if that is intended)"));
    }
  }
}

// Duplicate pinset names: entries name a pinset, so a second one of the
// same name is never used and probably meant to be another (error).
// Returns, per pinset, whether it is the first of its name.
std::vector<bool> CheckDuplicatePinsets(const CheckContext& ctx) {
  const std::vector<Pinset>& pinsets = ctx.model->pinsets;
  std::vector<bool> first(pinsets.size(), true);
  absl::flat_hash_map<absl::string_view, size_t> seen;
  for (size_t i = 0; i < pinsets.size(); ++i) {
    auto [it, inserted] = seen.try_emplace(pinsets[i].name, i);
    if (inserted) continue;
    first[i] = false;
    ctx.Error(Field(pinsets[i].location, "name"),
              absl::StrCat("duplicate pinset \"", pinsets[i].name,
                           "\" (first at ", pinsets[it->second].location, ")"));
  }
  return first;
}

// "exclude": true says the entry gives nothing; with pins or HSTS it would
// contradict itself (error).
void CheckExclusionConflicts(const CheckContext& ctx) {
  for (const HostEntry& e : ctx.model->entries) {
    if (e.exclude && (e.has_pins() || e.force_https)) {
      ctx.Error(Field(e.location, "exclude"),
                "\"exclude\": true is only allowed on an entry without "
                "\"pins\" and \"mode\"");
    }
  }
}

// An entry with neither pins nor HSTS that does not say "exclude": it is
// an exclusion all the same (Chromium's lists have such entries for
// expect_ct / expect_staple, which pinbake ignores), so say so (warning).
void CheckImplicitExclusions(const CheckContext& ctx) {
  for (const HostEntry& e : ctx.model->entries) {
    if (e.has_pins() || e.force_https || e.exclude) continue;
    ctx.Warning(e.location,
                absl::StrCat("\"", e.name,
                             "\" has neither \"pins\" nor \"mode\" (expect_ct "
                             "and expect_staple are ignored): it is kept as an "
                             "exclusion (no pins, no HSTS for the name",
                             e.include_subdomains ? " and its subdomains" : "",
                             "); write \"exclude\": true to say so"));
  }
}

// Pinset sanity: a referenced pinset with no good hash would refuse every
// connection (error); an unused pinset is probably a mistake (warning); a
// single good hash means no backup pin (RFC 7469 section 4.3, warning);
// report_uri must be an http(s) URL (error), preferably https (warning).
void CheckPinsets(const CheckContext& ctx, const std::vector<bool>& first) {
  absl::flat_hash_map<absl::string_view, size_t> first_use;
  for (size_t i = 0; i < ctx.model->entries.size(); ++i) {
    const HostEntry& e = ctx.model->entries[i];
    if (e.has_pins()) first_use.try_emplace(e.pinset, i);
  }
  static const LazyRE2 kUrl = {
      R"(https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+,;=-]+)(:[0-9]{1,5})?([/?#][\x21-\x7e]*)?)"};
  for (size_t i = 0; i < ctx.model->pinsets.size(); ++i) {
    const Pinset& p = ctx.model->pinsets[i];
    if (!first[i]) continue;  // CheckDuplicatePinsets reported it.
    auto use = first_use.find(p.name);
    if (use == first_use.end()) {
      ctx.Warning(p.location,
                  absl::StrCat("pinset \"", p.name, "\" is not used by any entry"));
    } else if (p.good.empty()) {
      ctx.Error(p.location,
                absl::StrCat("pinset \"", p.name, "\" has no static_spki_hashes "
                             "but is used (first by ",
                             ctx.model->entries[use->second].location,
                             "): every certificate chain would be refused"));
    } else if (p.good.size() == 1) {
      ctx.Warning(p.location,
                  absl::StrCat("pinset \"", p.name, "\" has a single "
                               "static_spki_hash: no backup pin (RFC 7469 "
                               "section 4.3)"));
    }
    if (!p.report_uri.empty()) {
      const std::string where = Field(p.location, "report_uri");
      if (!RE2::FullMatch(p.report_uri, *kUrl)) {
        ctx.Error(where, absl::StrCat("report_uri \"",
                                      absl::CHexEscape(p.report_uri),
                                      "\" is not an http:// or https:// URL"));
      } else if (p.report_uri.compare(0, 7, "http://") == 0) {
        ctx.Warning(where, absl::StrCat("report_uri \"", p.report_uri,
                                        "\" is plain http: reports travel "
                                        "unencrypted"));
      }
    }
  }
}

// Where pinbake and Chromium resolve a host differently. pinbake tries the
// exact name, then "*.parent", then each proper ancestor nearest first,
// skipping ancestors that do not include subdomains (for pins:
// include_subdomains or include_subdomains_for_pinning; for HSTS:
// include_subdomains). Chromium stops at the deepest ancestor entry even if
// it does not include subdomains. So for an entry E that does not cover its
// subdomains, subdomains of E get the first covering ancestor's pins/HSTS
// in pinbake but nothing in Chromium. Warn at E. O(entries * labels).
void CheckChromiumLookupDifferences(const CheckContext& ctx,
                                    const std::vector<bool>& ok) {
  const std::vector<HostEntry>& entries = ctx.model->entries;
  absl::flat_hash_map<absl::string_view, size_t> by_name;
  by_name.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (ok[i] && !entries[i].is_wildcard()) by_name.try_emplace(entries[i].name, i);
  }
  // Returns the nearest proper ancestor of `name` for which `covers` holds,
  // or null.
  auto covering_ancestor = [&](absl::string_view name,
                               bool (*covers)(const HostEntry&))
      -> const HostEntry* {
    for (size_t dot = name.find('.'); dot != absl::string_view::npos;
         dot = name.find('.', dot + 1)) {
      auto it = by_name.find(name.substr(dot + 1));
      if (it != by_name.end() && covers(entries[it->second])) {
        return &entries[it->second];
      }
    }
    return nullptr;
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    if (!ok[i]) continue;
    const HostEntry& e = entries[i];
    if (e.is_wildcard()) continue;
    if (!CoversPins(e)) {
      const HostEntry* a = covering_ancestor(e.name, &CoversPins);
      if (a != nullptr && a->has_pins()) {
        ctx.Warning(e.location,
                    absl::StrCat("pins differ from Chromium: subdomains of \"",
                                 e.name, "\" get the pins of \"", a->name,
                                 "\" (", a->location, ") in pinbake, but no "
                                 "pins in Chromium, whose lookup stops at "
                                 "this entry (it does not include "
                                 "subdomains)"));
      }
    }
    if (!CoversHsts(e)) {
      const HostEntry* a = covering_ancestor(e.name, &CoversHsts);
      if (a != nullptr && a->force_https) {
        ctx.Warning(e.location,
                    absl::StrCat("HSTS differs from Chromium: subdomains of \"",
                                 e.name, "\" get force-https from \"", a->name,
                                 "\" (", a->location, ") in pinbake, but no "
                                 "HSTS in Chromium, whose lookup stops at "
                                 "this entry (it does not include "
                                 "subdomains)"));
      }
    }
  }
}

// An explicit "exclude": true entry only matters if something above it
// would otherwise apply: a covering ancestor or a "*.parent" wildcard.
// Otherwise it is dead weight, probably a typo in the name.
void CheckUselessExclusions(const CheckContext& ctx,
                            const std::vector<bool>& ok) {
  const std::vector<HostEntry>& entries = ctx.model->entries;
  bool any = false;
  for (const HostEntry& e : entries) any = any || e.exclude;
  if (!any) return;
  absl::flat_hash_map<absl::string_view, const HostEntry*> by_name;
  by_name.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (ok[i]) by_name.try_emplace(entries[i].name, &entries[i]);
  }
  for (size_t i = 0; i < entries.size(); ++i) {
    const HostEntry& e = entries[i];
    if (!ok[i] || !e.exclude || e.is_wildcard()) continue;
    absl::string_view name = e.name;
    bool shadows = false;
    size_t dot = name.find('.');
    if (dot != absl::string_view::npos) {
      shadows = by_name.contains(absl::StrCat("*", name.substr(dot)));
    }
    for (; !shadows && dot != absl::string_view::npos;
         dot = name.find('.', dot + 1)) {
      auto it = by_name.find(name.substr(dot + 1));
      shadows = it != by_name.end() && (CoversPins(*it->second) ||
                                        CoversHsts(*it->second));
    }
    if (!shadows) {
      ctx.Warning(Field(e.location, "exclude"),
                  absl::StrCat("exclusion \"", e.name, "\" has no effect: no "
                               "ancestor or wildcard entry covers it"));
    }
  }
}

// An entry without pins decides the pin lookup for the hosts it covers
// (docs/lookup.md, "Which entry decides"), so it silently unpins them when
// the entry that would decide without it has pins: `*.w.example.com`
// (HSTS only) unpins `a.w.example.com` from `example.com`
// (include_subdomains with pins), and so does an exact `a.example.com`
// without pins (and its subdomains too if it includes subdomains). Warn at
// the entry without pins, naming the pins it hides. An explicit
// "exclude": true says the unpinning is meant, and is not warned about.
// O(entries * labels).
void CheckEntriesShadowingPins(const CheckContext& ctx,
                               const std::vector<bool>& ok) {
  const std::vector<HostEntry>& entries = ctx.model->entries;
  absl::flat_hash_map<absl::string_view, size_t> by_name;  // Exact and "*.".
  by_name.reserve(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    if (ok[i]) by_name.try_emplace(entries[i].name, i);
  }
  auto find = [&](absl::string_view name) -> const HostEntry* {
    auto it = by_name.find(name);
    return it == by_name.end() ? nullptr : &entries[it->second];
  };
  // The nearest of `name` and its ancestors that covers pins of subdomains.
  auto covering_self_or_ancestor =
      [&](absl::string_view name) -> const HostEntry* {
    for (;;) {
      const HostEntry* e = find(name);
      if (e != nullptr && !e->is_wildcard() && CoversPins(*e)) return e;
      const size_t dot = name.find('.');
      if (dot == absl::string_view::npos) return nullptr;
      name = name.substr(dot + 1);
    }
  };
  for (size_t i = 0; i < entries.size(); ++i) {
    const HostEntry& e = entries[i];
    if (!ok[i] || e.has_pins() || e.exclude) continue;
    const size_t dot = e.name.find('.');
    if (dot == std::string::npos) continue;
    const absl::string_view parent = absl::string_view(e.name).substr(dot + 1);
    // What would decide the pins of the hosts `e` covers if `e` were not
    // listed: for "*.parent", parent and its ancestors; for an exact name,
    // "*.parent" first, then the ancestors.
    const HostEntry* decider = nullptr;
    if (!e.is_wildcard()) decider = find(absl::StrCat("*.", parent));
    if (decider == nullptr) decider = covering_self_or_ancestor(parent);
    if (decider == nullptr || !decider->has_pins()) continue;
    const bool one_host = !e.is_wildcard() && !CoversPins(e);
    const std::string hosts =
        e.is_wildcard()
            ? absl::StrCat("the hosts it matches (x.", parent, ")")
            : absl::StrCat("\"", e.name, "\"",
                           one_host ? "" : " and its subdomains");
    ctx.Warning(e.location,
                absl::StrCat("entry \"", e.name, "\" has no pins, so ", hosts,
                             one_host ? " loses" : " lose", " the pins of \"", decider->name, "\" (",
                             decider->location, ", pinset ", decider->pinset,
                             "); add \"pins\": \"", decider->pinset,
                             "\" to keep them, or \"exclude\": true if "
                             "unpinning is intended"));
  }
}

// Flags that do nothing: include_subdomains_for_pinning without pins, or
// beside include_subdomains (which already covers pinning).
void CheckIneffectiveFlags(const CheckContext& ctx) {
  for (const HostEntry& e : ctx.model->entries) {
    if (!e.include_subdomains_for_pinning) continue;
    const std::string where = Field(e.location, "include_subdomains_for_pinning");
    if (!e.has_pins() && !e.exclude) {
      ctx.Warning(where, "has no effect on an entry without \"pins\"");
    } else if (e.include_subdomains) {
      ctx.Warning(where, "redundant: include_subdomains already covers pins "
                         "of subdomains");
    }
  }
}

// List metadata: an unusually long max_age_days keeps pins enforced long
// after the list may be stale.
void CheckListInfo(const CheckContext& ctx) {
  if (ctx.model->list.max_age_days > kLongMaxAgeDays) {
    ctx.Warning("list.max_age_days",
                absl::StrCat("pins stay enforced for ",
                             ctx.model->list.max_age_days,
                             " days after the build; a stale list can lock "
                             "sites out (Chrome uses 70)"));
  }
}

// The time bounds of docs/release.md ("Time bounds"): a timestamp from
// the future is always an error; a missing timestamp is an error with
// require_fresh (a warning otherwise: the runtime treats such a list as
// stale and does not enforce its pins, runtime/chain_checker.h); so is a
// list already stale at `now`.
void CheckListTimes(const CheckContext& ctx, const ListTimeCheck& times) {
  const PinListModel& model = *ctx.model;
  const absl::Time now = times.now;
  const int64_t timestamp = model.list.timestamp;
  if (IsTimestampTooFarAhead(timestamp, now)) {
    ctx.Error("list.timestamp",
                 TooFarAheadMessage(timestamp, now));
    return;
  }
  // Only pins depend on the list's age; a list without pinsets (HSTS only)
  // needs no timestamp.
  const bool has_pins = !model.pinsets.empty();
  if (timestamp == 0) {
    if (times.require_fresh && has_pins) {
      ctx.Error("list.timestamp",
                   "the list has no timestamp, so the runtime would treat it "
                   "as stale and never enforce its pins; add list.timestamp "
                   "or a PinsListTimestamp line, or pass --timestamp now "
                   "(--allow-stale to compile it anyway, for tests)");
    } else if (has_pins) {
      ctx.Warning("list.timestamp",
                     "the list has no timestamp, so the runtime treats it as "
                     "stale and does not enforce its pins; add "
                     "list.timestamp, a PinsListTimestamp line, or "
                     "--timestamp");
    }
    return;
  }
  if (times.require_fresh && has_pins && model.list.max_age_days > 0 &&
      IsListStale(timestamp, static_cast<uint32_t>(model.list.max_age_days),
                  now)) {
    ctx.Error(
        "list.timestamp",
        absl::StrCat("the list (timestamp ", ListTimeText(timestamp),
                     ", max_age_days ", model.list.max_age_days,
                     ") is already stale at ",
                     UtcTimeText(now),
                     ", so the runtime would not enforce its pins; update "
                     "list.timestamp (or pass --allow-stale, for tests)"));
  }
}

}  // namespace

void CheckPinList(const std::string& list_path, PinListModel* model,
                  Diagnostics* diags,
                  const std::optional<ListTimeCheck>& times) {
  const CheckContext ctx{list_path, model, diags};
  DropUppercaseTwins(ctx);  // First: later checks see the final entries.
  const std::vector<bool> ok = CheckNameSyntax(ctx);
  CheckDuplicateHosts(ctx);
  CheckExclusionConflicts(ctx);
  CheckImplicitExclusions(ctx);
  CheckWildcardFlags(ctx);
  CheckPublicSuffixes(ctx, ok);
  const std::vector<bool> first_pinsets = CheckDuplicatePinsets(ctx);
  CheckPinsets(ctx, first_pinsets);
  CheckChromiumLookupDifferences(ctx, ok);
  CheckUselessExclusions(ctx, ok);
  CheckEntriesShadowingPins(ctx, ok);
  CheckIneffectiveFlags(ctx);
  CheckListInfo(ctx);
  if (times.has_value()) CheckListTimes(ctx, *times);
}

}  // namespace pinbake
