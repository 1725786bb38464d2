// pinbake: the command-line tool. Subcommands compile, lookup, check, dump
// and spki; run `pinbake help` or `pinbake SUBCOMMAND --help`.
//
// Exit codes: 0 success; 1 a check refused the chain (or an invalid host);
// 2 bad input, bad usage or any other error.

#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compiler/cc_emitter.h"
#include "cli/command_line.h"
#include "compiler/compile.h"
#include "compiler/file_util.h"
#include "compiler/list_dump.h"
#include "cli/subcommands.h"
#include "runtime/cert_util.h"
#include "runtime/chain_checker.h"
#include "runtime/pin_list.h"
#include "runtime/pkp_report.h"
#include "format/table_format.h"

namespace pinbake {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;
constexpr int kExitError = 2;

constexpr char kMainHelp[] =
    R"(pinbake: compile TLS public-key pin lists into compact tables, and check
hosts and certificate chains against them.

Usage:
  pinbake compile LIST.json [--pins FILE.pins] [--werror] [--timestamp T|now] -o OUT.pinb
                  [--now T] [--allow-stale] [--pem-root DIR]
                  [--cc-out FILE.cc --cc-header FILE.h --cc-namespace NS ...]
  pinbake lookup TABLE.pinb HOST... | -
  pinbake check TABLE.pinb HOST CHAIN.pem [--not-known-root] [--now T]
                [--no-bypass] [--fail-closed-when-stale] [--report]
  pinbake dump TABLE.pinb [-o OUT.json]
  pinbake spki FILE.pem
  pinbake connect HOST:PORT --table TABLE.pinb [--ca FILE.pem] [--local-ca FILE.pem]
                [--servername NAME] [--no-bypass] [--report] [--now T]
                [--fail-closed-when-stale]
  pinbake keygen -o KEY
  pinbake sign TABLE.pinb --key KEY --list-id ID -o TABLE.signed [--now T] [--allow-stale]
  pinbake verify TABLE.signed --pubkey PUB [--pubkey PUB2 ...] --list-id ID [--current TABLE]
                [--min-version N] [--min-timestamp T] [--now T]
  pinbake diff OLD NEW [--old-pins F] [--new-pins F] [--pem-root DIR] [--json]
  pinbake lint LIST [--pins F] [--pem-root DIR] [--chain HOST=CHAIN.pem ...]
               [--previous OLD] [--now T] [--json]
  pinbake bench TABLE.pinb QUERIES.txt [--passes N]

Run `pinbake SUBCOMMAND --help` for details. Exit codes: 0 success,
1 the chain is refused (check), 2 bad input or usage.
)";

constexpr char kCompileHelp[] =
    R"(pinbake compile LIST.json [--pins FILE.pins] [--werror] [--timestamp T] -o OUT.pinb
       [--now T] [--allow-stale] [--pem-root DIR] [--block-size N]
       [--cc-out FILE.cc --cc-header FILE.h --cc-namespace NS [--cc-name NAME]
        [--cc-include PATH]]

Reads a pin list (pinbake's JSON format or Chromium's
transport_security_state_static.json, see docs/list-format.md), checks it,
and writes the binary table (docs/format.md) to OUT atomically. With
--cc-out/--cc-header it also (or, without -o, only) writes the table as C++
source: a header declaring NS::NAME() (a ready pinbake::PinList) and
NS::NAME_table() (the raw bytes), see docs/baking.md.

  --pins FILE     Chromium .pins file naming the keys the list refers to.
  --pem-root DIR  Read "pem_file" keys only inside DIR: each must be a
                  relative path under DIR, with no ".." above it and no
                  symlink below it. Default: relative to the list's
                  directory. Either way only regular files up to 1 MiB.
  --werror        Treat warnings as errors.
  --timestamp T   List timestamp (RFC 3339, unix seconds, or "now" for the
                  build time, like Chrome's) when the input gives none.
  --now T         Time the list's timestamp is checked against (default:
                  the current time). A timestamp more than 1 day after it
                  is an error; so, unless --allow-stale, is a list without
                  a timestamp or already stale (timestamp + max_age_days
                  before it): the runtime would never enforce its pins.
  --allow-stale   Compile a list without a timestamp or already stale
                  anyway (for tests and old reference lists).
  -o OUT          Output table. Not created or changed on any error.
  --timing        Print the time of each phase (parse, check, encode,
                  verify) to standard error.
  --block-size N  Names per block of the table's name stream, 1..64
                  (default 16): larger is smaller and slower. Every setting
                  gives the same, exact answers (docs/format.md).
  --cc-out F.cc   Generated C++ source (needs --cc-header and --cc-namespace).
  --cc-header F.h Generated C++ header.
  --cc-namespace NS  Namespace of the declarations: a C++ identifier or
                  several joined by "::" (not std or pinbake).
  --cc-name NAME  Accessor name (default pin_list); NAME_table() too.
  --cc-include P  How F.cc includes F.h (default: the basename of F.h).

Errors are printed as FILE:LINE:COL: error: ... (syntax) or
FILE:LINE:COL: entries[N].field: error: ... (meaning; the LINE:COL of the
field, left out for a field not in the text or when there are more than
10,000 such places); all of them, then exit 2.
)";

constexpr char kLookupHelp[] =
    R"(pinbake lookup TABLE.pinb HOST... | -

Prints one JSON object per host: host, canonical (null if invalid), pinned,
rule (the entry that decided pins), pinset, pin_mode, force_https,
hsts_rule (the entry that decided HSTS), error (why a host is invalid).
With "-", reads one host per line from standard input and answers every
line. Bytes of a host that are not valid UTF-8 are printed as U+FFFD (the
host is then invalid: canonical null, error set). Exit 0 when every host
was answered, 2 if the table cannot be read.
)";

constexpr char kCheckHelp[] =
    R"(pinbake check TABLE.pinb HOST CHAIN.pem [options]

Checks the verified chain in CHAIN.pem (PEM certificates, leaf first) for
HOST, the way Chrome checks static pins, and prints a JSON object with
result (not-pinned, ok, violation, bypassed, stale, invalid-host), allowed,
would_fail, the deciding rule, the pinset, its report_uri and the chain's
sha256/ pins. Exit 1 when the result is violation or invalid-host or the
chain is otherwise refused, 0 when allowed, 2 on errors.

  --not-known-root          The chain ends at a locally installed root.
  --now T                   Time of the check (RFC 3339 or unix seconds).
  --no-bypass               Do not bypass pins for locally installed roots.
  --fail-closed-when-stale  Keep enforcing a stale list as if fresh.
  --report                  Add "report": the RFC 7469 violation report
                            (port 443; CHAIN.pem as served and validated
                            chain), null when the chain passes its pinset.
)";

constexpr char kDumpHelp[] =
    R"(pinbake dump TABLE.pinb [-o OUT.json]

Prints the table as canonical pinbake JSON, pins as sha256/ literals.
Compiling the dump gives a byte-identical table.
)";

constexpr char kSpkiHelp[] =
    R"(pinbake spki FILE.pem

Prints sha256/<base64> of the SubjectPublicKeyInfo of each certificate or
public key in FILE.pem, one per line, as "LABEL sha256/...".
)";

int UsageError(absl::string_view message, const char* help) {
  std::cerr << "pinbake: " << message << "\n\n" << help;
  return kExitError;
}


// Holds a table's bytes and the list read from them.
struct LoadedTable {
  std::string bytes;
  std::optional<PinList> list;
};

// Reads and validates the table at `path`; prints the reason on failure.
bool LoadTable(const std::string& path, LoadedTable* out) {
  absl::StatusOr<std::string> bytes = ReadFileToString(path);
  if (!bytes.ok()) {
    std::cerr << "pinbake: " << bytes.status().message() << "\n";
    return false;
  }
  out->bytes = *std::move(bytes);
  absl::StatusOr<PinList> list = PinList::FromBytes(out->bytes);
  if (!list.ok()) {
    std::cerr << "pinbake: " << path << ": " << list.status().message()
              << "\n";
    return false;
  }
  out->list.emplace(*list);
  return true;
}

// The rule's name, or null when no entry decided.
Json NameOrNull(const std::optional<HostRule>& rule, std::string name) {
  return rule.has_value() ? Json(std::move(name)) : Json(nullptr);
}

// One JSON text on one line. Bytes of user input that are not valid UTF-8
// (a host read from stdin or argv) are written as U+FFFD instead of making
// nlohmann's dump throw, so the output is always valid JSON.
std::string DumpLine(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Json LookupJson(const PinList& list, absl::string_view host) {
  const LookupResult r = list.Lookup(host);
  Json out;
  out["host"] = std::string(host);
  out["canonical"] =
      r.valid() ? Json(std::string(r.canonical.view())) : Json(nullptr);
  out["pinned"] = r.pinned();
  out["rule"] = NameOrNull(r.pin_rule, r.PinRuleName());
  out["pinset"] = r.pinned()
                      ? Json(std::string(list.PinsetOf(*r.pin_rule).name()))
                      : Json(nullptr);
  out["pin_mode"] =
      r.pinned() ? Json(PinModeName(r.pin_rule->pin_mode)) : Json(nullptr);
  out["force_https"] = r.force_https();
  out["hsts_rule"] = NameOrNull(r.hsts_rule, r.HstsRuleName());
  out["error"] = r.valid() ? Json(nullptr) : Json(HostErrorName(r.error));
  return out;
}

// Options of the --cc-* flags of compile, checked before any work is done.
struct CcOutput {
  std::string cc_path;
  std::string header_path;
  CcEmitterOptions options;
};

// Reads the --cc-* flags: nullopt in `*out` if none is given; an error
// message if they are incomplete or invalid.
absl::Status ParseCcFlags(const ParsedArgs& parsed,
                          const std::string& list_path,
                          std::optional<CcOutput>* out) {
  std::optional<std::string> cc = parsed.Value("--cc-out");
  std::optional<std::string> header = parsed.Value("--cc-header");
  std::optional<std::string> ns = parsed.Value("--cc-namespace");
  if (!cc && !header) {
    for (const char* flag : {"--cc-namespace", "--cc-name", "--cc-include"}) {
      if (parsed.Value(flag)) {
        return absl::InvalidArgumentError(
            absl::StrCat(flag, " needs --cc-out and --cc-header"));
      }
    }
    return absl::OkStatus();
  }
  if (!cc || !header || !ns) {
    return absl::InvalidArgumentError(
        "--cc-out, --cc-header and --cc-namespace go together");
  }
  CcOutput result;
  result.cc_path = *cc;
  result.header_path = *header;
  result.options.cc_namespace = *ns;
  result.options.name =
      parsed.Value("--cc-name").value_or(std::string(kDefaultCcName));
  const size_t slash = header->rfind('/');
  result.options.include_path = parsed.Value("--cc-include").value_or(
      slash == std::string::npos ? *header : header->substr(slash + 1));
  result.options.source_description = list_path;
  absl::Status status =
      ValidateCcNamespace(result.options.cc_namespace, "--cc-namespace");
  if (status.ok()) status = ValidateCcName(result.options.name, "--cc-name");
  if (!status.ok()) return status;
  // Catches a bad --cc-include (or list path) before compiling.
  absl::StatusOr<CcSources> probe = EmitCcSources("x", result.options);
  if (!probe.ok()) return probe.status();
  *out = std::move(result);
  return absl::OkStatus();
}

int RunCompile(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(
      args, {{"--werror", "--help", "--timing", "--allow-stale"},
             {"--pins", "--pem-root", "--timestamp", "--now", "-o", "--cc-out",
              "--cc-header", "--block-size",
              "--cc-namespace", "--cc-name", "--cc-include"}});
  if (!parsed.ok()) return UsageError(parsed.status().message(), kCompileHelp);
  if (parsed->Has("--help")) {
    std::cout << kCompileHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1 ||
      !(parsed->Value("-o") || parsed->Value("--cc-out") ||
        parsed->Value("--cc-header"))) {
    return UsageError("compile needs one LIST.json and -o OUT (or --cc-out)",
                      kCompileHelp);
  }
  std::optional<CcOutput> cc_output;
  if (absl::Status cc_status =
          ParseCcFlags(*parsed, parsed->positional[0], &cc_output);
      !cc_status.ok()) {
    return UsageError(cc_status.message(), kCompileHelp);
  }
  CompileOptions options;
  options.list_path = parsed->positional[0];
  options.pins_path = parsed->Value("--pins").value_or("");
  options.pem_root = parsed->Value("--pem-root").value_or("");
  options.werror = parsed->Has("--werror");
  if (std::optional<std::string> t = parsed->Value("--timestamp")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--timestamp: not a time", kCompileHelp);
    options.timestamp = absl::ToUnixSeconds(*time);
  }
  if (std::optional<std::string> t = parsed->Value("--now")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--now: not a time", kCompileHelp);
    options.now = *time;
  }
  options.require_fresh = !parsed->Has("--allow-stale");
  if (std::optional<std::string> size = parsed->Value("--block-size")) {
    if (!absl::SimpleAtoi(*size, &options.table.block_size) ||
        options.table.block_size < table_format::kMinBlockSize ||
        options.table.block_size > table_format::kMaxBlockSize) {
      return UsageError("--block-size: an integer from 1 to 64", kCompileHelp);
    }
  }
  std::vector<std::pair<std::string, absl::Duration>> phase_times;
  if (parsed->Has("--timing")) options.phase_times = &phase_times;
  Diagnostics diags;
  CompileOutput out = CompilePinList(options, &diags);
  for (const Diagnostic& d : diags.all()) std::cerr << d.ToString() << "\n";
  for (const auto& [phase, duration] : phase_times) {
    std::cerr << "pinbake: " << phase << " "
              << absl::ToDoubleSeconds(duration) << " s\n";
  }
  if (diags.has_errors()) {
    std::cerr << "pinbake: " << diags.error_count() << " error(s), "
              << diags.warning_count() << " warning(s); nothing written\n";
    return kExitError;
  }
  // Every output is generated before the first is written; each file is
  // replaced atomically, the table first, then the header, then the source.
  std::vector<std::pair<std::string, std::string>> files;  // Path, contents.
  if (std::optional<std::string> out_path = parsed->Value("-o")) {
    files.emplace_back(*out_path, out.table);
  }
  if (cc_output) {
    absl::StatusOr<CcSources> sources =
        EmitCcSources(out.table, cc_output->options);
    if (!sources.ok()) {
      std::cerr << "pinbake: " << sources.status().message() << "\n";
      return kExitError;
    }
    files.emplace_back(cc_output->header_path, sources->header);
    files.emplace_back(cc_output->cc_path, sources->source);
  }
  for (const auto& [path, contents] : files) {
    absl::Status written = WriteFileAtomically(path, contents);
    if (!written.ok()) {
      std::cerr << "pinbake: " << written.message() << "\n";
      return kExitError;
    }
  }
  std::string written_paths;
  for (const auto& file : files) {
    absl::StrAppend(&written_paths, written_paths.empty() ? "" : ", ",
                    file.first);
  }
  std::cerr << "pinbake: wrote " << written_paths << ": " << out.table.size()
            << " bytes, " << out.model.entries.size() << " entries, "
            << out.model.pinsets.size() << " pinsets, "
            << diags.warning_count() << " warning(s)\n";
  return kExitOk;
}

int RunLookup(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, {{"--help"}, {}});
  if (!parsed.ok()) return UsageError(parsed.status().message(), kLookupHelp);
  if (parsed->Has("--help")) {
    std::cout << kLookupHelp;
    return kExitOk;
  }
  if (parsed->positional.size() < 2) {
    return UsageError("lookup needs a TABLE and hosts", kLookupHelp);
  }
  LoadedTable table;
  if (!LoadTable(parsed->positional[0], &table)) return kExitError;
  if (parsed->positional.size() == 2 && parsed->positional[1] == "-") {
    std::string line;
    while (std::getline(std::cin, line)) {
      std::cout << DumpLine(LookupJson(*table.list, line)) << "\n";
    }
    return kExitOk;
  }
  for (size_t i = 1; i < parsed->positional.size(); ++i) {
    std::cout << DumpLine(LookupJson(*table.list, parsed->positional[i]))
              << "\n";
  }
  return kExitOk;
}

int RunCheck(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(
      args, {{"--help", "--not-known-root", "--no-bypass",
              "--fail-closed-when-stale", "--report"},
             {"--now"}});
  if (!parsed.ok()) return UsageError(parsed.status().message(), kCheckHelp);
  if (parsed->Has("--help")) {
    std::cout << kCheckHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 3) {
    return UsageError("check needs TABLE HOST CHAIN.pem", kCheckHelp);
  }
  absl::Time now = absl::Now();
  if (std::optional<std::string> t = parsed->Value("--now")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--now: not a time", kCheckHelp);
    now = *time;
  }
  LoadedTable table;
  if (!LoadTable(parsed->positional[0], &table)) return kExitError;
  const std::string& chain_path = parsed->positional[2];
  absl::StatusOr<std::string> pem = ReadFileToString(chain_path);
  if (!pem.ok()) {
    std::cerr << "pinbake: " << pem.status().message() << "\n";
    return kExitError;
  }
  absl::StatusOr<std::vector<std::string>> ders =
      ParsePemCertificateChain(*pem);
  if (!ders.ok()) {
    std::cerr << "pinbake: " << chain_path << ": " << ders.status().message()
              << "\n";
    return kExitError;
  }
  std::vector<SpkiHash> hashes;
  for (size_t i = 0; i < ders->size(); ++i) {
    absl::StatusOr<SpkiHash> h = SpkiHashOfDerCertificate((*ders)[i]);
    if (!h.ok()) {
      std::cerr << "pinbake: " << chain_path << ": certificate " << i + 1
                << ": " << h.status().message() << "\n";
      return kExitError;
    }
    hashes.push_back(*h);
  }
  CheckPolicy policy;
  policy.allow_local_root_bypass = !parsed->Has("--no-bypass");
  policy.fail_closed_when_stale = parsed->Has("--fail-closed-when-stale");
  const std::string& host = parsed->positional[1];
  const ChainCheckResult r =
      CheckChain(*table.list, host, hashes, !parsed->Has("--not-known-root"),
                 now, policy);
  Json out;
  out["host"] = host;
  out["canonical"] = r.lookup.valid()
                         ? Json(std::string(r.lookup.canonical.view()))
                         : Json(nullptr);
  out["result"] = CheckOutcomeName(r.outcome);
  out["allowed"] = r.allowed;
  out["would_fail"] = r.would_fail;
  out["bad_pin_found"] = r.bad_pin_found;
  out["rule"] = NameOrNull(r.lookup.pin_rule, r.lookup.PinRuleName());
  out["pin_mode"] = r.lookup.pinned()
                        ? Json(PinModeName(r.lookup.pin_rule->pin_mode))
                        : Json(nullptr);
  out["pinset"] =
      r.pinset ? Json(std::string(r.pinset->name())) : Json(nullptr);
  out["report_uri"] = r.pinset && !r.pinset->report_uri().empty()
                          ? Json(std::string(r.pinset->report_uri()))
                          : Json(nullptr);
  out["list_timestamp"] = table.list->table().timestamp();
  out["list_stale"] = r.list_stale;
  out["error"] = r.lookup.valid() ? Json(nullptr)
                                  : Json(HostErrorName(r.lookup.error));
  Json chain = Json::array();
  for (const SpkiHash& h : hashes) chain.push_back(SpkiHashToString(h));
  out["chain"] = chain;
  if (parsed->Has("--report")) {
    std::optional<PkpReport> report =
        r.would_fail ? MakePkpReport(r, *table.list, 443, now, *ders, *ders)
                     : std::nullopt;
    out["report"] =
        report ? Json::parse(PkpReportToJson(*report)) : Json(nullptr);
  }
  std::cout << out.dump(2, ' ', false, Json::error_handler_t::replace)
            << "\n";
  return r.allowed ? kExitOk : kExitRefused;
}

int RunDump(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, {{"--help"}, {"-o"}});
  if (!parsed.ok()) return UsageError(parsed.status().message(), kDumpHelp);
  if (parsed->Has("--help")) {
    std::cout << kDumpHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1) {
    return UsageError("dump needs one TABLE", kDumpHelp);
  }
  LoadedTable table;
  if (!LoadTable(parsed->positional[0], &table)) return kExitError;
  absl::StatusOr<std::string> json = DumpTableAsJson(table.list->table());
  if (!json.ok()) {
    std::cerr << "pinbake: " << parsed->positional[0] << ": "
              << json.status().message() << "\n";
    return kExitError;
  }
  if (std::optional<std::string> out_path = parsed->Value("-o")) {
    absl::Status written = WriteFileAtomically(*out_path, *json);
    if (!written.ok()) {
      std::cerr << "pinbake: " << written.message() << "\n";
      return kExitError;
    }
    return kExitOk;
  }
  std::cout << *json;
  return kExitOk;
}

int RunSpki(const std::vector<std::string>& args) {
  absl::StatusOr<ParsedArgs> parsed = ParseArgs(args, {{"--help"}, {}});
  if (!parsed.ok()) return UsageError(parsed.status().message(), kSpkiHelp);
  if (parsed->Has("--help")) {
    std::cout << kSpkiHelp;
    return kExitOk;
  }
  if (parsed->positional.size() != 1) {
    return UsageError("spki needs one FILE.pem", kSpkiHelp);
  }
  const std::string& path = parsed->positional[0];
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok()) {
    std::cerr << "pinbake: " << pem.status().message() << "\n";
    return kExitError;
  }
  absl::StatusOr<std::vector<PemKeyObject>> objects = ParsePemKeyObjects(*pem);
  if (!objects.ok()) {
    std::cerr << "pinbake: " << path << ": " << objects.status().message()
              << "\n";
    return kExitError;
  }
  for (const PemKeyObject& object : *objects) {
    std::cout << object.label << " " << SpkiHashToString(object.spki_hash)
              << "\n";
  }
  return kExitOk;
}

// Every subcommand. Subcommands defined in their own files are declared in
// cli/subcommands.h.
struct Subcommand {
  const char* name;
  int (*run)(const std::vector<std::string>& args);
};

constexpr Subcommand kSubcommands[] = {
    {"compile", RunCompile}, {"lookup", RunLookup}, {"check", RunCheck},
    {"dump", RunDump},       {"spki", RunSpki},
    {"connect", RunConnect},
    {"keygen", RunKeygen},   {"sign", RunSign},     {"verify", RunVerify},
    {"diff", RunDiff},       {"lint", RunLint},     {"bench", RunBench},
};

int Main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << kMainHelp;
    return kExitError;
  }
  const std::string command = argv[1];
  const std::vector<std::string> args(argv + 2, argv + argc);
  for (const Subcommand& sub : kSubcommands) {
    if (command == sub.name) return sub.run(args);
  }
  if (command == "help" || command == "--help" || command == "-h") {
    std::cout << kMainHelp;
    return kExitOk;
  }
  std::cerr << "pinbake: unknown subcommand " << command << "\n\n"
            << kMainHelp;
  return kExitError;
}

}  // namespace
}  // namespace pinbake

int main(int argc, char** argv) { return pinbake::Main(argc, argv); }
