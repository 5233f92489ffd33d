"""qemu_test: a test that boots a hiillos image in QEMU through testing/qemu/run_qemu.sh (and
qemu_test_per_smp: one such test per guest CPU count).

The script gets: RUNNER ISO QEMU OVMF_CODE OVMF_VARS, then `args`; it may source
testing/qemu/guest_log.sh (next to RUNNER in the runfiles) for the boot and log checks. The tests are ordinary,
sandboxed and cacheable (locally and remotely) tests: the QEMU binary, the firmware and the image
are declared inputs and the verdict depends on nothing else. QEMU runs under TCG here, so each
test reserves the host CPUs its guest keeps busy (Bazel's resource tag `cpu:N`) instead of being
`exclusive` (which in Bazel 4 also means unsandboxed and never cached): a one-CPU guest is one
TCG vCPU thread and reserves one CPU (`cpu:1`), so on a 2-core machine one compile or host test
runs beside it; a multi-CPU guest (multi-threaded TCG, one thread per vCPU) reserves two
(`cpu:2`), so on a 2-core machine it runs alone and timing-sensitive guests (TSC/HPET
calibration, SMP start-up) are not starved.

Timeouts: a hung guest must end in the runner's verdict ("timed out", exit 124) with the test's
serial log written, not be killed by Bazel with nothing to show. run_qemu.sh therefore caps any
`--timeout` a test script passes at Bazel's own test timeout (TEST_TIMEOUT, from `size`: 300 s
medium, 900 s large) minus 30 s (half of one under a minute).
"""

def qemu_test_tags(cpus, tcg_thread = "multi"):
    """Resource reservation of a QEMU test whose guest has `cpus` CPUs (see above)."""
    return ["cpu:%d" % (1 if cpus == 1 or tcg_thread == "single" else 2), "qemu"]

# QEMU tests written as plain sh_test call qemu_test_tags themselves; a guest under -icount
# runs every vCPU on one host thread (run_qemu.sh --icount), so it passes tcg_thread = "single".

def qemu_test(name, script, image, args = [], data = [], size = "medium", cpus = 1, tcg_thread = "multi", boot = "direct"):
    """`cpus`: the guest's CPU count (what the script passes to --smp); sets the reservation.

    `tcg_thread`: "single" runs every vCPU on one host thread (run_qemu.sh --tcg-thread, through
    HIILLOS_TCG_THREAD) and reserves one CPU. Guests that run pcid use it: it reconfigures PCI
    functions (BAR sizing, command register) while other vCPUs run, and QEMU 7.2's
    multi-threaded TCG can then crash (docs/build.md, "QEMU quirks").

    `boot`: "direct" (the default) starts the image's parts through the Multiboot shim
    (//bootloader/multiboot, run_qemu.sh --direct-boot through HIILLOS_DIRECT_BOOT): SeaBIOS
    takes ~0.1 s of host CPU where OVMF takes ~3 s, and the kernel gets the same hand-off.
    "uefi" boots the ISO through OVMF and the UEFI loader: the tests of the loader itself and
    of what only UEFI gives (the GOP framebuffer).
    """
    if tcg_thread not in ["multi", "single"]:
        fail("qemu_test %s: tcg_thread is \"multi\" or \"single\"" % name)
    if boot not in ["direct", "uefi"]:
        fail("qemu_test %s: boot is \"direct\" or \"uefi\"" % name)
    env = {"HIILLOS_TCG_THREAD": tcg_thread}
    boot_data = []
    if boot == "direct":
        env["HIILLOS_DIRECT_BOOT"] = "$(rootpath //bootloader/multiboot:multiboot_shim)"
        env["HIILLOS_SEABIOS"] = "$(rootpath @system_tools//:firmware/bios-256k.bin)"
        boot_data = [
            "//bootloader/multiboot:multiboot_shim",
            "@system_tools//:firmware/bios-256k.bin",
        ]
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
            "//testing/qemu:guest_log.sh",
            "@system_tools//:bin/qemu-system-x86_64",
            "@system_tools//:firmware/OVMF_CODE.fd",
            "@system_tools//:firmware/OVMF_VARS.fd",
        ] + boot_data + data,
        env = env,
        tags = qemu_test_tags(cpus, tcg_thread),
    )

def qemu_test_per_smp(
        name,
        script,
        image,
        args = [],
        expect = [],
        data = [],
        size = "medium",
        tcg_thread = "multi",
        boot = "direct",
        smps = [1, 4]):
    """One qemu_test per guest CPU count N in `smps`, named NAME_smpN, with `cpus` = N.

    The script's arguments after the runner's: N, then `args`, then each of `expect` in single
    quotes (the REGEX... that guest_log.sh's expect_lines takes).
    """
    for smp in smps:
        qemu_test(
            name = "%s_smp%d" % (name, smp),
            size = size,
            args = ["%d" % smp] + args + ["'%s'" % e for e in expect],
            cpus = smp,
            tcg_thread = tcg_thread,
            boot = boot,
            data = data,
            image = image,
            script = script,
        )
