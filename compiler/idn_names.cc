#include "compiler/idn_names.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "runtime/idn_host.h"

namespace pinbake {

void ConvertIdnNames(const std::string& list_path, PinListModel* model,
                     Diagnostics* diags) {
  for (HostEntry& e : model->entries) {
    if (!HasNonAsciiByte(e.name)) continue;
    const bool wildcard = e.is_wildcard();
    absl::string_view host = e.name;
    if (wildcard) host.remove_prefix(2);
    absl::StatusOr<std::string> a_labels = HostToALabels(host);
    if (!a_labels.ok()) continue;  // CheckNameSyntax says why.
    std::string converted = absl::StrCat(wildcard ? "*." : "", *a_labels);
    diags->Note(list_path, absl::StrCat(e.location, ".name"),
                absl::StrCat("\"", absl::Utf8SafeCHexEscape(e.name),
                             "\" is compiled as its A-label \"", converted,
                             "\" (--idn)"));
    e.name = std::move(converted);
  }
}

}  // namespace pinbake
