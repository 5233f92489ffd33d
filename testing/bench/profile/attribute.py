#!/usr/bin/env python3
# testing/bench/profile/attribute.py — instructions per function over one period of a PC trace
# (trace_pcs.py): the period runs from one SyscallEntry to the PERIOD-th next one (1 for the null
# syscall, 2 for a round trip: Call + ReplyRecv), taken after the first PERIOD entries of the
# trace; kernel PCs are symbolized from the kernel ELF, user PCs from the program's ELF.
#   attribute.py KERNEL_ELF USER_ELF PCS PERIOD
import collections
import re
import subprocess
import sys


def symbols(elf, addresses):
    if not addresses:
        return {}
    text = subprocess.run(
        ["llvm-symbolizer-14", "--obj=" + elf, "--functions=linkage", "--demangle",
         "--no-inlines"] + ["0x%x" % a for a in addresses],
        capture_output=True, text=True, check=True).stdout
    names = {}
    for address, block in zip(addresses, text.strip("\n").split("\n\n")):
        name = block.split("\n")[0]
        # Drop the parameter list (keep "(anonymous namespace)").
        names[address] = re.sub(r"\((?!anonymous)[^()]*(\([^()]*\))*[^()]*\)( const)?$", "", name)
    return names


def main():
    kernel_elf, user_elf, pcs_path, period = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    pcs = [int(line, 16) for line in open(pcs_path) if line.strip()]
    nm = subprocess.run(["llvm-nm-14", kernel_elf], capture_output=True, text=True, check=True)
    entry = next(int(f[0], 16) for f in (l.split() for l in nm.stdout.splitlines())
                 if len(f) == 3 and f[2] == "SyscallEntry")
    hits = [i for i, pc in enumerate(pcs) if pc == entry]
    if len(hits) < 2 * period + 1:
        sys.exit("attribute.py: the trace holds fewer than two periods; raise the step count")
    window = pcs[hits[period]:hits[2 * period]]
    kernel = symbols(kernel_elf, sorted({pc for pc in window if pc >= 1 << 63}))
    user = symbols(user_elf, sorted({pc for pc in window if pc < 1 << 63}))
    counts = collections.Counter(
        kernel[pc] if pc in kernel else "user: " + user.get(pc, "?") for pc in window)
    in_kernel = sum(n for name, n in counts.items() if not name.startswith("user: "))
    print("one period: %d instructions, %d in the kernel, %d in user mode"
          % (len(window), in_kernel, len(window) - in_kernel))
    for name, n in counts.most_common():
        print("%6d  %s" % (n, name))


if __name__ == "__main__":
    main()
