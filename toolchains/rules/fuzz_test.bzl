"""fuzz_test: a libFuzzer target that also runs briefly as a test under `bazel test //...`.

The fuzzer and every library it depends on are compiled with coverage instrumentation and
sanitizers (a transition adds the flags to the whole dependency tree; copts alone would leave
the parser under test uninstrumented and libFuzzer blind). `bazel test` runs a fixed number of
inputs from a fixed seed; for a long run: `bazel run //path:name -- -max_total_time=600`.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")

_INSTRUMENT = ["-fsanitize=fuzzer-no-link,address,undefined", "-fno-sanitize-recover=undefined"]
_LINK = ["-fsanitize=fuzzer,address,undefined", "-fsanitize-link-c++-runtime"]

def _instrument_transition_impl(settings, attr):
    return {"//command_line_option:copt": settings["//command_line_option:copt"] + _INSTRUMENT}

_instrument_transition = transition(
    implementation = _instrument_transition_impl,
    inputs = ["//command_line_option:copt"],
    outputs = ["//command_line_option:copt"],
)

def _instrumented_binary_impl(ctx):
    source = ctx.files.binary[0]
    out = ctx.actions.declare_file(ctx.label.name)
    ctx.actions.symlink(output = out, target_file = source, is_executable = True)
    return [DefaultInfo(files = depset([out]), executable = out)]

_instrumented_binary = rule(
    implementation = _instrumented_binary_impl,
    attrs = {
        "binary": attr.label(mandatory = True, cfg = _instrument_transition, allow_single_file = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    executable = True,
)

def fuzz_test(name, srcs, deps = [], runs = 50000, seeds = [], **kwargs):
    """`seeds`: files (or targets producing files) that start the corpus."""
    cc_binary(
        name = name + "_bin",
        srcs = srcs,
        deps = deps,
        linkopts = _LINK,
        tags = ["manual"],
        testonly = True,
        **kwargs
    )
    _instrumented_binary(
        name = name + "_instrumented",
        binary = ":" + name + "_bin",
        testonly = True,
        tags = ["manual"],
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
