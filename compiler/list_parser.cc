#include "compiler/list_parser.h"

#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "compiler/file_util.h"
#include "compiler/json_document.h"
#include "compiler/nearest_name.h"
#include "runtime/cert_util.h"
#include "runtime/list_id.h"
#include "runtime/list_time_bounds.h"
#include "format/spki_hash.h"

namespace pinbake {
namespace {

// The list is read through JsonValue (compiler/json_document.h), which
// reads like nlohmann::json.
using Json = JsonValue;

// Field paths: "entries" + 12 -> "entries[12]"; "entries[12]" + "name" ->
// "entries[12].name".
std::string Index(absl::string_view base, size_t i) {
  return absl::StrCat(base, "[", i, "]");
}
std::string Field(absl::string_view base, absl::string_view key) {
  if (base.empty()) return std::string(key);
  return absl::StrCat(base, ".", key);
}

// The keys each object of a list may have (docs/list-format.md), for the
// "unknown key" errors and their "did you mean" fixes.
const std::vector<std::string>& TopLevelKeys() {
  static const auto* keys = new std::vector<std::string>{
      "pinsets", "entries", "keys", "list", "domain_ids"};
  return *keys;
}
const std::vector<std::string>& ListInfoKeys() {
  static const auto* keys = new std::vector<std::string>{
      "id", "version", "timestamp", "max_age_days"};
  return *keys;
}
const std::vector<std::string>& PinsetKeys() {
  static const auto* keys = new std::vector<std::string>{
      "name", "static_spki_hashes", "bad_static_spki_hashes", "report_uri"};
  return *keys;
}
const std::vector<std::string>& EntryKeys() {
  namespace setting = entry_settings_json;
  static const auto* keys = new std::vector<std::string>{
      "name",
      std::string(setting::kIncludeSubdomains),
      std::string(setting::kIncludeSubdomainsForPinning),
      std::string(setting::kMode),
      "pins",
      std::string(setting::kPinMode),
      std::string(setting::kPolicy),
      "exclude",
      "expect_ct",
      "expect_staple",
      "include_subdomains_for_expect_staple",
      "expect_ct_report_uri",
      "expect_staple_report_uri"};
  return *keys;
}

// At most this many "did you mean" fixes are computed for one list (each
// costs up to O(candidates * 64 * 64), and candidates can be the list's
// own pinset and key names), so a hostile list of a million misspelled
// references costs no more than one of a thousand.
constexpr int kMaxSuggestionsPerList = 1000;

// Whether the compiler runs inside Bazel (`bazel run`, or an action such as
// pin_list_cc_library's, whose working directory is in the execroot or a
// sandbox): a pem_file that exists in the workspace but was not declared
// as the rule's data is then missing.
bool RunningUnderBazel() {
  if (std::getenv("BUILD_WORKSPACE_DIRECTORY") != nullptr) return true;
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return false;
  const absl::string_view dir(cwd);
  return absl::StrContains(dir, "/execroot/") ||
         absl::StrContains(dir, "/sandbox/");
}

// Names of "keys" entries: the same identifiers the .pins file allows.
bool IsKeyName(absl::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '_';
    if (!ok) return false;
  }
  return true;
}

class ListParser {
 public:
  ListParser(absl::string_view contents, const std::string& list_path,
             const PinsFile* pins_file, Diagnostics* diags,
             const PemFileOptions& pem_files)
      : contents_(contents),
        list_path_(list_path),
        pins_file_(pins_file),
        diags_(diags),
        pem_files_(pem_files) {
    size_t slash = list_path.rfind('/');
    if (slash != std::string::npos) list_dir_ = list_path.substr(0, slash + 1);
  }

  // Sets `*document_read` as ParsePinListJson says.
  PinListModel Parse(bool* document_read) {
    *document_read = false;
    document_ = ParseJsonDocument(contents_, list_path_, diags_);
    if (!document_.has_value()) return std::move(model_);
    const Json root = document_->root();
    if (!root.is_object()) {
      Error("", absl::StrCat("the list must be a JSON object, got ",
                             root.type_name()));
      return std::move(model_);
    }
    *document_read = true;
    for (const auto& [key, value] : root.items()) {
      if (key != "pinsets" && key != "entries" && key != "domain_ids" &&
          key != "keys" && key != "list") {
        Error(key,
              absl::StrCat("unknown top-level key \"", key,
                           "\" (expected \"pinsets\", \"entries\", "
                           "\"keys\", \"list\" or \"domain_ids\")"),
              DidYouMean(key, TopLevelKeys()));
      }
    }
    // Order matters: keys before pinsets (pins name keys), pinsets before
    // entries (entries name pinsets). JSON objects are unordered.
    if (auto it = root.find("list"); it != root.end()) ParseListInfo(*it);
    if (pins_file_ != nullptr && pins_file_->timestamp.has_value()) {
      if (list_timestamp_.has_value() &&
          *list_timestamp_ != *pins_file_->timestamp) {
        Error("list.timestamp",
              absl::StrCat("timestamp ", *list_timestamp_,
                           " differs from the .pins file's PinsListTimestamp ",
                           *pins_file_->timestamp));
      }
      model_.list.timestamp = *pins_file_->timestamp;
    }
    if (auto it = root.find("keys"); it != root.end()) ParseKeys(*it);
    if (auto it = root.find("pinsets"); it != root.end()) ParsePinsets(*it);
    if (auto it = root.find("entries"); it != root.end()) {
      ParseEntries(*it);
    } else {
      Error("", "the list has no top-level \"entries\" array");
    }
    // "domain_ids" (2016 lists) is accepted and ignored.
    return std::move(model_);
  }

 private:
  void Error(const std::string& where, absl::string_view message,
             absl::string_view fix = "") {
    diags_->Error(list_path_, where, message, fix);
  }
  void Warning(const std::string& where, absl::string_view message) {
    diags_->Warning(list_path_, where, message);
  }
  void TypeError(const std::string& where, absl::string_view expected,
                 const Json& got) {
    Error(where, absl::StrCat("must be ", expected, ", got ", got.type_name()));
  }

  // The fix for a misspelled `word`: "did you mean \"NEAREST\"?", or empty
  // (also once kMaxSuggestionsPerList fixes were looked for).
  std::string DidYouMean(absl::string_view word,
                         const std::vector<std::string>& candidates) {
    return DidYouMeanOf(word, [&] { return candidates; });
  }
  // The same with the candidates made by `candidates()` only when needed
  // (the list's own pinset and key names).
  template <typename MakeCandidates>
  std::string DidYouMeanOf(absl::string_view word,
                           MakeCandidates candidates) {
    if (suggestions_made_ >= kMaxSuggestionsPerList ||
        word.size() > kMaxSuggestedNameLength) {
      return "";
    }
    ++suggestions_made_;
    std::optional<std::string> nearest = NearestName(word, candidates());
    return nearest ? absl::StrCat("did you mean \"", *nearest, "\"?") : "";
  }

  // The pinset names parsed so far, in list order (for "did you mean").
  std::vector<std::string> PinsetNames() const {
    std::vector<std::string> names;
    names.reserve(model_.pinsets.size());
    for (const Pinset& p : model_.pinsets) names.push_back(p.name);
    return names;
  }
  // The key names of "keys" and of the .pins file, sorted.
  std::vector<std::string> KeyNames() const {
    std::vector<std::string> names(defined_keys_.begin(), defined_keys_.end());
    if (pins_file_ != nullptr) {
      for (const auto& [name, key] : pins_file_->keys) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  // Optional fields of a given type. Each returns false (after reporting)
  // if the value has the wrong type.
  bool GetBool(const Json& v, const std::string& where, bool* out) {
    if (!v.is_boolean()) {
      TypeError(where, "a boolean (true or false)", v);
      return false;
    }
    *out = v.get<bool>();
    return true;
  }
  bool GetString(const Json& v, const std::string& where, std::string* out) {
    if (!v.is_string()) {
      TypeError(where, "a string", v);
      return false;
    }
    *out = v.get<std::string>();
    return true;
  }

  // ---- "list" ----------------------------------------------------------

  void ParseListInfo(const Json& list) {
    const std::string base = "list";
    if (!list.is_object()) {
      TypeError(base, "an object", list);
      return;
    }
    for (const auto& [key, v] : list.items()) {
      const std::string where = Field(base, key);
      if (key == "version") {
        if (v.is_number_unsigned()) {
          model_.list.version = v.get<uint64_t>();
        } else {
          Error(where, absl::StrCat("must be a non-negative integer, got ",
                                    v.is_number_integer() ? "a negative number"
                                                          : v.type_name()));
        }
      } else if (key == "timestamp") {
        ParseTimestamp(v, where);
      } else if (key == "max_age_days") {
        if (v.is_number_unsigned() && v.get<uint64_t>() > 0 &&
            v.get<uint64_t>() <= kMaxListMaxAgeDays) {
          model_.list.max_age_days = static_cast<int32_t>(v.get<uint64_t>());
        } else if (v.is_number_integer()) {
          Error(where, absl::StrCat("must be a positive number of days (1 to ",
                                    kMaxListMaxAgeDays, "), got ", v.dump(),
                                    "; a list must be refreshed at least "
                                    "once a year"));
        } else {
          TypeError(where, "a positive integer", v);
        }
      } else if (key == "id") {
        std::string id;
        if (!GetString(v, where, &id)) continue;
        if (!IsValidListId(id)) {
          Error(where, absl::StrCat("\"", id, "\" is not a valid list id: ",
                                    kListIdRules));
          continue;
        }
        model_.list.list_id = id;
      } else {
        Error(where,
              absl::StrCat("unknown key \"", key,
                           "\" in \"list\" (expected \"id\", "
                           "\"version\", \"timestamp\" or "
                           "\"max_age_days\")"),
              DidYouMean(key, ListInfoKeys()));
      }
    }
  }

  void ParseTimestamp(const Json& v, const std::string& where) {
    if (v.is_string()) {
      absl::Time t;
      std::string err;
      if (!absl::ParseTime(absl::RFC3339_full, v.get<std::string>(), &t,
                           &err)) {
        Error(where, absl::StrCat("\"", v.get<std::string>(),
                                  "\" is not an RFC 3339 time such as "
                                  "\"2017-08-16T00:00:00Z\": ",
                                  err));
        return;
      }
      list_timestamp_ = absl::ToUnixSeconds(t);
    } else if (v.is_number_unsigned() &&
               v.get<uint64_t>() <=
                   static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      list_timestamp_ = static_cast<int64_t>(v.get<uint64_t>());
    } else if (v.is_number_integer()) {
      Error(where, absl::StrCat("must not be negative (unix seconds), got ",
                                v.dump()));
      return;
    } else {
      TypeError(where,
                "an RFC 3339 time string or an integer of unix seconds", v);
      return;
    }
    model_.list.timestamp = *list_timestamp_;
  }

  // ---- "keys" ----------------------------------------------------------

  void ParseKeys(const Json& keys) {
    const std::string base = "keys";
    if (!keys.is_object()) {
      TypeError(base, "an object mapping key names to pins", keys);
      return;
    }
    for (const auto& [name, v] : keys.items()) {
      const std::string where = Field(base, name);
      // Every name is "defined", even if its value is bad, so that pins
      // naming it do not also report "unknown key".
      defined_keys_.insert(name);
      if (!IsKeyName(name)) {
        Error(where, absl::StrCat("key name \"", name,
                                  "\" must be made of [A-Za-z0-9_]"));
        continue;
      }
      if (pins_file_ != nullptr) {
        auto it = pins_file_->keys.find(name);
        if (it != pins_file_->keys.end()) {
          Error(where, absl::StrCat("key \"", name,
                                    "\" is defined both in \"keys\" and in "
                                    "the .pins file (line ",
                                    it->second.line, ")"));
          continue;
        }
      }
      std::optional<SpkiHash> hash;
      if (v.is_string()) {
        absl::StatusOr<SpkiHash> parsed = ParseSpkiHash(v.get<std::string>());
        if (!parsed.ok()) {
          Error(where, parsed.status().message());
          continue;
        }
        hash = *parsed;
      } else if (v.is_object()) {
        hash = ParsePemFileKey(v, where);
      } else {
        TypeError(where, "a \"sha256/...\" string or {\"pem_file\": ...}", v);
      }
      if (hash.has_value()) json_keys_[name] = *hash;
    }
  }

  std::optional<SpkiHash> ParsePemFileKey(const Json& obj,
                                          const std::string& base) {
    std::string pem_file;
    bool have = false;
    bool ok = true;
    for (const auto& [key, v] : obj.items()) {
      const std::string where = Field(base, key);
      if (key == "pem_file") {
        have = GetString(v, where, &pem_file);
        ok = ok && have;
      } else {
        Error(where,
              absl::StrCat("unknown key \"", key,
                           "\" in a key object (expected \"pem_file\")"),
              DidYouMean(key, {"pem_file"}));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    const std::string where = Field(base, "pem_file");
    if (!have || pem_file.empty()) {
      Error(have ? where : base, "a key object needs a non-empty \"pem_file\"");
      return std::nullopt;
    }
    // A NUL would end the path the OS sees early ("..\0" is ".." to
    // openat but not to the text check of --pem-root).
    if (pem_file.find('\0') != std::string::npos) {
      Error(where, absl::StrCat("pem_file \"", absl::CHexEscape(pem_file),
                                "\" contains a NUL byte; write the path "
                                "without \\u0000"));
      return std::nullopt;
    }
    // Each distinct pem_file is read once, and a list reads at most
    // kMaxPemBytesPerList in all, so no list can make the compiler read
    // the same megabyte thousands of times.
    if (auto cached = pem_hashes_.find(pem_file); cached != pem_hashes_.end()) {
      return cached->second;
    }
    std::string path;  // As shown in messages.
    absl::StatusOr<std::string> text;
    if (pem_files_.root.empty()) {
      path = pem_file[0] == '/' ? pem_file : absl::StrCat(list_dir_, pem_file);
      text = ReadRegularFile(path, kMaxPemFileBytes);
    } else {
      path = absl::StrCat(pem_files_.root, "/", pem_file);
      text = ReadRegularFileUnder(pem_files_.root, pem_file, kMaxPemFileBytes);
    }
    if (!text.ok()) {
      absl::string_view reason = text.status().message();
      // The message already starts with "PATH: " (or "PEM_FILE: ").
      for (const std::string& prefix :
           {absl::StrCat(path, ": "), absl::StrCat(pem_file, ": ")}) {
        if (absl::ConsumePrefix(&reason, prefix)) break;
      }
      // Under Bazel a file of the workspace is visible to the compile
      // action only if the rule lists it in `data`.
      const bool undeclared =
          absl::IsNotFound(text.status()) && RunningUnderBazel();
      Error(where,
            absl::StrCat("cannot read pem_file \"", path, "\"",
                         pem_files_.root.empty() ? "" : " (--pem-root)", ": ",
                         reason),
            undeclared ? absl::StrCat("running under Bazel: if \"", pem_file,
                                      "\" exists, add it to the rule's data "
                                      "(pin_list_cc_library(..., data = "
                                      "[...]), docs/baking.md)")
                       : "");
      return std::nullopt;
    }
    pem_bytes_read_ += text->size();
    if (pem_bytes_read_ > kMaxPemBytesPerList) {
      Error(where, absl::StrCat("pem_file \"", path, "\": the list's pem_files "
                                "add up to more than ", kMaxPemBytesPerList,
                                " bytes (the limit for one list)"));
      return std::nullopt;
    }
    absl::StatusOr<std::vector<PemKeyObject>> objects =
        ParsePemKeyObjects(*text);
    if (!objects.ok()) {
      // A private key where the public key belongs: say how to get the
      // public half (and never to ship the private one).
      const bool private_key = absl::StrContains(*text, "PRIVATE KEY-----");
      Error(where,
            absl::StrCat("pem_file \"", path, "\": ",
                         objects.status().message(),
                         private_key ? " (the file holds a private key)" : ""),
            private_key
                ? absl::StrCat("write its public key with \"openssl pkey -in ",
                               path, " -pubout -out PUBLIC.pem\" and name "
                               "that file; keep the private key out of the "
                               "list's inputs")
                : "");
      return std::nullopt;
    }
    if (objects->size() != 1) {
      Error(where, absl::StrCat("pem_file \"", path,
                                "\" must hold exactly one certificate or "
                                "public key, found ",
                                objects->size()));
      return std::nullopt;
    }
    pem_hashes_.emplace(pem_file, (*objects)[0].spki_hash);
    return (*objects)[0].spki_hash;
  }

  // ---- "pinsets" -------------------------------------------------------

  // Resolves one pin: a "sha256/..." literal or a key name.
  std::optional<SpkiHash> ResolvePin(const Json& v, const std::string& where) {
    if (!v.is_string()) {
      TypeError(where, "a string (\"sha256/...\" or a key name)", v);
      return std::nullopt;
    }
    const std::string s = v.get<std::string>();
    if (absl::StartsWith(s, kSpkiHashPrefix)) {
      absl::StatusOr<SpkiHash> parsed = ParseSpkiHash(s);
      if (!parsed.ok()) {
        Error(where, parsed.status().message());
        return std::nullopt;
      }
      return *parsed;
    }
    if (auto it = json_keys_.find(s); it != json_keys_.end()) return it->second;
    if (defined_keys_.contains(s)) return std::nullopt;  // Already reported.
    if (pins_file_ != nullptr) {
      if (auto it = pins_file_->keys.find(s); it != pins_file_->keys.end()) {
        return it->second.hash;
      }
    }
    if (absl::StartsWith(s, "sha1/")) {
      Error(where, absl::StrCat("\"", s,
                                "\": sha1/ pins are not supported; use "
                                "sha256/"));
    } else if (!IsKeyName(s)) {
      Error(where, absl::StrCat("unknown key name \"", s,
                                "\"; a literal hash must start with "
                                "\"sha256/\""));
    } else {
      Error(where,
            absl::StrCat("unknown key name \"", s, "\" (not in \"keys\"",
                         pins_file_ != nullptr ? " nor in the .pins file)"
                                               : "; no .pins file was given)"),
            DidYouMeanOf(s, [this] { return KeyNames(); }));
    }
    return std::nullopt;
  }

  // Resolves a static_spki_hashes / bad_static_spki_hashes array into
  // `out`, warning about and dropping duplicates. `first_index` maps each
  // hash already in `out` to its index in the JSON array.
  void ResolvePinArray(const Json& arr, const std::string& where,
                       std::vector<SpkiHash>* out,
                       absl::flat_hash_map<SpkiHash, size_t>* first_index) {
    if (!arr.is_array()) {
      TypeError(where, "an array of pins", arr);
      return;
    }
    size_t i = 0;
    for (const Json& pin : arr) {
      const size_t index = i++;
      const std::string pin_where = Index(where, index);
      std::optional<SpkiHash> hash = ResolvePin(pin, pin_where);
      if (!hash.has_value()) continue;
      auto [it, inserted] = first_index->try_emplace(*hash, index);
      if (!inserted) {
        Warning(pin_where,
                absl::StrCat("duplicate pin ", SpkiHashToString(*hash),
                             " (same key as ", Index(where, it->second),
                             "); ignored"));
        continue;
      }
      out->push_back(*hash);
    }
  }

  void ParsePinsets(const Json& pinsets) {
    if (!pinsets.is_array()) {
      TypeError("pinsets", "an array", pinsets);
      return;
    }
    size_t i = 0;
    for (const Json& p : pinsets) {
      const std::string base = Index("pinsets", i++);
      if (!p.is_object()) {
        TypeError(base, "an object", p);
        continue;
      }
      Pinset pinset;
      pinset.location = base;
      bool have_name = false;
      absl::flat_hash_map<SpkiHash, size_t> good_index;
      absl::flat_hash_map<SpkiHash, size_t> bad_index;
      // Good hashes first, whatever the key order, so that the overlap
      // check below sees them all.
      if (auto it = p.find("static_spki_hashes"); it != p.end()) {
        ResolvePinArray(*it, Field(base, "static_spki_hashes"), &pinset.good,
                        &good_index);
      }
      for (const auto& [key, v] : p.items()) {
        const std::string where = Field(base, key);
        if (key == "name") {
          have_name = GetString(v, where, &pinset.name);
        } else if (key == "static_spki_hashes") {
          // Done above.
        } else if (key == "bad_static_spki_hashes") {
          ResolvePinArray(v, where, &pinset.bad, &bad_index);
        } else if (key == "report_uri") {
          GetString(v, where, &pinset.report_uri);
        } else {
          Error(where,
                absl::StrCat("unknown key \"", key,
                             "\" in pinset (expected \"name\", "
                             "\"static_spki_hashes\", "
                             "\"bad_static_spki_hashes\" or "
                             "\"report_uri\")"),
                DidYouMean(key, PinsetKeys()));
        }
      }
      for (const auto& [hash, j] : bad_index) {
        auto good = good_index.find(hash);
        if (good == good_index.end()) continue;
        Error(Index(Field(base, "bad_static_spki_hashes"), j),
              absl::StrCat("pin ", SpkiHashToString(hash),
                           " is both good (static_spki_hashes[", good->second,
                           "]) and bad"));
      }
      if (!have_name) {
        if (p.find("name") == p.end()) Error(base, "pinset has no \"name\"");
        continue;
      }
      if (pinset.name.empty()) {
        Error(Field(base, "name"), "pinset name must not be empty");
        continue;
      }
      // A duplicate name stays in the model for the checks to report
      // (CheckDuplicatePinsets); entries name the first.
      pinset_index_.try_emplace(pinset.name, model_.pinsets.size());
      model_.pinsets.push_back(std::move(pinset));
    }
  }

  // ---- "entries" -------------------------------------------------------

  void ParseEntries(const Json& entries) {
    if (!entries.is_array()) {
      TypeError("entries", "an array", entries);
      return;
    }
    model_.entries.reserve(entries.size());
    size_t i = 0;
    for (const Json& e : entries) ParseEntry(e, i++);
  }

  void ParseEntry(const Json& e, size_t i) {
    const std::string base = Index("entries", i);
    if (!e.is_object()) {
      TypeError(base, "an object", e);
      return;
    }
    HostEntry entry;
    entry.location = base;
    bool have_name = false;
    bool has_pins = false;   // "pins" written (even if bad).
    bool has_pin_mode = false;
    namespace setting = entry_settings_json;
    for (const auto& [key, v] : e.items()) {
      const std::string where = Field(base, key);
      if (key == "name") {
        have_name = GetString(v, where, &entry.name);
      } else if (key == setting::kIncludeSubdomains) {
        GetBool(v, where, &entry.include_subdomains);
      } else if (key == setting::kIncludeSubdomainsForPinning) {
        GetBool(v, where, &entry.include_subdomains_for_pinning);
      } else if (key == setting::kMode) {
        std::string mode;
        if (!GetString(v, where, &mode)) continue;
        if (mode == setting::kForceHttpsMode) {
          entry.force_https = true;
        } else {
          Error(where,
                absl::StrCat("unknown mode \"", mode,
                             "\" (the only mode is \"force-https\")"),
                DidYouMean(mode, {std::string(setting::kForceHttpsMode)}));
        }
      } else if (key == "pins") {
        has_pins = true;
        if (!GetString(v, where, &entry.pinset)) continue;
        if (!pinset_index_.contains(entry.pinset)) {
          Error(where, absl::StrCat("unknown pinset \"", entry.pinset, "\""),
                DidYouMeanOf(entry.pinset, [this] { return PinsetNames(); }));
        }
      } else if (key == setting::kPolicy) {
        // Chromium's policies ("google", "custom", "bulk-1-year", ...) are
        // accepted and ignored; only "public-suffix" means something here.
        std::string policy;
        if (GetString(v, where, &policy)) {
          entry.public_suffix_policy = policy == setting::kPublicSuffixPolicy;
        }
      } else if (key == "expect_ct" || key == "expect_staple" ||
                 key == "include_subdomains_for_expect_staple") {
        bool ignored;
        GetBool(v, where, &ignored);
      } else if (key == "expect_ct_report_uri" ||
                 key == "expect_staple_report_uri") {
        std::string ignored;
        GetString(v, where, &ignored);
      } else if (key == "exclude") {
        GetBool(v, where, &entry.exclude);
      } else if (key == setting::kPinMode) {
        has_pin_mode = true;
        std::string mode;
        if (!GetString(v, where, &mode)) continue;
        if (std::optional<PinMode> pin_mode = PinModeFromName(mode)) {
          entry.pin_mode = *pin_mode;
        } else {
          Error(where,
                absl::StrCat("unknown pin_mode \"", mode,
                             "\" (expected \"enforce\" or "
                             "\"report-only\")"),
                DidYouMean(mode, {PinModeName(PinMode::kEnforce),
                                  PinModeName(PinMode::kReportOnly)}));
        }
      } else {
        Error(where, absl::StrCat("unknown key \"", key, "\" in entry"),
              DidYouMean(key, EntryKeys()));
      }
    }
    if (!have_name) {
      if (e.find("name") == e.end()) Error(base, "entry has no \"name\"");
      return;
    }
    // Structure: "pin_mode" qualifies "pins" (the model cannot tell a
    // written "enforce" from the default, so this is checked here).
    if (has_pin_mode && !has_pins) {
      Error(Field(base, "pin_mode"), "\"pin_mode\" without \"pins\"");
    }
    model_.entries.push_back(std::move(entry));
  }

  absl::string_view contents_;
  std::optional<JsonDocument> document_;  // What the Json values view.
  const std::string& list_path_;
  std::string list_dir_;  // Directory of the list with a trailing '/'.
  const PinsFile* pins_file_;
  Diagnostics* diags_;
  const PemFileOptions& pem_files_;

  PinListModel model_;
  std::optional<int64_t> list_timestamp_;
  absl::flat_hash_map<std::string, SpkiHash> pem_hashes_;  // By pem_file.
  size_t pem_bytes_read_ = 0;  // Bytes of every pem_file read so far.
  absl::flat_hash_map<std::string, SpkiHash> json_keys_;  // Resolved "keys".
  absl::flat_hash_set<std::string> defined_keys_;          // All "keys" names.
  absl::flat_hash_map<std::string, size_t> pinset_index_;  // In model_.pinsets.
  int suggestions_made_ = 0;  // DidYouMean calls so far.
};

}  // namespace

PinListModel ParsePinListJson(absl::string_view contents,
                              const std::string& list_path,
                              const PinsFile* pins_file, Diagnostics* diags,
                              const PemFileOptions& pem_files,
                              bool* document_read) {
  bool read = false;
  PinListModel model =
      ListParser(contents, list_path, pins_file, diags, pem_files).Parse(&read);
  if (document_read != nullptr) *document_read = read;
  return model;
}

}  // namespace pinbake
