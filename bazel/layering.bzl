"""Layering test: no target of a low layer reaches a high layer (issue 9).

Visibility (package default_visibility in compiler/, release/, cli/) makes a
*direct* dependency of runtime/ or format/ on them a build error. This test
covers *transitive* paths (runtime -> testing -> compiler, say): at the end
of a BUILD file under runtime/ or format/,

    load("//bazel:layering.bzl", "layering_test")
    layering_test(name = "layering_test")

checks every rule declared above it in that package (native.existing_rules)
and fails, naming the first offending path, if any of them depends, through
deps/srcs/hdrs/data/implementation_deps, on a target in a forbidden package.
The same rule as the CI step tools/check_layering.sh, inside `bazel test`.
"""

# Packages the runtime and the format must never depend on.
FORBIDDEN_PACKAGES = ["compiler", "release", "cli"]

_DEP_ATTRS = ["deps", "srcs", "hdrs", "data", "implementation_deps"]

LayeringInfo = provider(
    doc = "Forbidden targets reachable from a target, each with its path.",
    fields = {"paths": "depset of strings 'a -> b -> c'"},
)

def _forbidden(label):
    if label.workspace_name != "":
        return False
    pkg = label.package
    for p in FORBIDDEN_PACKAGES:
        if pkg == p or pkg.startswith(p + "/"):
            return True
    return False

def _layering_aspect_impl(target, ctx):
    here = str(target.label)
    if _forbidden(target.label):
        return [LayeringInfo(paths = depset([here]))]
    found = []
    for attr in _DEP_ATTRS:
        for dep in getattr(ctx.rule.attr, attr, []) or []:
            if type(dep) != "Target" or LayeringInfo not in dep:
                continue

            # Keep one path per forbidden dependency: enough to fix it.
            for p in dep[LayeringInfo].paths.to_list()[:1]:
                found.append(here + " -> " + p)
    return [LayeringInfo(paths = depset(found[:1]))]

layering_aspect = aspect(
    implementation = _layering_aspect_impl,
    attr_aspects = _DEP_ATTRS,
)

def _layering_test_impl(ctx):
    bad = []
    for t in ctx.attr.roots:
        bad += t[LayeringInfo].paths.to_list()
    script = ctx.actions.declare_file(ctx.label.name + ".sh")
    if bad:
        body = "echo 'layering: a runtime/format target depends on %s:' >&2\n" % (
            "/".join(FORBIDDEN_PACKAGES)
        )
        body += "".join(["echo '  %s' >&2\n" % p for p in bad])
        body += "echo '0 passed, 1 failed'\nexit 1\n"
    else:
        body = "echo '%d targets checked; 1 passed, 0 failed'\n" % len(ctx.attr.roots)
    ctx.actions.write(script, "#!/bin/bash\n" + body, is_executable = True)
    return [DefaultInfo(executable = script)]

_layering_test = rule(
    implementation = _layering_test_impl,
    attrs = {"roots": attr.label_list(aspects = [layering_aspect])},
    test = True,
)

def layering_test(name, **kwargs):
    """Checks the rules declared so far in this package (call it last)."""
    roots = [
        ":" + r["name"]
        for r in native.existing_rules().values()
        if r["kind"] not in ("config_setting", "package_group", "filegroup")
    ]
    _layering_test(name = name, roots = roots, size = "small", **kwargs)
