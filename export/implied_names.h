// The host names a pin list implies: the names on which an exported
// configuration must answer exactly as pinbake does (export/export_proof.h).

#ifndef PINBAKE_EXPORT_IMPLIED_NAMES_H_
#define PINBAKE_EXPORT_IMPLIED_NAMES_H_

#include <cstddef>
#include <string>
#include <vector>

#include "compiler/pin_list_model.h"

namespace pinbake {

// One implied name and the entry (index into model.entries) it came from.
struct ImpliedName {
  std::string host;
  size_t entry = 0;
};

// The label used for sample subdomains ("pinbake-sample.example.com").
inline constexpr char kSampleLabel[] = "pinbake-sample";

// For every entry E of `model` (a wildcard "*.P" stands for P): E's name,
// each proper ancestor of it, a sample child "pinbake-sample.E" (what "*.E"
// matches) and a grandchild "a.pinbake-sample.E". Only valid canonical
// names (format/host_name.h) of at most 253 bytes; each name once, with
// the first entry (in model order) that implied it; sorted by name.
std::vector<ImpliedName> ImpliedNames(const PinListModel& model);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_IMPLIED_NAMES_H_
