// `pinbake lookup`: the table's answer for each host, one JSON line each.

#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

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
    R"(pinbake lookup TABLE.pinb HOST... | -

Prints one JSON object per host: host, canonical (null if invalid), pinned,
pin_entry (the name of the entry that decided pins), pinset, pin_mode,
force_https, hsts_entry (the name of the entry that decided HSTS), error
(why a host is invalid).
With "-", reads one host per line from standard input and answers every
line. Bytes of a host that are not valid UTF-8 are printed as U+FFFD (the
host is then invalid: canonical null, error set). Exit 0 when every host
was answered, 2 if the table cannot be read.
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

int RunLookup(const ParsedArgs& parsed) {
  LoadedTable table;
  if (!LoadTable(parsed.positional[0], &table)) return kExitError;
  if (parsed.positional.size() == 2 && parsed.positional[1] == "-") {
    std::string line;
    while (std::getline(std::cin, line)) {
      std::cout << DumpLine(LookupJson(*table.list, line)) << "\n";
    }
    return kExitOk;
  }
  for (size_t i = 1; i < parsed.positional.size(); ++i) {
    std::cout << DumpLine(LookupJson(*table.list, parsed.positional[i]))
              << "\n";
  }
  return kExitOk;
}

}  // namespace

const Subcommand kLookupCommand = {
    "lookup",
    "pinbake lookup TABLE.pinb HOST... | -",
    kLookupHelp,
    {},
    2,
    -1,
    {},
    "lookup needs a TABLE and hosts",
    RunLookup,
};

}  // namespace cli
}  // namespace pinbake
