"""fuzz_test: a libFuzzer target that also runs briefly as a test under `bazel test //...`.

`bazel test` runs a fixed number of inputs from a fixed seed (deterministic); for a long run:
`bazel run //path:name -- -max_total_time=600`.
"""

load("@rules_cc//cc:defs.bzl", "cc_test")

_FUZZ_FLAGS = ["-fsanitize=fuzzer,address,undefined", "-fno-sanitize-recover=undefined"]

def fuzz_test(name, srcs, deps = [], runs = 50000, **kwargs):
    cc_test(
        name = name,
        srcs = srcs,
        deps = deps,
        copts = _FUZZ_FLAGS,
        linkopts = _FUZZ_FLAGS,
        args = ["-runs=%d" % runs, "-seed=1"],
        size = "medium",
        tags = ["fuzzer"],
        **kwargs
    )
