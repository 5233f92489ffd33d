// kernel/arch/x86_64/idle_time.cc — the per-CPU idle-time accounts (idle_time.h).
#include "kernel/arch/x86_64/idle_time.h"

namespace hiillos::arch {

IdleAccount g_idle_accounts[kMaxCpus];

}  // namespace hiillos::arch
