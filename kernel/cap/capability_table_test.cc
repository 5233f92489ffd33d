// kernel/cap/capability_table_test.cc — host tests of CapabilityTable: every error path of every
// operation, free-list reuse, growth and exhaustion, destruction with the last reference.
#include "kernel/cap/capability_table.h"

#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "kernel/cap/testing/buffer_slot_storage.h"
#include "kernel/cap/testing/status_matchers.h"
#include "kernel/object/testing/fake_objects.h"

namespace hiillos::cap {
namespace {

using object::testing::FakeFrame;
using object::testing::FakeNotify;
using object::testing::FakeThread;
using testing::BufferSlotStorage;

// Owners (uncharged: no budget; the charging tests make their own). Reset before every test.
CapOwner kAlice{1};
CapOwner kBob{2};
CapOwner kNobody{0};  // a valid id that never owns anything here
CapOwner kLastId{~uint64_t{0}};
void ResetOwners() {
  kAlice = CapOwner{1};
  kBob = CapOwner{2};
  kNobody = CapOwner{0};
  kLastId = CapOwner{~uint64_t{0}};
}
constexpr size_t kPages = 4;
// Slot 0 of every page is its header.
constexpr size_t kUsable = kPages * CapabilityTable::kUsableSlotsPerPage;

const Rights kRw = Rights::kRead | Rights::kWrite;

class CapabilityTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ResetOwners();
    live_before_ = object::testing::LiveFakeObjects();
    ASSERT_TRUE(table_.Init(storage_.storage()).ok());
  }
  void TearDown() override {
    for (CapOwner* owner : {&kAlice, &kBob, &kNobody, &kLastId}) {
      EXPECT_TRUE(table_.CheckOwner(*owner));
      table_.DeleteAllOwnedBy(*owner);
    }
    EXPECT_TRUE(table_.CheckInvariants());
    EXPECT_EQ(table_.CommittedPages(), 0u);  // every page went back
    EXPECT_EQ(storage_.committed_pages(), 0u);
    EXPECT_EQ(table_.UsedSlots(), 0u);
    EXPECT_EQ(object::testing::LiveFakeObjects(), live_before_);
    EXPECT_EQ(storage_.contract_violations(), 0u);
  }

  Handle InsertFrame(CapOwner& owner, Rights rights, uint64_t value = 0) {
    Result<Handle, Status> handle = table_.Insert(owner, FakeFrame::Create(value), rights);
    EXPECT_TRUE(handle.ok());
    return handle.value_or(kNullHandle);
  }
  void Fill(CapOwner& owner, size_t count) {
    for (size_t i = 0; i < count; ++i) ASSERT_NE(InsertFrame(owner, kRw, i), kNullHandle);
  }

  BufferSlotStorage storage_{kPages};
  CapabilityTable table_;
  uint64_t live_before_ = 0;
};

// ---- Init ----

TEST(CapabilityTableInitTest, RejectsBadStorage) {
  BufferSlotStorage good(1);
  CapabilityTable table;
  SlotStorage no_base = good.storage();
  no_base.base = nullptr;
  EXPECT_STATUS(table.Init(no_base), Status::kInvalidArgument);
  SlotStorage unaligned = good.storage();
  unaligned.base = static_cast<char*>(unaligned.base) + 8;
  EXPECT_STATUS(table.Init(unaligned), Status::kInvalidArgument);
  SlotStorage no_pages = good.storage();
  no_pages.max_pages = 0;
  EXPECT_STATUS(table.Init(no_pages), Status::kInvalidArgument);
  SlotStorage no_commit = good.storage();
  no_commit.commit_page = nullptr;
  EXPECT_STATUS(table.Init(no_commit), Status::kInvalidArgument);
  BufferSlotStorage empty(0);
  EXPECT_STATUS(table.Init(empty.storage()), Status::kInvalidArgument);

  EXPECT_OK(table.Init(good.storage()));
  EXPECT_STATUS(table.Init(good.storage()), Status::kBusy);
}

TEST(CapabilityTableInitTest, UninitialisedTableHasNoSlotsAndFindsNothing) {
  uint64_t destroyed = FakeFrame::Destroyed();
  CapabilityTable table;
  EXPECT_STATUS(table.Insert(kAlice, FakeFrame::Create(), kRw), Status::kNoSlots);
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);  // the refused object was not leaked
  EXPECT_STATUS(table.LookupAny(kAlice, 1, Rights::kNone), Status::kInvalidCapability);
  EXPECT_STATUS(table.Delete(kAlice, 1), Status::kInvalidCapability);
  EXPECT_EQ(table.DeleteAllOwnedBy(kAlice), 0u);
  EXPECT_EQ(table.UsedSlots(), 0u);
  EXPECT_EQ(table.Capacity(), 0u);
  EXPECT_EQ(table.CommittedPages(), 0u);
}

// ---- Insert ----

TEST_F(CapabilityTableTest, FirstInsertCommitsOnePageAndNeverReturnsTheNullHandle) {
  EXPECT_EQ(table_.CommittedPages(), 0u);
  EXPECT_EQ(table_.Capacity(), 0u);
  Handle handle = InsertFrame(kAlice, kRw);
  EXPECT_EQ(handle, 1u);
  EXPECT_EQ(table_.CommittedPages(), 1u);
  EXPECT_EQ(table_.Capacity(), CapabilityTable::kSlotsPerPage - 1);
  EXPECT_EQ(table_.UsedSlots(), 1u);
  EXPECT_EQ(table_.CountOwnedBy(kAlice), 1u);
  EXPECT_EQ(table_.CountOwnedBy(kBob), 0u);
}

TEST_F(CapabilityTableTest, InsertRejectsBadArguments) {
  EXPECT_STATUS(table_.Insert(kAlice, Ref<KernelObject>(), kRw), Status::kInvalidArgument);
  Ref<FakeFrame> frame = FakeFrame::Create();
  EXPECT_STATUS(table_.Insert(kAlice, frame, Rights{1u << 6}), Status::kInvalidArgument);
  EXPECT_STATUS(table_.Insert(kAlice, frame, Rights{0x8000'0000u}), Status::kInvalidArgument);
  EXPECT_EQ(frame->RefCountForTesting(), 1u);  // refused references are dropped, not kept
  EXPECT_EQ(table_.UsedSlots(), 0u);
  EXPECT_EQ(table_.CommittedPages(), 0u);  // nothing was allocated for a refused insert
}

TEST_F(CapabilityTableTest, InsertTakesOverTheReference) {
  Ref<FakeFrame> frame = FakeFrame::Create();
  ASSERT_OK_AND_ASSIGN(Handle handle, table_.Insert(kAlice, frame, kRw));
  EXPECT_EQ(frame->RefCountForTesting(), 2u);
  uint64_t destroyed = FakeFrame::Destroyed();
  frame.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed);  // the slot keeps it alive
  EXPECT_OK(table_.Delete(kAlice, handle));
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
}

// ---- Lookup ----

TEST_F(CapabilityTableTest, LookupReturnsANewReferenceToTheObject) {
  Ref<FakeFrame> frame = FakeFrame::Create(42);
  ASSERT_OK_AND_ASSIGN(Handle handle, table_.Insert(kAlice, frame, kRw));
  ASSERT_OK_AND_ASSIGN(Ref<FakeFrame> found, table_.Lookup<FakeFrame>(kAlice, handle, kRw));
  EXPECT_EQ(found.get(), frame.get());
  EXPECT_EQ(found->value(), 42u);
  EXPECT_EQ(frame->RefCountForTesting(), 3u);
  ASSERT_OK_AND_ASSIGN(Ref<FakeFrame> no_rights,
                       table_.Lookup<FakeFrame>(kAlice, handle, Rights::kNone));
  ASSERT_OK_AND_ASSIGN(Ref<KernelObject> any, table_.LookupAny(kAlice, handle, Rights::kRead));
  EXPECT_EQ(any.get(), frame.get());
}

TEST_F(CapabilityTableTest, LookupOfInvalidHandlesFails) {
  Handle handle = InsertFrame(kAlice, Rights::kAll);
  Handle deleted = InsertFrame(kAlice, Rights::kAll);
  EXPECT_OK(table_.Delete(kAlice, deleted));
  const Handle never_used = 100;  // committed (page 0) but never handed out
  const Handle beyond = static_cast<Handle>(CapabilityTable::kSlotsPerPage);  // not committed
  for (Handle bad : {kNullHandle, deleted, never_used, beyond, Handle{kPages * 128}, Handle{~0u}}) {
    SCOPED_TRACE(bad);
    EXPECT_STATUS(table_.Lookup<FakeFrame>(kAlice, bad, Rights::kNone), Status::kInvalidCapability);
    EXPECT_STATUS(table_.LookupAny(kAlice, bad, Rights::kNone), Status::kInvalidCapability);
    EXPECT_STATUS(table_.Identify(kAlice, bad), Status::kInvalidCapability);
    EXPECT_STATUS(table_.Delete(kAlice, bad), Status::kInvalidCapability);
    EXPECT_STATUS(table_.Derive(kAlice, bad, Rights::kNone), Status::kInvalidCapability);
    EXPECT_STATUS(table_.Transfer(kAlice, bad, kBob, TransferMode::kMove),
                  Status::kInvalidCapability);
    EXPECT_STATUS(table_.Transfer(kAlice, bad, kBob, TransferMode::kCopy),
                  Status::kInvalidCapability);
  }
  EXPECT_OK(table_.Identify(kAlice, handle));
}

TEST_F(CapabilityTableTest, AnotherProcessCannotUseTheHandleInAnyWay) {
  Handle handle = InsertFrame(kAlice, Rights::kAll, 5);
  for (CapOwner* stranger_owner : {&kBob, &kNobody, &kLastId}) {
    CapOwner& stranger = *stranger_owner;
    SCOPED_TRACE(stranger.id);
    // kInvalidCapability even when type or rights would also be wrong: nothing leaks.
    EXPECT_STATUS(table_.Lookup<FakeFrame>(stranger, handle, Rights::kNone),
                  Status::kInvalidCapability);
    EXPECT_STATUS(table_.Lookup<FakeThread>(stranger, handle, Rights::kNone),
                  Status::kInvalidCapability);
    EXPECT_STATUS(table_.LookupAny(stranger, handle, Rights::kAll), Status::kInvalidCapability);
    EXPECT_STATUS(table_.Identify(stranger, handle), Status::kInvalidCapability);
    EXPECT_STATUS(table_.Derive(stranger, handle, Rights::kRead), Status::kInvalidCapability);
    EXPECT_STATUS(table_.Transfer(stranger, handle, stranger, TransferMode::kMove),
                  Status::kInvalidCapability);
    EXPECT_STATUS(table_.Transfer(stranger, handle, stranger, TransferMode::kCopy),
                  Status::kInvalidCapability);
    EXPECT_STATUS(table_.Delete(stranger, handle), Status::kInvalidCapability);
    EXPECT_EQ(table_.DeleteAllOwnedBy(stranger), 0u);
  }
  // Still intact for its owner.
  ASSERT_OK_AND_ASSIGN(Ref<FakeFrame> frame, table_.Lookup<FakeFrame>(kAlice, handle, kRw));
  EXPECT_EQ(frame->value(), 5u);
  EXPECT_EQ(table_.UsedSlots(), 1u);
}

TEST_F(CapabilityTableTest, LookupChecksTypeThenRights) {
  Handle frame = InsertFrame(kAlice, Rights::kRead);
  ASSERT_OK_AND_ASSIGN(Handle thread, table_.Insert(kAlice, FakeThread::Create(), Rights::kRead));
  EXPECT_STATUS(table_.Lookup<FakeThread>(kAlice, frame, Rights::kNone), Status::kWrongType);
  EXPECT_STATUS(table_.Lookup<FakeNotify>(kAlice, thread, Rights::kNone), Status::kWrongType);
  // Wrong type and missing rights: the type is reported first.
  EXPECT_STATUS(table_.Lookup<FakeThread>(kAlice, frame, Rights::kWrite), Status::kWrongType);
  EXPECT_STATUS(table_.Lookup<FakeFrame>(kAlice, frame, Rights::kWrite), Status::kMissingRights);
  EXPECT_STATUS(table_.Lookup<FakeFrame>(kAlice, frame, kRw), Status::kMissingRights);
  EXPECT_STATUS(table_.LookupAny(kAlice, thread, Rights::kExecute), Status::kMissingRights);
  EXPECT_OK(table_.Lookup<FakeThread>(kAlice, thread, Rights::kRead));
}

TEST_F(CapabilityTableTest, RequiredRightsMustBeASubset) {
  Rights held = Rights::kRead | Rights::kMap | Rights::kTransfer;
  Handle handle = InsertFrame(kAlice, held);
  // Every single right and every pair: allowed exactly when contained in `held`.
  for (uint32_t a = 0; a < 6; ++a) {
    for (uint32_t b = 0; b < 6; ++b) {
      Rights required{(1u << a) | (1u << b)};
      bool allowed = required.IsSubsetOf(held);
      SCOPED_TRACE(required.bits);
      EXPECT_EQ(table_.Lookup<FakeFrame>(kAlice, handle, required).ok(), allowed);
      EXPECT_EQ(table_.LookupAny(kAlice, handle, required).ok(), allowed);
    }
  }
  EXPECT_OK(table_.LookupAny(kAlice, handle, held));
  EXPECT_STATUS(table_.LookupAny(kAlice, handle, Rights::kAll), Status::kMissingRights);
  // Undefined bits are never held.
  EXPECT_STATUS(table_.LookupAny(kAlice, handle, Rights{1u << 31}), Status::kMissingRights);
}

// ---- Identify ----

TEST_F(CapabilityTableTest, IdentifyReportsTypeAndRights) {
  ASSERT_OK_AND_ASSIGN(Handle notify,
                       table_.Insert(kBob, FakeNotify::Create(), Rights::kWrite | Rights::kClone));
  ASSERT_OK_AND_ASSIGN(CapabilityInfo info, table_.Identify(kBob, notify));
  EXPECT_EQ(info.type, ObjectType::kNotify);
  EXPECT_EQ(info.rights, Rights::kWrite | Rights::kClone);
  Handle frame = InsertFrame(kBob, Rights::kNone);
  ASSERT_OK_AND_ASSIGN(CapabilityInfo frame_info, table_.Identify(kBob, frame));
  EXPECT_EQ(frame_info.type, ObjectType::kFrame);
  EXPECT_EQ(frame_info.rights, Rights::kNone);
}

// ---- Derive ----

TEST_F(CapabilityTableTest, DeriveMakesASecondCapabilityWithFewerRights) {
  Ref<FakeFrame> frame = FakeFrame::Create();
  ASSERT_OK_AND_ASSIGN(
      Handle source, table_.Insert(kAlice, frame, Rights::kRead | Rights::kWrite | Rights::kClone));
  ASSERT_OK_AND_ASSIGN(Handle derived, table_.Derive(kAlice, source, Rights::kRead));
  EXPECT_NE(derived, source);
  EXPECT_EQ(frame->RefCountForTesting(), 3u);
  ASSERT_OK_AND_ASSIGN(CapabilityInfo info, table_.Identify(kAlice, derived));
  EXPECT_EQ(info.type, ObjectType::kFrame);
  EXPECT_EQ(info.rights, Rights::kRead);
  EXPECT_STATUS(table_.Lookup<FakeFrame>(kAlice, derived, Rights::kWrite), Status::kMissingRights);
  // Without kClone the derived capability cannot be derived again, even to fewer rights.
  EXPECT_STATUS(table_.Derive(kAlice, derived, Rights::kNone), Status::kMissingRights);
  // Same rights (kClone included) and no rights at all are both subsets.
  ASSERT_OK_AND_ASSIGN(
      Handle same, table_.Derive(kAlice, source, Rights::kRead | Rights::kWrite | Rights::kClone));
  ASSERT_OK_AND_ASSIGN(Handle none, table_.Derive(kAlice, same, Rights::kNone));
  EXPECT_EQ(table_.UsedSlots(), 4u);
  EXPECT_EQ(frame->RefCountForTesting(), 5u);
  (void)none;
}

TEST_F(CapabilityTableTest, DeriveErrors) {
  Handle no_clone = InsertFrame(kAlice, Rights::kAll & Rights{~Rights::kClone.bits});
  Handle clone = InsertFrame(kAlice, Rights::kRead | Rights::kClone);
  EXPECT_STATUS(table_.Derive(kAlice, no_clone, Rights::kRead), Status::kMissingRights);
  EXPECT_STATUS(table_.Derive(kAlice, clone, Rights::kRead | Rights::kWrite),
                Status::kMissingRights);
  EXPECT_STATUS(table_.Derive(kAlice, clone, Rights{1u << 6}), Status::kInvalidArgument);
  EXPECT_STATUS(table_.Derive(kAlice, clone, Rights{1u << 6} | Rights::kRead),
                Status::kInvalidArgument);
  EXPECT_STATUS(table_.Derive(kBob, clone, Rights::kRead), Status::kInvalidCapability);
  EXPECT_STATUS(table_.Derive(kAlice, kNullHandle, Rights::kRead), Status::kInvalidCapability);
  EXPECT_EQ(table_.UsedSlots(), 2u);
}

TEST_F(CapabilityTableTest, ObjectLivesUntilItsLastCapabilityIsDeleted) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Handle source = InsertFrame(kAlice, Rights::kAll);
  ASSERT_OK_AND_ASSIGN(Handle derived, table_.Derive(kAlice, source, Rights::kRead));
  EXPECT_OK(table_.Delete(kAlice, source));
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed);
  EXPECT_OK(table_.Lookup<FakeFrame>(kAlice, derived, Rights::kRead));
  EXPECT_OK(table_.Delete(kAlice, derived));
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
}

// ---- Delete ----

TEST_F(CapabilityTableTest, DeleteFreesTheSlotOnce) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Handle handle = InsertFrame(kAlice, Rights::kNone);  // no right is needed to delete
  EXPECT_STATUS(table_.Delete(kBob, handle), Status::kInvalidCapability);
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed);
  EXPECT_OK(table_.Delete(kAlice, handle));
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
  EXPECT_EQ(table_.UsedSlots(), 0u);
  EXPECT_STATUS(table_.Delete(kAlice, handle), Status::kInvalidCapability);
  EXPECT_STATUS(table_.Delete(kAlice, kNullHandle), Status::kInvalidCapability);
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
}

TEST_F(CapabilityTableTest, ReferencesOutsideTheTableKeepTheObjectAlive) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Handle handle = InsertFrame(kAlice, kRw);
  ASSERT_OK_AND_ASSIGN(Ref<FakeFrame> held, table_.Lookup<FakeFrame>(kAlice, handle, kRw));
  EXPECT_OK(table_.Delete(kAlice, handle));
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed);
  EXPECT_EQ(held->RefCountForTesting(), 1u);
  held.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
}

// Destroy runs without the table lock: it can use the table (as a dying Process would).
struct ReentryContext {
  CapabilityTable* table;
  size_t used_seen = 0;
  Handle inserted = kNullHandle;
};

TEST_F(CapabilityTableTest, DestroyRunsUnlockedAndMayReenterTheTable) {
  ReentryContext context{&table_};
  FakeThread::SetDestroyHook(
      [](FakeThread*, void* raw) {
        auto* context = static_cast<ReentryContext*>(raw);
        context->used_seen = context->table->UsedSlots();  // would spin forever if locked
        context->inserted =
            context->table->Insert(kBob, FakeFrame::Create(), Rights::kRead).value_or(kNullHandle);
      },
      &context);
  ASSERT_OK_AND_ASSIGN(Handle handle, table_.Insert(kAlice, FakeThread::Create(), kRw));
  EXPECT_OK(table_.Delete(kAlice, handle));
  FakeThread::SetDestroyHook(nullptr, nullptr);
  EXPECT_EQ(context.used_seen, 0u);
  ASSERT_NE(context.inserted, kNullHandle);
  EXPECT_OK(table_.Lookup<FakeFrame>(kBob, context.inserted, Rights::kRead));

  // The same through DeleteAllOwnedBy.
  FakeThread::SetDestroyHook(
      [](FakeThread*, void* raw) {
        static_cast<ReentryContext*>(raw)->used_seen =
            static_cast<ReentryContext*>(raw)->table->UsedSlots();
      },
      &context);
  ASSERT_OK_AND_ASSIGN(Handle again, table_.Insert(kAlice, FakeThread::Create(), kRw));
  (void)again;
  EXPECT_EQ(table_.DeleteAllOwnedBy(kAlice), 1u);
  FakeThread::SetDestroyHook(nullptr, nullptr);
  EXPECT_EQ(context.used_seen, 1u);  // only Bob's frame is left
}

// ---- Free list and growth ----

TEST_F(CapabilityTableTest, FreedSlotsAreReusedLastFreedFirst) {
  Handle a = InsertFrame(kAlice, kRw);
  Handle b = InsertFrame(kAlice, kRw);
  Handle c = InsertFrame(kAlice, kRw);
  EXPECT_EQ(a, 1u);
  EXPECT_EQ(b, 2u);
  EXPECT_EQ(c, 3u);
  EXPECT_OK(table_.Delete(kAlice, a));
  EXPECT_OK(table_.Delete(kAlice, c));
  EXPECT_EQ(InsertFrame(kBob, kRw), c);
  EXPECT_EQ(InsertFrame(kBob, kRw), a);
  EXPECT_EQ(InsertFrame(kBob, kRw), 4u);
  // A reused slot belongs to its new owner only.
  EXPECT_STATUS(table_.LookupAny(kAlice, a, Rights::kNone), Status::kInvalidCapability);
  EXPECT_OK(table_.LookupAny(kBob, a, Rights::kNone));
  EXPECT_TRUE(table_.CheckInvariants());
}

TEST_F(CapabilityTableTest, GrowsPageByPageUntilTheStorageIsFull) {
  std::set<Handle> handles;
  for (size_t i = 0; i < kUsable; ++i) {
    Handle handle = InsertFrame(kAlice, kRw, i);
    ASSERT_NE(handle, kNullHandle);
    ASSERT_TRUE(handles.insert(handle).second) << "handle handed out twice: " << handle;
    EXPECT_EQ(table_.CommittedPages(), i / CapabilityTable::kUsableSlotsPerPage + 1);
    EXPECT_NE(handle % CapabilityTable::kSlotsPerPage, 0u);  // never a page header
  }
  EXPECT_EQ(*handles.begin(), 1u);
  EXPECT_EQ(*handles.rbegin(), kPages * CapabilityTable::kSlotsPerPage - 1);
  EXPECT_EQ(table_.Capacity(), kUsable);
  EXPECT_EQ(table_.UsedSlots(), kUsable);
  EXPECT_EQ(storage_.committed_pages(), kPages);

  // Full: every way of allocating a slot fails, and refused objects are not leaked.
  uint64_t destroyed = FakeFrame::Destroyed();
  EXPECT_STATUS(table_.Insert(kAlice, FakeFrame::Create(), kRw), Status::kNoSlots);
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
  Handle last = *handles.rbegin();
  ASSERT_OK_AND_ASSIGN(Ref<FakeFrame> frame, table_.Lookup<FakeFrame>(kAlice, last, kRw));
  EXPECT_EQ(frame->value(), kUsable - 1);
  EXPECT_EQ(frame->RefCountForTesting(), 2u);
  EXPECT_OK(table_.Delete(kAlice, 1));
  ASSERT_OK_AND_ASSIGN(Handle clonable, table_.Insert(kAlice, frame, Rights::kAll));
  EXPECT_STATUS(table_.Derive(kAlice, clonable, Rights::kRead), Status::kNoSlots);
  EXPECT_STATUS(table_.Transfer(kAlice, clonable, kBob, TransferMode::kCopy), Status::kNoSlots);
  EXPECT_EQ(frame->RefCountForTesting(), 3u);  // no reference leaked by the failed copies
  // A move needs no new slot.
  EXPECT_OK(table_.Transfer(kAlice, clonable, kBob, TransferMode::kMove));
  EXPECT_EQ(table_.CommittedPages(), kPages);

  // Every slot is still readable across all pages.
  for (Handle handle : handles) {
    if (handle == 1) continue;
    ASSERT_OK(table_.LookupAny(kAlice, handle, kRw));
  }
  EXPECT_TRUE(table_.CheckInvariants());
  EXPECT_EQ(table_.DeleteAllOwnedBy(kAlice), kUsable - 1);
  EXPECT_EQ(table_.UsedSlots(), 1u);
  EXPECT_TRUE(table_.CheckInvariants());
}

TEST_F(CapabilityTableTest, GrowthFailureIsReportedAndRetried) {
  storage_.FailFromPage(1, Status::kOutOfMemory);
  ASSERT_EQ(InsertFrame(kAlice, Rights::kAll), 1u);
  Fill(kAlice, CapabilityTable::kUsableSlotsPerPage - 1);
  uint64_t destroyed = FakeFrame::Destroyed();
  EXPECT_STATUS(table_.Insert(kAlice, FakeFrame::Create(), kRw), Status::kOutOfMemory);
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
  EXPECT_EQ(table_.CommittedPages(), 1u);
  EXPECT_EQ(table_.Capacity(), CapabilityTable::kUsableSlotsPerPage);
  EXPECT_STATUS(table_.Derive(kAlice, 1, Rights::kRead), Status::kOutOfMemory);
  EXPECT_STATUS(table_.Transfer(kAlice, 1, kBob, TransferMode::kCopy), Status::kOutOfMemory);

  // A storage that reports kOk as its error must not make the table report success.
  storage_.FailFromPage(1, Status::kOk);
  EXPECT_STATUS(table_.Insert(kAlice, FakeFrame::Create(), kRw), Status::kOutOfMemory);

  storage_.ClearFailure();
  Handle handle = InsertFrame(kAlice, kRw);
  EXPECT_EQ(handle, CapabilityTable::kSlotsPerPage + 1);  // page 1's first slot after its header
  EXPECT_EQ(table_.CommittedPages(), 2u);
}

// ---- Transfer ----

TEST_F(CapabilityTableTest, MoveHandsTheSameSlotToTheReceiver) {
  Ref<FakeFrame> frame = FakeFrame::Create();
  ASSERT_OK_AND_ASSIGN(Handle handle,
                       table_.Insert(kAlice, frame, Rights::kRead | Rights::kTransfer));
  ASSERT_OK_AND_ASSIGN(Handle received, table_.Transfer(kAlice, handle, kBob, TransferMode::kMove));
  EXPECT_EQ(received, handle);
  EXPECT_EQ(table_.UsedSlots(), 1u);
  EXPECT_EQ(frame->RefCountForTesting(), 2u);
  EXPECT_STATUS(table_.LookupAny(kAlice, handle, Rights::kNone), Status::kInvalidCapability);
  ASSERT_OK_AND_ASSIGN(CapabilityInfo info, table_.Identify(kBob, received));
  EXPECT_EQ(info.rights, Rights::kRead | Rights::kTransfer);
  // Moving to oneself keeps it usable.
  ASSERT_OK_AND_ASSIGN(Handle same, table_.Transfer(kBob, received, kBob, TransferMode::kMove));
  EXPECT_OK(table_.LookupAny(kBob, same, Rights::kRead));
}

TEST_F(CapabilityTableTest, CopyGivesTheReceiverANewSlotWithTheSameRights) {
  Rights rights = Rights::kRead | Rights::kTransfer | Rights::kClone;
  Ref<FakeFrame> frame = FakeFrame::Create();
  ASSERT_OK_AND_ASSIGN(Handle handle, table_.Insert(kAlice, frame, rights));
  ASSERT_OK_AND_ASSIGN(Handle copy, table_.Transfer(kAlice, handle, kBob, TransferMode::kCopy));
  EXPECT_NE(copy, handle);
  EXPECT_EQ(table_.UsedSlots(), 2u);
  EXPECT_EQ(frame->RefCountForTesting(), 3u);
  ASSERT_OK_AND_ASSIGN(CapabilityInfo mine, table_.Identify(kAlice, handle));
  ASSERT_OK_AND_ASSIGN(CapabilityInfo theirs, table_.Identify(kBob, copy));
  EXPECT_EQ(mine.rights, rights);
  EXPECT_EQ(theirs.rights, rights);
  EXPECT_STATUS(table_.Identify(kAlice, copy), Status::kInvalidCapability);
  EXPECT_STATUS(table_.Identify(kBob, handle), Status::kInvalidCapability);
}

TEST_F(CapabilityTableTest, TransferErrors) {
  Handle no_transfer = InsertFrame(kAlice, Rights::kRead | Rights::kClone);
  Handle no_clone = InsertFrame(kAlice, Rights::kRead | Rights::kTransfer);
  EXPECT_STATUS(table_.Transfer(kAlice, no_transfer, kBob, TransferMode::kMove),
                Status::kMissingRights);
  EXPECT_STATUS(table_.Transfer(kAlice, no_transfer, kBob, TransferMode::kCopy),
                Status::kMissingRights);
  EXPECT_STATUS(table_.Transfer(kAlice, no_clone, kBob, TransferMode::kCopy),
                Status::kMissingRights);
  EXPECT_STATUS(table_.Transfer(kAlice, no_clone, kBob, static_cast<TransferMode>(2)),
                Status::kInvalidArgument);
  EXPECT_STATUS(table_.Transfer(kAlice, no_clone, kBob, static_cast<TransferMode>(255)),
                Status::kInvalidArgument);
  EXPECT_STATUS(table_.Transfer(kBob, no_clone, kAlice, TransferMode::kMove),
                Status::kInvalidCapability);
  // Nothing changed hands.
  EXPECT_EQ(table_.CountOwnedBy(kAlice), 2u);
  EXPECT_EQ(table_.CountOwnedBy(kBob), 0u);
}

// ---- DeleteAllOwnedBy ----

TEST_F(CapabilityTableTest, DeleteAllOwnedByRemovesOnlyThatOwnersCapabilities) {
  // Interleave owners over more than one page and more than one drop batch.
  Ref<FakeThread> shared = FakeThread::Create();
  size_t alice = 0;
  size_t bob = 0;
  for (size_t i = 0; i < 300; ++i) {
    CapOwner& owner = i % 3 == 0 ? kBob : kAlice;
    ASSERT_OK(table_.Insert(owner, shared, Rights::kRead));
    ++(&owner == &kAlice ? alice : bob);
  }
  EXPECT_EQ(table_.CountOwnedBy(kAlice), alice);
  EXPECT_EQ(table_.CountOwnedBy(kBob), bob);
  EXPECT_EQ(shared->RefCountForTesting(), 301u);
  EXPECT_EQ(table_.DeleteAllOwnedBy(kAlice), alice);
  EXPECT_EQ(table_.CountOwnedBy(kAlice), 0u);
  EXPECT_EQ(table_.CountOwnedBy(kBob), bob);
  EXPECT_EQ(table_.UsedSlots(), bob);
  EXPECT_EQ(shared->RefCountForTesting(), bob + 1);
  EXPECT_EQ(table_.DeleteAllOwnedBy(kAlice), 0u);
  uint64_t destroyed = FakeThread::Destroyed();
  shared.reset();
  EXPECT_EQ(FakeThread::Destroyed(), destroyed);
  EXPECT_EQ(table_.DeleteAllOwnedBy(kBob), bob);
  EXPECT_EQ(FakeThread::Destroyed(), destroyed + 1);
  // The freed slots are all reusable.
  Fill(kAlice, kUsable);
}

// ---- Mapping marks ----

// The object behind `owner`'s `handle` (a lookup, as the syscall decode step makes one).
const KernelObject* ObjectOf(CapabilityTable& table, CapOwner& owner, Handle handle) {
  auto found = table.LookupAny(owner, handle, Rights::kNone);
  return found.ok() ? found.value().get() : nullptr;
}

TEST_F(CapabilityTableTest, ClaimMarkOncePerCapability) {
  Handle frame = InsertFrame(kAlice, kRw | Rights::kClone);
  const KernelObject* object = ObjectOf(table_, kAlice, frame);
  EXPECT_OK(table_.CheckUnmarked(kAlice.id, frame, object));
  ASSERT_OK_AND_ASSIGN(uint32_t cookie, table_.ClaimMark(kAlice.id, frame, object));
  EXPECT_NE(cookie, 0u);
  EXPECT_STATUS(table_.CheckUnmarked(kAlice.id, frame, object), Status::kAlreadyMapped);
  EXPECT_STATUS(table_.ClaimMark(kAlice.id, frame, object), Status::kAlreadyMapped);
  ASSERT_OK_AND_ASSIGN(bool mapped, table_.IsMapped(kAlice.id, frame));
  EXPECT_TRUE(mapped);
  // A clone is a new capability: it can map the same frame again.
  ASSERT_OK_AND_ASSIGN(Handle clone, table_.Derive(kAlice, frame, kRw));
  ASSERT_OK_AND_ASSIGN(bool clone_mapped, table_.IsMapped(kAlice.id, clone));
  EXPECT_FALSE(clone_mapped);
  EXPECT_OK(table_.ClaimMark(kAlice.id, clone, object));
  // Clearing with a wrong cookie does nothing; the right one clears.
  table_.ClearMapped(frame, cookie + 1000);
  table_.ClearMapped(frame, 0);
  EXPECT_TRUE(table_.IsMapped(kAlice.id, frame).value());
  table_.ClearMapped(frame, cookie);
  EXPECT_FALSE(table_.IsMapped(kAlice.id, frame).value());
  ASSERT_OK_AND_ASSIGN(uint32_t again, table_.ClaimMark(kAlice.id, frame, object));
  EXPECT_NE(again, cookie);
  EXPECT_TRUE(table_.CheckInvariants());
}

TEST_F(CapabilityTableTest, MarksNeedTheSameOwnerAndObject) {
  Handle frame = InsertFrame(kAlice, Rights::kRead);
  Handle other = InsertFrame(kAlice, Rights::kRead);
  const KernelObject* object = ObjectOf(table_, kAlice, frame);
  EXPECT_STATUS(table_.ClaimMark(kAlice.id, kNullHandle, object), Status::kInvalidCapability);
  EXPECT_STATUS(table_.ClaimMark(kBob.id, frame, object), Status::kInvalidCapability);
  EXPECT_STATUS(table_.CheckUnmarked(kBob.id, frame, object), Status::kInvalidCapability);
  // The slot now names another object (deleted and reused since the lookup).
  EXPECT_STATUS(table_.ClaimMark(kAlice.id, other, object), Status::kInvalidCapability);
  EXPECT_STATUS(table_.CheckUnmarked(kAlice.id, 9999, object), Status::kInvalidCapability);
  EXPECT_STATUS(table_.IsMapped(kBob.id, frame), Status::kInvalidCapability);
  EXPECT_STATUS(table_.IsMapped(kAlice.id, 9999), Status::kInvalidCapability);
  // Failed claims leave no mark.
  EXPECT_FALSE(table_.IsMapped(kAlice.id, frame).value());
  EXPECT_FALSE(table_.IsMapped(kAlice.id, other).value());
}

TEST_F(CapabilityTableTest, LookupWithRightsReportsEveryRight) {
  Handle frame = InsertFrame(kAlice, kRw | Rights::kMap);
  ASSERT_OK_AND_ASSIGN(auto found, table_.LookupWithRights<FakeFrame>(kAlice, frame, Rights::kMap));
  EXPECT_TRUE(found.object);
  EXPECT_EQ(found.rights, kRw | Rights::kMap);
  EXPECT_STATUS(table_.LookupWithRights<FakeFrame>(kAlice, frame, Rights::kClone),
                Status::kMissingRights);
  EXPECT_STATUS(table_.LookupWithRights<FakeFrame>(kBob, frame, Rights::kNone),
                Status::kInvalidCapability);
}

TEST_F(CapabilityTableTest, MarksDieWithTheSlotAndFollowAMove) {
  Handle frame = InsertFrame(kAlice, kRw | Rights::kTransfer | Rights::kClone);
  const KernelObject* object = ObjectOf(table_, kAlice, frame);
  ASSERT_OK_AND_ASSIGN(uint32_t cookie, table_.ClaimMark(kAlice.id, frame, object));
  // A copy is unmarked; a move keeps the slot and its mark.
  ASSERT_OK_AND_ASSIGN(Handle copy, table_.Transfer(kAlice, frame, kBob, TransferMode::kCopy));
  EXPECT_FALSE(table_.IsMapped(kBob.id, copy).value());
  ASSERT_OK_AND_ASSIGN(Handle moved, table_.Transfer(kAlice, frame, kBob, TransferMode::kMove));
  EXPECT_TRUE(table_.IsMapped(kBob.id, moved).value());
  table_.ClearMapped(moved, cookie);  // the mapping goes away: the new owner's slot clears
  EXPECT_FALSE(table_.IsMapped(kBob.id, moved).value());
  ASSERT_OK_AND_ASSIGN(uint32_t remarked, table_.ClaimMark(kBob.id, moved, object));
  // Deleted and reused: a stale ClearMapped must not clear the new capability's mark.
  EXPECT_OK(table_.Delete(kBob, moved));
  Handle reused = InsertFrame(kBob, kRw);
  ASSERT_EQ(reused, moved);
  EXPECT_FALSE(table_.IsMapped(kBob.id, reused).value());
  ASSERT_OK_AND_ASSIGN(uint32_t fresh,
                       table_.ClaimMark(kBob.id, reused, ObjectOf(table_, kBob, reused)));
  table_.ClearMapped(reused, remarked);
  EXPECT_TRUE(table_.IsMapped(kBob.id, reused).value());
  table_.ClearMapped(reused, fresh);
  EXPECT_FALSE(table_.IsMapped(kBob.id, reused).value());
  table_.ClearMapped(kNullHandle, fresh);  // out-of-range handles are ignored
  table_.ClearMapped(0xffff'fff0u, fresh);
  EXPECT_TRUE(table_.CheckInvariants());
}

// ---- Grant ----

TEST_F(CapabilityTableTest, GrantGivesAnotherOwnerASubsetCopy) {
  const Rights source_rights = kRw | Rights::kTransfer | Rights::kClone;
  Handle frame = InsertFrame(kAlice, source_rights, 7);
  ASSERT_OK_AND_ASSIGN(Handle given, table_.Grant(kAlice, frame, kBob, Rights::kRead));
  ASSERT_OK_AND_ASSIGN(CapabilityInfo info, table_.Identify(kBob, given));
  EXPECT_EQ(info.rights, Rights::kRead);
  EXPECT_EQ(info.type, ObjectType::kFrame);
  ASSERT_OK_AND_ASSIGN(Ref<FakeFrame> object, table_.Lookup<FakeFrame>(kBob, given, Rights::kRead));
  EXPECT_EQ(object->value(), 7u);
  // The source keeps its capability; the receiver cannot use the source handle.
  EXPECT_OK(table_.Identify(kAlice, frame));
  EXPECT_STATUS(table_.Identify(kAlice, given), Status::kInvalidCapability);
  // Granting to oneself is a derive with kTransfer.
  ASSERT_OK_AND_ASSIGN(Handle self, table_.Grant(kAlice, frame, kAlice, source_rights));
  EXPECT_NE(self, frame);
  EXPECT_TRUE(table_.CheckInvariants());
}

TEST_F(CapabilityTableTest, GrantErrors) {
  Handle no_transfer = InsertFrame(kAlice, kRw | Rights::kClone);
  Handle no_clone = InsertFrame(kAlice, kRw | Rights::kTransfer);
  Handle full = InsertFrame(kAlice, kRw | Rights::kTransfer | Rights::kClone);
  size_t used = table_.UsedSlots();
  EXPECT_STATUS(table_.Grant(kAlice, full, kBob, Rights{1u << 6}), Status::kInvalidArgument);
  EXPECT_STATUS(table_.Grant(kAlice, kNullHandle, kBob, Rights::kRead), Status::kInvalidCapability);
  EXPECT_STATUS(table_.Grant(kBob, full, kAlice, Rights::kRead), Status::kInvalidCapability);
  EXPECT_STATUS(table_.Grant(kAlice, no_transfer, kBob, Rights::kRead), Status::kMissingRights);
  EXPECT_STATUS(table_.Grant(kAlice, no_clone, kBob, Rights::kRead), Status::kMissingRights);
  EXPECT_STATUS(table_.Grant(kAlice, full, kBob, Rights::kExecute), Status::kMissingRights);
  EXPECT_EQ(table_.UsedSlots(), used);
  EXPECT_EQ(table_.CountOwnedBy(kBob), 0u);
  // A full table: kNoSlots, nothing changes.
  Fill(kAlice, kUsable - used);
  EXPECT_STATUS(table_.Grant(kAlice, full, kBob, Rights::kRead), Status::kNoSlots);
  EXPECT_TRUE(table_.CheckInvariants());
}

}  // namespace
}  // namespace hiillos::cap
