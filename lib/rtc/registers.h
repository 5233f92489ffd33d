// lib/rtc/registers.h — the MC146818-compatible CMOS RTC register map (Intel PCH datasheets,
// "RTC Registers"; the layout every PC chipset and QEMU keep) and the accessor timed reads it
// through.
#pragma once

#include <stdint.h>

namespace hiillos::rtc {

// Reads one CMOS register. timed implements it with ports 0x70 (index, keeping the NMI-disable
// bit 7 as it was) and 0x71 (data); tests with a scripted register file.
class CmosAccessor {
 public:
  virtual uint8_t Read(uint8_t index) = 0;

 protected:
  ~CmosAccessor() = default;
};

inline constexpr uint8_t kRegSeconds = 0x00;
inline constexpr uint8_t kRegMinutes = 0x02;
inline constexpr uint8_t kRegHours = 0x04;
inline constexpr uint8_t kRegDayOfMonth = 0x07;
inline constexpr uint8_t kRegMonth = 0x08;
inline constexpr uint8_t kRegYear = 0x09;
inline constexpr uint8_t kRegStatusA = 0x0A;
inline constexpr uint8_t kRegStatusB = 0x0B;
// The first index that is plain CMOS RAM, and the end of the standard bank.
inline constexpr uint8_t kFirstRamRegister = 0x0E;
inline constexpr uint8_t kLastStandardRegister = 0x7F;

inline constexpr uint8_t kStatusAUpdateInProgress = 1u << 7;
inline constexpr uint8_t kStatusB24Hour = 1u << 1;  // else 12-hour with the PM flag
inline constexpr uint8_t kStatusBBinary = 1u << 2;  // else BCD
inline constexpr uint8_t kHourPm = 1u << 7;         // 12-hour mode only

}  // namespace hiillos::rtc
