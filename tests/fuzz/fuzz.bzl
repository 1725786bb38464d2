"""pinbake_fuzzer: one fuzz target, built two ways.

With --config=fuzz (clang, see .bazelrc), `NAME` is a libFuzzer binary
(tests/fuzz/run.sh runs it). Otherwise `NAME` is a replay binary
(replay_main.cc) that runs the target on the files or directories given,
and `NAME_corpus_test` replays tests/fuzz/corpus/NAME/ (plus `extra_data`)
in every `bazel test //...` and `bazel test --config=asan //...`.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")

def pinbake_fuzzer(name, deps, extra_data = [], extra_args = []):
    cc_library(
        name = name + "_lib",
        testonly = True,
        srcs = [name + ".cc"],
        deps = deps + [":fuzz_check"],
        alwayslink = True,
    )
    cc_binary(
        name = name,
        testonly = True,
        srcs = select({
            ":libfuzzer": [],
            "//conditions:default": ["replay_main.cc"],
        }),
        linkopts = select({
            ":libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
        deps = [":" + name + "_lib"],
    )
    cc_test(
        name = name + "_corpus_test",
        srcs = ["replay_main.cc"],
        args = ["tests/fuzz/corpus/" + name] + extra_args,
        data = native.glob(["corpus/" + name + "/**"]) + extra_data,
        deps = [":" + name + "_lib"],
    )
