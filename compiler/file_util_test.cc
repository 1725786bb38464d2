#include "compiler/file_util.h"

#include <dirent.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include "absl/strings/str_cat.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

class FileUtilTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tmp = getenv("TEST_TMPDIR");
    std::string base = tmp != nullptr ? tmp : "/tmp";
    std::string pattern = base + "/file_util_test.XXXXXX";
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    ASSERT_NE(mkdtemp(buffer.data()), nullptr);
    dir_ = buffer.data();
  }

  void TearDown() override {
    chmod(dir_.c_str(), 0700);
    for (const std::string& name : ListDir()) {
      unlink((dir_ + "/" + name).c_str());
    }
    rmdir(dir_.c_str());
  }

  std::vector<std::string> ListDir() const {
    std::vector<std::string> names;
    DIR* dir = opendir(dir_.c_str());
    if (dir == nullptr) return names;
    while (struct dirent* entry = readdir(dir)) {
      std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    closedir(dir);
    return names;
  }

  std::string dir_;
};

TEST_F(FileUtilTest, WriteThenRead) {
  std::string path = dir_ + "/out.bin";
  std::string contents("binary\0data\n\xff", 13);
  ASSERT_TRUE(WriteFileAtomically(path, contents).ok());
  absl::StatusOr<std::string> read = ReadFileToString(path);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(*read, contents);
  EXPECT_THAT(ListDir(), UnorderedElementsAre("out.bin"));
}

TEST_F(FileUtilTest, EmptyAndLargeFiles) {
  std::string path = dir_ + "/f";
  ASSERT_TRUE(WriteFileAtomically(path, "").ok());
  EXPECT_EQ(ReadFileToString(path).value(), "");
  std::string large(3 * 1000 * 1000 + 7, 'x');
  for (size_t i = 0; i < large.size(); i += 4099) large[i] = static_cast<char>(i);
  ASSERT_TRUE(WriteFileAtomically(path, large).ok());
  EXPECT_EQ(ReadFileToString(path).value(), large);
}

TEST_F(FileUtilTest, ReplacesExistingFileAndKeepsItsMode) {
  std::string path = dir_ + "/table";
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  ASSERT_EQ(chmod(path.c_str(), 0640), 0);
  ASSERT_TRUE(WriteFileAtomically(path, "new contents").ok());
  EXPECT_EQ(ReadFileToString(path).value(), "new contents");
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
  EXPECT_THAT(ListDir(), UnorderedElementsAre("table"));
}

TEST_F(FileUtilTest, NewFileIsNotPrivateTempMode) {
  std::string path = dir_ + "/fresh";
  ASSERT_TRUE(WriteFileAtomically(path, "x").ok());
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST_F(FileUtilTest, ReadMissingFileIsNotFound) {
  absl::StatusOr<std::string> read = ReadFileToString(dir_ + "/missing");
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(read.status().message(), HasSubstr(dir_ + "/missing: "));
}

TEST_F(FileUtilTest, ReadDirectoryFails) {
  absl::StatusOr<std::string> read = ReadFileToString(dir_);
  ASSERT_FALSE(read.ok());
  EXPECT_THAT(read.status().message(), HasSubstr(dir_));
}

TEST_F(FileUtilTest, ReadUnreadableFileIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root can read any file";
  std::string path = dir_ + "/secret";
  ASSERT_TRUE(WriteFileAtomically(path, "x").ok());
  ASSERT_EQ(chmod(path.c_str(), 0), 0);
  absl::StatusOr<std::string> read = ReadFileToString(path);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(FileUtilTest, WriteIntoMissingDirectoryFailsAndLeavesNothing) {
  absl::Status status =
      WriteFileAtomically(dir_ + "/no/such/dir/file", "contents");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(status.message(), HasSubstr(dir_ + "/no/such/dir/file"));
  EXPECT_TRUE(ListDir().empty());
}

TEST_F(FileUtilTest, FailedRenameRemovesTempAndKeepsTarget) {
  // Renaming a file over a non-empty directory fails (EISDIR/ENOTEMPTY), so
  // the write fails after the temporary file was written.
  std::string target = dir_ + "/target";
  ASSERT_EQ(mkdir(target.c_str(), 0700), 0);
  std::string inside = target + "/keep";
  ASSERT_TRUE(WriteFileAtomically(inside, "kept").ok());

  absl::Status status = WriteFileAtomically(target, "new");
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), HasSubstr("rename"));
  EXPECT_THAT(ListDir(), UnorderedElementsAre("target"));
  EXPECT_EQ(ReadFileToString(inside).value(), "kept");
  unlink(inside.c_str());
  rmdir(target.c_str());
}

TEST_F(FileUtilTest, WriteIntoReadOnlyDirectoryFails) {
  if (geteuid() == 0) GTEST_SKIP() << "root can write any directory";
  std::string path = dir_ + "/file";
  ASSERT_TRUE(WriteFileAtomically(path, "old").ok());
  ASSERT_EQ(chmod(dir_.c_str(), 0500), 0);
  absl::Status status = WriteFileAtomically(path, "new");
  ASSERT_EQ(chmod(dir_.c_str(), 0700), 0);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(ReadFileToString(path).value(), "old");
  EXPECT_THAT(ListDir(), UnorderedElementsAre("file"));
}

TEST_F(FileUtilTest, RelativePathUsesCurrentDirectory) {
  char cwd[4096];
  ASSERT_NE(getcwd(cwd, sizeof(cwd)), nullptr);
  ASSERT_EQ(chdir(dir_.c_str()), 0);
  absl::Status status = WriteFileAtomically("relative.txt", "rel");
  absl::StatusOr<std::string> read = ReadFileToString("relative.txt");
  ASSERT_EQ(chdir(cwd), 0);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(read.value(), "rel");
  EXPECT_THAT(ListDir(), UnorderedElementsAre("relative.txt"));
}

TEST_F(FileUtilTest, RejectsDirectoryLikePath) {
  EXPECT_FALSE(WriteFileAtomically("", "x").ok());
  EXPECT_FALSE(WriteFileAtomically(dir_ + "/", "x").ok());
  EXPECT_TRUE(ListDir().empty());
}

// ---- ReadRegularFile / ReadRegularFileUnder (issue 10 item 14) ----------

TEST_F(FileUtilTest, RegularFileUpToTheLimitIsRead) {
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/f", std::string(100, 'x')).ok());
  absl::StatusOr<std::string> read = ReadRegularFile(dir_ + "/f", 100);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ(read->size(), 100u);
  read = ReadRegularFile(dir_ + "/f", 99);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(read.status().message(),
              HasSubstr("/f: 100 bytes, more than the limit of 99"));
}

TEST_F(FileUtilTest, DevicesFifosAndDirectoriesAreRefused) {
  const std::string fifo = dir_ + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  const std::pair<std::string, std::string> cases[] = {
      {"/dev/zero", "/dev/zero: not a regular file (a character device)"},
      {fifo, "/fifo: not a regular file (a FIFO)"},
      {dir_, ": not a regular file (a directory)"},
  };
  for (const auto& [path, message] : cases) {
    absl::StatusOr<std::string> read = ReadRegularFile(path, 1 << 20);
    ASSERT_FALSE(read.ok()) << path;
    EXPECT_EQ(read.status().code(), absl::StatusCode::kFailedPrecondition);
    EXPECT_THAT(read.status().message(), HasSubstr(message));
  }
  // Under a root too.
  absl::StatusOr<std::string> read = ReadRegularFileUnder(dir_, "fifo", 100);
  EXPECT_THAT(read.status().message(), HasSubstr("(a FIFO)"));
}

TEST_F(FileUtilTest, UnderRootStaysInside) {
  const std::string root = dir_ + "/root";
  ASSERT_EQ(mkdir(root.c_str(), 0755), 0);
  ASSERT_EQ(mkdir((root + "/d").c_str(), 0755), 0);
  ASSERT_TRUE(WriteFileAtomically(root + "/d/in", "in").ok());
  ASSERT_TRUE(WriteFileAtomically(dir_ + "/out", "out").ok());
  ASSERT_EQ(symlink((dir_ + "/out").c_str(), (root + "/d/link").c_str()), 0);
  ASSERT_EQ(symlink("in", (root + "/d/inner_link").c_str()), 0);
  // The root itself may be reached through a symlink.
  ASSERT_EQ(symlink(root.c_str(), (dir_ + "/root_link").c_str()), 0);

  EXPECT_EQ(ReadRegularFileUnder(root, "d/in", 100).value_or(""), "in");
  EXPECT_EQ(ReadRegularFileUnder(root, "./d/../d//in", 100).value_or(""), "in");
  EXPECT_EQ(ReadRegularFileUnder(dir_ + "/root_link", "d/in", 100).value_or(""),
            "in");

  const std::pair<std::string, std::string> refused[] = {
      {"", "empty path"},
      {".", "names the directory itself"},
      {"d/..", "names the directory itself"},
      {"../out", "\"..\" leaves the directory"},
      {"d/../../out", "\"..\" leaves the directory"},
      {dir_ + "/out", "an absolute path"},
      {"d/link", "\"link\" is a symlink"},
      // Even a symlink that stays inside: not followed below the root.
      {"d/inner_link", "\"inner_link\" is a symlink"},
      {"d/in/x", "Not a directory"},
      {"d/missing", "No such file"},
  };
  for (const auto& [path, message] : refused) {
    absl::StatusOr<std::string> read = ReadRegularFileUnder(root, path, 100);
    ASSERT_FALSE(read.ok()) << path;
    EXPECT_THAT(read.status().message(), HasSubstr(message)) << path;
  }
  // Cleanup of what TearDown does not remove.
  for (const char* name : {"/d/in", "/d/link", "/d/inner_link"}) {
    unlink((root + name).c_str());
  }
  rmdir((root + "/d").c_str());
  rmdir(root.c_str());
}

// ---- must_not_exist (was compiler/new_file) ----------------------------

namespace write_new {

using ::testing::HasSubstr;

// WriteFileAtomically for a file that must not exist yet (keygen's use).
absl::Status WriteNew(const std::string& path, absl::string_view contents,
                      mode_t mode) {
  WriteFileOptions options;
  options.must_not_exist = true;
  options.mode = mode;
  return WriteFileAtomically(path, contents, options);
}

std::string TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string templ = std::string(base ? base : "/tmp") + "/write_new_XXXXXX";
  char* dir = mkdtemp(&templ[0]);
  EXPECT_NE(dir, nullptr);
  return templ;
}

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

int EntriesIn(const std::string& dir) {
  int n = 0;
  DIR* d = opendir(dir.c_str());
  while (dirent* e = readdir(d)) {
    if (std::string(e->d_name) != "." && std::string(e->d_name) != "..") ++n;
  }
  closedir(d);
  return n;
}

TEST(WriteNewFileTest, CreatesWithExactModeDespiteUmask) {
  const std::string dir = TempDir();
  const mode_t old_umask = umask(0077);
  ASSERT_TRUE(WriteNew(dir + "/key", "secret", 0600).ok());
  ASSERT_TRUE(WriteNew(dir + "/key.pub", "public", 0644).ok());
  umask(old_umask);
  struct stat st;
  ASSERT_EQ(stat((dir + "/key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((dir + "/key.pub").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_EQ(Read(dir + "/key"), "secret");
  EXPECT_EQ(EntriesIn(dir), 2);  // No temporary file left.
}

TEST(WriteNewFileTest, RefusesToOverwrite) {
  const std::string dir = TempDir();
  ASSERT_TRUE(WriteNew(dir + "/key", "first", 0600).ok());
  absl::Status s = WriteNew(dir + "/key", "second", 0600);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(s.message()), HasSubstr("refusing to overwrite"));
  EXPECT_EQ(Read(dir + "/key"), "first");
  // A dangling symlink counts as existing.
  ASSERT_EQ(symlink((dir + "/nowhere").c_str(), (dir + "/link").c_str()), 0);
  EXPECT_EQ(WriteNew(dir + "/link", "x", 0600).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_NE(access((dir + "/nowhere").c_str(), F_OK), 0);
  EXPECT_EQ(EntriesIn(dir), 2);
}

TEST(WriteNewFileTest, MissingDirectoryIsNotFound) {
  const std::string dir = TempDir();
  absl::Status s = WriteNew(dir + "/no/such/key", "x", 0600);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr(dir + "/no/such/key"));
  EXPECT_EQ(WriteNew("", "x", 0600).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace write_new

}  // namespace
}  // namespace pinbake
