// lib/virtio/split_queue_test.cc — the split virtqueue against a hand-driven device: layout,
// chains and the free list, notification suppression, and a used ring that lies.
#include "lib/virtio/split_queue.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

#include "lib/virtio/shared_access.h"
#include "lib/virtio/testing/dma_arena.h"

namespace hiillos::virtio {
namespace {

using testing::DmaArena;

class QueueTest : public ::testing::Test {
 protected:
  void SetUpQueue(uint16_t size, bool event_idx) {
    size_ = size;
    desc_ = arena_.Allocate(DescTableBytes(size), 16);
    avail_ = arena_.Allocate(AvailRingBytes(size), 2);
    used_ = arena_.Allocate(UsedRingBytes(size), 4);
    const SplitQueueMemory memory{desc_,
                                  avail_,
                                  used_,
                                  DmaArena::AddressOf(desc_),
                                  DmaArena::AddressOf(avail_),
                                  DmaArena::AddressOf(used_)};
    ASSERT_TRUE(queue_.Initialize(size, memory, event_idx).ok());
  }
  VirtqDesc* Desc() { return reinterpret_cast<VirtqDesc*>(desc_); }
  uint16_t AvailIdx() { return reinterpret_cast<VirtqAvailHeader*>(avail_)->idx; }
  uint16_t AvailEntry(uint16_t i) { return AvailRingEntries(avail_)[i & (size_ - 1)]; }
  // Device side: returns chain `id` with length `len`.
  void Use(uint32_t id, uint32_t len) {
    auto* header = reinterpret_cast<VirtqUsedHeader*>(used_);
    UsedRingEntries(used_)[header->idx & (size_ - 1)] = VirtqUsedElem{id, len};
    header->idx = static_cast<uint16_t>(header->idx + 1);
  }
  void SetUsedIdx(uint16_t idx) { reinterpret_cast<VirtqUsedHeader*>(used_)->idx = idx; }
  uint16_t Add(uint64_t cookie, uint16_t count = 2, uint32_t writable_len = 100) {
    std::vector<ChainBuffer> buffers;
    for (uint16_t i = 0; i + 1 < count; ++i) buffers.push_back({0x1000u * (i + 1), 16, false});
    buffers.push_back({0x9000, writable_len, true});
    auto head = queue_.AddChain(buffers.data(), count, cookie);
    EXPECT_TRUE(head.ok());
    return head.value_or(0xffff);
  }

  DmaArena arena_;
  SplitQueue queue_;
  uint16_t size_ = 0;
  uint8_t* desc_ = nullptr;
  uint8_t* avail_ = nullptr;
  uint8_t* used_ = nullptr;
};

TEST_F(QueueTest, RejectsBadSizesAndAlignment) {
  uint8_t* block = arena_.Allocate(8192);
  SplitQueueMemory memory{block, block + 4096, block + 6144, 0x10000, 0x11000, 0x12000};
  SplitQueue queue;
  EXPECT_EQ(queue.Initialize(0, memory, false).error(), Error::kBadQueueSize);
  EXPECT_EQ(queue.Initialize(96, memory, false).error(), Error::kBadQueueSize);
  EXPECT_EQ(queue.Initialize(2048, memory, false).error(), Error::kBadQueueSize);
  memory.descriptors = block + 8;
  EXPECT_EQ(queue.Initialize(64, memory, false).error(), Error::kMisalignedRing);
  memory.descriptors = block;
  memory.used_address = 0x12002;
  EXPECT_EQ(queue.Initialize(64, memory, false).error(), Error::kMisalignedRing);
  memory.used_address = 0x12000;
  EXPECT_TRUE(queue.Initialize(64, memory, false).ok());
  // A queue that failed to initialise refuses work.
  EXPECT_EQ(queue.Initialize(3, memory, false).error(), Error::kBadQueueSize);
  ChainBuffer buffer{0x1000, 1, true};
  EXPECT_EQ(queue.AddChain(&buffer, 1, 0).error(), Error::kQueueBroken);
}

TEST_F(QueueTest, WritesChainsAsTheSpecSays) {
  SetUpQueue(8, false);
  const ChainBuffer buffers[3] = {{0x1000, 16, false}, {0x2000, 512, true}, {0x3000, 1, true}};
  const uint16_t head = queue_.AddChain(buffers, 3, 77).value();
  EXPECT_EQ(AvailIdx(), 1);
  EXPECT_EQ(AvailEntry(0), head);
  uint16_t id = head;
  for (int i = 0; i < 3; ++i) {
    const VirtqDesc& desc = Desc()[id];
    EXPECT_EQ(desc.addr, buffers[i].address);
    EXPECT_EQ(desc.len, buffers[i].length);
    EXPECT_EQ((desc.flags & kDescFlagWrite) != 0, buffers[i].device_writable);
    EXPECT_EQ((desc.flags & kDescFlagNext) != 0, i < 2);
    id = desc.next;
  }
  EXPECT_EQ(queue_.free_descriptors(), 5);
  Use(head, 513);
  UsedChain used[4];
  ASSERT_EQ(queue_.TakeUsed(used, 4).value(), 1u);
  EXPECT_EQ(used[0].cookie, 77u);
  EXPECT_EQ(used[0].written, 513u);
  EXPECT_FALSE(used[0].length_overrun);
  EXPECT_EQ(queue_.free_descriptors(), 8);
  EXPECT_EQ(queue_.TakeUsed(used, 4).value(), 0u);
}

TEST_F(QueueTest, RejectsBadChainsAndFillsUp) {
  SetUpQueue(8, false);
  ChainBuffer zero{0x1000, 0, true};
  EXPECT_EQ(queue_.AddChain(&zero, 1, 0).error(), Error::kBadChain);
  EXPECT_EQ(queue_.AddChain(&zero, 0, 0).error(), Error::kBadChain);
  std::vector<ChainBuffer> nine(9, ChainBuffer{0x1000, 4, false});
  EXPECT_EQ(queue_.AddChain(nine.data(), 9, 0).error(), Error::kBadChain);
  Add(1, 3);
  Add(2, 3);
  EXPECT_EQ(queue_.free_descriptors(), 2);
  EXPECT_EQ(queue_.AddChain(nine.data(), 3, 3).error(), Error::kQueueFull);
  Add(3, 2);
  EXPECT_EQ(queue_.free_descriptors(), 0);
  EXPECT_EQ(queue_.chains_in_flight(), 3);
}

TEST_F(QueueTest, OutOfOrderCompletionKeepsTheFreeListWhole) {
  SetUpQueue(16, true);
  std::vector<uint16_t> heads;
  for (uint64_t i = 0; i < 5; ++i) heads.push_back(Add(i, 3));
  EXPECT_EQ(queue_.free_descriptors(), 1);
  const int order[5] = {3, 0, 4, 2, 1};
  for (int i : order) Use(heads[i], 10);
  UsedChain used[8];
  ASSERT_EQ(queue_.TakeUsed(used, 8).value(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(used[i].cookie, static_cast<uint64_t>(order[i]));
  EXPECT_EQ(queue_.free_descriptors(), 16);
  // Reuse every descriptor many times: all 16 must come back distinct.
  for (int round = 0; round < 50; ++round) {
    std::set<uint16_t> seen;
    std::vector<uint16_t> round_heads;
    for (int i = 0; i < 8; ++i) round_heads.push_back(Add(i, 2));
    for (uint16_t head : round_heads) {
      seen.insert(head);
      seen.insert(Desc()[head].next);
    }
    EXPECT_EQ(seen.size(), 16u);
    for (int i = 7; i >= 0; --i) Use(round_heads[(i * 3 + round) % 8], 1);
    ASSERT_EQ(queue_.TakeUsed(used, 8).value(), 8u);
  }
}

TEST_F(QueueTest, UsedIdAndIndexAreValidated) {
  SetUpQueue(8, false);
  const uint16_t head = Add(5, 2);
  UsedChain used[4];
  Use(99, 1);  // beyond the queue
  EXPECT_EQ(queue_.TakeUsed(used, 4).error(), Error::kBadUsedId);
  EXPECT_TRUE(queue_.broken());
  EXPECT_EQ(queue_.TakeUsed(used, 4).error(), Error::kQueueBroken);
  ChainBuffer buffer{0x1000, 1, true};
  EXPECT_EQ(queue_.AddChain(&buffer, 1, 0).error(), Error::kQueueBroken);
  (void)head;

  SetUpQueue(8, false);
  const uint16_t first = Add(1, 2);
  Use(static_cast<uint16_t>(first + 1), 1);  // a descriptor in flight but not a chain head
  EXPECT_EQ(queue_.TakeUsed(used, 4).error(), Error::kBadUsedId);

  SetUpQueue(8, false);
  const uint16_t again = Add(1, 2);
  Add(2, 2);
  Use(again, 1);
  Use(again, 1);  // the same chain twice: the second is no longer in flight
  ASSERT_EQ(queue_.TakeUsed(used, 4).value(), 1u);  // the good one is delivered first
  EXPECT_EQ(used[0].cookie, 1u);
  EXPECT_EQ(queue_.TakeUsed(used, 4).error(), Error::kBadUsedId);
  EXPECT_EQ(queue_.TakeUsed(used, 4).error(), Error::kQueueBroken);

  SetUpQueue(8, false);
  Add(1, 2);
  SetUsedIdx(2);  // two completions, one chain in flight
  EXPECT_EQ(queue_.TakeUsed(used, 4).error(), Error::kBadUsedIndex);
}

TEST_F(QueueTest, UsedLengthLargerThanTheBuffersIsFlagged) {
  SetUpQueue(8, false);
  const uint16_t head = Add(9, 3, 64);
  Use(head, 65);
  UsedChain used[1];
  ASSERT_EQ(queue_.TakeUsed(used, 1).value(), 1u);
  EXPECT_TRUE(used[0].length_overrun);
  EXPECT_EQ(used[0].written, 0u);
  EXPECT_EQ(queue_.free_descriptors(), 8);  // the chain is still returned
  EXPECT_FALSE(queue_.broken());
}

TEST_F(QueueTest, NotificationsFollowUsedFlagsWithoutEventIdx) {
  SetUpQueue(8, false);
  Add(1);
  EXPECT_TRUE(queue_.ShouldNotify());
  EXPECT_FALSE(queue_.ShouldNotify());  // nothing new
  reinterpret_cast<VirtqUsedHeader*>(used_)->flags = kUsedFlagNoNotify;
  Add(2);
  EXPECT_FALSE(queue_.ShouldNotify());
  // Interrupt suppression goes into avail->flags.
  queue_.DisableInterrupts();
  EXPECT_EQ(reinterpret_cast<VirtqAvailHeader*>(avail_)->flags, kAvailFlagNoInterrupt);
  EXPECT_FALSE(queue_.EnableInterrupts());
  EXPECT_EQ(reinterpret_cast<VirtqAvailHeader*>(avail_)->flags, 0);
}

TEST_F(QueueTest, NotificationsFollowAvailEventWithEventIdx) {
  SetUpQueue(16, true);
  uint16_t* avail_event = AvailEventField(used_, 16);
  *avail_event = 0;  // the device wants to hear when idx passes 0
  Add(1);
  EXPECT_TRUE(queue_.ShouldNotify());
  *avail_event = 5;  // ... only once idx passes 5
  Add(2);            // idx 2
  EXPECT_FALSE(queue_.ShouldNotify());
  Add(3);
  Add(4);  // idx 4
  EXPECT_FALSE(queue_.ShouldNotify());
  Add(5);
  Add(6);  // idx 6: passes 5
  EXPECT_TRUE(queue_.ShouldNotify());
  // Completions move used_event along so the device knows what the driver has seen.
  UsedChain used[8];
  Use(AvailEntry(0), 1);
  Use(AvailEntry(1), 1);
  ASSERT_EQ(queue_.TakeUsed(used, 8).value(), 2u);
  EXPECT_EQ(*UsedEventField(avail_, 16), 2);
  EXPECT_FALSE(queue_.EnableInterrupts());
  Use(AvailEntry(2), 1);
  EXPECT_TRUE(queue_.EnableInterrupts());  // a completion is already pending: do not sleep
}

TEST_F(QueueTest, IndicesWrapAround) {
  SetUpQueue(4, true);
  UsedChain used[4];
  for (int i = 0; i < 70000; ++i) {
    const uint16_t head = Add(static_cast<uint64_t>(i), 2);
    Use(head, 1);
    ASSERT_EQ(queue_.TakeUsed(used, 4).value(), 1u);
    ASSERT_EQ(used[0].cookie, static_cast<uint64_t>(i));
  }
  EXPECT_EQ(queue_.free_descriptors(), 4);
}

}  // namespace
}  // namespace hiillos::virtio
