#include "compiler/file_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace pinbake {
namespace {

// Maps an errno value of a failed call on `path` to a Status.
absl::Status ErrnoStatus(const std::string& path, absl::string_view what,
                         int err) {
  std::string message = absl::StrCat(path, ": ", what, ": ", strerror(err));
  switch (err) {
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

// Closes `fd` on scope exit unless released.
class ScopedFd {
 public:
  explicit ScopedFd(int fd) : fd_(fd) {}
  ~ScopedFd() {
    if (fd_ >= 0) close(fd_);
  }
  ScopedFd(const ScopedFd&) = delete;
  ScopedFd& operator=(const ScopedFd&) = delete;
  int get() const { return fd_; }
  // Closes now and returns close()'s result (0 or -1 with errno set).
  int Close() {
    int fd = fd_;
    fd_ = -1;
    return close(fd);
  }

 private:
  int fd_;
};

// The directory part of `path` ("." when there is none).
std::string DirectoryOf(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// The last component of `path`.
std::string BaseNameOf(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

absl::Status WriteAll(int fd, absl::string_view contents,
                      const std::string& path) {
  while (!contents.empty()) {
    ssize_t n = write(fd, contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "write", errno);
    }
    if (n == 0) {
      return absl::InternalError(absl::StrCat(path, ": write wrote nothing"));
    }
    contents.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  int raw_fd;
  do {
    raw_fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  } while (raw_fd < 0 && errno == EINTR);
  if (raw_fd < 0) return ErrnoStatus(path, "open", errno);
  ScopedFd fd(raw_fd);

  struct stat st;
  if (fstat(fd.get(), &st) != 0) return ErrnoStatus(path, "fstat", errno);
  if (S_ISDIR(st.st_mode)) {
    return absl::InternalError(absl::StrCat(path, ": is a directory"));
  }

  std::string contents;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "read", errno);
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
  }
  return contents;
}

absl::Status WriteFileAtomically(const std::string& path,
                                 absl::string_view contents) {
  if (path.empty() || path.back() == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path, "\": not a file path"));
  }
  // Keep the mode of a file being replaced; new files get 0644.
  mode_t mode = 0644;
  struct stat existing;
  if (stat(path.c_str(), &existing) == 0) mode = existing.st_mode & 07777;

  const std::string directory = DirectoryOf(path);
  std::string temp_name =
      absl::StrCat(directory, "/.", BaseNameOf(path), ".tmpXXXXXX");
  std::vector<char> temp_buffer(temp_name.begin(), temp_name.end());
  temp_buffer.push_back('\0');
  int raw_fd = mkostemp(temp_buffer.data(), O_CLOEXEC);
  if (raw_fd < 0) {
    return ErrnoStatus(path, "cannot create a temporary file", errno);
  }
  temp_name.assign(temp_buffer.data());
  ScopedFd fd(raw_fd);

  absl::Status status = WriteAll(fd.get(), contents, temp_name);
  if (status.ok() && fchmod(fd.get(), mode) != 0) {
    status = ErrnoStatus(temp_name, "fchmod", errno);
  }
  if (status.ok() && fsync(fd.get()) != 0) {
    status = ErrnoStatus(temp_name, "fsync", errno);
  }
  if (fd.Close() != 0 && status.ok()) {
    status = ErrnoStatus(temp_name, "close", errno);
  }
  if (status.ok() && rename(temp_name.c_str(), path.c_str()) != 0) {
    status = ErrnoStatus(path, "rename", errno);
  }
  if (!status.ok()) {
    unlink(temp_name.c_str());
    return status;
  }
  // Best effort: make the rename itself durable. The new file is already in
  // place, so a failure here is not reported.
  int dir_fd = open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

}  // namespace pinbake
