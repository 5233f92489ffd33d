"""fuzz_test: a libFuzzer target that also runs briefly as a test under `bazel test //...`.

The fuzzer and every library it depends on are compiled with coverage instrumentation and
sanitizers (instrumented_binary; copts alone would leave the parser under test uninstrumented
and libFuzzer blind). `bazel test` first replays the seeds and the fuzzer's checked-in corpus
(`testdata/fuzz_corpus/<name>/` in its package, when present: the inputs a long run found, each
adding coverage), then runs a fixed number of new inputs from a fixed seed. The corpus lets that
number be small without losing coverage: the replay alone reaches what the long run reached.
`toolchains/rules/update_fuzz_corpus.sh //path:name RUNS` regenerates the corpus. For a long
run: `bazel run //path:name -- -max_total_time=600`.
"""

load(":instrumented_binary.bzl", "ASAN_UBSAN_FUZZ_COPTS", "instrumented_cc_binary")

# The same configuration as sanitized_test(sanitizer = "address"): one set of objects for both.
_INSTRUMENT = ASAN_UBSAN_FUZZ_COPTS
_LINK = ["-fsanitize=fuzzer,address,undefined", "-fsanitize-link-c++-runtime"]

def fuzz_test(name, srcs, deps = [], runs = 50000, seeds = [], **kwargs):
    """`seeds`: files (or targets producing files) that start the corpus.

    `runs`: new inputs after the replay of the seeds and of testdata/fuzz_corpus/`name`/.
    """
    seeds = seeds + native.glob(["testdata/fuzz_corpus/%s/*" % name])
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
