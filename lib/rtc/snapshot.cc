// lib/rtc/snapshot.cc — the read-until-stable loop over the CMOS accessor.
#include "lib/rtc/snapshot.h"

namespace hiillos::rtc {
namespace {

Result<void, Error> WaitForNoUpdate(CmosAccessor& cmos) {
  for (uint32_t poll = 0; poll < kMaxUpdatePolls; ++poll) {
    if ((cmos.Read(kRegStatusA) & kStatusAUpdateInProgress) == 0) return Ok<Error>();
  }
  return Err(Error::kUpdateStuck);
}

RawTime ReadRegisters(CmosAccessor& cmos, uint8_t century_register) {
  RawTime raw;
  raw.second = cmos.Read(kRegSeconds);
  raw.minute = cmos.Read(kRegMinutes);
  raw.hour = cmos.Read(kRegHours);
  raw.day = cmos.Read(kRegDayOfMonth);
  raw.month = cmos.Read(kRegMonth);
  raw.year = cmos.Read(kRegYear);
  if (century_register != 0) {
    raw.century = cmos.Read(century_register);
    raw.has_century = true;
  }
  raw.status_b = cmos.Read(kRegStatusB);
  return raw;
}

}  // namespace

Result<RawTime, Error> ReadSnapshot(CmosAccessor& cmos, uint8_t century_register) {
  if (century_register != 0 &&
      (century_register < kFirstRamRegister || century_register > kLastStandardRegister)) {
    return Err(Error::kBadCenturyRegister);
  }
  RawTime previous;
  bool have_previous = false;
  for (uint32_t attempt = 0; attempt < kMaxSnapshots; ++attempt) {
    TRY(WaitForNoUpdate(cmos));
    const RawTime current = ReadRegisters(cmos, century_register);
    if (have_previous && current == previous) return current;
    previous = current;
    have_previous = true;
  }
  return Err(Error::kUnstable);
}

}  // namespace hiillos::rtc
