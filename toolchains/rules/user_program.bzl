"""user_program: one hiillos user program (a static ELF for the user platform) from C++ sources.

    user_program(name = "init", srcs = ["main.cc"], deps = [...])

gives `<name>.elf` (target `:<name>`), linked with services/lib/user.ld (text R-X, rodata R--,
data+bss RW-) against the runtime, built for //toolchains/platforms:x86_64_user whatever the
command line says (platform_binary). `runtime` picks the start code: "program" (the default:
start information block, heap, `ProgramMain`, services/lib/program.h) or "root" (the kernel's
root-process entry, `UserMain(boot_info, last_handle)`).
"""

load("@rules_cc//cc:defs.bzl", "cc_binary")
load("//toolchains/rules:platform_binary.bzl", "platform_binary")

_RUNTIMES = {
    "program": ["//services/lib:program"],
    "root": ["//services/lib:runtime"],
}

def user_program(name, srcs, deps = [], runtime = "program", visibility = None, testonly = False):
    if runtime not in _RUNTIMES:
        fail("runtime must be one of %s, not %s" % (_RUNTIMES.keys(), runtime))
    cc_binary(
        name = name + "_elf",
        srcs = srcs,
        additional_linker_inputs = ["//services/lib:user.ld"],
        linkopts = ["-Wl,-T,$(location //services/lib:user.ld)"],
        target_compatible_with = ["//toolchains/platforms:user"],
        testonly = testonly,
        deps = deps + _RUNTIMES[runtime],
    )
    platform_binary(
        name = name,
        out = name + ".elf",
        binary = ":" + name + "_elf",
        platform = "//toolchains/platforms:x86_64_user",
        testonly = testonly,
        visibility = visibility,
    )
