// The real OkHttp test of `pinbake export --format okhttp-java` and
// `okhttp-kotlin`: Debian's libokhttp-java 3.13 (with okio), javac and
// kotlinc compile the exported CertificatePinner class / object, and
// tests/export/PinClient.java, which connects to a
// TLS server on 127.0.0.1 (testing/test_tls_server.h) serving a chain of
// the test PKI, trusting the test root. A pinned host whose chain matches
// connects, a pinned host whose chain does not is refused with OkHttp's
// own "Certificate pinning failure!", an unpinned host connects, and after
// the list's expiry the generated pinner pins nothing.
//
// Needs javac/java (default-jdk-headless), kotlinc (kotlin) and
// /usr/share/java/okhttp.jar + okio.jar (libokhttp-java, libokio-java):
// fails, not skips, without them.

#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "compiler/file_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "testing/test_pki.h"
#include "testing/test_tls_server.h"

namespace pinbake {
namespace {

using ::testing::HasSubstr;

constexpr char kClassPath[] =
    "/usr/share/java/okhttp.jar:/usr/share/java/okio.jar";

std::string Runfile(const std::string& path) {
  const char* srcdir = std::getenv("TEST_SRCDIR");
  const char* workspace = std::getenv("TEST_WORKSPACE");
  return absl::StrCat(srcdir ? srcdir : ".", "/",
                      workspace ? workspace : "pinbake", "/", path);
}

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir ? dir : "/tmp";
}

// Runs `command` (bounded by `timeout`), returns its stdout+stderr and
// sets *status to its exit status.
std::string RunCommand(const std::string& command, int* status) {
  const std::string bounded = absl::StrCat("timeout 300 ", command, " 2>&1");
  FILE* pipe = popen(bounded.c_str(), "r");
  if (pipe == nullptr) {
    *status = -1;
    return "popen failed";
  }
  std::string out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int raw = pclose(pipe);
  *status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return out;
}

void Write(const std::string& path, const std::string& contents) {
  ASSERT_TRUE(WriteFileAtomically(path, contents).ok()) << path;
}

// Exports `format` ("okhttp-java" / "okhttp-kotlin") for OkHttp 3,
// compiles it (`compile`: the command, given the source and class
// directories) with PinClient, and checks the three hosts and the expiry
// against a real TLS server.
void ExpectRealOkHttpEnforces(const std::string& format,
                              const std::string& source_name,
                              const std::string& extra_class_path,
                              const std::string& compile_command) {
  for (const char* tool : {"/usr/bin/javac", "/usr/bin/java"}) {
    ASSERT_EQ(access(tool, X_OK), 0)
        << tool << " is missing: install default-jdk-headless "
        << "(tools/install_deps.sh)";
  }
  for (const char* jar :
       {"/usr/share/java/okhttp.jar", "/usr/share/java/okio.jar"}) {
    ASSERT_EQ(access(jar, R_OK), 0)
        << jar << " is missing: install libokhttp-java and libokio-java "
        << "(tools/install_deps.sh)";
  }
  const TestCert root = MakeRootCa();
  const TestCert intermediate = MakeIntermediateCa(root);
  TestCertOptions leaf_options;
  leaf_options.common_name = "good.pinbake.test";
  leaf_options.dns_names = {"good.pinbake.test", "bad.pinbake.test",
                            "free.pinbake.test"};
  const TestCert leaf = MakeCert(leaf_options, &intermediate);
  const TestCert unrelated = MakeRootCa("unrelated");
  const TestCert backup = MakeRootCa("backup");

  const std::string dir = absl::StrCat(TempDir(), "/", format);
  mkdir(dir.c_str(), 0700);
  const std::string list = absl::StrReplaceAll(
      R"({
  "list": {"id": "okhttp-test", "timestamp": TIMESTAMP, "max_age_days": 70},
  "pinsets": [
    {"name": "good", "static_spki_hashes": ["INTERMEDIATE", "BACKUP"]},
    {"name": "other", "static_spki_hashes": ["UNRELATED", "BACKUP"]}
  ],
  "entries": [
    {"name": "good.pinbake.test", "pins": "good"},
    {"name": "bad.pinbake.test", "pins": "other"}
  ]
})",
      {{"TIMESTAMP", absl::StrCat(absl::ToUnixSeconds(absl::Now()))},
       {"INTERMEDIATE", SpkiHashToString(intermediate.spki_hash)},
       {"UNRELATED", SpkiHashToString(unrelated.spki_hash)},
       {"BACKUP", SpkiHashToString(backup.spki_hash)}});
  Write(dir + "/list.json", list);
  Write(dir + "/root.pem", root.pem);
  mkdir((dir + "/src").c_str(), 0700);
  mkdir((dir + "/classes").c_str(), 0700);

  int status = 0;
  std::string out = RunCommand(
      absl::StrCat(Runfile("cli/pinbake"), " export ", dir, "/list.json --format ",
                   format, " --okhttp-version 3 -o ", dir, "/src/",
                   source_name),
      &status);
  ASSERT_EQ(status, 0) << out;
  out = RunCommand(
      absl::StrReplaceAll(compile_command,
                          {{"SRC", dir + "/src"}, {"CLASSES", dir + "/classes"}}),
      &status);
  ASSERT_EQ(status, 0) << "compiling " << source_name << " failed:\n" << out;
  out = RunCommand(absl::StrCat("/usr/bin/javac -nowarn -cp ", kClassPath, ":",
                                dir, "/classes -d ", dir, "/classes ",
                                Runfile("tests/export/PinClient.java")),
                   &status);
  ASSERT_EQ(status, 0) << "javac PinClient failed:\n" << out;

  auto server = TestTlsServer::Start(leaf, {intermediate});
  const std::string java = absl::StrCat(
      "/usr/bin/java -cp ", kClassPath, extra_class_path, ":", dir,
      "/classes PinClient ", server->port(), " ", dir, "/root.pem ");
  out = RunCommand(java + "good.pinbake.test bad.pinbake.test free.pinbake.test",
                   &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_THAT(out, HasSubstr("good.pinbake.test CONNECTED"));
  EXPECT_THAT(out, HasSubstr("bad.pinbake.test REFUSED "
                             "javax.net.ssl.SSLPeerUnverifiedException: "
                             "Certificate pinning failure!"));
  EXPECT_THAT(out, HasSubstr("free.pinbake.test CONNECTED"));

  // After the list's expiry the generated pinner is CertificatePinner.DEFAULT.
  out = RunCommand(java + "--expired bad.pinbake.test", &status);
  ASSERT_EQ(status, 0) << out;
  EXPECT_THAT(out, HasSubstr("bad.pinbake.test CONNECTED"));
  EXPECT_GE(server->WaitForHandshakes(3), 3);
}

TEST(OkHttpExportTest, RealOkHttpEnforcesTheExportedJavaPinner) {
  ExpectRealOkHttpEnforces(
      "okhttp-java", "PinbakePins.java", "",
      absl::StrCat("/usr/bin/javac -nowarn -cp ", kClassPath,
                   " -d CLASSES SRC/PinbakePins.java"));
}

// Debian's kotlin (1.3; about 15 s to compile one file here).
TEST(OkHttpExportTest, RealOkHttpEnforcesTheExportedKotlinPinner) {
  ASSERT_EQ(access("/usr/bin/kotlinc", X_OK), 0)
      << "/usr/bin/kotlinc is missing: install kotlin (tools/install_deps.sh)";
  ExpectRealOkHttpEnforces(
      "okhttp-kotlin", "PinbakePins.kt", ":/usr/share/java/kotlin-stdlib.jar",
      absl::StrCat("/usr/bin/kotlinc -nowarn -cp ", kClassPath,
                   " -d CLASSES SRC/PinbakePins.kt"));
}

}  // namespace
}  // namespace pinbake
