#include "cli/progress_line.h"

#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace pinbake {
namespace cli {

bool ProgressLine::StderrIsTerminal() {
  const char* term = std::getenv("TERM");
  return isatty(STDERR_FILENO) == 1 &&
         !(term != nullptr && std::strcmp(term, "dumb") == 0);
}

void ProgressLine::Show(absl::string_view text) {
  if (!enabled_) return;
  out_ << "\r\x1b[K" << text;
  out_.flush();
  shown_ = true;
}

void ProgressLine::Clear() {
  if (!enabled_ || !shown_) return;
  out_ << "\r\x1b[K";
  out_.flush();
  shown_ = false;
}

}  // namespace cli
}  // namespace pinbake
