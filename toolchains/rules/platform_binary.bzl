"""platform_binary: builds one binary for another platform (kernel, user, uefi) via a transition.

Users never pass --platforms; image rules depend on platform_binary targets instead.
"""

def _platform_transition_impl(settings, attr):
    return {"//command_line_option:platforms": str(attr.platform)}

platform_transition = transition(
    implementation = _platform_transition_impl,
    inputs = [],
    outputs = ["//command_line_option:platforms"],
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
