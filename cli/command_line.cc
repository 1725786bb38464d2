#include "cli/command_line.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "compiler/nearest_name.h"

namespace pinbake {

std::optional<std::string> ParsedArgs::Value(const std::string& flag) const {
  auto it = values.find(flag);
  if (it == values.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& args,
                                     const FlagSpec& spec) {
  ParsedArgs out;
  bool flags_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || arg == "-" || !absl::StartsWith(arg, "-")) {
      out.positional.push_back(arg);
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    std::string name = arg;
    std::optional<std::string> value;
    const size_t eq = arg.find('=');
    if (eq != std::string::npos) {
      name = arg.substr(0, eq);
      value = arg.substr(eq + 1);
    }
    if (spec.switches.count(name) > 0 && !value.has_value()) {
      out.switches.insert(name);
    } else if (spec.valued.count(name) > 0) {
      if (!value.has_value()) {
        if (i + 1 >= args.size()) {
          return absl::InvalidArgumentError(
              absl::StrCat(name, " needs a value"));
        }
        value = args[++i];
      }
      out.values[name].push_back(*value);
    } else {
      std::vector<std::string> known(spec.switches.begin(),
                                     spec.switches.end());
      known.insert(known.end(), spec.valued.begin(), spec.valued.end());
      return absl::InvalidArgumentError(
          absl::StrCat("unknown flag ", arg, DidYouMean(name, known)));
    }
  }
  return out;
}

std::optional<absl::Time> ParseTimeArgument(const std::string& text) {
  if (text == "now") return absl::Now();
  int64_t seconds;
  if (absl::SimpleAtoi(text, &seconds)) return absl::FromUnixSeconds(seconds);
  absl::Time t;
  std::string err;
  if (absl::ParseTime(absl::RFC3339_full, text, &t, &err)) return t;
  return std::nullopt;
}

}  // namespace pinbake
