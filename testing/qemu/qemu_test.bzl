"""qemu_test: a test that boots a hiillos image in QEMU through testing/qemu/run_qemu.sh.

The script gets: RUNNER ISO QEMU OVMF_CODE OVMF_VARS, then `args`. The tests are ordinary,
sandboxed and cacheable (locally and remotely) tests: the QEMU binary, the firmware and the image
are declared inputs and the verdict depends on nothing else. QEMU runs under TCG here, so each
test reserves two CPUs (`cpu:2`, Bazel's resource tag) instead of being `exclusive` (which in
Bazel 4 also means unsandboxed and never cached): on a 2-core machine QEMU guests still run one
at a time and timing-sensitive guests (TSC/HPET calibration, SMP start-up) are not starved.
"""

# Resource reservation for every QEMU test (see above).
QEMU_TEST_TAGS = [
    "cpu:2",
    "qemu",
]

def qemu_test(name, script, image, args = [], data = [], size = "medium"):
    native.sh_test(
        name = name,
        size = size,
        srcs = [script],
        args = [
            "$(rootpath //testing/qemu:run_qemu.sh)",
            "$(rootpath %s)" % image,
            "$(rootpath @system_tools//:bin/qemu-system-x86_64)",
            "$(rootpath @system_tools//:firmware/OVMF_CODE.fd)",
            "$(rootpath @system_tools//:firmware/OVMF_VARS.fd)",
        ] + args,
        data = [
            image,
            "//testing/qemu:run_qemu.sh",
            "@system_tools//:bin/qemu-system-x86_64",
            "@system_tools//:firmware/OVMF_CODE.fd",
            "@system_tools//:firmware/OVMF_VARS.fd",
        ] + data,
        tags = QEMU_TEST_TAGS,
    )
