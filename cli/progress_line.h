// A one-line progress display on a terminal: each Show replaces the line
// ("\r" + erase to end of line), Clear removes it. Disabled (prints
// nothing at all) when the stream is not a terminal, so logs, pipes and
// Bazel actions stay silent.
//
//   ProgressLine progress(std::cerr, ProgressLine::StderrIsTerminal());
//   progress.Show("pinbake: compile: parsing and checking pins.json ...");
//   ...
//   progress.Clear();  // Before printing results or errors.

#ifndef PINBAKE_CLI_PROGRESS_LINE_H_
#define PINBAKE_CLI_PROGRESS_LINE_H_

#include <ostream>

#include "absl/strings/string_view.h"

namespace pinbake {
namespace cli {

class ProgressLine {
 public:
  // Whether standard error is a terminal (isatty) and TERM is not "dumb".
  static bool StderrIsTerminal();

  ProgressLine(std::ostream& out, bool enabled) : out_(out), enabled_(enabled) {}
  ~ProgressLine() { Clear(); }
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;

  // Replaces the line with `text` (no newline); nothing when disabled.
  void Show(absl::string_view text);
  // Erases the line if one is shown.
  void Clear();

 private:
  std::ostream& out_;
  const bool enabled_;
  bool shown_ = false;
};

}  // namespace cli
}  // namespace pinbake

#endif  // PINBAKE_CLI_PROGRESS_LINE_H_
