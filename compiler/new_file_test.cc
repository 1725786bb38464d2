#include "compiler/new_file.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace pinbake {
namespace {

using ::testing::HasSubstr;

std::string TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string templ = std::string(base ? base : "/tmp") + "/new_file_XXXXXX";
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

TEST(NewFileTest, CreatesWithExactModeDespiteUmask) {
  const std::string dir = TempDir();
  const mode_t old_umask = umask(0077);
  ASSERT_TRUE(WriteNewFileAtomically(dir + "/key", "secret", 0600).ok());
  ASSERT_TRUE(WriteNewFileAtomically(dir + "/key.pub", "public", 0644).ok());
  umask(old_umask);
  struct stat st;
  ASSERT_EQ(stat((dir + "/key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat((dir + "/key.pub").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  EXPECT_EQ(Read(dir + "/key"), "secret");
  EXPECT_EQ(EntriesIn(dir), 2);  // No temporary file left.
}

TEST(NewFileTest, RefusesToOverwrite) {
  const std::string dir = TempDir();
  ASSERT_TRUE(WriteNewFileAtomically(dir + "/key", "first", 0600).ok());
  absl::Status s = WriteNewFileAtomically(dir + "/key", "second", 0600);
  EXPECT_EQ(s.code(), absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(std::string(s.message()), HasSubstr("refusing to overwrite"));
  EXPECT_EQ(Read(dir + "/key"), "first");
  // A dangling symlink counts as existing.
  ASSERT_EQ(symlink((dir + "/nowhere").c_str(), (dir + "/link").c_str()), 0);
  EXPECT_EQ(WriteNewFileAtomically(dir + "/link", "x", 0600).code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_NE(access((dir + "/nowhere").c_str(), F_OK), 0);
  EXPECT_EQ(EntriesIn(dir), 2);
}

TEST(NewFileTest, MissingDirectoryIsNotFound) {
  const std::string dir = TempDir();
  absl::Status s = WriteNewFileAtomically(dir + "/no/such/key", "x", 0600);
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(s.message()), HasSubstr(dir + "/no/such/key"));
  EXPECT_EQ(WriteNewFileAtomically("", "x", 0600).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace pinbake
