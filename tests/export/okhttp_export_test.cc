// The real OkHttp test of `pinbake export --format okhttp-java`: Debian's
// libokhttp-java 3.13 (with okio) and javac compile the exported
// CertificatePinner and tests/export/PinClient.java, which connects to a
// TLS server on 127.0.0.1 (testing/test_tls_server.h) serving a chain of
// the test PKI, trusting the test root. A pinned host whose chain matches
// connects, a pinned host whose chain does not is refused with OkHttp's
// own "Certificate pinning failure!", an unpinned host connects, and after
// the list's expiry the generated pinner pins nothing.
//
// Needs javac/java (default-jdk-headless) and /usr/share/java/okhttp.jar +
// okio.jar (libokhttp-java, libokio-java): fails, not skips, without them.

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

TEST(OkHttpExportTest, RealOkHttpEnforcesTheExportedPins) {
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

  const std::string dir = absl::StrCat(TempDir(), "/okhttp_export");
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
      absl::StrCat(Runfile("cli/pinbake"), " export ", dir,
                   "/list.json --format okhttp-java --okhttp-version 3 -o ",
                   dir, "/src/PinbakePins.java"),
      &status);
  ASSERT_EQ(status, 0) << out;

  out = RunCommand(absl::StrCat("/usr/bin/javac -nowarn -cp ", kClassPath, " -d ",
                         dir, "/classes ", dir, "/src/PinbakePins.java ",
                         Runfile("tests/export/PinClient.java")),
            &status);
  ASSERT_EQ(status, 0) << "javac failed:\n" << out;

  auto server = TestTlsServer::Start(leaf, {intermediate});
  const std::string java = absl::StrCat(
      "/usr/bin/java -cp ", kClassPath, ":", dir, "/classes PinClient ",
      server->port(), " ", dir, "/root.pem ");
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
  EXPECT_GE(server->handshakes(), 3);
}

}  // namespace
}  // namespace pinbake
