"""fuzz_test: a libFuzzer target that also runs briefly as a test under `bazel test //...`.

The fuzzer and every library it depends on are compiled with coverage instrumentation and
sanitizers (instrumented_binary; copts alone would leave the parser under test uninstrumented
and libFuzzer blind). `bazel test` runs a fixed number of inputs from a fixed seed; for a long
run: `bazel run //path:name -- -max_total_time=600`.
"""

load(":instrumented_binary.bzl", "instrumented_cc_binary")

_INSTRUMENT = ["-fsanitize=fuzzer-no-link,address,undefined", "-fno-sanitize-recover=undefined"]
_LINK = ["-fsanitize=fuzzer,address,undefined", "-fsanitize-link-c++-runtime"]

def fuzz_test(name, srcs, deps = [], runs = 50000, seeds = [], **kwargs):
    """`seeds`: files (or targets producing files) that start the corpus."""
    instrumented_cc_binary(
        name = name,
        srcs = srcs,
        deps = deps,
        instrument_copts = _INSTRUMENT,
        linkopts = _LINK,
        **kwargs
    )
    native.sh_test(
        name = name,
        srcs = ["//toolchains/rules:run_fuzzer.sh"],
        args = ["$(rootpath :%s_instrumented)" % name, "%d" % runs] +
               ["$(rootpaths %s)" % seed for seed in seeds],
        data = [":" + name + "_instrumented"] + seeds,
        size = "medium",
        tags = ["fuzzer"],
    )
