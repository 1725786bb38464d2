"""WORKSPACE dependencies of pinbake, for workspaces that use it.

WORKSPACE dependencies are not transitive: a workspace that loads
@pinbake//bazel:pinbake.bzl must itself declare the system libraries that
pinbake's targets refer to (@absl, @re2, @libcrypto, @openssl, @psl,
@idn2, @zlib, @simdjson). Call this
once in its WORKSPACE:

    load("@pinbake//bazel:deps.bzl", "pinbake_system_libraries")
    pinbake_system_libraries()

Each library is found with pkg-config (Debian -dev packages: see
tools/install_deps.sh) and only when a target needs it. pinbake's own
WORKSPACE calls this too (and adds @gtest for its tests), so the list is
kept in one place.
"""

load("//third_party:system_libs.bzl", "system_library")

def pinbake_system_libraries():
    """Declares the system libraries pinbake's compiler and runtime link."""
    system_library(
        name = "absl",
        modules = [
            "absl_flat_hash_map",
            "absl_flat_hash_set",
            "absl_status",
            "absl_statusor",
            "absl_str_format",
            "absl_strings",
            "absl_synchronization",
            "absl_time",
        ],
    )
    system_library(name = "re2", modules = ["re2"])
    # libcrypto alone (hashes, base64, X.509, signatures) for everything
    # that does not make TLS connections; @openssl (libssl + libcrypto) only
    # for the handshake adapter, `pinbake connect` and the test TLS server,
    # so the compile-only tool links no libssl.
    system_library(name = "libcrypto", modules = ["libcrypto"])
    system_library(name = "openssl", modules = ["openssl"])
    system_library(name = "psl", modules = ["libpsl"])
    # IDNA2008 / UTS #46 for U-labels (runtime/idn_host.h).
    system_library(name = "idn2", modules = ["libidn2"])
    system_library(name = "zlib", modules = ["zlib"])
    system_library(name = "simdjson", modules = ["simdjson"])
