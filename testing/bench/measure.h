// testing/bench/measure.h — how the benchmark image measures: TSC reads that the compiler
// cannot move across the measured code, sample sets with median and minimum, and the report
// line each benchmark prints (parsed by testing/bench/run_bench.sh).
//
// Method (sel4bench's): each sample is a TSC difference taken around one operation; the same
// code with a NOP where the operation was is measured as the overhead, and the report gives
// the operation minus that overhead. Under QEMU `-icount shift=7,sleep=off` the guest TSC
// advances exactly 128 per executed instruction, so ticks / 128 are guest instructions.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "testing/lib/tsc.h"

namespace hiillos::bench {

using testing_lib::ReadTsc;  // testing/lib/tsc.h

// A fixed-capacity set of samples (TSC ticks).
class Samples {
 public:
  static constexpr size_t kCapacity = 4096;

  void Add(uint64_t ticks) {
    if (count_ < kCapacity) values_[count_++] = ticks;
  }
  size_t count() const { return count_; }
  uint64_t At(size_t index) const { return values_[index]; }
  void Clear() { count_ = 0; }
  // Sorts in place; then Median()/Min() are valid. Returns false when empty.
  bool Finish();
  uint64_t Median() const { return values_[count_ / 2]; }
  uint64_t Min() const { return values_[0]; }

 private:
  uint64_t values_[kCapacity];
  size_t count_ = 0;
};

// Prints one table row: `bench: row <name> | median <ticks> | min <ticks> | overhead <ticks> |
// n <count>` (overhead: the median of the NOP variant, already subtracted from median and min).
// `samples` and `overhead` must be Finish()ed.
void Report(const char* name, const Samples& samples, const Samples* overhead);
// A line the runner prints under the table (what a row's figure came from).
void Note(const char* format, ...) __attribute__((format(printf, 1, 2)));
// A row that could not be measured (the reason in the log instead of numbers).
void ReportMissing(const char* name, const char* why);

}  // namespace hiillos::bench
