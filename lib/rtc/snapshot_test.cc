// lib/rtc/snapshot_test.cc — the update-in-progress protocol over a scripted CMOS: waiting for
// UIP, retrying until two reads match, giving up when UIP sticks or the time never settles.
#include "lib/rtc/snapshot.h"

#include <gtest/gtest.h>

#include "lib/rtc/decode.h"
#include "lib/rtc/testing/encode.h"
#include "lib/rtc/testing/scripted_cmos.h"

namespace hiillos::rtc {
namespace {

using testing::EncodeTime;
using testing::Mode;
using testing::ScriptedCmos;

constexpr uint8_t kCentury = 0x32;  // where QEMU's and most PCs' FADT put it
// Reads per snapshot: status A once (UIP clear), six time fields, the century, status B.
constexpr uint64_t kReadsPerSnapshot = 9;

const RawTime kFirst = EncodeTime(DateTime{2024, 1, 1, 0, 0, 0}, Mode{});
const RawTime kSecond = EncodeTime(DateTime{2024, 1, 1, 0, 0, 1}, Mode{});

TEST(ReadSnapshot, StableClockTakesTwoReads) {
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, kFirst, kCentury, false)});
  auto raw = ReadSnapshot(cmos, kCentury);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.value(), kFirst);
  EXPECT_EQ(cmos.reads(), 2 * kReadsPerSnapshot);
}

TEST(ReadSnapshot, NoCenturyRegisterIsNotRead) {
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, kFirst, 0, false)});
  auto raw = ReadSnapshot(cmos, 0);
  ASSERT_TRUE(raw.ok());
  EXPECT_FALSE(raw.value().has_century);
  EXPECT_EQ(cmos.reads(), 2 * (kReadsPerSnapshot - 1));
}

TEST(ReadSnapshot, WaitsWhileUpdateInProgress) {
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, kFirst, kCentury, true),
                     ScriptedCmos::PhaseOf(100, kSecond, kCentury, false)});
  auto raw = ReadSnapshot(cmos, kCentury);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.value(), kSecond);
  EXPECT_EQ(cmos.reads(), 100 + 2 * kReadsPerSnapshot);
}

TEST(ReadSnapshot, TickBetweenReadsTakesAThird) {
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, kFirst, kCentury, false),
                     ScriptedCmos::PhaseOf(kReadsPerSnapshot, kSecond, kCentury, false)});
  auto raw = ReadSnapshot(cmos, kCentury);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.value(), kSecond);
  EXPECT_EQ(cmos.reads(), 3 * kReadsPerSnapshot);
}

TEST(ReadSnapshot, TornReadIsNeverReturned) {
  // 23:59:59 -> 00:00:00 next year, changing after the hour was read: the first read mixes
  // both (seconds 59, new year).
  const RawTime before = EncodeTime(DateTime{2023, 12, 31, 23, 59, 59}, Mode{});
  const RawTime after = EncodeTime(DateTime{2024, 1, 1, 0, 0, 0}, Mode{});
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, before, kCentury, false),
                     ScriptedCmos::PhaseOf(4, after, kCentury, false)});
  auto raw = ReadSnapshot(cmos, kCentury);
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw.value(), after);
}

TEST(ReadSnapshot, StuckUpdateIsAnError) {
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, kFirst, kCentury, true)});
  auto raw = ReadSnapshot(cmos, kCentury);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error(), Error::kUpdateStuck);
  EXPECT_EQ(cmos.reads(), kMaxUpdatePolls);
}

TEST(ReadSnapshot, ClockThatNeverSettlesIsAnError) {
  std::vector<ScriptedCmos::Phase> phases;
  for (uint64_t i = 0; i <= kMaxSnapshots; ++i) {
    const RawTime raw = EncodeTime(DateTime{2024, 1, 1, 0, 0, static_cast<uint8_t>(i)}, Mode{});
    phases.push_back(ScriptedCmos::PhaseOf(i * kReadsPerSnapshot, raw, kCentury, false));
  }
  ScriptedCmos cmos(phases);
  auto raw = ReadSnapshot(cmos, kCentury);
  ASSERT_FALSE(raw.ok());
  EXPECT_EQ(raw.error(), Error::kUnstable);
  EXPECT_EQ(cmos.reads(), kMaxSnapshots * kReadsPerSnapshot);
}

TEST(ReadSnapshot, CenturyRegisterMustBeCmosRam) {
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, kFirst, kCentury, false)});
  EXPECT_EQ(ReadSnapshot(cmos, 0x0B).error(), Error::kBadCenturyRegister);
  EXPECT_EQ(ReadSnapshot(cmos, 0x80).error(), Error::kBadCenturyRegister);
  EXPECT_EQ(cmos.reads(), 0u);
  EXPECT_TRUE(ReadSnapshot(cmos, 0x0E).ok());
  EXPECT_TRUE(ReadSnapshot(cmos, 0x7F).ok());
}

TEST(ReadUnixTime, EndToEnd) {
  const RawTime binary12 =
      EncodeTime(DateTime{2024, 1, 1, 15, 4, 5}, Mode{.binary = true, .hour24 = false});
  ScriptedCmos cmos({ScriptedCmos::PhaseOf(0, binary12, kCentury, true),
                     ScriptedCmos::PhaseOf(10, binary12, kCentury, false)});
  auto seconds = ReadUnixTime(cmos, kCentury);
  ASSERT_TRUE(seconds.ok());
  EXPECT_EQ(seconds.value(), 1704067200 + 15 * 3600 + 4 * 60 + 5);

  RawTime bad = kFirst;
  bad.month = 0x13;
  ScriptedCmos bad_cmos({ScriptedCmos::PhaseOf(0, bad, kCentury, false)});
  EXPECT_EQ(ReadUnixTime(bad_cmos, kCentury).error(), Error::kBadMonth);
}

}  // namespace
}  // namespace hiillos::rtc
