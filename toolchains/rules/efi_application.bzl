"""efi_application: links UEFI-platform cc_libraries into a PE32+ EFI application with GNU-EFI.

GNU-EFI images must be linked by binutils' ld with gnu-efi's linker script and converted by
binutils' objcopy (ld.lld produces images OVMF refuses; see docs/build.md).
"""

load(":platform_binary.bzl", "platform_transition")

def _efi_application_impl(ctx):
    libraries = []
    for dep in ctx.attr.deps:
        for linker_input in dep[CcInfo].linking_context.linker_inputs.to_list():
            for library in linker_input.libraries:
                archive = library.pic_static_library or library.static_library
                if archive:
                    libraries.append(archive)
    shared = ctx.actions.declare_file(ctx.label.name + ".so")
    efi = ctx.actions.declare_file(ctx.attr.out or ctx.label.name + ".efi")
    gnu_efi = {f.basename: f for f in ctx.files._gnu_efi}
    link_args = ctx.actions.args()
    link_args.add_all([
        "-nostdlib",
        "-znocombreloc",
        "-shared",
        "-Bsymbolic",
        "--build-id=none",
        "-T",
        gnu_efi["elf_x86_64_efi.lds"],
        gnu_efi["crt0-efi-x86_64.o"],
        "--whole-archive",
    ])
    link_args.add_all(libraries)
    link_args.add_all(["--no-whole-archive", gnu_efi["libefi.a"], gnu_efi["libgnuefi.a"]])
    link_args.add_all(["-o", shared])
    ctx.actions.run(
        executable = ctx.executable._ld,
        arguments = [link_args],
        inputs = libraries + ctx.files._gnu_efi,
        outputs = [shared],
        mnemonic = "EfiLink",
        progress_message = "Linking EFI application %s" % ctx.label,
    )
    # `ld -shared` accepts undefined symbols silently; the PE image would then call into a .plt
    # that objcopy drops. Refuse instead.
    ctx.actions.run_shell(
        command = """
set -e
undefined=$("$1" --undefined-only "$2")
if [ -n "$undefined" ]; then
  echo "efi_application: undefined symbols in $2:" >&2
  echo "$undefined" >&2
  exit 1
fi
"$3" -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel -j .rela -j '.rel.*' \
  -j '.rela.*' -j .reloc --target efi-app-x86_64 --subsystem=10 "$2" "$4"
""",
        arguments = [ctx.executable._nm.path, shared.path, ctx.executable._objcopy.path, efi.path],
        inputs = [shared],
        tools = [ctx.executable._nm, ctx.executable._objcopy],
        outputs = [efi],
        mnemonic = "EfiObjcopy",
        progress_message = "Checking and converting %s to PE32+" % ctx.label,
    )
    return [DefaultInfo(files = depset([efi]), runfiles = ctx.runfiles(files = [efi]))]

efi_application = rule(
    implementation = _efi_application_impl,
    attrs = {
        "deps": attr.label_list(providers = [CcInfo], cfg = platform_transition),
        "platform": attr.label(default = "//toolchains/platforms:x86_64_uefi"),
        "out": attr.string(),
        "_ld": attr.label(default = "@system_tools//:bin/ld.bfd", executable = True, allow_single_file = True, cfg = "exec"),
        "_nm": attr.label(default = "@system_tools//:bin/llvm-nm", executable = True, allow_single_file = True, cfg = "exec"),
        "_objcopy": attr.label(default = "@system_tools//:bin/objcopy", executable = True, allow_single_file = True, cfg = "exec"),
        "_gnu_efi": attr.label(default = "@system_tools//:gnu_efi_link"),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    doc = "A GNU-EFI application (.efi) from cc_libraries built for the UEFI platform.",
)
