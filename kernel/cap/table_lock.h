// kernel/cap/table_lock.h — the capability table's lock type. In the kernel it disables
// interrupts while held (kernel threads are preemptible: a preempted holder must not leave a
// higher-priority thread on the same CPU spinning); host tests cannot execute cli, so they use
// the plain SpinLock — same algorithm, same annotations.
#pragma once

#include "kernel/arch/spinlock.h"

namespace hiillos::cap {

#if __STDC_HOSTED__
using TableLock = SpinLock;
#else
using TableLock = IrqSpinLock;
#endif
using TableLockGuard = LockGuard<TableLock>;

}  // namespace hiillos::cap
