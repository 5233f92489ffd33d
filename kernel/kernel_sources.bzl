"""kernel_sources: the source files linked into a kernel image, found by walking its deps.

`<name>.manifest` lists one `label<TAB>path` line per source or header of every //kernel target
the image links (built for the kernel platform, like the image). The files come along as
runfiles, so tests can read them: //kernel/arch:boundary_test (no arch internals outside
kernel/arch) and the linkage tests of ktest_library (kernel/test/ktest_library.bzl).
`<name>.edges` (next to it, in the runfiles) lists one `label<TAB>dependency` line per
dependency between two of those targets (//kernel:package_graph_test).
"""

load("//toolchains/rules:platform_binary.bzl", "platform_transition")

KernelSourcesInfo = provider(
    doc = "Source files of //kernel targets in a dependency graph.",
    fields = {
        "entries": "depset of 'label<TAB>path' strings",
        "files": "depset of source Files",
        "edges": "depset of 'label<TAB>dependency label' strings",
    },
)

_SOURCE_ATTRS = ["srcs", "hdrs", "textual_hdrs"]

def _in_kernel(label):
    return label.workspace_name == "" and (label.package == "kernel" or label.package.startswith("kernel/"))

def _kernel_sources_aspect_impl(target, ctx):
    entries = []
    files = []
    if _in_kernel(target.label):
        for attr in _SOURCE_ATTRS:
            for dep in getattr(ctx.rule.attr, attr, []):
                for f in dep.files.to_list():
                    if f.is_source:
                        files.append(f)
                        entries.append("%s\t%s" % (target.label, f.short_path))
    deps = [d for d in getattr(ctx.rule.attr, "deps", []) if KernelSourcesInfo in d]
    edges = []
    if _in_kernel(target.label):
        edges = ["%s\t%s" % (target.label, d.label) for d in deps if _in_kernel(d.label)]
    return [KernelSourcesInfo(
        edges = depset(edges, transitive = [d[KernelSourcesInfo].edges for d in deps]),
        entries = depset(entries, transitive = [d[KernelSourcesInfo].entries for d in deps]),
        files = depset(files, transitive = [d[KernelSourcesInfo].files for d in deps]),
    )]

_kernel_sources_aspect = aspect(
    implementation = _kernel_sources_aspect_impl,
    attr_aspects = ["deps"],
)

def _kernel_sources_impl(ctx):
    info = ctx.attr.image[0][KernelSourcesInfo]
    manifest = ctx.actions.declare_file(ctx.label.name + ".manifest")
    ctx.actions.write(manifest, "\n".join(sorted(info.entries.to_list())) + "\n")
    edges = ctx.actions.declare_file(ctx.label.name + ".edges")
    ctx.actions.write(edges, "\n".join(sorted(info.edges.to_list())) + "\n")
    return [DefaultInfo(
        files = depset([manifest]),
        runfiles = ctx.runfiles(files = [manifest, edges], transitive_files = info.files),
    )]

kernel_sources = rule(
    implementation = _kernel_sources_impl,
    attrs = {
        "image": attr.label(
            mandatory = True,
            cfg = platform_transition,
            aspects = [_kernel_sources_aspect],
            doc = "The image's cc_binary (kernel_image's `<name>_elf`).",
        ),
        "platform": attr.label(default = "//toolchains/platforms:x86_64_kernel"),
        "_allowlist_function_transition": attr.label(
            default = "@bazel_tools//tools/allowlists/function_transition_allowlist",
        ),
    },
    doc = "A manifest (and runfiles) of the //kernel sources linked into `image`.",
)
