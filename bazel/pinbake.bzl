"""Bazel rules to bake a TLS pin list into a C++ library (docs/baking.md).

    load("@pinbake//bazel:pinbake.bzl", "pin_list_cc_library")

    pin_list_cc_library(
        name = "my_pins",                 # Target, files my_pins.{h,cc}, and
                                          # the accessor my_app::my_pins().
        list = "pins.json",
        data = glob(["keys/*.pem"]),      # Files the list refers to.
        namespace = "my_app",
        timestamp = "now",                # Stamp the build time.
    )

Inside the pinbake repository itself, load "//bazel:pinbake.bzl" instead.
The compiler and runtime are referred to with Label(), so they resolve to
the pinbake repository whatever name the user gives it.
"""

def _is_identifier(s):
    if not s or not (s[0].isalpha() or s[0] == "_"):
        return False
    for c in s.elems():
        if not (c.isalnum() or c == "_"):
            return False
    return True

def _pin_list_cc_gen_impl(ctx):
    header = ctx.outputs.header_out
    package = ctx.label.package
    include = (package + "/" + header.basename) if package else header.basename

    args = ctx.actions.args()  # //cli:pinbake_compile: `pinbake compile`'s args.
    args.add(ctx.file.list)
    if ctx.file.pins:
        args.add("--pins", ctx.file.pins)
    if ctx.attr.werror:
        args.add("--werror")
    if ctx.attr.timestamp:
        args.add("--timestamp", ctx.attr.timestamp)
    if ctx.attr.allow_stale:
        args.add("--allow-stale")
    args.add("--cc-out", ctx.outputs.cc_out)
    args.add("--cc-header", header)
    args.add("--cc-namespace", ctx.attr.namespace)
    args.add("--cc-name", ctx.attr.function_name)
    args.add("--cc-include", include)

    inputs = [ctx.file.list] + ctx.files.data
    if ctx.file.pins:
        inputs.append(ctx.file.pins)
    # A build-time stamp must not come out of a shared or remote cache: it
    # would carry the time of whichever build first ran the action.
    execution_requirements = {}
    if ctx.attr.timestamp == "now":
        execution_requirements = {"no-cache": "1", "no-remote": "1"}
    ctx.actions.run(
        executable = ctx.executable._pinbake,
        arguments = [args],
        inputs = inputs,
        outputs = [ctx.outputs.cc_out, header],
        execution_requirements = execution_requirements,
        mnemonic = "PinbakeCompile",
        progress_message = "Baking pin list %s" % ctx.file.list.short_path,
    )
    return [DefaultInfo(files = depset([ctx.outputs.cc_out, header]))]

_pin_list_cc_gen = rule(
    implementation = _pin_list_cc_gen_impl,
    doc = "Runs `pinbake compile --cc-out --cc-header` (the compile-only " +
          "//cli:pinbake_compile) on a pin list.",
    attrs = {
        "list": attr.label(
            mandatory = True,
            allow_single_file = [".json"],
            doc = "The pin list (pinbake JSON or Chromium's static JSON).",
        ),
        "pins": attr.label(
            allow_single_file = True,
            doc = "Optional Chromium .pins file.",
        ),
        "data": attr.label_list(
            allow_files = True,
            doc = "Files the list refers to (pem_file keys), at their paths " +
                  "relative to the list.",
        ),
        "namespace": attr.string(mandatory = True),
        "function_name": attr.string(mandatory = True),
        "werror": attr.bool(default = False),
        "timestamp": attr.string(
            doc = "List timestamp when the list has none (RFC 3339, unix " +
                  "seconds, or \"now\" for the build time); passed as " +
                  "--timestamp.",
        ),
        "allow_stale": attr.bool(
            default = False,
            doc = "Pass --allow-stale: accept a list without a timestamp " +
                  "or already stale (tests only).",
        ),
        "cc_out": attr.output(mandatory = True),
        "header_out": attr.output(mandatory = True),
        "_pinbake": attr.label(
            default = Label("//cli:pinbake_compile"),
            executable = True,
            cfg = "exec",
        ),
    },
)

def pin_list_cc_library(
        name,
        list,
        pins = None,
        data = [],
        namespace = "pinbake_generated",
        function_name = None,
        werror = False,
        timestamp = None,
        allow_stale = False,
        copts = [],
        visibility = None,
        **kwargs):
    """Bakes a pin list into a cc_library.

    Generates NAME.h and NAME.cc with `pinbake compile` at build time (the
    list is checked then: any error fails the build) and wraps them in a
    cc_library NAME. Its header, included as "PACKAGE/NAME.h", declares

        namespace NAMESPACE {
        const ::pinbake::PinList& FUNCTION_NAME();   // Ready for lookups.
        ::absl::string_view FUNCTION_NAME_table();   // The raw table.
        }

    Args:
      name: the cc_library; also the base name of the generated files.
      list: label of the pin list JSON file.
      pins: optional label of a Chromium .pins file.
      data: files the list refers to (e.g. the PEM files of "pem_file" keys,
        which are looked up relative to the list's directory).
      namespace: C++ namespace of the declarations ("a" or "a::b").
      function_name: name of the accessor; defaults to `name`, which must
        then be a C++ identifier.
      werror: treat the list's warnings as errors (fail the build).
      timestamp: list timestamp for lists without one: RFC 3339, unix
        seconds, or "now" to stamp the time of the build, like Chrome's
        build time. A list with no timestamp at all, or already stale when
        it is built, fails the build (the runtime would never enforce its
        pins) unless allow_stale is set; a timestamp more than a day in the
        future always fails it. "now" is the time the compile action runs:
        the action is kept out of shared and remote caches, but Bazel's local
        action cache reuses it until the list or the compiler changes, so
        release builds should start from a clean output base (or pass a
        fixed timestamp from the release pipeline).
      allow_stale: accept a list without a timestamp or already stale
        (--allow-stale); for tests with fixed old lists only.
      copts: extra compiler options for the generated source.
      visibility: visibility of the cc_library.
      **kwargs: passed to the cc_library (tags, testonly, ...).
    """
    fn = function_name if function_name else name
    if not _is_identifier(fn):
        fail(("pin_list_cc_library(name = \"%s\"): the accessor name \"%s\" " +
              "is not a C++ identifier; set function_name") % (name, fn))
    _pin_list_cc_gen(
        name = name + "_gen",
        list = list,
        pins = pins,
        data = data,
        namespace = namespace,
        function_name = fn,
        werror = werror,
        timestamp = timestamp if timestamp else "",
        allow_stale = allow_stale,
        cc_out = name + ".cc",
        header_out = name + ".h",
        visibility = ["//visibility:private"],
        tags = kwargs.get("tags"),
        testonly = kwargs.get("testonly"),
    )
    native.cc_library(
        name = name,
        srcs = [name + ".cc"],
        hdrs = [name + ".h"],
        deps = [
            Label("//runtime:baked_pin_list"),
            Label("//runtime:pin_list"),
        ],
        copts = copts,
        visibility = visibility,
        **kwargs
    )
