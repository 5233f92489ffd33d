// services/lib/program_start.cc — UserMain for spawned programs: start block → heap → ProgramMain.
#include "lib/startinfo/start_info.h"
#include "services/lib/heap_glue.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/start.h"

namespace hiillos::rt {

uint32_t FindCap(const startinfo::StartInfo& start, const char* name) {
  size_t length = 0;
  while (name[length] != '\0') ++length;
  return start.FindCap(startinfo::Text{name, length});
}

const char* Arg(const startinfo::StartInfo& start, uint64_t index) {
  return index < start.arg_count() ? start.Arg(index).data : nullptr;
}

}  // namespace hiillos::rt

// rdi = the block's address, rsi = its size (process_layout.h).
int UserMain(uint64_t block_address, uint64_t block_size) {
  using namespace hiillos;
  auto start = startinfo::StartInfo::Decode(reinterpret_cast<const uint8_t*>(block_address),
                                            static_cast<size_t>(block_size));
  if (!start.ok()) {
    rt::Printf("program: bad start information block: %s", startinfo::ErrorName(start.error()));
    return rt::kExitBadStartInfo;
  }
  const startinfo::StartInfo& info = start.value();  // lives as long as the program
  rt::SetLogHandle(rt::FindCap(info, "log"));        // 0 (no log capability): output is dropped
  const uint32_t memory = rt::FindCap(info, "memory");
  const uint32_t vmem = rt::FindCap(info, "vmem");
  if (memory != 0 && vmem != 0) {
    rt::InitPages(memory, vmem);
    rt::InitHeap();
  }
  return ProgramMain(info);
}
