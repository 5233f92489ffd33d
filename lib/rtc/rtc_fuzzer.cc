// lib/rtc/rtc_fuzzer.cc — libFuzzer target: any register bytes either decode to a date that
// is in range, re-encodes to the same bytes and matches the host's timegm, or are an error;
// the read protocol over a CMOS whose every read comes from the input always ends.
#include <fuzzer/FuzzedDataProvider.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/rtc/decode.h"
#include "lib/rtc/testing/encode.h"
#include "lib/rtc/testing/host_time.h"

namespace hiillos::rtc {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Every read is the next input byte; 0 (no update in progress, a stable clock) once they run
// out.
class FuzzedCmos final : public CmosAccessor {
 public:
  explicit FuzzedCmos(FuzzedDataProvider& data) : data_(data) {}
  uint8_t Read(uint8_t index) override {
    Check(index <= kLastStandardRegister);
    ++reads_;
    return data_.remaining_bytes() > 0 ? data_.ConsumeIntegral<uint8_t>() : 0;
  }
  uint64_t reads() const { return reads_; }

 private:
  FuzzedDataProvider& data_;
  uint64_t reads_ = 0;
};

void CheckDecoded(const RawTime& raw, const DateTime& time) {
  Check(time.month >= 1 && time.month <= 12);
  Check(time.day >= 1 && time.day <= DaysInMonth(time.year, time.month));
  Check(time.hour <= 23 && time.minute <= 59 && time.second <= 59);
  Check(time.year >= 1900 && time.year <= 9999);
  const testing::Mode mode{.binary = (raw.status_b & kStatusBBinary) != 0,
                           .hour24 = (raw.status_b & kStatusB24Hour) != 0,
                           .century_register = raw.has_century};
  RawTime again = testing::EncodeTime(time, mode);
  again.status_b = raw.status_b;
  Check(again == raw);
  Check(UnixSeconds(time) == testing::HostTimegm(time));
}

}  // namespace
}  // namespace hiillos::rtc

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  using namespace hiillos::rtc;
  FuzzedDataProvider data(bytes, size);
  RawTime raw;
  raw.second = data.ConsumeIntegral<uint8_t>();
  raw.minute = data.ConsumeIntegral<uint8_t>();
  raw.hour = data.ConsumeIntegral<uint8_t>();
  raw.day = data.ConsumeIntegral<uint8_t>();
  raw.month = data.ConsumeIntegral<uint8_t>();
  raw.year = data.ConsumeIntegral<uint8_t>();
  raw.has_century = data.ConsumeBool();
  raw.century = raw.has_century ? data.ConsumeIntegral<uint8_t>() : 0;
  raw.status_b = data.ConsumeIntegral<uint8_t>();
  auto decoded = DecodeTime(raw);
  if (decoded.ok()) CheckDecoded(raw, decoded.value());

  const uint8_t century_register = data.ConsumeIntegral<uint8_t>();
  const size_t script_bytes = data.remaining_bytes();
  FuzzedCmos cmos(data);
  auto snapshot = ReadSnapshot(cmos, century_register);
  // Once the input is spent every read is 0: the snapshot it ran out in, one quiet snapshot
  // and a second that matches it (9 reads each at most) end the protocol.
  Check(cmos.reads() <= script_bytes + 3 * 9 || !snapshot.ok());
  Check(cmos.reads() <= uint64_t{kMaxSnapshots} * (kMaxUpdatePolls + 8));
  if (snapshot.ok()) {
    auto time = DecodeTime(snapshot.value());
    if (time.ok()) CheckDecoded(snapshot.value(), time.value());
  }
  return 0;
}
