#include "export/platform_answer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace pinbake {

void SortUnique(std::vector<SpkiHash>* hashes) {
  std::sort(hashes->begin(), hashes->end());
  hashes->erase(std::unique(hashes->begin(), hashes->end()), hashes->end());
}

PlatformAnswer PinbakeAnswer(const PinList& list, absl::string_view host) {
  PlatformAnswer answer;
  const LookupResult result = list.Lookup(host);
  if (!result.valid()) return answer;
  answer.force_https = result.force_https();
  if (result.pin_rule.has_value()) answer.decided_by = result.PinRuleName();
  if (!result.pinned() || !result.pinset.has_value()) return answer;
  answer.pinned = true;
  const PinsetView& pinset = *result.pinset;
  for (size_t i = 0; i < pinset.good_count(); ++i) {
    answer.good.push_back(pinset.good(i));
  }
  for (size_t i = 0; i < pinset.bad_count(); ++i) {
    answer.bad.push_back(pinset.bad(i));
  }
  SortUnique(&answer.good);
  SortUnique(&answer.bad);
  answer.report_only = result.pin_rule->pin_mode == PinMode::kReportOnly;
  answer.report_uri = std::string(pinset.report_uri());
  return answer;
}

bool SameAnswer(const PlatformAnswer& a, const PlatformAnswer& b,
                const AnswerAspects& aspects) {
  if (a.ambiguous || b.ambiguous) return false;
  if (aspects.force_https && a.force_https != b.force_https) return false;
  if (a.pinned != b.pinned) return false;
  if (!a.pinned) return true;
  if (a.good != b.good) return false;
  if (aspects.bad && a.bad != b.bad) return false;
  if (aspects.report_only && a.report_only != b.report_only) return false;
  if (aspects.report_uri && a.report_uri != b.report_uri) return false;
  return true;
}

namespace {

std::string HashList(const std::vector<SpkiHash>& hashes) {
  std::vector<std::string> texts;
  for (const SpkiHash& h : hashes) texts.push_back(SpkiHashToString(h));
  return absl::StrJoin(texts, ", ");
}

}  // namespace

std::string DescribeAnswer(const PlatformAnswer& answer,
                           const AnswerAspects& aspects) {
  if (answer.ambiguous) {
    return "depends on the platform's iteration order (several "
           "configurations apply)";
  }
  std::string text;
  if (!answer.pinned) {
    text = "not pinned";
  } else {
    absl::StrAppend(&text,
                    aspects.report_only && answer.report_only
                        ? "reports (does not enforce) "
                        : "enforces ",
                    answer.good.size(), " pin(s) (", HashList(answer.good),
                    ")");
    if (aspects.bad && !answer.bad.empty()) {
      absl::StrAppend(&text, ", blocks ", answer.bad.size(), " key(s) (",
                      HashList(answer.bad), ")");
    }
    if (aspects.report_uri && !answer.report_uri.empty()) {
      absl::StrAppend(&text, ", reports to ", answer.report_uri);
    }
  }
  if (!answer.decided_by.empty()) {
    absl::StrAppend(&text, " (by ", answer.decided_by, ")");
  }
  if (aspects.force_https) {
    absl::StrAppend(&text, answer.force_https ? ", HTTPS only"
                                              : ", plain HTTP allowed");
  }
  return text;
}

}  // namespace pinbake
