#include "cli/check_result_json.h"

namespace pinbake {
namespace cli {
namespace {

Json OrNull(const std::optional<std::string>& value) {
  return value ? Json(*value) : Json(nullptr);
}

}  // namespace

CheckResultView CheckResultViewOf(const std::string& host,
                                  const ChainCheckResult& r) {
  CheckResultView view;
  view.host = host;
  if (r.lookup.valid()) view.canonical = std::string(r.lookup.canonical.view());
  view.outcome = r.outcome;
  view.allowed = r.allowed;
  view.would_fail = r.would_fail;
  view.bad_pin_found = r.bad_pin_found;
  if (r.lookup.pin_rule) view.pin_entry = r.lookup.PinRuleName();
  if (r.lookup.pinned()) view.pin_mode = r.lookup.pin_rule->pin_mode;
  if (r.lookup.pinset) {
    view.pinset = std::string(r.lookup.pinset->name());
    if (!r.lookup.pinset->report_uri().empty()) {
      view.report_uri = std::string(r.lookup.pinset->report_uri());
    }
  }
  return view;
}

void AppendCheckResultJson(const CheckResultView& view, Json* out) {
  Json& o = *out;
  o["host"] = view.host;
  o["canonical"] = OrNull(view.canonical);
  o["result"] = CheckOutcomeName(view.outcome);
  o["allowed"] = view.allowed;
  o["would_fail"] = view.would_fail;
  o["bad_pin_found"] = view.bad_pin_found;
  if (view.known_root) o["known_root"] = *view.known_root;
  o["pin_entry"] = OrNull(view.pin_entry);
  o["pin_mode"] =
      view.pin_mode ? Json(PinModeName(*view.pin_mode)) : Json(nullptr);
  o["pinset"] = OrNull(view.pinset);
  o["report_uri"] = OrNull(view.report_uri);
}

Json PinArrayJson(const std::vector<SpkiHash>& pins) {
  Json out = Json::array();
  for (const SpkiHash& h : pins) out.push_back(SpkiHashToString(h));
  return out;
}

}  // namespace cli
}  // namespace pinbake
