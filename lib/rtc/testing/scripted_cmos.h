// lib/rtc/testing/scripted_cmos.h — a CmosAccessor whose registers change after given numbers
// of reads: an update that keeps UIP set for a while, a clock that ticks between reads.
#pragma once

#include <stdint.h>

#include <vector>

#include "lib/rtc/registers.h"
#include "lib/rtc/snapshot.h"

namespace hiillos::rtc::testing {

class ScriptedCmos final : public CmosAccessor {
 public:
  // The register file from read number `from_read` on (until a later phase starts).
  struct Phase {
    uint64_t from_read = 0;
    uint8_t registers[128] = {};
  };

  static Phase PhaseOf(uint64_t from_read, const RawTime& raw, uint8_t century_register,
                       bool update_in_progress) {
    Phase phase;
    phase.from_read = from_read;
    phase.registers[kRegSeconds] = raw.second;
    phase.registers[kRegMinutes] = raw.minute;
    phase.registers[kRegHours] = raw.hour;
    phase.registers[kRegDayOfMonth] = raw.day;
    phase.registers[kRegMonth] = raw.month;
    phase.registers[kRegYear] = raw.year;
    phase.registers[kRegStatusA] = update_in_progress ? kStatusAUpdateInProgress | 0x26 : 0x26;
    phase.registers[kRegStatusB] = raw.status_b;
    if (century_register != 0) phase.registers[century_register] = raw.century;
    return phase;
  }

  // Phases must be sorted by from_read, the first from 0.
  explicit ScriptedCmos(std::vector<Phase> phases) : phases_(std::move(phases)) {}

  uint8_t Read(uint8_t index) override {
    const Phase* current = &phases_.front();
    for (const Phase& phase : phases_) {
      if (phase.from_read <= reads_) current = &phase;
    }
    ++reads_;
    return index < 128 ? current->registers[index] : 0xFF;
  }

  uint64_t reads() const { return reads_; }

 private:
  std::vector<Phase> phases_;
  uint64_t reads_ = 0;
};

}  // namespace hiillos::rtc::testing
