// kernel/cap/capability_table_accounting_test.cc — host tests of what the capability table
// charges and returns: slots charged to their owner's budget (and moved with the slot), pages
// decommitted as soon as they are empty wherever they are, lowest-page-first allocation, and the
// chunked, O(owned) DeleteOwnedBy.
#include <gtest/gtest.h>

#include <vector>

#include "kernel/cap/capability_table.h"
#include "kernel/cap/testing/buffer_slot_storage.h"
#include "kernel/cap/testing/status_matchers.h"
#include "kernel/object/testing/fake_objects.h"

namespace hiillos::cap {
namespace {

using object::MemoryBudget;
using object::testing::FakeFrame;
using testing::BufferSlotStorage;

constexpr size_t kPages = 8;
constexpr size_t kPerPage = CapabilityTable::kUsableSlotsPerPage;
constexpr uint64_t kSlot = CapabilityTable::kSlotBytes;
const Rights kAllButNothing = Rights::kAll;

class CapabilityTableAccountingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    live_before_ = object::testing::LiveFakeObjects();
    ASSERT_TRUE(table_.Init(storage_.storage()).ok());
  }
  void TearDown() override {
    for (CapOwner* owner : {&alice_, &bob_}) {
      EXPECT_TRUE(table_.CheckOwner(*owner));
      table_.DeleteAllOwnedBy(*owner);
    }
    EXPECT_TRUE(table_.CheckInvariants());
    EXPECT_EQ(alice_budget_.used(), 0u);
    EXPECT_EQ(bob_budget_.used(), 0u);
    EXPECT_EQ(table_.CommittedPages(), 0u);
    EXPECT_EQ(storage_.committed_pages(), 0u);
    EXPECT_EQ(storage_.contract_violations(), 0u);
    EXPECT_EQ(object::testing::LiveFakeObjects(), live_before_);
  }

  Handle Insert(CapOwner& owner) {
    auto handle = table_.Insert(owner, FakeFrame::Create(), kAllButNothing);
    EXPECT_TRUE(handle.ok());
    return handle.value_or(kNullHandle);
  }

  BufferSlotStorage storage_{kPages};
  CapabilityTable table_;
  MemoryBudget alice_budget_{100 * kSlot};
  MemoryBudget bob_budget_{1000 * kSlot};
  CapOwner alice_{1, &alice_budget_};
  CapOwner bob_{2, &bob_budget_};
  uint64_t live_before_ = 0;
};

TEST_F(CapabilityTableAccountingTest, EverySlotIsChargedToItsOwnerAndRefundedOnDelete) {
  Handle first = Insert(alice_);
  EXPECT_EQ(alice_budget_.used(), kSlot);
  ASSERT_OK_AND_ASSIGN(Handle derived, table_.Derive(alice_, first, Rights::kRead));
  EXPECT_EQ(alice_budget_.used(), 2 * kSlot);
  EXPECT_EQ(bob_budget_.used(), 0u);
  EXPECT_OK(table_.Delete(alice_, derived));
  EXPECT_EQ(alice_budget_.used(), kSlot);
  EXPECT_OK(table_.Delete(alice_, first));
  EXPECT_EQ(alice_budget_.used(), 0u);
}

TEST_F(CapabilityTableAccountingTest, DeriveStopsAtTheOwnersBudgetAndChangesNothing) {
  Handle source = Insert(alice_);
  std::vector<Handle> derived;
  for (;;) {
    auto handle = table_.Derive(alice_, source, Rights::kRead);
    if (!handle.ok()) {
      EXPECT_EQ(handle.error(), Status::kOutOfMemory);
      break;
    }
    derived.push_back(handle.value());
    ASSERT_LT(derived.size(), 1000u);
  }
  EXPECT_EQ(derived.size(), 99u);  // 100 slots' budget, one is the source
  EXPECT_EQ(alice_budget_.used(), alice_budget_.total());
  EXPECT_EQ(table_.UsedSlots(), 100u);
  EXPECT_EQ(table_.CountOwnedBy(alice_), 100u);
  // Bob's budget is untouched and still works.
  Handle bobs = Insert(bob_);
  EXPECT_NE(bobs, kNullHandle);
  EXPECT_TRUE(table_.CheckInvariants());
  EXPECT_EQ(table_.DeleteAllOwnedBy(alice_), 100u);
  EXPECT_EQ(alice_budget_.used(), 0u);
}

TEST_F(CapabilityTableAccountingTest, GrantAndCopyChargeTheReceiver) {
  Handle source = Insert(alice_);
  ASSERT_OK_AND_ASSIGN(Handle granted, table_.Grant(alice_, source, bob_, Rights::kRead));
  ASSERT_OK_AND_ASSIGN(Handle copied, table_.Transfer(alice_, source, bob_, TransferMode::kCopy));
  EXPECT_EQ(alice_budget_.used(), kSlot);
  EXPECT_EQ(bob_budget_.used(), 2 * kSlot);
  EXPECT_OK(table_.Delete(bob_, granted));
  EXPECT_OK(table_.Delete(bob_, copied));
  EXPECT_EQ(bob_budget_.used(), 0u);
}

TEST_F(CapabilityTableAccountingTest, AMoveChargesTheReceiverFirstAndFailsWithoutChange) {
  Handle moving = Insert(bob_);
  // Fill Alice's budget: a move to her fails with kOutOfMemory and changes nothing.
  std::vector<Handle> alices;
  for (int i = 0; i < 100; ++i) alices.push_back(Insert(alice_));
  EXPECT_STATUS(table_.Insert(alice_, FakeFrame::Create(), Rights::kRead), Status::kOutOfMemory);
  EXPECT_STATUS(table_.Transfer(bob_, moving, alice_, TransferMode::kMove), Status::kOutOfMemory);
  EXPECT_OK(table_.Identify(bob_, moving));
  EXPECT_EQ(bob_budget_.used(), kSlot);
  EXPECT_EQ(table_.CountOwnedBy(bob_), 1u);
  // With room, the slot and its charge move together.
  EXPECT_OK(table_.Delete(alice_, alices.back()));
  ASSERT_OK_AND_ASSIGN(Handle moved, table_.Transfer(bob_, moving, alice_, TransferMode::kMove));
  EXPECT_EQ(moved, moving);
  EXPECT_EQ(bob_budget_.used(), 0u);
  EXPECT_EQ(alice_budget_.used(), 100 * kSlot);
  EXPECT_EQ(table_.CountOwnedBy(bob_), 0u);
  EXPECT_EQ(table_.CountOwnedBy(alice_), 100u);
  EXPECT_TRUE(table_.CheckOwner(alice_));
  EXPECT_TRUE(table_.CheckOwner(bob_));
}

TEST_F(CapabilityTableAccountingTest, EmptyPagesAreDecommittedWhereverTheyAre) {
  // Three full pages for Bob, then free the middle one entirely.
  std::vector<Handle> handles;
  for (size_t i = 0; i < 3 * kPerPage; ++i) handles.push_back(Insert(bob_));
  EXPECT_EQ(table_.CommittedPages(), 3u);
  for (Handle handle : handles) {
    if (handle / CapabilityTable::kSlotsPerPage == 1) EXPECT_OK(table_.Delete(bob_, handle));
  }
  EXPECT_EQ(table_.CommittedPages(), 2u);
  EXPECT_FALSE(storage_.is_committed(1));
  EXPECT_TRUE(storage_.is_committed(0));
  EXPECT_TRUE(storage_.is_committed(2));
  EXPECT_TRUE(table_.CheckInvariants());
  // Handles in the decommitted page are simply invalid (the table never touches its memory).
  EXPECT_STATUS(table_.Identify(bob_, handles[kPerPage]), Status::kInvalidCapability);
  table_.ClearMapped(handles[kPerPage], 1);
  // The next slot reuses the lowest page: page 1 again.
  Handle next = Insert(bob_);
  EXPECT_EQ(next / CapabilityTable::kSlotsPerPage, 1u);
  EXPECT_EQ(table_.CommittedPages(), 3u);
  EXPECT_TRUE(table_.CheckInvariants());
}

TEST_F(CapabilityTableAccountingTest, LowestPageFirstLetsHighPagesDrain) {
  std::vector<Handle> handles;
  for (size_t i = 0; i < 2 * kPerPage; ++i) handles.push_back(Insert(bob_));
  // Free one slot in page 0 and one in page 1: the next insert takes page 0's.
  EXPECT_OK(table_.Delete(bob_, handles[5]));
  EXPECT_OK(table_.Delete(bob_, handles[kPerPage + 5]));
  EXPECT_EQ(Insert(bob_), handles[5]);
  EXPECT_EQ(Insert(bob_), handles[kPerPage + 5]);
}

TEST_F(CapabilityTableAccountingTest, DeriveDeleteLoopsReturnEveryPage) {
  Handle source = Insert(bob_);
  for (int round = 0; round < 3; ++round) {
    std::vector<Handle> derived;
    for (size_t i = 0; i < 5 * kPerPage; ++i) {
      ASSERT_OK_AND_ASSIGN(Handle handle, table_.Derive(bob_, source, Rights::kRead));
      derived.push_back(handle);
    }
    EXPECT_EQ(table_.CommittedPages(), 6u);
    for (Handle handle : derived) ASSERT_OK(table_.Delete(bob_, handle));
    EXPECT_EQ(table_.CommittedPages(), 1u);  // the source's page
    EXPECT_EQ(storage_.committed_pages(), 1u);
    EXPECT_EQ(bob_budget_.used(), kSlot);
    EXPECT_TRUE(table_.CheckInvariants());
  }
}

TEST_F(CapabilityTableAccountingTest, DeleteOwnedByDeletesInBoundedChunks) {
  for (size_t i = 0; i < 300; ++i) {
    Insert(i % 2 == 0 ? bob_ : alice_);
    if (alice_.count == 100) break;
  }
  size_t bobs = table_.CountOwnedBy(bob_);
  EXPECT_EQ(table_.DeleteOwnedBy(bob_, 0), 0u);
  EXPECT_EQ(table_.DeleteOwnedBy(bob_, 7), 7u);
  EXPECT_EQ(table_.CountOwnedBy(bob_), bobs - 7);
  EXPECT_TRUE(table_.CheckOwner(bob_));
  EXPECT_TRUE(table_.CheckInvariants());
  EXPECT_EQ(table_.DeleteOwnedBy(bob_, 50), 50u);  // more than one internal batch
  size_t total = 57;
  for (size_t deleted; (deleted = table_.DeleteOwnedBy(bob_, 10)) != 0;) {
    EXPECT_LE(deleted, 10u);
    total += deleted;
  }
  EXPECT_EQ(total, bobs);
  EXPECT_EQ(table_.CountOwnedBy(bob_), 0u);
  EXPECT_EQ(bob_budget_.used(), 0u);
  EXPECT_EQ(table_.CountOwnedBy(alice_), 100u);  // untouched
  EXPECT_TRUE(table_.CheckOwner(alice_));
  EXPECT_TRUE(table_.CheckInvariants());
}

TEST_F(CapabilityTableAccountingTest, OwnerListsSurviveMovesInBothDirections) {
  std::vector<Handle> handles;
  for (int i = 0; i < 20; ++i) {
    auto handle = table_.Insert(bob_, FakeFrame::Create(), Rights::kTransfer);
    ASSERT_TRUE(handle.ok());
    handles.push_back(handle.value());
  }
  // Move the middle, the first and the last of Bob's list to Alice, and one back.
  for (size_t i : {size_t{10}, size_t{0}, size_t{19}}) {
    ASSERT_OK(table_.Transfer(bob_, handles[i], alice_, TransferMode::kMove));
    EXPECT_TRUE(table_.CheckOwner(bob_));
    EXPECT_TRUE(table_.CheckOwner(alice_));
  }
  ASSERT_OK(table_.Transfer(alice_, handles[0], bob_, TransferMode::kMove));
  EXPECT_TRUE(table_.CheckOwner(bob_));
  EXPECT_TRUE(table_.CheckOwner(alice_));
  EXPECT_EQ(table_.CountOwnedBy(bob_), 18u);
  EXPECT_EQ(table_.CountOwnedBy(alice_), 2u);
  EXPECT_EQ(alice_budget_.used(), 2 * kSlot);
  EXPECT_EQ(bob_budget_.used(), 18 * kSlot);
}

}  // namespace
}  // namespace hiillos::cap
