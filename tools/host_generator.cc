#include "tools/host_generator.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace pinbake {
namespace {

// Weighted TLDs (weights roughly after the 2017 preload list's mix).
struct Weighted {
  const char* name;
  int weight;
};
constexpr Weighted kTlds[] = {
    {"com", 420}, {"org", 60}, {"net", 50}, {"de", 60},  {"co.uk", 25},
    {"io", 30},   {"nl", 25},  {"fr", 20},  {"ru", 15},  {"ch", 12},
    {"be", 10},   {"eu", 10},  {"me", 15},  {"info", 10}, {"se", 10},
    {"cz", 8},    {"pl", 10},  {"at", 8},   {"it", 8},   {"com.au", 8},
    {"co.jp", 5}, {"ca", 8},   {"us", 6},   {"xyz", 8},  {"fi", 5},
    {"dk", 5},    {"no", 5},   {"es", 5},   {"gov", 4},  {"edu", 4},
    {"ninja", 3}, {"tech", 4}, {"dev", 3},  {"blog", 3}, {"pt", 3},
};
constexpr const char* kSyllables[] = {
    "ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "xe", "zu", "an",
    "ber", "cor", "dan", "el", "fin", "gar", "hol", "in", "jo", "kel",
    "lin", "mar", "nor", "on", "per", "qui", "ros", "sun", "tor", "ul",
    "ven", "wis", "yo", "tech", "net", "web", "soft", "data", "cloud",
    "shop", "blog", "home", "art", "bit", "dev", "go", "my", "the", "pro"};
constexpr const char* kSubLabels[] = {"www", "api", "mail", "blog", "shop",
                                      "app", "cdn", "static", "m", "login",
                                      "secure", "admin", "docs", "status"};
constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789-";

const char* PickTld(DeterministicRandom& rng) {
  int total = 0;
  for (const Weighted& t : kTlds) total += t.weight;
  uint64_t r = rng.Below(total);
  for (const Weighted& t : kTlds) {
    if (r < static_cast<uint64_t>(t.weight)) return t.name;
    r -= t.weight;
  }
  return "com";
}

std::string RandomLabel(DeterministicRandom& rng) {
  std::string label;
  // At least two syllables: short labels such as "sa" or "ru" would make
  // names like "sa.com", which are private public suffixes.
  const int parts = 2 + static_cast<int>(rng.Below(3));
  for (int i = 0; i < parts; ++i) {
    label += kSyllables[rng.Below(std::size(kSyllables))];
  }
  if (rng.Percent(20)) label += std::to_string(rng.Below(100));
  if (rng.Percent(10)) {
    label += "-";
    label += kSyllables[rng.Below(std::size(kSyllables))];
  }
  return label.substr(0, 63);
}

std::string FakeHash(uint64_t i) {
  // A fixed, valid sha256/ literal per index (43 base64 chars + '=').
  static const char kB64[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  DeterministicRandom rng(0x5eed0000 + i);
  std::string out = "sha256/";
  for (int c = 0; c < 42; ++c) out += kB64[rng.Below(64)];
  out += kB64[rng.Below(16) * 4];  // Last char carries 2 unused zero bits.
  out += '=';
  return out;
}

}  // namespace

uint64_t DeterministicRandom::Next() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t DeterministicRandom::Below(uint64_t n) { return Next() % n; }

std::string GenerateListJson(uint64_t count, uint64_t seed) {
  DeterministicRandom rng(seed);
  constexpr int kPinsets = 12;
  std::string out = absl::StrCat(
      "{\n  \"list\": {\"version\": 1, \"timestamp\": "
      "\"2026-11-01T00:00:00Z\", \"max_age_days\": 70},\n  \"pinsets\": [\n");
  for (int p = 0; p < kPinsets; ++p) {
    absl::StrAppend(&out, "    {\"name\": \"set", p,
                    "\", \"static_spki_hashes\": [\"", FakeHash(2 * p),
                    "\", \"", FakeHash(2 * p + 1), "\"]}",
                    p + 1 < kPinsets ? ",\n" : "\n");
  }
  out += "  ],\n  \"entries\": [\n";
  absl::flat_hash_set<std::string> seen;
  std::vector<std::string> registrable;
  uint64_t made = 0;
  while (made < count) {
    std::string name;
    bool wildcard = false;
    if (!registrable.empty() && rng.Percent(15)) {
      // A subdomain (or wildcard) of an earlier registrable name.
      const std::string& base = registrable[rng.Below(registrable.size())];
      if (rng.Percent(7)) {
        name = absl::StrCat("*.", base);
        wildcard = true;
      } else {
        name = absl::StrCat(kSubLabels[rng.Below(std::size(kSubLabels))],
                            ".", base);
      }
    } else {
      name = absl::StrCat(RandomLabel(rng), ".", PickTld(rng));
    }
    if (name.size() > 200 || !seen.insert(name).second) continue;
    if (!wildcard && name.find('.') == name.rfind('.')) {
      registrable.push_back(name);
    }
    std::string entry = absl::StrCat("    {\"name\": \"", name, "\"");
    if (!wildcard && rng.Percent(88)) entry += ", \"include_subdomains\": true";
    if (rng.Percent(97)) entry += ", \"mode\": \"force-https\"";
    if (rng.Percent(2)) {
      absl::StrAppend(&entry, ", \"pins\": \"set", rng.Below(kPinsets), "\"");
      if (rng.Percent(10)) entry += ", \"pin_mode\": \"report-only\"";
    } else if (entry.find("mode") == std::string::npos) {
      entry += ", \"exclude\": true";
    }
    entry += "}";
    ++made;
    absl::StrAppend(&out, entry, made < count ? ",\n" : "\n");
  }
  out += "  ]\n}\n";
  return out;
}

std::vector<std::string> GenerateQueries(const std::vector<std::string>& names,
                                         uint64_t count, uint64_t seed) {
  DeterministicRandom rng(seed);
  std::vector<std::string> out;
  out.reserve(count);
  auto pick_name = [&]() -> std::string {
    if (names.empty()) return "example.com";
    std::string n = names[rng.Below(names.size())];
    if (n.size() > 2 && n[0] == '*') n = absl::StrCat(RandomLabel(rng), n.substr(1));
    return n;
  };
  while (out.size() < count) {
    const uint64_t kind = rng.Below(100);
    std::string q;
    if (kind < 30) {
      q = pick_name();
    } else if (kind < 55) {
      q = pick_name();
      const int deeper = 1 + static_cast<int>(rng.Below(3));
      for (int i = 0; i < deeper; ++i) {
        q = absl::StrCat(i == 0 && rng.Percent(50)
                             ? kSubLabels[rng.Below(std::size(kSubLabels))]
                             : RandomLabel(rng),
                         ".", q);
      }
    } else if (kind < 75) {
      q = pick_name();
      if (rng.Percent(50) && q.find('.') != std::string::npos) {
        q = q.substr(q.find('.') + 1);  // Drop the first label.
      } else {
        const size_t at = rng.Below(q.size());
        if (q[at] != '.') q[at] = kAlphabet[rng.Below(26)];
      }
    } else if (kind < 95) {
      q = absl::StrCat(RandomLabel(rng), ".", RandomLabel(rng), ".",
                       PickTld(rng));
    } else {
      switch (rng.Below(5)) {
        case 0: {
          q = pick_name();
          for (char& c : q) {
            if (rng.Percent(30) && c >= 'a' && c <= 'z') c = c - 'a' + 'A';
          }
          break;
        }
        case 1:
          q = absl::StrCat(pick_name(), ".");
          break;
        case 2:
          q = absl::StrCat(RandomLabel(rng), "..", PickTld(rng));
          break;
        case 3:
          q = absl::StrCat(rng.Below(256), ".", rng.Below(256), ".1.2");
          break;
        default: {
          std::vector<std::string> worst = WorstCaseQueries({pick_name()});
          q = worst[rng.Below(worst.size())];
          break;
        }
      }
    }
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<std::string> WorstCaseQueries(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  for (const std::string& raw : names) {
    std::string suffix = raw;
    if (suffix.size() > 2 && suffix[0] == '*') suffix = suffix.substr(2);
    // 253 bytes: long labels in front of the suffix.
    std::string longest = suffix;
    while (longest.size() + 64 <= 253) {
      longest = absl::StrCat(std::string(63, 'q'), ".", longest);
    }
    if (longest.size() + 2 <= 253) {
      longest = absl::StrCat(std::string(253 - longest.size() - 1, 'w'), ".",
                             longest);
    }
    out.push_back(longest);
    // As many one-letter labels as fit in 253 bytes.
    std::string many = suffix;
    while (many.size() + 2 <= 253) many = absl::StrCat("a.", many);
    out.push_back(many);
  }
  return out;
}

}  // namespace pinbake
