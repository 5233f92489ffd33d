// kernel/arch/x86_64/cpu_features.h — CPUID feature detection and the protection features we
// enable.
//
// The boot CPU detects once (CpuFeaturesDetect); every CPU then enables the same set
// (CpuFeaturesEnable) as part of PerCpuInit. The record is written before any other CPU starts
// and read-only afterwards. Bits: SDM Vol.2A CPUID (leaves 1, 7.0, 80000001H, 80000007H).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::arch {

struct CpuFeatures {
  // Protection features enabled when present (plus CR0.WP, always).
  bool nx;        // CPUID.80000001H:EDX[20] -> IA32_EFER.NXE
  bool smep;      // CPUID.(7,0):EBX[7]      -> CR4.SMEP
  bool smap;      // CPUID.(7,0):EBX[20]     -> CR4.SMAP (kernel touches user memory via stac/clac)
  bool umip;      // CPUID.(7,0):ECX[2]      -> CR4.UMIP
  bool fsgsbase;  // CPUID.(7,0):EBX[0]      -> CR4.FSGSBASE
  // Informational (others decide whether to use them).
  bool pge;            // CPUID.1:EDX[13]
  bool pcid;           // CPUID.1:ECX[17]
  bool x2apic;         // CPUID.1:ECX[21]
  bool tsc_deadline;   // CPUID.1:ECX[24]
  bool rdrand;         // CPUID.1:ECX[30]
  bool rdseed;         // CPUID.(7,0):EBX[18]
  bool pages_1g;       // CPUID.80000001H:EDX[26]
  bool invariant_tsc;  // CPUID.80000007H:EDX[8]
};

// Reads CPUID on the calling CPU. Pure with respect to CPU state.
CpuFeatures CpuFeaturesDetect();
// Enables NXE, WP, SMEP, SMAP, UMIP and FSGSBASE on the calling CPU as far as `features` has them.
void CpuFeaturesEnable(const CpuFeatures& features);

// The record the boot CPU detected (all false before PerCpuInit on the boot CPU).
const CpuFeatures& Features();
// Stores the boot CPU's record (PerCpuInit on CPU 0 only).
void SetFeatures(const CpuFeatures& features);

// "nx smep smap umip wp fsgsbase; has pge pcid ...; lacks ..." into `out` (NUL-terminated).
// The first part lists what is enabled; `wp` is always enabled.
void DescribeFeatures(const CpuFeatures& features, char* out, size_t size);

namespace internal {
// Read by UserAccessBegin/End on every call; set once with the feature record.
extern bool g_smap_enabled;
}  // namespace internal

}  // namespace hiillos::arch
