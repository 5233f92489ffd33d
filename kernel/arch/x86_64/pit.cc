// kernel/arch/x86_64/pit.cc — TSC calibration against 8254 PIT channel 2 (1.193182 MHz).
#include "kernel/arch/x86_64/pit.h"

#include "lib/x86/cpu.h"
#include "lib/x86/port_io.h"

namespace hiillos::arch {
namespace {
constexpr uint64_t kPitHz = 1193182;
constexpr uint16_t kChannel2Data = 0x42, kCommand = 0x43, kSpeakerGate = 0x61;
}  // namespace

uint64_t MeasureTscHzWithPit(uint32_t milliseconds) {
  uint64_t count = kPitHz * milliseconds / 1000;
  if (count == 0 || count > 0xffff) return 0;
  // Gate on, speaker off; channel 2, lobyte/hibyte, mode 0 (interrupt on terminal count).
  x86::Out8(kSpeakerGate, (x86::In8(kSpeakerGate) & ~0x02) | 0x01);
  x86::Out8(kCommand, 0b10110000);
  x86::Out8(kChannel2Data, count & 0xff);
  x86::Out8(kChannel2Data, count >> 8);
  // Restart the count by toggling the gate.
  uint8_t gate = x86::In8(kSpeakerGate);
  x86::Out8(kSpeakerGate, gate & ~0x01);
  x86::Out8(kSpeakerGate, gate | 0x01);
  uint64_t start = x86::ReadTsc();
  // OUT2 (bit 5 of port 0x61) goes high at terminal count. Bound the wait by TSC (~10 G ticks).
  while ((x86::In8(kSpeakerGate) & 0x20) == 0) {
    if (x86::ReadTsc() - start > 10'000'000'000ull) return 0;
  }
  uint64_t elapsed = x86::ReadTsc() - start;
  return elapsed * 1000 / milliseconds;
}

}  // namespace hiillos::arch
