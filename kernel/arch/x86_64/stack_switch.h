// kernel/arch/x86_64/stack_switch.h — leave the boot stack for a kernel-allocated one.
#pragma once

#include <stdint.h>

extern "C" [[noreturn]] void SwitchStackAndCall(uint64_t stack_top, void (*fn)(void*), void* arg);
