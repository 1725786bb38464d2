#include "cli/progress_line.h"

#include <sstream>

#include "gtest/gtest.h"

namespace pinbake {
namespace cli {
namespace {

TEST(ProgressLineTest, ReplacesAndClearsTheLineWhenEnabled) {
  std::ostringstream out;
  {
    ProgressLine progress(out, true);
    progress.Show("reading");
    progress.Show("writing");
  }  // Cleared on destruction.
  EXPECT_EQ(out.str(), "\r\x1b[Kreading\r\x1b[Kwriting\r\x1b[K");
}

TEST(ProgressLineTest, SilentWhenDisabled) {
  std::ostringstream out;
  ProgressLine progress(out, false);
  progress.Show("reading");
  progress.Clear();
  EXPECT_EQ(out.str(), "");
}

}  // namespace
}  // namespace cli
}  // namespace pinbake
