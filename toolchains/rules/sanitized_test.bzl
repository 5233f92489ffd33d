"""sanitized_test: a GoogleTest binary with a sanitizer over its whole dependency tree.

E.g. the capability table's multi-threaded stress test under ThreadSanitizer: a data race in the
table fails the test even when the race did not corrupt anything on this run.

`sanitizer = "address"` builds in the fuzzers' configuration (ASan + UBSan + coverage
instrumentation, see instrumented_binary.bzl): the libraries both use are compiled once, and the
test runs under UBSan as well. Any other sanitizer gets a configuration of its own.
"""

load(":cc_test.bzl", "GTEST_PCH", "gtest_pch_copts", "uses_gtest")
load(
    ":instrumented_binary.bzl",
    "ASAN_UBSAN_FUZZ_COPTS",
    "ASAN_UBSAN_LINKOPTS",
    "instrumented_cc_binary",
)

def sanitized_test(name, srcs, deps = [], sanitizer = "thread", **kwargs):
    copts = ["-fsanitize=" + sanitizer]
    linkopts = copts
    if sanitizer == "address":
        copts = ASAN_UBSAN_FUZZ_COPTS
        linkopts = ASAN_UBSAN_LINKOPTS
    # The precompiled GoogleTest header, built in the instrumented configuration like the rest.
    copts_gtest = []
    if uses_gtest(deps):
        deps = deps + [GTEST_PCH]
        copts_gtest = gtest_pch_copts()
    instrumented_cc_binary(
        name = name,
        srcs = srcs,
        deps = deps,
        copts = copts_gtest,
        instrument_copts = copts,
        linkopts = linkopts,
    )
    native.sh_test(
        name = name,
        srcs = ["//toolchains/rules:run_binary.sh"],
        args = ["$(rootpath :%s_instrumented)" % name],
        data = [":" + name + "_instrumented"],
        **kwargs
    )
