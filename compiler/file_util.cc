#include "compiler/file_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace pinbake {
namespace {

// Maps an errno value of a failed call on `path` to a Status.
absl::Status ErrnoStatus(const std::string& path, absl::string_view what,
                         int err) {
  std::string message = absl::StrCat(path, ": ", what, ": ", strerror(err));
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
  // Closes the current descriptor (if any) and owns `fd` instead.
  void Reset(int fd) {
    if (fd_ >= 0) close(fd_);
    fd_ = fd;
  }
  // Gives up ownership.
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
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

// The kind of a non-regular file, for messages.
const char* FileKind(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symlink";
  return "not a regular file";
}

// Reads the open `fd` (named `path` in messages) if it is a regular file
// of at most `max_bytes`.
absl::StatusOr<std::string> ReadOpenRegularFile(int fd,
                                                const std::string& path,
                                                size_t max_bytes) {
  struct stat st;
  if (fstat(fd, &st) != 0) return ErrnoStatus(path, "fstat", errno);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": not a regular file (", FileKind(st.st_mode), ")"));
  }
  auto too_big = [&](uint64_t size) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": ", size, " bytes, more than the limit of ",
                     max_bytes));
  };
  if (static_cast<uint64_t>(st.st_size) > max_bytes) return too_big(st.st_size);
  std::string contents;
  char buffer[1 << 16];
  // Up to one byte more than allowed, to notice a file that grew.
  while (contents.size() <= max_bytes) {
    const size_t want =
        std::min(sizeof(buffer), max_bytes + 1 - contents.size());
    ssize_t n = read(fd, buffer, want);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(path, "read", errno);
    }
    if (n == 0) return contents;
    contents.append(buffer, static_cast<size_t>(n));
  }
  return too_big(contents.size());
}

int OpenRetrying(int dir_fd, const char* name, int flags) {
  int fd;
  do {
    fd = openat(dir_fd, name, flags);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

}  // namespace

absl::StatusOr<std::string> ReadRegularFile(const std::string& path,
                                            size_t max_bytes) {
  if (path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(absl::CHexEscape(path), ": contains a NUL byte"));
  }
  const int raw_fd = OpenRetrying(
      AT_FDCWD, path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (raw_fd < 0) return ErrnoStatus(path, "open", errno);
  ScopedFd fd(raw_fd);
  return ReadOpenRegularFile(fd.get(), path, max_bytes);
}

absl::StatusOr<std::string> ReadRegularFileUnder(
    const std::string& root, const std::string& relative_path,
    size_t max_bytes) {
  const std::string path = absl::StrCat(root, "/", relative_path);
  if (path.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(absl::CHexEscape(path), ": contains a NUL byte"));
  }
  if (relative_path.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": empty path"));
  }
  if (relative_path[0] == '/') {
    return absl::InvalidArgumentError(absl::StrCat(
        relative_path, ": an absolute path; give a path relative to ", root));
  }
  // Resolve "." and ".." in the text, refusing to climb above root.
  std::vector<std::string> components;
  for (absl::string_view part : absl::StrSplit(relative_path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (components.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            relative_path, ": \"..\" leaves the directory ", root));
      }
      components.pop_back();
      continue;
    }
    components.emplace_back(part);
  }
  if (components.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": names the directory itself, not a file"));
  }
  int raw_fd = OpenRetrying(AT_FDCWD, root.c_str(),
                            O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (raw_fd < 0) return ErrnoStatus(root, "open", errno);
  ScopedFd dir(raw_fd);
  for (size_t i = 0; i < components.size(); ++i) {
    const bool last = i + 1 == components.size();
    const int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC |
                      (last ? O_NONBLOCK | O_NOCTTY : O_DIRECTORY);
    raw_fd = OpenRetrying(dir.get(), components[i].c_str(), flags);
    if (raw_fd < 0) {
      const int err = errno;
      // O_NOFOLLOW gives ELOOP on a final symlink; O_DIRECTORY gives
      // ENOTDIR on an intermediate one (or on a file).
      struct stat st;
      if ((err == ELOOP || err == ENOTDIR) &&
          fstatat(dir.get(), components[i].c_str(), &st,
                  AT_SYMLINK_NOFOLLOW) == 0 &&
          S_ISLNK(st.st_mode)) {
        return absl::FailedPreconditionError(absl::StrCat(
            path, ": \"", components[i],
            "\" is a symlink (not followed below ", root, ")"));
      }
      return ErrnoStatus(path, "open", err);
    }
    ScopedFd next(raw_fd);
    if (last) return ReadOpenRegularFile(next.get(), path, max_bytes);
    dir.Reset(next.Release());
  }
  return absl::InternalError(absl::StrCat(path, ": unreachable"));
}

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
                                 absl::string_view contents,
                                 const WriteFileOptions& options) {
  if (path.empty() || path.back() == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("\"", path, "\": not a file path"));
  }
  mode_t mode = options.mode;
  struct stat existing;
  if (options.must_not_exist) {
    if (lstat(path.c_str(), &existing) == 0) {
      return ErrnoStatus(path, "lstat", EEXIST);
    }
  } else if (stat(path.c_str(), &existing) == 0) {
    mode = existing.st_mode & 07777;  // Keep the mode of a replaced file.
  }

  const std::string directory = DirectoryOf(path);
  std::string temp_name =
      absl::StrCat(directory, "/.", BaseNameOf(path), ".tmpXXXXXX");
  std::vector<char> temp_buffer(temp_name.begin(), temp_name.end());
  temp_buffer.push_back('\0');
  // mkostemp creates the file with mode 0600, never wider.
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
  if (options.must_not_exist) {
    if (status.ok() && link(temp_name.c_str(), path.c_str()) != 0) {
      status = ErrnoStatus(path, "link", errno);
    }
    unlink(temp_name.c_str());  // On success `path` keeps the file.
  } else {
    if (status.ok() && rename(temp_name.c_str(), path.c_str()) != 0) {
      status = ErrnoStatus(path, "rename", errno);
    }
    if (!status.ok()) unlink(temp_name.c_str());
  }
  if (!status.ok()) return status;
  // Make the rename / link itself durable.
  const int dir_fd =
      open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    const int rc = fsync(dir_fd);
    const int err = errno;
    close(dir_fd);
    if (rc != 0) return ErrnoStatus(directory, "fsync directory", err);
  }
  return absl::OkStatus();
}

}  // namespace pinbake
