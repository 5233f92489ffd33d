"""kernel_library: a cc_library of kernel code with the kernel's common attributes.

Kernel code is built for the kernel platform only (`target_compatible_with` the kernel
environment), unless `host = True`: pure definitions and logic that host tests build too.
Everything else is passed to cc_library unchanged.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

_KERNEL_PLATFORM = ["//toolchains/platforms:kernel"]

def kernel_library(name, host = False, target_compatible_with = [], **kwargs):
    cc_library(
        name = name,
        target_compatible_with = target_compatible_with + ([] if host else _KERNEL_PLATFORM),
        **kwargs
    )
