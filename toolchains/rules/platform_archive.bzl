"""platform_archive: a cc_library's static archive built for another platform (user, kernel).

Host-tested freestanding libraries that no program links yet use it to show, under
`bazel build //...` and `bazel test //...`, that they also compile for the platform they are
meant for (freestanding flags, `-nostdinc`, no libc headers).
"""

load(":platform_binary.bzl", "platform_transition")

def _platform_archive_impl(ctx):
    files = ctx.files.library
    if not files:
        fail("%s produces no archive (header-only library?)" % ctx.attr.library)
    return [DefaultInfo(files = depset(files))]

platform_archive = rule(
    implementation = _platform_archive_impl,
    attrs = {
        "library": attr.label(mandatory = True, cfg = platform_transition),
        "platform": attr.label(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    doc = "The files `library` produces (its static archive), built for `platform`.",
)
