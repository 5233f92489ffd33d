"""ktest_library: a package's in-kernel tests (KTEST), and a test that they reach a ktest image.

Every `*_ktest.cc` of the package (subfolders without a BUILD file included) must be in `srcs`,
or loading fails. The library is built for the kernel platform and `alwayslink`, so linking it
keeps its `.ktest` entries. `<name>_linked_test` fails unless every source is linked into
//kernel:kernel_ktest (listed in kernel/BUILD.bazel's _KTEST_LIBRARIES): a KTEST can no longer
be compiled and then silently never run.
"""

load("@rules_cc//cc:defs.bzl", "cc_library")

def ktest_library(name, srcs, deps = [], **kwargs):
    missing = [f for f in native.glob(["**/*_ktest.cc"]) if f not in srcs]
    if missing:
        fail("ktest_library %s: %s not in srcs (every *_ktest.cc of the package must be)" %
             (name, ", ".join(missing)))
    cc_library(
        name = name,
        srcs = srcs,
        deps = deps + ["//kernel/test:ktest"],
        target_compatible_with = ["//toolchains/platforms:kernel"],
        alwayslink = True,
        tags = ["ktest_library"],
        **kwargs
    )

    package = native.package_name()
    native.sh_test(
        name = name + "_linked_test",
        size = "small",
        srcs = ["//kernel/test:ktest_linked_test.sh"],
        args = ["$(rootpath //kernel:kernel_ktest_sources)"] + [
            "%s/%s" % (package, f)
            for f in srcs
            if f.endswith("_ktest.cc")
        ],
        data = ["//kernel:kernel_ktest_sources"],
    )
