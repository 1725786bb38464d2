// `pinbake lookup`: the table's answer for each host, one line each (text,
// or JSON lines with --json).

#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "cli/cli_common.h"
#include "runtime/idn_host.h"
#include "cli/command_line.h"
#include "cli/subcommand.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kLookupHelp[] =
    R"(pinbake lookup TABLE.pinb HOST... | - [--json]

Prints the table's answer for each host, one line each:
  www.example.com: pinned (pinset example, enforce; entry example.com); force-https (entry example.com)
  example.org: not pinned; no HSTS
  "192.168.0.1": invalid host (ip-literal)
With --json, one JSON object per line (JSON lines): host, canonical (null
if invalid), pinned, pin_entry (the entry that decided pins), pinset, pin_mode,
force_https, hsts_entry (the entry that decided HSTS), error (why a host is
invalid). With "-", reads one host per line from standard input and
answers every line. Bytes of a host that are not valid UTF-8 are printed
as U+FFFD (the host is then invalid: canonical null, error set).

  --json   JSON lines instead of text.

Exit codes: 0 every host was answered (pinned or not, valid or not), 2 the
table cannot be read or bad usage.
)";

// The rule's name, or null when no entry decided.
Json NameOrNull(const std::optional<HostRule>& rule, std::string name) {
  return rule.has_value() ? Json(std::move(name)) : Json(nullptr);
}

Json LookupJson(const PinList& list, absl::string_view host) {
  const LookupResult r = list.Lookup(HostForLookup(host));  // U-labels too.
  Json out;
  out["host"] = std::string(host);
  out["canonical"] =
      r.valid() ? Json(std::string(r.canonical.view())) : Json(nullptr);
  out["pinned"] = r.pinned();
  out["pin_entry"] = NameOrNull(r.pin_rule, r.PinRuleName());
  out["pinset"] = r.pinned()
                      ? Json(std::string(r.pinset->name()))
                      : Json(nullptr);
  out["pin_mode"] =
      r.pinned() ? Json(PinModeName(r.pin_rule->pin_mode)) : Json(nullptr);
  out["force_https"] = r.force_https();
  out["hsts_entry"] = NameOrNull(r.hsts_rule, r.HstsRuleName());
  out["error"] = r.valid() ? Json(nullptr) : Json(HostErrorName(r.error));
  return out;
}

// The answer as one line of text (see kLookupHelp).
std::string LookupText(const PinList& list, absl::string_view host) {
  const LookupResult r = list.Lookup(HostForLookup(host));  // U-labels too.
  if (!r.valid()) {
    // Quoted as a JSON string: spaces visible, bad bytes as U+FFFD.
    return absl::StrCat(DumpLine(Json(std::string(host))), ": invalid host (",
                        HostErrorName(r.error), ")");
  }
  std::string out = std::string(r.canonical.view()) + ": ";
  if (r.pinned()) {
    absl::StrAppend(&out, "pinned (pinset ", r.pinset->name(), ", ",
                    PinModeName(r.pin_rule->pin_mode), "; entry ",
                    r.PinRuleName(), ")");
  } else if (r.pin_rule.has_value()) {
    absl::StrAppend(&out, "not pinned (entry ", r.PinRuleName(), ")");
  } else {
    out += "not pinned";
  }
  if (r.force_https()) {
    absl::StrAppend(&out, "; force-https (entry ", r.HstsRuleName(), ")");
  } else if (r.hsts_rule.has_value()) {
    absl::StrAppend(&out, "; no HSTS (entry ", r.HstsRuleName(), ")");
  } else {
    out += "; no HSTS";
  }
  return out;
}

std::string Answer(const PinList& list, absl::string_view host, bool json) {
  return json ? DumpLine(LookupJson(list, host)) : LookupText(list, host);
}

int RunLookup(const ParsedArgs& parsed) {
  const bool json = parsed.Has("--json");
  LoadedTable table;
  if (!LoadTable(parsed.positional[0], &table)) return kExitError;
  if (parsed.positional.size() == 2 && parsed.positional[1] == "-") {
    std::string line;
    while (std::getline(std::cin, line)) {
      std::cout << Answer(*table.list, line, json) << "\n";
    }
    return kExitOk;
  }
  for (size_t i = 1; i < parsed.positional.size(); ++i) {
    std::cout << Answer(*table.list, parsed.positional[i], json) << "\n";
  }
  return kExitOk;
}

}  // namespace

const Subcommand kLookupCommand = {
    "lookup",
    "pinbake lookup TABLE.pinb HOST... | - [--json]",
    kLookupHelp,
    {{"--json"}, {}},
    2,
    -1,
    {},
    "lookup needs a TABLE and hosts",
    RunLookup,
};

}  // namespace cli
}  // namespace pinbake
