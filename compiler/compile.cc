#include "compiler/compile.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "compiler/checks.h"
#include "compiler/file_util.h"
#include "compiler/idn_names.h"
#include "compiler/json_document.h"
#include "compiler/list_parser.h"
#include "compiler/pins_file_parser.h"
#include "compiler/table_writer.h"
#include "runtime/pin_list.h"

namespace pinbake {
namespace {

// Applies the --timestamp option: fills in a missing timestamp, and refuses
// one that disagrees with the input's.
void ApplyTimestampOption(const CompileOptions& options, PinListModel* model,
                          Diagnostics* diags) {
  if (!options.timestamp.has_value()) return;
  if (model->list.timestamp == 0) {
    model->list.timestamp = *options.timestamp;
  } else if (model->list.timestamp != *options.timestamp) {
    diags->Error(options.list_path, "list.timestamp",
                 absl::StrCat("the list says ", model->list.timestamp,
                              " but --timestamp says ", *options.timestamp));
  }
}

// Opens the table with the runtime, as a user would. (WriteTable has
// already read every entry back; this checks the bytes as written.)
void VerifyTable(const CompileOptions& options, const PinListModel& model,
                 const std::string& table, Diagnostics* diags) {
  absl::StatusOr<PinList> list = PinList::FromBytes(table);
  if (!list.ok()) {
    diags->Error(options.list_path, "",
                 absl::StrCat("internal error: the written table does not "
                              "read back: ", list.status().message()));
    return;
  }
  if (list->table().entry_count() != model.entries.size()) {
    diags->Error(options.list_path, "",
                 "internal error: the written table lost entries");
  }
}

// Gives the diagnostics of the list that name a field path the LINE:COL
// of that field in `text`: one more pass over the text, always made for
// errors (the compile fails anyway) and for warnings only when there are
// at most kMaxLocatedFieldPaths distinct paths (not for a list of a
// million generated hosts with tens of thousands of warnings).
constexpr size_t kMaxLocatedFieldPaths = 10000;
void AddFieldPositions(const CompileOptions& options, absl::string_view text,
                       Diagnostics* diags) {
  std::vector<std::string> paths =
      diags->FieldPathsWithoutPosition(options.list_path);
  if (paths.size() > kMaxLocatedFieldPaths) {
    paths = diags->FieldPathsWithoutPosition(options.list_path,
                                             /*errors_only=*/true);
  }
  if (paths.empty()) return;
  diags->SetFieldPositions(options.list_path, LocateFieldPaths(text, paths));
}

// Records the time since `*start` as phase `name` and restarts the clock.
void EndPhase(const CompileOptions& options, const char* name,
              absl::Time* start) {
  const absl::Time now = absl::Now();
  if (options.phase_times != nullptr) {
    options.phase_times->emplace_back(name, now - *start);
  }
  *start = now;
}

}  // namespace

PinListModel LoadAndCheckPinList(const CompileOptions& options,
                                 Diagnostics* diags) {
  absl::Time start = absl::Now();
  std::optional<PinsFile> pins;
  if (!options.pins_path.empty()) {
    absl::StatusOr<std::string> text = ReadFileToString(options.pins_path);
    if (!text.ok()) {
      diags->Error(options.pins_path, "", text.status().message());
    } else {
      pins = ParsePinsFile(*text, options.pins_path, diags);
    }
  }
  absl::StatusOr<std::string> text = ReadFileToString(options.list_path);
  if (!text.ok()) {
    diags->Error(options.list_path, "", text.status().message());
    return PinListModel();
  }
  PemFileOptions pem_files;
  pem_files.root = options.pem_root;
  bool document_read = false;
  PinListModel model =
      ParsePinListJson(*text, options.list_path,
                       pins.has_value() ? &*pins : nullptr, diags, pem_files,
                       &document_read);
  EndPhase(options, "parse", &start);
  // Every error of the run in one pass: only a syntax error (no document)
  // stops here; after structural and reference errors the checks run too,
  // and what merely follows from those errors is dropped.
  if (document_read) {
    const size_t parsed = diags->all().size();
    ApplyTimestampOption(options, &model, diags);
    if (options.idn) ConvertIdnNames(options.list_path, &model, diags);
    CheckPinList(options.list_path, &model, diags,
                 ListTimeCheck{options.now.value_or(absl::Now()),
                               options.require_fresh});
    diags->DropFollowUps(parsed);
  }
  AddFieldPositions(options, *text, diags);
  EndPhase(options, "check", &start);
  if (options.werror) diags->PromoteWarningsToErrors();
  diags->SortByLocation();
  return model;
}

CompileOutput CompilePinList(const CompileOptions& options,
                             Diagnostics* diags) {
  CompileOutput out;
  out.model = LoadAndCheckPinList(options, diags);
  if (diags->has_errors()) return out;
  absl::Time start = absl::Now();
  absl::StatusOr<std::string> table = WriteTable(out.model, options.table);
  EndPhase(options, "encode", &start);
  if (!table.ok()) {
    diags->Error(options.list_path, "", table.status().message());
    return out;
  }
  VerifyTable(options, out.model, *table, diags);
  EndPhase(options, "verify", &start);
  if (!diags->has_errors()) out.table = *std::move(table);
  return out;
}

}  // namespace pinbake
