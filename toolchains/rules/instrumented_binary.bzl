"""instrumented_binary: a cc_binary rebuilt with extra copts applied to its whole dependency tree.

copts on a cc_binary or cc_test reach only its own sources; sanitizers and fuzzer coverage must
also instrument the libraries under test. A transition appends `instrument_copts` to
--copt for the binary and everything below it.
"""

# One instrumented configuration serves both the fuzzers and the AddressSanitizer tests: every
# distinct `instrument_copts` list is a configuration of its own, in which each library below it
# (and GoogleTest) is compiled again. The fuzzers need coverage instrumentation, ASan and UBSan;
# the ASan tests get the same objects, so they also run under UBSan (stricter than ASan alone),
# and the coverage callbacks cost them nothing (the sanitizer runtime defines them; nobody reads
# the counters outside libFuzzer).
ASAN_UBSAN_FUZZ_COPTS = [
    "-fsanitize=fuzzer-no-link,address,undefined",
    "-fno-sanitize-recover=undefined",
]

# Links a non-fuzzer binary (a GoogleTest main) built from ASAN_UBSAN_FUZZ_COPTS objects.
ASAN_UBSAN_LINKOPTS = ["-fsanitize=address,undefined", "-fsanitize-link-c++-runtime"]

def _instrument_transition_impl(settings, attr):
    return {"//command_line_option:copt": settings["//command_line_option:copt"] + attr.instrument_copts}

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

instrumented_binary = rule(
    implementation = _instrumented_binary_impl,
    attrs = {
        "binary": attr.label(mandatory = True, cfg = _instrument_transition, allow_single_file = True),
        "instrument_copts": attr.string_list(mandatory = True),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    executable = True,
)

def instrumented_cc_binary(name, srcs, deps, instrument_copts, linkopts, **kwargs):
    """`name`_bin (plain cc_binary, manual) and `name`_instrumented (the same, instrumented)."""
    native.cc_binary(
        name = name + "_bin",
        srcs = srcs,
        deps = deps,
        linkopts = linkopts,
        tags = ["manual"],
        testonly = True,
        **kwargs
    )
    instrumented_binary(
        name = name + "_instrumented",
        binary = ":" + name + "_bin",
        instrument_copts = instrument_copts,
        testonly = True,
        tags = ["manual"],
    )
