"""fat_image: a FAT32 data disk image from files, bit-for-bit reproducible (pinned mtools)."""

def _fat_image_impl(ctx):
    out = ctx.actions.declare_file(ctx.attr.out or ctx.label.name + ".img")
    arguments = [
        ctx.file._mformat.dirname,
        out.path,
        str(ctx.attr.size_mib),
        ctx.attr.serial,
        ctx.attr.volume_label,
    ]
    inputs = []
    for target, dest in ctx.attr.files.items():  # the script adds them in sorted order
        files = target.files.to_list()
        if len(files) != 1:
            fail("%s must be exactly one file (it goes to %s)" % (target.label, dest))
        inputs.append(files[0])
        arguments += [files[0].path, dest]
    ctx.actions.run(
        executable = ctx.executable._script,
        arguments = arguments,
        inputs = inputs,
        tools = ctx.files._tools,
        outputs = [out],
        env = {"SOURCE_DATE_EPOCH": ctx.attr.source_date_epoch},
        mnemonic = "FatImage",
        progress_message = "Building FAT32 image %s" % out.short_path,
    )
    return [DefaultInfo(files = depset([out]), runfiles = ctx.runfiles(files = [out]))]

fat_image = rule(
    implementation = _fat_image_impl,
    attrs = {
        "files": attr.label_keyed_string_dict(
            allow_files = True,
            doc = "Each file (one per label) and its path on the volume, e.g. \"/etc/fstab\".",
        ),
        "size_mib": attr.int(mandatory = True, doc = "Image size; FAT32 needs at least 33 MiB."),
        "serial": attr.string(default = "48494c4c", doc = "Volume serial (hex), fixed for reproducibility."),
        "volume_label": attr.string(default = "HIILLOS"),
        "source_date_epoch": attr.string(default = "1700000000"),
        "out": attr.string(doc = "Output file name; defaults to <name>.img."),
        "_script": attr.label(
            default = "//tools/image:make_fat_image.sh",
            executable = True,
            allow_single_file = True,
            cfg = "exec",
        ),
        "_mformat": attr.label(default = "@system_tools//:bin/mformat", allow_single_file = True),
        "_tools": attr.label(default = "@system_tools//:fat_tools"),
    },
    doc = "A FAT32 disk image holding `files`, built reproducibly with mformat/mmd/mcopy.",
)
