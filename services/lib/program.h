// services/lib/program.h — the entry contract of programs started by a spawner
// (services/lib/loader.h; every program except root): the runtime decodes the start
// information block (docs/startinfo.md), sets up the heap when the program was given "memory"
// and "vmem" capabilities, and calls ProgramMain; its return value is the exit code.
#pragma once

#include <stdint.h>

#include "lib/startinfo/start_info.h"

// Defined by each program. `start` stays valid for the program's whole life.
int ProgramMain(const hiillos::startinfo::StartInfo& start);

namespace hiillos::rt {

// Exit codes of the runtime itself: the start block did not decode (ProgramMain never ran);
// operator new found no memory (malloc.cc).
inline constexpr int kExitBadStartInfo = 125;
inline constexpr int kExitOutOfMemory = 124;

// The handle of the initial capability named `name`, 0 when the program has none.
uint32_t FindCap(const startinfo::StartInfo& start, const char* name);
// argv[i] as a C string (the block keeps each string NUL-terminated).
const char* Arg(const startinfo::StartInfo& start, uint64_t index);
// True while malloc/new can get pages (the program has "memory" and "vmem").
bool HeapAvailable();

}  // namespace hiillos::rt
