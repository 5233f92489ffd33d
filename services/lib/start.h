// services/lib/start.h — the program entry contract of hiillos user programs.
//
// The runtime's _start (start.cc) aligns the stack, calls UserMain with the two values the
// creator put in rdi and rsi (for the root process: the BootInfo address and the highest
// initial handle, uapi/initial_caps.h), and ends the thread with UserMain's return value as
// its ThreadExit code.
#pragma once

#include <stdint.h>

// Defined by each program.
int UserMain(uint64_t arg0, uint64_t arg1);
