"""Repository rule exposing a Debian system library to Bazel via pkg-config.

Each repository defines one target, `:lib`, a cc_library carrying the
linker flags pkg-config reports for the given modules, and the `-D`
macros of its compile flags as `defines` (they reach every dependent:
simdjson's `SIMDJSON_THREADS_ENABLED` changes class layouts, so code built
without it would disagree with the library). Headers live in /usr/include,
which the default toolchain already searches.
"""

def _system_library_impl(ctx):
    result = ctx.execute(["pkg-config", "--libs"] + ctx.attr.modules)
    if result.return_code != 0:
        fail("pkg-config --libs %s failed (install the -dev packages listed in tools/install_deps.sh): %s" %
             (" ".join(ctx.attr.modules), result.stderr))
    linkopts = result.stdout.strip().split(" ")
    linkopts = [o for o in linkopts if o]
    cflags = ctx.execute(["pkg-config", "--cflags-only-other"] + ctx.attr.modules)
    if cflags.return_code != 0:
        fail("pkg-config --cflags-only-other %s failed: %s" %
             (" ".join(ctx.attr.modules), cflags.stderr))
    defines = [o[2:] for o in cflags.stdout.strip().split(" ") if o.startswith("-D")]
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD", """package(default_visibility = ["//visibility:public"])

cc_library(
    name = "lib",
    linkopts = %s,
    defines = %s,
)
""" % (repr(linkopts), repr(defines)))

system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {"modules": attr.string_list(mandatory = True)},
    local = True,
)
