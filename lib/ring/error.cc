// lib/ring/error.cc — human-readable names of ring::Error values.
#include "lib/ring/error.h"

namespace hiillos::ring {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kMisalignedRegion:
      return "ring region not cache-line aligned";
    case Error::kRegionTooSmall:
      return "ring does not fit its region";
    case Error::kBadGeometry:
      return "bad ring geometry";
    case Error::kBadMagic:
      return "not a ring header";
    case Error::kSlotSizeMismatch:
      return "ring slot size differs from the expected one";
    case Error::kCorruptIndices:
      return "ring indices out of range";
  }
  return "unknown ring error";
}

}  // namespace hiillos::ring
