"""symbolized_kernel: a linked kernel with its .ksyms section filled from its own symbol table.

The kernel reserves a fixed-size .ksyms section at link time (//kernel/panic:kernel_symbols);
this macro runs //tools/symbols:ksyms_build on the linked ELF (host tool) and writes the blob
into that section with llvm-objcopy --update-section, which moves no address. The panic path
reads it to print `  #1 0xffffffff80001234 KernelMain+0x34` backtraces.
"""

def symbolized_kernel(name, kernel, out, **kwargs):
    """Defines `name` (the symbolised ELF `out`) and `name + "_ksyms"` (the blob, same visibility).

    Args:
      name: target name of the symbolised kernel.
      kernel: label of the linked kernel ELF (a single file, e.g. a platform_binary).
      out: output file name, e.g. "kernel.elf".
      **kwargs: passed to the final genrule (visibility, tags, ...).
    """
    blob = name + "_ksyms"
    native.genrule(
        name = blob,
        srcs = [kernel],
        outs = [name + ".ksyms"],
        tools = ["//tools/symbols:ksyms_build"],
        cmd = "$(execpath //tools/symbols:ksyms_build) $< $@",
        visibility = kwargs.get("visibility"),
        testonly = kwargs.get("testonly"),
    )
    native.genrule(
        name = name,
        srcs = [kernel, ":" + blob],
        outs = [out],
        tools = ["@system_tools//:bin/llvm-objcopy"],
        cmd = ("$(execpath @system_tools//:bin/llvm-objcopy) --update-section " +
               ".ksyms=$(execpath :%s) $(execpath %s) $@") % (blob, kernel),
        **kwargs
    )
