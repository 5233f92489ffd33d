"""cc_toolchain_config for clang 14 built from the named flag groups in flag_groups.bzl."""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load(
    "@bazel_tools//tools/cpp:cc_toolchain_config_lib.bzl",
    "feature",
    "flag_group",
    "flag_set",
    "tool_path",
)
load(":flag_groups.bzl", "COMPILE_FLAG_GROUPS", "LINK_FLAG_GROUPS")

_COMPILE_ACTIONS = [
    ACTION_NAMES.c_compile,
    ACTION_NAMES.cpp_compile,
    ACTION_NAMES.assemble,
    ACTION_NAMES.preprocess_assemble,
    ACTION_NAMES.cpp_header_parsing,
    ACTION_NAMES.cpp_module_compile,
]
_CXX_ONLY_GROUPS = ["cxx_dialect"]
_LINK_ACTIONS = [
    ACTION_NAMES.cpp_link_executable,
    ACTION_NAMES.cpp_link_dynamic_library,
    ACTION_NAMES.cpp_link_nodeps_dynamic_library,
]

def _group_feature(name, actions, flags):
    return feature(
        name = name,
        enabled = True,
        flag_sets = [flag_set(actions = actions, flag_groups = [flag_group(flags = flags)])],
    )

def _impl(ctx):
    features = []
    for name in ctx.attr.compile_groups:
        actions = [ACTION_NAMES.cpp_compile, ACTION_NAMES.cpp_header_parsing] if name in _CXX_ONLY_GROUPS else _COMPILE_ACTIONS
        features.append(_group_feature(name, actions, COMPILE_FLAG_GROUPS[name]))
    for name in ctx.attr.link_groups:
        features.append(_group_feature(name, _LINK_ACTIONS, LINK_FLAG_GROUPS[name]))

    wrapper = ctx.attr.wrapper_dir
    tool_paths = [
        tool_path(name = "gcc", path = wrapper + "/clang.sh"),
        tool_path(name = "cpp", path = wrapper + "/clang.sh"),
        tool_path(name = "ld", path = wrapper + "/clang.sh"),
        tool_path(name = "ar", path = wrapper + "/llvm-ar.sh"),
        tool_path(name = "nm", path = wrapper + "/llvm-nm.sh"),
        tool_path(name = "objcopy", path = wrapper + "/llvm-objcopy.sh"),
        tool_path(name = "strip", path = wrapper + "/llvm-objcopy.sh"),
        tool_path(name = "objdump", path = wrapper + "/unsupported.sh"),
        tool_path(name = "gcov", path = wrapper + "/unsupported.sh"),
    ]
    return cc_common.create_cc_toolchain_config_info(
        ctx = ctx,
        features = features,
        cxx_builtin_include_directories = ctx.attr.builtin_include_directories,
        toolchain_identifier = ctx.attr.identifier,
        host_system_name = "x86_64-linux-gnu",
        target_system_name = ctx.attr.target_system_name,
        target_cpu = "x86_64",
        target_libc = ctx.attr.target_libc,
        compiler = "clang",
        abi_version = "unknown",
        abi_libc_version = "unknown",
        tool_paths = tool_paths,
    )

hiillos_cc_toolchain_config = rule(
    implementation = _impl,
    attrs = {
        "identifier": attr.string(mandatory = True),
        "target_system_name": attr.string(mandatory = True),
        "target_libc": attr.string(default = "none"),
        "compile_groups": attr.string_list(mandatory = True),
        "link_groups": attr.string_list(default = []),
        "builtin_include_directories": attr.string_list(default = []),
        "wrapper_dir": attr.string(default = "wrappers"),
    },
    provides = [CcToolchainConfigInfo],
)
