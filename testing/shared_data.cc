#include "testing/shared_data.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace pinbake {
namespace {

// The runfile this library ships as data, relative to the workspace root.
constexpr char kAnchor[] = "testing/shared_data.h";

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "SharedDataDir: %s\n", message.c_str());
  std::fflush(stderr);
  std::abort();
}

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool IsFile(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::string RealPath(const std::string& path) {
  char buffer[PATH_MAX];
  if (realpath(path.c_str(), buffer) == nullptr) return "";
  return buffer;
}

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? "" : value;
}

// The runfiles path of kAnchor, or "" if none is found.
std::string FindAnchorRunfile() {
  std::string workspace = Env("TEST_WORKSPACE");
  if (workspace.empty()) workspace = "pinbake";
  std::string srcdir = Env("TEST_SRCDIR");
  if (!srcdir.empty()) {
    std::string path = absl::StrCat(srcdir, "/", workspace, "/", kAnchor);
    if (IsFile(path)) return path;
  }
  // Run outside `bazel test`: <binary>.runfiles/<workspace>/...
  std::string exe = RealPath("/proc/self/exe");
  if (!exe.empty()) {
    std::string path =
        absl::StrCat(exe, ".runfiles/", workspace, "/", kAnchor);
    if (IsFile(path)) return path;
  }
  return "";
}

// Walks up from `path` to the first directory holding a WORKSPACE file.
std::string FindRepoRoot(std::string path) {
  while (true) {
    size_t slash = path.rfind('/');
    if (slash == std::string::npos || slash == 0) return "";
    path.resize(slash);
    if (IsFile(path + "/WORKSPACE")) return path;
  }
}

std::string FindSharedDataDir() {
  std::string from_env = Env("PINBAKE_SHARED_DATA");
  if (!from_env.empty()) {
    if (!IsDirectory(from_env)) {
      Die(absl::StrCat("$PINBAKE_SHARED_DATA=\"", from_env,
                       "\" is not a directory"));
    }
    return from_env;
  }
  std::string anchor = FindAnchorRunfile();
  if (anchor.empty()) {
    Die(absl::StrCat("cannot find the runfile ", kAnchor,
                     " (TEST_SRCDIR=\"", Env("TEST_SRCDIR"),
                     "\"); set $PINBAKE_SHARED_DATA"));
  }
  std::string source = RealPath(anchor);
  std::string root = source.empty() ? "" : FindRepoRoot(source);
  if (root.empty()) {
    Die(absl::StrCat("cannot find the repository root above \"", source,
                     "\" (resolved from \"", anchor,
                     "\"); set $PINBAKE_SHARED_DATA"));
  }
  std::string dir = RealPath(root + "/../shared/data");
  if (dir.empty() || !IsDirectory(dir)) {
    Die(absl::StrCat("no shared data directory at \"", root,
                     "/../shared/data\"; set $PINBAKE_SHARED_DATA"));
  }
  return dir;
}

}  // namespace

std::string SharedDataDir() {
  static const std::string* const dir = new std::string(FindSharedDataDir());
  return *dir;
}

std::string SharedDataPath(absl::string_view relative_path) {
  std::string path = absl::StrCat(SharedDataDir(), "/", relative_path);
  if (!IsFile(path)) {
    Die(absl::StrCat("shared data file \"", path, "\" does not exist"));
  }
  return path;
}

}  // namespace pinbake
