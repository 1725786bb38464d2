// Locates the team's shared data directory (/work/shared/data next to the
// repository: real Chromium .pins/.json files and their expected hashes)
// from inside a Bazel test, whose files live in a runfiles tree.

#ifndef PINBAKE_TESTING_SHARED_DATA_H_
#define PINBAKE_TESTING_SHARED_DATA_H_

#include <string>

#include "absl/strings/string_view.h"

namespace pinbake {

// Returns the absolute path of the shared data directory, without a trailing
// slash. Uses $PINBAKE_SHARED_DATA if set; otherwise resolves the runfile
// symlink of testing/shared_data.h (a data dependency of this library)
// to the source tree, walks up to the directory holding WORKSPACE (the repo
// root) and takes <root>/../shared/data. If the directory cannot be found,
// prints why to stderr and aborts: a test must never pass silently because
// its data is missing.
std::string SharedDataDir();

// SharedDataDir() + "/" + `relative_path`. Aborts like SharedDataDir() if
// that file does not exist.
std::string SharedDataPath(absl::string_view relative_path);

}  // namespace pinbake

#endif  // PINBAKE_TESTING_SHARED_DATA_H_
