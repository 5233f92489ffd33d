"""gtest_pch: GoogleTest's header precompiled with the C++ toolchain's flags of the configuration.

Most of a test file's compile time is parsing `gtest/gtest.h` (3.6 s of CPU for a file holding
one TEST at -O0; 1.0 s with the precompiled header). Bazel 4.2.3 has no PCH support, so this
rule compiles the header itself, with the command line the toolchain gives a C++ compile in the
current configuration (toolchain flag groups, --copt/--cxxopt, and so the sanitizer copts of the
instrumented configurations) plus `copts`. clang loads a PCH only into a compile with the same
language options and predefined macros (e.g. -O0 vs -O1 differ in __OPTIMIZE__), and fails
loudly otherwise; `cc_test` (cc_test.bzl) adds it to test sources compiled with the same flags.

Sandbox-correct and reproducible: the header and GoogleTest's headers are declared inputs, and
the compile runs with PWD=/proc/self/cwd, which clang (LLVM's current_path) takes as its working
directory because it names the same directory. So every path recorded in the PCH reads
/proc/self/cwd/external/googletest/..., the same bytes in every sandbox and output base, and
resolves to the reading compile's own execroot. -fno-pch-timestamp records no mtimes, so a PCH
from a remote cache matches headers with other mtimes (sizes are still checked).

Provides the .pch as its only file (for `$(location)` in copts) and as a header in CcInfo, so it
is an input of every compile that depends on it.
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

def _gtest_pch_impl(ctx):
    cc_toolchain = find_cpp_toolchain(ctx)
    features = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    gtest = ctx.attr.gtest[CcInfo].compilation_context
    pch = ctx.actions.declare_file(ctx.label.name + ".pch")
    variables = cc_common.create_compile_variables(
        feature_configuration = features,
        cc_toolchain = cc_toolchain,
        user_compile_flags = ctx.fragments.cpp.copts + ctx.fragments.cpp.cxxopts + ctx.attr.copts + [
            "-x",
            "c++-header",
            "-Xclang",
            "-fno-pch-timestamp",
        ],
        source_file = ctx.file.header.path,
        output_file = pch.path,
        include_directories = gtest.includes,
        quote_include_directories = gtest.quote_includes,
        system_include_directories = gtest.system_includes,
        preprocessor_defines = gtest.defines,
    )
    action = ACTION_NAMES.cpp_compile
    env = dict(cc_common.get_environment_variables(
        feature_configuration = features,
        action_name = action,
        variables = variables,
    ))
    env["PWD"] = "/proc/self/cwd"
    ctx.actions.run(
        executable = cc_common.get_tool_for_action(feature_configuration = features, action_name = action),
        arguments = cc_common.get_memory_inefficient_command_line(
            feature_configuration = features,
            action_name = action,
            variables = variables,
        ),
        env = env,
        inputs = depset([ctx.file.header], transitive = [gtest.headers, cc_toolchain.all_files]),
        outputs = [pch],
        mnemonic = "GtestPch",
        progress_message = "Precompiling %s for %s" % (ctx.file.header.short_path, ctx.label),
    )
    return [
        DefaultInfo(files = depset([pch])),
        # clang checks that every file the PCH was made from still exists (with its size) when it
        # loads it: the header itself goes along (GoogleTest's come with the test's deps).
        CcInfo(compilation_context = cc_common.create_compilation_context(
            headers = depset([pch, ctx.file.header]),
        )),
    ]

gtest_pch = rule(
    implementation = _gtest_pch_impl,
    attrs = {
        "header": attr.label(mandatory = True, allow_single_file = [".h"], doc = "includes GoogleTest"),
        "gtest": attr.label(mandatory = True, providers = [CcInfo]),
        "copts": attr.string_list(doc = "appended after the configuration's copts, as a target's copts are"),
        "_cc_toolchain": attr.label(default = "@bazel_tools//tools/cpp:current_cc_toolchain"),
    },
    fragments = ["cpp"],
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
    incompatible_use_toolchain_transition = True,
)
