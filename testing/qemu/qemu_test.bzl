"""qemu_test: a test that boots a hiillos image in QEMU through testing/qemu/run_qemu.sh.

The script gets: RUNNER ISO QEMU OVMF_CODE OVMF_VARS, then `args`. QEMU runs under TCG here, so
these tests are `exclusive`: each runs alone, and timing-sensitive guests (TSC/HPET calibration,
SMP start-up) are not starved by other tests.
"""

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
        tags = [
            "exclusive",
            "qemu",
        ],
    )
