#include "compiler/new_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace pinbake {
namespace {

absl::Status ErrnoStatus(const std::string& path, absl::string_view step,
                         int err) {
  std::string message = absl::StrCat(path, ": ", step, ": ", strerror(err));
  switch (err) {
    case EEXIST:
      return absl::AlreadyExistsError(
          absl::StrCat(path, ": already exists; refusing to overwrite"));
    case ENOENT:
    case ENOTDIR:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

std::string DirectoryOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string BaseNameOf(const std::string& path) {
  const size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

absl::Status WriteAllAndSync(int fd, absl::string_view contents,
                             const std::string& path) {
  while (!contents.empty()) {
    const ssize_t n = write(fd, contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "write", errno);
    }
    if (n == 0) return absl::InternalError(absl::StrCat(path, ": write wrote nothing"));
    contents.remove_prefix(static_cast<size_t>(n));
  }
  if (fsync(fd) != 0) return ErrnoStatus(path, "fsync", errno);
  return absl::OkStatus();
}

}  // namespace

absl::Status WriteNewFileAtomically(const std::string& path,
                                    absl::string_view contents, mode_t mode) {
  if (path.empty() || path.back() == '/') {
    return absl::InvalidArgumentError(absl::StrCat("\"", path, "\": not a file path"));
  }
  struct stat st;
  if (lstat(path.c_str(), &st) == 0) return ErrnoStatus(path, "lstat", EEXIST);

  const std::string dir = DirectoryOf(path);
  std::string temp = absl::StrCat(dir, "/.", BaseNameOf(path), ".tmpXXXXXX");
  std::vector<char> buf(temp.begin(), temp.end());
  buf.push_back('\0');
  // mkstemp creates the file with mode 0600, never wider.
  const int fd = mkstemp(buf.data());
  if (fd < 0) return ErrnoStatus(path, "create temporary file", errno);
  temp.assign(buf.data());

  absl::Status status = fchmod(fd, mode) == 0
                            ? WriteAllAndSync(fd, contents, path)
                            : ErrnoStatus(path, "fchmod", errno);
  if (close(fd) != 0 && status.ok()) status = ErrnoStatus(path, "close", errno);
  if (status.ok() && link(temp.c_str(), path.c_str()) != 0) {
    status = ErrnoStatus(path, "link", errno);
  }
  // The temporary name goes in every case; on success `path` keeps the file.
  unlink(temp.c_str());
  if (!status.ok()) return status;
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY);
  if (dir_fd >= 0) {
    const int rc = fsync(dir_fd);
    const int err = errno;
    close(dir_fd);
    if (rc != 0) return ErrnoStatus(dir, "fsync directory", err);
  }
  return absl::OkStatus();
}

}  // namespace pinbake
