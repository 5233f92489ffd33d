"""sanitized_test: a GoogleTest binary with a sanitizer over its whole dependency tree.

E.g. the capability table's multi-threaded stress test under ThreadSanitizer: a data race in the
table fails the test even when the race did not corrupt anything on this run.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load(":instrumented_binary.bzl", "instrumented_binary")

def sanitized_test(name, srcs, deps = [], sanitizer = "thread", **kwargs):
    flags = ["-fsanitize=" + sanitizer]
    cc_binary(
        name = name + "_bin",
        srcs = srcs,
        deps = deps,
        linkopts = flags,
        tags = ["manual"],
        testonly = True,
    )
    instrumented_binary(
        name = name + "_instrumented",
        binary = ":" + name + "_bin",
        instrument_copts = flags,
        testonly = True,
        tags = ["manual"],
    )
    native.sh_test(
        name = name,
        srcs = ["//toolchains/rules:run_binary.sh"],
        args = ["$(rootpath :%s_instrumented)" % name],
        data = [":" + name + "_instrumented"],
        **kwargs
    )
