// File reading and atomic writing: the one place pinbake's tools (compiler,
// cli, tools/) touch files. Every descriptor is opened O_CLOEXEC.

#ifndef PINBAKE_COMPILER_FILE_UTIL_H_
#define PINBAKE_COMPILER_FILE_UTIL_H_

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace pinbake {

// Reads the whole file at `path`. NotFound / PermissionDenied / Internal
// with a message "PATH: reason" on failure.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// Largest pem_file a list may name (a PEM certificate or key is a few KB).
inline constexpr size_t kMaxPemFileBytes = size_t{1} << 20;  // 1 MiB
// The most bytes all the pem_files of one list may add up to (16 MiB).
inline constexpr size_t kMaxPemBytesPerList = size_t{16} << 20;

// Reads the file at `path` if it is a regular file (after following
// symlinks, as open does) of at most `max_bytes`. Never blocks on a FIFO or
// device (opened O_NONBLOCK, then checked with fstat) and never reads more
// than max_bytes + 1 bytes, so /dev/zero, a FIFO, a directory or a huge
// file fail at once. A path with a NUL byte is refused (InvalidArgument)
// before the file system is touched. Errors "PATH: reason": NotFound / PermissionDenied for
// open failures, FailedPrecondition "not a regular file (a FIFO)" and
// "N bytes, more than the limit of M", Internal for read errors.
absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            size_t max_bytes);

// Reads `relative_path` inside the directory `root` without leaving it,
// then as ReadRegularFile. Refused before the file system is touched:
// a path with a NUL byte, an empty or absolute path, and a ".." that climbs above `root` (".." is
// resolved in the text of the path, against the components before it).
// Below `root`, every component is opened with openat(O_NOFOLLOW), so a
// symlink anywhere in the path is refused (FailedPrecondition "a symlink"),
// also one created while the file is read; `root` itself may be a symlink.
// Error messages start with "PATH: " where PATH is root + "/" +
// relative_path.
absl::StatusOr<std::string> ReadRegularFileUnder(
    const std::string& root, const std::string& relative_path,
    size_t max_bytes);

// How WriteFileAtomically publishes the file.
struct WriteFileOptions {
  // false: replace `path` (rename(2)); the file keeps the permission bits
  // of the file it replaces, a new file gets `mode`.
  // true: `path` must not exist yet (for secret keys, `pinbake keygen`): the
  // file is published with link(2), which fails rather than replace
  // anything, and gets `mode` exactly (umask does not change it).
  // AlreadyExists "PATH: already exists; refusing to overwrite" if `path`
  // exists (a symlink, even a dangling one, counts).
  bool must_not_exist = false;
  mode_t mode = 0644;
};

// Writes `contents` to a temporary file (created 0600) in the directory of
// `path`, sets its mode, flushes it (fsync), publishes it as `options`
// says, then fsyncs the directory. On a failure before publishing the
// temporary file is removed and `path` is left as it was; no temporary
// file is left in any case. A failed directory fsync is reported (the file
// is then in place but perhaps not durable). Messages name the path and
// the failed step.
absl::Status WriteFileAtomically(
    const std::string& path, absl::string_view contents,
    const WriteFileOptions& options = WriteFileOptions());

}  // namespace pinbake

#endif  // PINBAKE_COMPILER_FILE_UTIL_H_
