"""Copies Debian's rules_cc 0.0.4 and replaces use_cpp_toolchain(), which Bazel 4.2.3 lacks."""

_PATCHED_FILES = [
    "cc/private/rules_impl/cc_flags_supplier.bzl",
    "cc/private/rules_impl/compiler_flag.bzl",
]

def _rules_cc_compat_impl(rctx):
    source = rctx.path(rctx.attr.path)
    if not source.exists:
        fail("rules_cc not found at %s: install it with `apt-get install bazel-rules-cc`" % source)
    result = rctx.execute(["cp", "-r", "%s/." % source, "."])
    if result.return_code != 0:
        fail("copying rules_cc failed: " + result.stderr)
    for relative in _PATCHED_FILES:
        content = rctx.read(relative)
        content = content.replace(', "use_cpp_toolchain")', ")")
        content = content.replace(
            "use_cpp_toolchain()",
            '["@bazel_tools//tools/cpp:toolchain_type"]',
        )
        rctx.file(relative, content, legacy_utf8 = False)

rules_cc_compat = repository_rule(
    implementation = _rules_cc_compat_impl,
    attrs = {"path": attr.string(mandatory = True)},
    local = True,
)
