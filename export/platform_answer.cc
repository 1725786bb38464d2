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
  for (const SpkiHash& h : hashes) {
    texts.push_back(absl::StrCat(SpkiHashToString(h).substr(0, 19), "..."));
  }
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
    if (!answer.decided_by.empty()) {
      absl::StrAppend(&text, " (by ", answer.decided_by, ")");
    }
  } else {
    absl::StrAppend(&text,
                    aspects.report_only && answer.report_only
                        ? "reports (does not enforce) "
                        : "enforces ",
                    answer.good.size(), " pin(s) (", HashList(answer.good),
                    ")");
    if (!answer.decided_by.empty()) {
      absl::StrAppend(&text, " by ", answer.decided_by);
    }
    if (aspects.bad && !answer.bad.empty()) {
      absl::StrAppend(&text, ", blocks ", answer.bad.size(), " key(s) (",
                      HashList(answer.bad), ")");
    }
    if (aspects.report_uri && !answer.report_uri.empty()) {
      absl::StrAppend(&text, ", reports to ", answer.report_uri);
    }
  }
  if (aspects.force_https) {
    absl::StrAppend(&text, answer.force_https ? ", HTTPS only"
                                              : ", plain HTTP allowed");
  }
  return text;
}

std::string DescribeDifference(const PlatformAnswer& pinbake,
                               const PlatformAnswer& platform,
                               const AnswerAspects& aspects) {
  if (platform.ambiguous) {
    return "take one of several includeSubdomains domains in dictionary "
           "order (the answer is not determined)";
  }
  std::vector<std::string> clauses;
  if (pinbake.pinned && !platform.pinned) {
    clauses.push_back(platform.decided_by.empty()
                          ? "not pin it"
                          : absl::StrCat("not pin it (decided by ",
                                         platform.decided_by, ")"));
  } else if (!pinbake.pinned && platform.pinned) {
    clauses.push_back(absl::StrCat("pin it to ", platform.good.size(),
                                   " key(s) (", HashList(platform.good), ")",
                                   platform.decided_by.empty() ? "" : " by ",
                                   platform.decided_by));
  } else if (pinbake.pinned) {
    if (pinbake.good != platform.good) {
      clauses.push_back(absl::StrCat("accept other keys (",
                                     HashList(platform.good), ")"));
    }
    if (aspects.bad && pinbake.bad != platform.bad) {
      clauses.push_back(
          platform.bad.empty()
              ? absl::StrCat("not block ", HashList(pinbake.bad))
              : absl::StrCat("block other keys (", HashList(platform.bad),
                             ")"));
    }
    if (aspects.report_only && pinbake.report_only != platform.report_only) {
      clauses.push_back(platform.report_only ? "only report failures"
                                             : "enforce pins pinbake only "
                                               "reports");
    }
    if (aspects.report_uri && pinbake.report_uri != platform.report_uri) {
      clauses.push_back(platform.report_uri.empty()
                            ? "send no reports"
                            : absl::StrCat("report to ", platform.report_uri));
    }
  }
  if (aspects.force_https && pinbake.force_https != platform.force_https) {
    clauses.push_back(platform.force_https ? "refuse plain HTTP"
                                           : "allow plain HTTP");
  }
  return absl::StrJoin(clauses, ", ");
}

}  // namespace pinbake
