// File reading and atomic writing: the one place the compiler touches files.

#ifndef PINBAKE_COMPILER_FILE_UTIL_H_
#define PINBAKE_COMPILER_FILE_UTIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// Reads the whole file at `path`. NotFound / PermissionDenied / Internal
// with a message "PATH: reason" on failure.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// Writes `contents` to a temporary file in the directory of `path`, flushes
// it (fsync), then renames it over `path`. The file keeps the permission
// bits of the file it replaces; a new file gets 0644. On any failure the
// temporary file is removed and `path` is left as it was; the message names
// the path and the failed step.
absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_FILE_UTIL_H_
