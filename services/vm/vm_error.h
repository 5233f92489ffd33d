// services/vm/vm_error.h — VmError: why a vm server operation was refused (a closed set).
#pragma once

#include <stdint.h>

namespace hiillos::vm {

enum class VmError : uint8_t {
  kNoSuchProcess,     // no address space for that pid
  kProcessExists,     // CreateProcess of a pid that has one
  kProcessTableFull,  // kMaxProcesses address spaces already
  kDying,             // the process is being torn down
  kBadArgument,       // zero or unaligned size/address, bad alignment, unknown protection bits
  kWriteExecute,      // writable and executable at once (W^X)
  kOutsideUserSpace,  // the range leaves [kUserBase, kUserEnd)
  kOverlap,           // a fixed range meets an existing region
  kNoFreeRange,       // no free range of that size and alignment (with guard gaps)
  kTooManyRegions,    // the process would have more than kMaxRegions regions
  kOverBudget,        // the process's Memory budget would be exceeded
  kNotMapped,         // no region where the operation needs one
  kSplitsFrame,       // a partial unmap/protect of a frame-backed region (frames map whole)
  kNotShared,         // Share of a region that is not kShared
  kProtectionDenied,  // a share asks for more access than the source region has
  kFrameTableFull,    // kMaxFrames frames tracked already
  kSegfault,          // a fault outside any region or against its protection: the process dies
  kAlreadyResident,   // CommitPage of a page that already has its frame
};

const char* VmErrorName(VmError error);

}  // namespace hiillos::vm
