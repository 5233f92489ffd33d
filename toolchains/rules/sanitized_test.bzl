"""sanitized_test: a GoogleTest binary with a sanitizer over its whole dependency tree.

E.g. the capability table's multi-threaded stress test under ThreadSanitizer: a data race in the
table fails the test even when the race did not corrupt anything on this run.
"""

load(":instrumented_binary.bzl", "instrumented_cc_binary")

def sanitized_test(name, srcs, deps = [], sanitizer = "thread", **kwargs):
    flags = ["-fsanitize=" + sanitizer]
    instrumented_cc_binary(
        name = name,
        srcs = srcs,
        deps = deps,
        instrument_copts = flags,
        linkopts = flags,
    )
    native.sh_test(
        name = name,
        srcs = ["//toolchains/rules:run_binary.sh"],
        args = ["$(rootpath :%s_instrumented)" % name],
        data = [":" + name + "_instrumented"],
        **kwargs
    )
