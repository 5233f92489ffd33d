// kernel/object/object_registry.cc — the kernel's destroy table: every object class the kernel
// has, selected by type tag when an object's last reference is dropped (destroy_table.h).
// Add each new object class here (IPC objects, IrqLine, IoPortRange, ...).
#include "kernel/object/destroy_table.h"
#include "kernel/object/device_memory.h"
#include "kernel/object/frame.h"
#include "kernel/object/io_port_range.h"
#include "kernel/object/ipc_objects.h"
#include "kernel/object/irq_line.h"
#include "kernel/object/log.h"
#include "kernel/object/memory.h"
#include "kernel/object/notify.h"
#include "kernel/object/process.h"
#include "kernel/object/thread.h"
#include "kernel/object/vmem.h"

namespace hiillos::object {

constinit const DestroyTable kDestroyTable =
    MakeDestroyTable<Memory, Frame, Vmem, Process, Thread, Receiver, Sender, Reply, Log, Notify,
                     IrqLine, IoPortRange, DeviceMemory>();

}  // namespace hiillos::object
