// Atomic creation of a file that must not exist yet, with exact permission
// bits: for secret keys (`pinbake keygen`), where WriteFileAtomically's
// replace-and-keep-mode behaviour is wrong twice over (it would overwrite an
// existing key and give a new file mode 0644).

#ifndef PINBAKE_COMPILER_NEW_FILE_H_
#define PINBAKE_COMPILER_NEW_FILE_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// Writes `contents` to a temporary file in the directory of `path`, created
// with mode `mode` exactly (umask does not widen or narrow it), flushes it
// (fsync), then publishes it with link(2), which fails rather than replace
// an existing `path`; finally removes the temporary name and fsyncs the
// directory. Either `path` appears complete with `mode`, or nothing changes:
// AlreadyExists ("PATH: already exists; refusing to overwrite") if `path`
// exists (a symlink, even a dangling one, counts), otherwise the failed
// step's errno as a status naming the path. No temporary file is left.
absl::Status WriteNewFileAtomically(const std::string& path,
                                    absl::string_view contents, mode_t mode);

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_NEW_FILE_H_
