// services/root/main.cc — the root server (first user process). Placeholder until the kernel
// starts user programs: it only proves the loader carries root.elf through the boot path.
extern "C" [[noreturn]] __attribute__((section(".text.start"))) void _start() {
  for (;;) asm volatile("pause");
}
