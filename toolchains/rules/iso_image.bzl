"""iso_image: the bootable UEFI ISO (and its FAT El Torito image) from loader, kernel, root, initfs.

Each part is built for its own platform by its own rule (efi_application, platform_binary); this
rule only assembles, with pinned mtools and xorriso and fixed timestamps (bit-for-bit reproducible).
The timestamp is SOURCE_DATE_EPOCH from the one build setting //toolchains/rules:source_date_epoch.
"""

load("@bazel_skylib//rules:common_settings.bzl", "BuildSettingInfo")

def _iso_image_impl(ctx):
    esp = ctx.actions.declare_file(ctx.label.name + ".esp.img")
    iso = ctx.actions.declare_file(ctx.label.name + ".iso")
    cmdline = ctx.actions.declare_file(ctx.label.name + ".cmdline.txt")
    ctx.actions.write(cmdline, ctx.attr.cmdline + "\n")
    tools_dir = ctx.file._mformat.dirname
    ctx.actions.run(
        executable = ctx.executable._script,
        arguments = [
            tools_dir,
            esp.path,
            iso.path,
            ctx.file.loader.path,
            ctx.file.kernel.path,
            ctx.file.root.path,
            ctx.file.initfs.path,
            cmdline.path,
        ],
        inputs = [ctx.file.loader, ctx.file.kernel, ctx.file.root, ctx.file.initfs, cmdline],
        tools = ctx.files._image_tools,
        outputs = [esp, iso],
        env = {"SOURCE_DATE_EPOCH": str(ctx.attr._source_date_epoch[BuildSettingInfo].value)},
        mnemonic = "IsoImage",
        progress_message = "Assembling %s" % iso.short_path,
    )
    # The parts for a boot without UEFI (run_qemu.sh --direct-boot: the Multiboot shim gets them
    # as modules), one "NAME PATH" line each, PATH relative to the runfiles root.
    parts = [
        ("kernel.elf", ctx.file.kernel),
        ("root.elf", ctx.file.root),
        ("initfs.tar.zst", ctx.file.initfs),
        ("cmdline.txt", cmdline),
    ]
    manifest = ctx.actions.declare_file(ctx.label.name + ".boot_files")
    ctx.actions.write(manifest, "".join(["%s %s\n" % (name, f.short_path) for name, f in parts]))
    return [
        DefaultInfo(
            files = depset([iso]),
            runfiles = ctx.runfiles(files = [iso, manifest] + [f for _, f in parts]),
        ),
        OutputGroupInfo(esp = depset([esp])),
    ]

iso_image = rule(
    implementation = _iso_image_impl,
    attrs = {
        "loader": attr.label(mandatory = True, allow_single_file = [".efi", ".EFI"]),
        "kernel": attr.label(mandatory = True, allow_single_file = True),
        "root": attr.label(mandatory = True, allow_single_file = True),
        "initfs": attr.label(mandatory = True, allow_single_file = True),
        "cmdline": attr.string(default = ""),
        "_source_date_epoch": attr.label(default = "//toolchains/rules:source_date_epoch"),
        "_script": attr.label(default = "//tools/image:make_iso.sh", executable = True, allow_single_file = True, cfg = "exec"),
        "_mformat": attr.label(default = "@system_tools//:bin/mformat", allow_single_file = True),
        "_image_tools": attr.label(default = "@system_tools//:image_tools"),
    },
    doc = "Bootable UEFI ISO; output group `esp` has the FAT boot image. Its runfiles also hold " +
          "NAME.boot_files and the parts it lists (run_qemu.sh --direct-boot).",
)
