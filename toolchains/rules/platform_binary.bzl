"""platform_binary: builds one binary for another platform (kernel, user, uefi) via a transition.

Users never pass --platforms; image rules depend on platform_binary targets instead. The same
transition also resets every C/C++ option a user could set on the command line or in a bazelrc
(compilation mode, copts, linkopts, strip, features), so OS images come out the same for everyone.
"""

# The options an OS image is built with, whatever the command line says: the toolchains' flag
# groups (toolchains/cc) alone decide how kernel, servers and loader are compiled.
_OS_IMAGE_OPTIONS = {
    "//command_line_option:compilation_mode": "fastbuild",
    "//command_line_option:copt": [],
    "//command_line_option:cxxopt": [],
    "//command_line_option:conlyopt": [],
    "//command_line_option:linkopt": [],
    "//command_line_option:per_file_copt": [],
    "//command_line_option:features": [],
    "//command_line_option:strip": "sometimes",
}

def _platform_transition_impl(settings, attr):
    options = dict(_OS_IMAGE_OPTIONS)
    options["//command_line_option:platforms"] = str(attr.platform)
    return options

platform_transition = transition(
    implementation = _platform_transition_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"] + _OS_IMAGE_OPTIONS.keys(),
)

def _platform_binary_impl(ctx):
    source = ctx.files.binary[0]
    out = ctx.actions.declare_file(ctx.attr.out or ctx.label.name)
    ctx.actions.symlink(output = out, target_file = source)
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

platform_binary = rule(
    implementation = _platform_binary_impl,
    attrs = {
        "binary": attr.label(mandatory = True, cfg = platform_transition, allow_single_file = True),
        "platform": attr.label(mandatory = True),
        "out": attr.string(doc = "Output file name; defaults to the target name."),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    doc = "The single file `binary` produces, built for `platform`.",
)
