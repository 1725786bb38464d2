// The proof of an export: before a platform configuration is written, its
// platform model (export/<platform>.h) is asked about every name the list
// implies (export/implied_names.h) and must give pinbake's own answer
// (the runtime lookup of the compiled list, export/platform_answer.h).
// Each entry whose names differ is one finding; the exporter
// (export/exporter.h) makes findings errors, or warnings and comments in
// the output with --lossy.

#ifndef PINBAKE_EXPORT_EXPORT_PROOF_H_
#define PINBAKE_EXPORT_EXPORT_PROOF_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "compiler/pin_list_model.h"
#include "export/platform_answer.h"
#include "runtime/pin_list.h"

namespace pinbake {

// Something the platform cannot express for one entry (or the list).
struct ExportFinding {
  std::string entry;     // Entry name; "" for the list as a whole.
  std::string location;  // "entries[3]", "pinsets[1]" or "list".
  std::string message;   // Sentence saying what the platform would do.

  // "LOCATION ENTRY: MESSAGE" (the entry omitted when empty).
  std::string Text() const;
};

// The platform model's answer for one host of the exported configuration.
using PlatformResolver = std::function<PlatformAnswer(absl::string_view)>;

// Compares `platform` with `list` (the compiled `model`) on every implied
// name of `model`. One finding per entry with differences, in entry
// order, naming the entry that decides the first differing name in
// pinbake (else the platform's deciding entry, else the entry that implied
// the name): "for HOST PLATFORM would DIFFERENCE (pinbake: ANSWER)" and
// how many more names of it differ (DescribeDifference, DescribeAnswer).
// `platform_name` ("okhttp-java", ...) appears in the messages.
std::vector<ExportFinding> ProveExport(const PinListModel& model,
                                       const PinList& list,
                                       absl::string_view platform_name,
                                       const AnswerAspects& aspects,
                                       const PlatformResolver& platform);

// The location of the entry named `name` in `model` ("entries[i]"), or
// "entries" if there is none.
std::string EntryLocation(const PinListModel& model, absl::string_view name);

}  // namespace pinbake

#endif  // PINBAKE_EXPORT_EXPORT_PROOF_H_
