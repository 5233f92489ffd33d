// kernel/arch/x86_64/exception_info.h — names of the 32 exception vectors and error-code decoders.
//
// Pure functions (host-tested). Vector table: Intel SDM Vol.3A §6.3.1, Table 6-1; page-fault
// error code: §4.7, Figure 4-12; selector error code: §6.13, Figure 6-6.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::arch {

inline constexpr uint8_t kVectorDivideError = 0;
inline constexpr uint8_t kVectorNmi = 2;
inline constexpr uint8_t kVectorBreakpoint = 3;
inline constexpr uint8_t kVectorInvalidOpcode = 6;
inline constexpr uint8_t kVectorDoubleFault = 8;
inline constexpr uint8_t kVectorSegmentNotPresent = 11;
inline constexpr uint8_t kVectorStackFault = 12;
inline constexpr uint8_t kVectorGeneralProtection = 13;
inline constexpr uint8_t kVectorPageFault = 14;
inline constexpr uint8_t kVectorMachineCheck = 18;
inline constexpr uint8_t kExceptionCount = 32;

// Page-fault error code bits (SDM Vol.3A §4.7).
inline constexpr uint64_t kPfPresent = 1 << 0;  // 0: not present, 1: protection violation
inline constexpr uint64_t kPfWrite = 1 << 1;
inline constexpr uint64_t kPfUser = 1 << 2;  // the access was made at CPL 3
inline constexpr uint64_t kPfReservedBit = 1 << 3;
inline constexpr uint64_t kPfInstructionFetch = 1 << 4;
inline constexpr uint64_t kPfProtectionKey = 1 << 5;
inline constexpr uint64_t kPfShadowStack = 1 << 6;
inline constexpr uint64_t kPfSgx = 1 << 15;

// "#PF"; "#??" for vectors >= 32 or reserved ones.
const char* ExceptionMnemonic(uint64_t vector);
// "page fault"; "reserved" / "interrupt" otherwise.
const char* ExceptionName(uint64_t vector);
// True for the vectors whose exception pushes an error code (8, 10-14, 17, 21, 29, 30).
bool ExceptionHasErrorCode(uint64_t vector);
// True for exceptions a fault probe may never swallow: NMI, #DF, #MC.
bool ExceptionIsAbortLike(uint64_t vector);

// Writes a short description of an error code into `out` (always NUL-terminated if size > 0),
// e.g. "not-present write kernel" for #PF or "selector 0x30 gdt" for #GP; "" if there is nothing
// to say. Returns `out`.
const char* DescribeErrorCode(uint64_t vector, uint64_t error_code, char* out, size_t size);

}  // namespace hiillos::arch
