// testing/bench/measure.cc — sample statistics and the report line (measure.h).
#include "testing/bench/measure.h"

#include <stdarg.h>

#include "lib/format/format.h"
#include "services/lib/print.h"

namespace hiillos::bench {

bool Samples::Finish() {
  if (count_ == 0) return false;
  // Insertion sort: a few thousand samples, once per row.
  for (size_t i = 1; i < count_; ++i) {
    uint64_t value = values_[i];
    size_t j = i;
    for (; j > 0 && values_[j - 1] > value; --j) values_[j] = values_[j - 1];
    values_[j] = value;
  }
  return true;
}

void Report(const char* name, const Samples& samples, const Samples* overhead) {
  uint64_t cost = overhead != nullptr ? overhead->Median() : 0;
  uint64_t median = samples.Median() > cost ? samples.Median() - cost : 0;
  uint64_t min = samples.Min() > cost ? samples.Min() - cost : 0;
  rt::Printf("bench: row %s | median %lu | min %lu | overhead %lu | n %lu", name, median, min, cost,
             static_cast<uint64_t>(samples.count()));
}

void Note(const char* format, ...) {
  char text[160];
  va_list args;
  va_start(args, format);
  format::VFormatToBuffer(text, sizeof(text), format, args);
  va_end(args);
  rt::Printf("bench: note %s", text);
}

void ReportMissing(const char* name, const char* why) {
  rt::Printf("bench: missing %s | %s", name, why);
}

}  // namespace hiillos::bench
