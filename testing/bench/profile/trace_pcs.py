# testing/bench/profile/trace_pcs.py — gdb (Python) script: records the program counters one vCPU
# of the benchmark image executes, instruction by instruction, around the null syscall and the
# one-CPU IPC round trip (profile.sh runs it; docs/performance.md, "Where the instructions go").
#
# Environment: PORT (QEMU's gdb stub), ENTRY (SyscallEntry's address), FAST (IpcFastPath's),
# NULL_NUMBER (the benchmark's invalid syscall number), OUT (directory for null.pcs, ipc.pcs).
# Optional: NULL_STEPS, IPC_STEPS, IPC_SKIP (fast-path calls to let pass first: the warm-up).
import os
import time

import gdb


def record(steps, path):
    with open(path, "w") as out:
        for _ in range(steps):
            out.write("%x\n" % (int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF))
            gdb.execute("stepi", to_string=True)


gdb.execute("set pagination off")
for attempt in range(60):  # QEMU opens the stub soon after it starts; OVMF runs seconds longer
    try:
        gdb.execute("target remote 127.0.0.1:%s" % os.environ["PORT"])
        break
    except gdb.error:
        time.sleep(0.5)
else:
    raise gdb.GdbError("no gdb stub on port %s" % os.environ["PORT"])
out_dir = os.environ["OUT"]
# The null syscall row: SYSCALL entries with the invalid number, after 200 of them.
stop = gdb.Breakpoint("*0x%x" % int(os.environ["ENTRY"], 16))
stop.condition = "$rax == %d" % int(os.environ["NULL_NUMBER"])
stop.ignore_count = 200
gdb.execute("continue")
stop.delete()
record(int(os.environ.get("NULL_STEPS", "700")), os.path.join(out_dir, "null.pcs"))
# The first IPC row (same address space, one CPU), inside its warm-up.
stop = gdb.Breakpoint("*0x%x" % int(os.environ["FAST"], 16))
stop.ignore_count = int(os.environ.get("IPC_SKIP", "1500"))
gdb.execute("continue")
stop.delete()
record(int(os.environ.get("IPC_STEPS", "6000")), os.path.join(out_dir, "ipc.pcs"))
gdb.execute("kill")
