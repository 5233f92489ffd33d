"""Named, commented compiler and linker flag groups. Each toolchain is a list of these names."""

load("@system_tools//:defs.bzl", "CLANG_RESOURCE_DIR")

# Compile flags (C and C++), by purpose.
COMPILE_FLAG_GROUPS = {
    # Strict warnings; every warning is an error in our code.
    "warnings": ["-Wall", "-Wextra", "-Werror", "-Wno-unused-parameter", "-Wthread-safety"],
    # Same bytes from the same sources on every machine: no absolute build paths, no dates.
    "reproducible": ["-ffile-compilation-dir=.", "-Werror=date-time"],
    # C++20 without exceptions or RTTI everywhere (host included, so host tests see the same code).
    "cxx_dialect": ["-std=c++20", "-fno-exceptions", "-fno-rtti"],
    # Host: C++ library present. Line tables only: sanitizer reports, backtraces and debuggers get
    # file and line; full -g cost a third more CPU per test file (1.04 s vs 0.70 s for
    # lib/zstd/decompress_test.cc with GoogleTest's PCH), and the host compiles are most of a cold
    # `bazel test //...`. Add `--copt=-g` for a debugging session (OS images ignore it).
    "hosted": ["-O1", "-gline-tables-only"],
    # No C or C++ library: only clang's own freestanding headers (stdint.h, stddef.h, ...).
    "freestanding": [
        "-ffreestanding",
        "-nostdinc",
        "-isystem",
        CLANG_RESOURCE_DIR + "/include",
        "-fno-stack-protector",
        "-fno-threadsafe-statics",
        "-fno-asynchronous-unwind-tables",
        "-fno-omit-frame-pointer",
        "-O2",
        "-g",
    ],
    # ELF objects for the bare x86-64 machine (kernel and user space).
    "target_x86_64_elf": ["--target=x86_64-unknown-none-elf"],
    # Interrupts may arrive at any instruction in ring 0: no red zone below %rsp.
    "no_red_zone": ["-mno-red-zone"],
    # Kernel lives in the top 2 GiB (0xffffffff80000000): -mcmodel=kernel.
    "kernel_code_model": ["-mcmodel=kernel", "-fno-pic", "-fno-pie"],
    # The kernel does not save SIMD state for itself: no SSE/AVX/x87 in kernel code.
    "no_simd": ["-mgeneral-regs-only"],
    # User programs: static, non-PIE, linked at a fixed low address.
    "user_code_model": ["-fno-pic", "-fno-pie"],
    # UEFI (GNU-EFI): ELF objects that become a PE32+ image; PIC and 16-bit wchar_t (CHAR16).
    "uefi": [
        "--target=x86_64-unknown-linux-gnu",
        "-fpic",
        "-fshort-wchar",
        "-isystem",
        "external/system_tools/gnu-efi/include",
        "-isystem",
        "external/system_tools/gnu-efi/include/x86_64",
    ],
}

# Link flags, by purpose.
LINK_FLAG_GROUPS = {
    "link_host": ["-fuse-ld=lld", "-lstdc++", "-lm", "-pthread"],
    # Static ELF with lld, no libraries, reproducible (no build id, fixed page size).
    # (clang's bare-metal driver would hand the link to gcc; the linux triple calls ld.lld directly.)
    "link_freestanding": [
        "--target=x86_64-unknown-linux-gnu",
        "-fuse-ld=lld",
        "-nostdlib",
        "-static",
        "-Wl,--build-id=none",
        "-Wl,-z,max-page-size=4096",
        "-Wl,-z,noexecstack",
    ],
}
