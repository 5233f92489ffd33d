"""kernel_image: links kernel.elf for the kernel platform and fills its symbol table (.ksyms).

One macro for the normal kernel and the test kernel (which adds KTEST libraries).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load("//toolchains/rules:platform_binary.bzl", "platform_binary")
load("//tools/symbols:symbolized_kernel.bzl", "symbolized_kernel")

def kernel_image(name, deps, out, visibility = None):
    cc_binary(
        name = name + "_elf",
        additional_linker_inputs = ["//kernel/arch/x86_64:kernel.ld"],
        linkopts = ["-Wl,-T,$(location //kernel/arch/x86_64:kernel.ld)"],
        target_compatible_with = ["//toolchains/platforms:kernel"],
        deps = deps,
    )

    # The linked kernel for the kernel platform, before its symbol table is filled in.
    platform_binary(
        name = name + "_unsymbolized",
        out = name + "_unsymbolized.elf",
        binary = ":" + name + "_elf",
        platform = "//toolchains/platforms:x86_64_kernel",
    )

    # The same image with .ksyms filled (symbolised panic backtraces).
    symbolized_kernel(
        name = name,
        out = out,
        kernel = ":" + name + "_unsymbolized",
        visibility = visibility,
    )
