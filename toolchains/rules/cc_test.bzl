"""cc_test: rules_cc's cc_test, with the precompiled GoogleTest header when the test uses GoogleTest.

Load this cc_test (not rules_cc's) for every host test. A test that depends on GoogleTest is
compiled with `-O0 -include-pch <//third_party/googletest:gtest_pch>`: its sources start from
the parsed gtest.h instead of parsing it again (about 2.5 s of CPU less per test source). The
PCH is built at -O0 for the configuration the test is built in (host, or the sanitizers'), and
the whole test target compiles at -O0 to match it (test sources are mostly GoogleTest macro
expansion; .bazelrc's --per_file_copt already gives `*_test.cc` -O0). Libraries under test keep
their own flags. sanitized_test uses the same copts (gtest_pch_copts).
"""

load("@rules_cc//cc:defs.bzl", _rules_cc_binary = "cc_binary", _rules_cc_test = "cc_test")

GTEST_PCH = "//third_party/googletest:gtest_pch"

_GTEST = ["@googletest//:gtest", "@googletest//:gtest_main"]

def uses_gtest(deps):
    return [d for d in deps if d in _GTEST] != []

def gtest_pch_copts():
    """copts that load the precompiled header (its target must be in deps)."""
    return ["-O0", "-include-pch", "$(location %s)" % GTEST_PCH]

def cc_test(name, deps = [], copts = [], **kwargs):
    if uses_gtest(deps):
        deps = deps + [GTEST_PCH]
        copts = copts + gtest_pch_copts()
    _rules_cc_test(name = name, deps = deps, copts = copts, **kwargs)

def gtest_binary(name, deps = [], copts = [], **kwargs):
    """A cc_binary built on GoogleTest (e.g. the host half of a QEMU test), like cc_test."""
    if uses_gtest(deps):
        deps = deps + [GTEST_PCH]
        copts = copts + gtest_pch_copts()
    _rules_cc_binary(name = name, deps = deps, copts = copts, **kwargs)
