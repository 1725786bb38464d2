"""Repository rule exposing a Debian system library to Bazel via pkg-config.

Each repository defines one target, `:lib`, a cc_library carrying the
linker flags pkg-config reports for the given modules. Headers live in
/usr/include, which the default toolchain already searches.
"""

def _system_library_impl(ctx):
    result = ctx.execute(["pkg-config", "--libs"] + ctx.attr.modules)
    if result.return_code != 0:
        fail("pkg-config --libs %s failed (install the -dev packages listed in tools/install_deps.sh): %s" %
             (" ".join(ctx.attr.modules), result.stderr))
    linkopts = result.stdout.strip().split(" ")
    linkopts = [o for o in linkopts if o]
    ctx.file("WORKSPACE", 'workspace(name = "%s")\n' % ctx.name)
    ctx.file("BUILD", """package(default_visibility = ["//visibility:public"])

cc_library(
    name = "lib",
    linkopts = %s,
)
""" % repr(linkopts))

system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {"modules": attr.string_list(mandatory = True)},
    local = True,
)
