// `pinbake init`: a first pin list from live servers: each host pinned to
// the intermediate and root keys of the chain it presents now, plus a
// backup key kept offline (RFC 7469 section 4.3).

#include <algorithm>
#include <iostream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "cli/cli_common.h"
#include "cli/command_line.h"
#include "cli/live_chain.h"
#include "cli/pin_report.h"
#include "cli/subcommand.h"
#include "compiler/file_util.h"
#include "runtime/cert_util.h"
#include "runtime/list_id.h"
#include "runtime/list_time_bounds.h"

namespace pinbake {
namespace cli {
namespace {

constexpr char kInitHelp[] =
    R"(pinbake init HOST[:PORT][@ADDRESS]... --backup KEY.pem -o LIST.json
             [--ca FILE.pem] [--list-id ID] [--timestamp T] [--json]

Starts a pin list from live servers. For each HOST it makes a TLS
handshake (port 443 by default; to ADDRESS instead of HOST's address when
given) and pins HOST to the keys of the chain it presents above the leaf:
its intermediates and, when OpenSSL verified the chain, its root, each as
a named key (named after the certificate's CN), plus the backup key of
--backup. The leaf key is never pinned (it changes at every renewal).
Writes LIST.json atomically (docs/list-format.md; compile it with pinbake
compile) and prints each host's pinset:
  www.example.com: pinset www.example.com: ExampleIntermediate sha256/...=, ExampleRoot sha256/...=, BackupKey sha256/...= (backup)

Refuses a pinset without a backup: --backup is required and must be a key
no server presents (a backup in the live chain is lost with it), and a
host whose chain has no certificate above its leaf is refused.

  --backup KEY.pem  The backup key: a PUBLIC KEY or CERTIFICATE PEM block
                    (for a private key: openssl pkey -in KEY.pem -pubout).
  -o LIST.json      The list to write. Not created or changed on any error.
  --ca FILE.pem     Also trust these roots when verifying the chains (the
                    system's roots are always trusted).
  --list-id ID      list.id of the new list (default: none).
  --timestamp T     list.timestamp (RFC 3339, unix seconds or "now", the
                    default).
  --json            Print one JSON object: {"list", "hosts": [{"host",
                    "address", "verified", "pinset", "keys": [{"name",
                    "pin", "subject", "backup"}]}]}.

Exit codes: 0 written; 2 a server cannot be reached, a pinset would have
no backup, bad input, usage or I/O error (nothing written).
)";

// "CN=pinbake test intermediate,O=x" -> "PinbakeTestIntermediate".
std::string KeyNameFromSubject(const std::string& subject) {
  std::string cn;
  const size_t at = subject.find("CN=");
  if (at != std::string::npos) {
    for (size_t i = at + 3; i < subject.size(); ++i) {
      if (subject[i] == '\\' && i + 1 < subject.size()) {
        cn += subject[++i];
      } else if (subject[i] == ',') {
        break;
      } else {
        cn += subject[i];
      }
    }
  }
  std::string name;
  bool upper = true;
  for (char c : cn) {
    if (absl::ascii_isalnum(static_cast<unsigned char>(c))) {
      name += upper ? absl::ascii_toupper(static_cast<unsigned char>(c)) : c;
      upper = false;
    } else {
      upper = true;
    }
  }
  return name.empty() ? "Key" : name;
}

struct InitKey {
  std::string name;
  SpkiHash pin;
  std::string subject;  // "" for the backup key given as a public key.
  bool backup = false;
};

struct InitHost {
  LiveServer server;
  std::string address;
  bool verified = false;
  std::vector<const InitKey*> keys;
};

// Reads the --backup PEM: exactly one public key or certificate.
absl::StatusOr<InitKey> ReadBackupKey(const std::string& path) {
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok()) return pem.status();
  if (absl::StrContains(*pem, "PRIVATE KEY-----")) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--backup ", path, ": holds a private key; give its public key "
        "(openssl pkey -in ", path, " -pubout -out backup.pub.pem) and keep "
        "the private key offline"));
  }
  absl::StatusOr<std::vector<PemKeyObject>> objects = ParsePemKeyObjects(*pem);
  if (!objects.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--backup ", path, ": ", objects.status().message()));
  }
  if (objects->size() != 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--backup ", path, ": holds ", objects->size(),
        " keys; give exactly one PUBLIC KEY or CERTIFICATE block"));
  }
  InitKey key;
  key.name = "BackupKey";
  key.pin = (*objects)[0].spki_hash;
  key.backup = true;
  if ((*objects)[0].label == "CERTIFICATE") {
    absl::StatusOr<std::string> subject = CertificateSubject((*objects)[0].der);
    if (subject.ok()) key.subject = *subject;
  }
  return key;
}

int RunInit(const ParsedArgs& parsed) {
  const std::string out_path = *parsed.Value("-o");
  std::optional<std::string> list_id = parsed.Value("--list-id");
  if (list_id && !IsValidListId(*list_id)) {
    return UsageError(absl::StrCat("--list-id: \"", *list_id,
                                   "\" is not a valid list id (", kListIdRules,
                                   ")"),
                      kInitHelp);
  }
  absl::Time timestamp = absl::Now();
  if (std::optional<std::string> t = parsed.Value("--timestamp")) {
    std::optional<absl::Time> time = ParseTimeArgument(*t);
    if (!time) return UsageError("--timestamp: not a time", kInitHelp);
    timestamp = *time;
  }
  std::vector<LiveServer> servers;
  std::set<std::string> seen;
  for (const std::string& arg : parsed.positional) {
    absl::StatusOr<LiveServer> server = ParseLiveServer(arg);
    if (!server.ok()) return UsageError(server.status().message(), kInitHelp);
    if (!seen.insert(server->host).second) {
      return UsageError(absl::StrCat(server->host, " is given twice"),
                        kInitHelp);
    }
    servers.push_back(*server);
  }
  absl::StatusOr<InitKey> backup = ReadBackupKey(*parsed.Value("--backup"));
  if (!backup.ok()) return InputError(backup.status().message());
  absl::StatusOr<std::vector<std::string>> roots = CaRootsFromFlag(parsed);
  if (!roots.ok()) return InputError(roots.status().message());

  // Keys by pin, in the order first seen (std::map keeps pointers stable).
  std::map<SpkiHash, InitKey> keys;
  std::vector<const InitKey*> key_order;
  std::set<std::string> names = {backup->name};
  std::vector<InitHost> hosts;
  for (const LiveServer& server : servers) {
    absl::StatusOr<CapturedChain> chain = CaptureChain(server, *roots);
    if (!chain.ok()) return InputError(chain.status().message());
    absl::StatusOr<std::vector<ChainCertificate>> certs =
        DescribeChain(chain->best());
    if (!certs.ok()) {
      return InputError(absl::StrCat(server.ToString(), ": ",
                                     certs.status().message()));
    }
    InitHost host;
    host.server = server;
    host.address = chain->address;
    host.verified = !chain->verified.empty();
    for (size_t i = 1; i < certs->size(); ++i) {  // Not the leaf.
      const ChainCertificate& c = (*certs)[i];
      if (c.pin == backup->pin) {
        return InputError(absl::StrCat(
            "refusing a pinset without a backup: the --backup key is in the "
            "chain ", server.ToString(), " presents (", c.subject,
            "), so it is lost with that chain; use a key no server uses"));
      }
      auto [it, added] = keys.try_emplace(c.pin);
      if (added) {
        std::string name = KeyNameFromSubject(c.subject);
        for (int n = 2; !names.insert(name).second; ++n) {
          name = absl::StrCat(KeyNameFromSubject(c.subject), "_", n);
        }
        it->second = InitKey{name, c.pin, c.subject, false};
        key_order.push_back(&it->second);
      }
      if (std::find(host.keys.begin(), host.keys.end(), &it->second) ==
          host.keys.end()) {
        host.keys.push_back(&it->second);
      }
    }
    if (!certs->empty() && certs->front().pin == backup->pin) {
      return InputError(absl::StrCat(
          "refusing a pinset without a backup: the --backup key is the leaf "
          "key of ", server.ToString()));
    }
    if (host.keys.empty()) {
      return InputError(absl::StrCat(
          server.ToString(), " presented only its leaf certificate (",
          certs->empty() ? "" : certs->front().subject,
          ") and the chain did not verify (", chain->verify_message,
          "): there is no CA key to pin; give its root with --ca"));
    }
    host.keys.push_back(&*backup);
    hosts.push_back(std::move(host));
  }

  Json list;
  list["list"] = Json::object();
  if (list_id) list["list"]["id"] = *list_id;
  list["list"]["version"] = 1;
  list["list"]["timestamp"] = UtcTimeText(timestamp);
  list["list"]["max_age_days"] = 70;
  list["keys"] = Json::object();
  for (const InitKey* k : key_order) list["keys"][k->name] = SpkiHashToString(k->pin);
  list["keys"][backup->name] = SpkiHashToString(backup->pin);
  list["pinsets"] = Json::array();
  list["entries"] = Json::array();
  Json report;
  report["list"] = out_path;
  report["hosts"] = Json::array();
  std::string text;
  for (const InitHost& h : hosts) {
    Json pins = Json::array();
    Json key_report = Json::array();
    std::vector<std::string> shown;
    for (const InitKey* k : h.keys) {
      pins.push_back(k->name);
      key_report.push_back({{"name", k->name},
                            {"pin", SpkiHashToString(k->pin)},
                            {"subject", k->subject.empty() ? Json(nullptr)
                                                           : Json(k->subject)},
                            {"backup", k->backup}});
      shown.push_back(absl::StrCat(k->name, " ", SpkiHashToString(k->pin),
                                   k->backup ? " (backup)" : ""));
    }
    list["pinsets"].push_back(
        {{"name", h.server.host}, {"static_spki_hashes", pins}});
    list["entries"].push_back({{"name", h.server.host}, {"pins", h.server.host}});
    report["hosts"].push_back({{"host", h.server.host},
                               {"address", h.address},
                               {"verified", h.verified},
                               {"pinset", h.server.host},
                               {"keys", key_report}});
    absl::StrAppend(&text, h.server.host, ": pinset ", h.server.host, ": ",
                    absl::StrJoin(shown, ", "),
                    h.verified ? "" : " (chain not verified: root not pinned)",
                    "\n");
  }
  absl::Status written = WriteFileAtomically(out_path, DumpPretty(list) + "\n");
  if (!written.ok()) return InputError(written.message());
  if (parsed.Has("--json")) {
    std::cout << DumpPretty(report) << "\n";
  } else {
    std::cout << text << "wrote " << out_path << ": " << hosts.size()
              << " host(s); keep the backup key's private key offline\n";
  }
  return kExitOk;
}

}  // namespace

const Subcommand kInitCommand = {
    "init",
    R"(pinbake init HOST[:PORT][@ADDRESS]... --backup KEY.pem -o LIST.json [--ca FILE.pem]
               [--list-id ID] [--timestamp T] [--json])",
    kInitHelp,
    {{"--json"}, {"--backup", "-o", "--ca", "--list-id", "--timestamp"}},
    1,
    -1,
    {"--backup", "-o"},
    "init needs HOST..., --backup KEY.pem and -o LIST.json",
    RunInit,
};

}  // namespace cli
}  // namespace pinbake
