// services/vm/vm_error.cc — human-readable names of vm::VmError values.
#include "services/vm/vm_error.h"

namespace hiillos::vm {

const char* VmErrorName(VmError error) {
  switch (error) {
    case VmError::kNoSuchProcess:
      return "no such process";
    case VmError::kProcessExists:
      return "process already has an address space";
    case VmError::kProcessTableFull:
      return "too many processes";
    case VmError::kDying:
      return "process is being torn down";
    case VmError::kBadArgument:
      return "bad size, address, alignment or protection";
    case VmError::kWriteExecute:
      return "writable and executable (W^X)";
    case VmError::kOutsideUserSpace:
      return "range outside user space";
    case VmError::kOverlap:
      return "range overlaps a region";
    case VmError::kNoFreeRange:
      return "no free range";
    case VmError::kTooManyRegions:
      return "too many regions";
    case VmError::kOverBudget:
      return "memory budget exceeded";
    case VmError::kNotMapped:
      return "not mapped";
    case VmError::kSplitsFrame:
      return "would split a frame-backed region";
    case VmError::kNotShared:
      return "region is not shared memory";
    case VmError::kProtectionDenied:
      return "more access than the source region";
    case VmError::kFrameTableFull:
      return "frame table full";
    case VmError::kSegfault:
      return "segmentation fault";
    case VmError::kAlreadyResident:
      return "page already resident";
  }
  return "unknown vm error";
}

}  // namespace hiillos::vm
