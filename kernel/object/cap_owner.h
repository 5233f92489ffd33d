// kernel/object/cap_owner.h — CapOwner: what the capability table keeps per capability owner
// (a Process): its id, the Memory budget its slots are charged to, and the head of the list of
// slots it owns (so deleting them all costs O(owned), not O(table)).
//
// Ownership: embedded in its Process, which keeps that Memory alive (the Memory it was created
// from) for as long as it can own slots. The record (and the Memory's reference) must stay valid
// until the table holds no slot for it: teardown deletes them all (DeleteOwnedBy until it returns
// 0) before the Process and its Memory reference go; slots hold no reference to the Memory.
// Locking: `first` and `count` belong to the capability table and are read and written only under
// its lock; `id` and `budget` never change.
#pragma once

#include <stdint.h>

#include "kernel/object/memory_budget.h"

namespace hiillos::object {

struct CapOwner {
  uint64_t id = 0;
  // The budget of the Memory that pays kSlotBytes per slot (the Process's Memory, kept alive by
  // the Process); null only for uncharged owners in host tests.
  MemoryBudget* budget = nullptr;
  uint32_t first = 0;  // the capability table's: first owned slot (0: none)
  uint64_t count = 0;  // the capability table's: slots owned
};

}  // namespace hiillos::object
