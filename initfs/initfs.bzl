"""initfs_archive: packs files into the initfs, a deterministic zstd-compressed ustar archive."""

def _initfs_archive_impl(ctx):
    output = ctx.actions.declare_file(ctx.label.name + ".tar.zst")
    args = ctx.actions.args()
    args.add("--output", output)
    args.add("--level", str(ctx.attr.level))
    inputs = []
    for target, dest in ctx.attr.files.items():
        files = target.files.to_list()
        if len(files) != 1:
            fail("%s must provide exactly one file for '%s', it provides %d" %
                 (target.label, dest, len(files)))
        inputs.append(files[0])
        args.add("%s=%s" % (dest, files[0].path))
    ctx.actions.run(
        executable = ctx.executable.packer,
        arguments = [args],
        inputs = inputs,
        outputs = [output],
        mnemonic = "InitfsPack",
        progress_message = "Packing initfs %s" % output.short_path,
    )
    return [DefaultInfo(files = depset([output]), runfiles = ctx.runfiles(files = [output]))]

initfs_archive = rule(
    implementation = _initfs_archive_impl,
    doc = """Packs `files` into `<name>.tar.zst`.

Entries are sorted, parent directories are explicit, mtime/uid/gid are 0 and modes are 0755
(executable sources, directories) or 0644, so the same inputs always give the same bytes.
""",
    attrs = {
        "files": attr.label_keyed_string_dict(
            allow_files = True,
            mandatory = True,
            doc = "Each label (one file) → its path inside the archive, e.g. \"sbin/init\".",
        ),
        "level": attr.int(
            default = 19,
            doc = "zstd compression level (1..22); part of the output's identity.",
        ),
        "packer": attr.label(
            default = Label("//tools/initfs:initfs_pack"),
            executable = True,
            cfg = "exec",
            doc = "The packing tool, built for the machine that runs the build.",
        ),
    },
)
