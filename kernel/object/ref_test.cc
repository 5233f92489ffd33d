// kernel/object/ref_test.cc — host tests of KernelObject reference counting, Ref<T>, RefCast
// and tag-dispatched destruction.
#include "kernel/object/ref.h"

#include <gtest/gtest.h>
#include <stdint.h>

#include <thread>
#include <utility>
#include <vector>

#include "kernel/object/destroy_table.h"
#include "kernel/object/testing/fake_objects.h"

namespace hiillos::object {
namespace {

using testing::FakeFrame;
using testing::FakeNotify;
using testing::FakeThread;

static_assert(KernelObjectClass<FakeFrame>);
static_assert(!KernelObjectClass<KernelObject>);
static_assert(ObjectTypeOf<FakeThread>::kValue == ObjectType::kThread);
// Count, tag and the destroy-queue link.
static_assert(sizeof(KernelObject) == 16);
static_assert(sizeof(Ref<FakeFrame>) == sizeof(void*));

class RefTest : public ::testing::Test {
 protected:
  void SetUp() override { live_before_ = testing::LiveFakeObjects(); }
  void TearDown() override { EXPECT_EQ(testing::LiveFakeObjects(), live_before_); }
  uint64_t live_before_ = 0;
};

TEST_F(RefTest, NewObjectHasOneReferenceAndDiesWithIt) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Ref<FakeFrame> frame = FakeFrame::Create(7);
  ASSERT_TRUE(frame);
  EXPECT_EQ(frame->type(), ObjectType::kFrame);
  EXPECT_EQ(frame->value(), 7u);
  EXPECT_EQ(frame->RefCountForTesting(), 1u);
  frame.reset();
  EXPECT_FALSE(frame);
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
  frame.reset();  // resetting a null Ref is a no-op
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
}

TEST_F(RefTest, CopiesCountAndMovesDoNot) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Ref<FakeFrame> a = FakeFrame::Create();
  Ref<FakeFrame> b = a;
  EXPECT_EQ(a->RefCountForTesting(), 2u);
  EXPECT_TRUE(a == b);
  Ref<FakeFrame> c = std::move(b);
  EXPECT_FALSE(b);
  EXPECT_EQ(a->RefCountForTesting(), 2u);
  a.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed);
  EXPECT_EQ(c->RefCountForTesting(), 1u);
  c.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
}

TEST_F(RefTest, RetainAddsAReferenceAndLeakHandsOneOut) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Ref<FakeFrame> a = FakeFrame::Create();
  FakeFrame* raw = Ref<FakeFrame>::Retain(a.get()).Leak();  // +1 held as a raw pointer
  EXPECT_EQ(raw, a.get());
  EXPECT_EQ(a->RefCountForTesting(), 2u);
  a.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed);  // the leaked reference keeps it alive
  Ref<FakeFrame> back = AdoptRef(raw);           // and comes back exactly once
  EXPECT_EQ(back->RefCountForTesting(), 1u);
  back.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
  EXPECT_FALSE(Ref<FakeFrame>::Retain(nullptr));
}

TEST_F(RefTest, AssignmentDropsTheOldObjectAndSurvivesSelfAssignment) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Ref<FakeFrame> a = FakeFrame::Create(1);
  Ref<FakeFrame> b = FakeFrame::Create(2);
  a = b;  // object 1 loses its only reference
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
  EXPECT_EQ(a->value(), 2u);
  EXPECT_EQ(a->RefCountForTesting(), 2u);
  Ref<FakeFrame>& alias = a;
  a = alias;
  EXPECT_EQ(a->RefCountForTesting(), 2u);
  a = std::move(alias);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->RefCountForTesting(), 2u);
  a = nullptr;
  b = Ref<FakeFrame>();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 2);
}

TEST_F(RefTest, UpcastAndCheckedDowncast) {
  Ref<FakeThread> thread = FakeThread::Create(3);
  Ref<KernelObject> any = thread;  // copy upcast
  EXPECT_EQ(thread->RefCountForTesting(), 2u);
  EXPECT_EQ(any->type(), ObjectType::kThread);

  Ref<FakeThread> back = RefCast<FakeThread>(Ref<KernelObject>(any));
  ASSERT_TRUE(back);
  EXPECT_EQ(back.get(), thread.get());
  EXPECT_EQ(thread->RefCountForTesting(), 3u);

  // Wrong type: null, and the reference passed in is dropped, not leaked.
  Ref<FakeFrame> wrong = RefCast<FakeFrame>(Ref<KernelObject>(any));
  EXPECT_FALSE(wrong);
  EXPECT_EQ(thread->RefCountForTesting(), 3u);

  Ref<FakeFrame> from_null = RefCast<FakeFrame>(Ref<KernelObject>());
  EXPECT_FALSE(from_null);

  Ref<KernelObject> moved = std::move(back);  // move upcast
  EXPECT_FALSE(back);
  EXPECT_EQ(thread->RefCountForTesting(), 3u);
}

TEST_F(RefTest, WrongTypeCastOfLastReferenceDestroysTheObject) {
  uint64_t destroyed = FakeNotify::Destroyed();
  Ref<KernelObject> any = FakeNotify::Create();
  EXPECT_FALSE(RefCast<FakeFrame>(std::move(any)));
  EXPECT_FALSE(any);
  EXPECT_EQ(FakeNotify::Destroyed(), destroyed + 1);
}

TEST_F(RefTest, DestructionIsDispatchedByTypeTag) {
  uint64_t frames = FakeFrame::Destroyed();
  uint64_t threads = FakeThread::Destroyed();
  Ref<KernelObject> any = FakeThread::Create();
  any.reset();
  EXPECT_EQ(FakeThread::Destroyed(), threads + 1);
  EXPECT_EQ(FakeFrame::Destroyed(), frames);
}

TEST_F(RefTest, DestroyingAnObjectDropsTheReferencesItHolds) {
  uint64_t frames = FakeFrame::Destroyed();
  uint64_t threads = FakeThread::Destroyed();
  Ref<FakeThread> parent = FakeThread::Create();
  Ref<FakeFrame> child = FakeFrame::Create();
  Ref<FakeNotify> grandchild = FakeNotify::Create();
  child->set_child(grandchild);
  parent->set_child(child);
  child.reset();
  grandchild.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), frames);
  parent.reset();
  EXPECT_EQ(FakeThread::Destroyed(), threads + 1);
  EXPECT_EQ(FakeFrame::Destroyed(), frames + 1);
}

TEST(DestroyTableTest, HasEntriesExactlyForTheListedClasses) {
  for (uint32_t i = 0; i < uapi::kObjectTypeCount; ++i) {
    auto type = static_cast<ObjectType>(i);
    bool listed =
        type == ObjectType::kFrame || type == ObjectType::kThread || type == ObjectType::kNotify;
    EXPECT_EQ(kDestroyTable.by_type[i] != nullptr, listed) << uapi::ObjectTypeName(type);
  }
  constexpr DestroyTable one = MakeDestroyTable<FakeThread>();
  EXPECT_EQ(one.by_type[static_cast<uint32_t>(ObjectType::kThread)], &DestroyAs<FakeThread>);
  EXPECT_EQ(one.by_type[static_cast<uint32_t>(ObjectType::kFrame)], nullptr);
}

// Where each destruction ran: the spread of stack addresses shows whether destroying a chain
// recursed (depth grows with the chain) or ran from the outermost call (constant depth).
struct StackSpread {
  uintptr_t lowest = UINTPTR_MAX;
  uintptr_t highest = 0;
  uint64_t calls = 0;
};

TEST_F(RefTest, DestroyingALongChainRunsInConstantStackDepth) {
  constexpr int kLength = 200000;
  StackSpread spread;
  FakeThread::SetDestroyHook(
      [](FakeThread*, void* context) {
        auto* s = static_cast<StackSpread*>(context);
        volatile char marker = 0;
        auto here = reinterpret_cast<uintptr_t>(&marker);
        if (here < s->lowest) s->lowest = here;
        if (here > s->highest) s->highest = here;
        ++s->calls;
      },
      &spread);
  uint64_t destroyed = FakeThread::Destroyed();
  // head -> ... -> tail: each object holds the only reference to the next.
  Ref<FakeThread> head = FakeThread::Create(0);
  FakeThread* tail = head.get();
  for (int i = 1; i < kLength; ++i) {
    Ref<FakeThread> next = FakeThread::Create(i);
    FakeThread* raw = next.get();
    tail->set_child(Move(next));
    tail = raw;
  }
  head.reset();  // the outermost drop: every link is destroyed before it returns
  FakeThread::SetDestroyHook(nullptr, nullptr);
  EXPECT_EQ(FakeThread::Destroyed(), destroyed + kLength);
  EXPECT_EQ(spread.calls, static_cast<uint64_t>(kLength));
  // Recursion would need at least a frame per link (megabytes); the loop reuses one frame.
  EXPECT_LT(spread.highest - spread.lowest, 4096u);
  EXPECT_FALSE(CurrentDestroyStack()->running());
  EXPECT_TRUE(CurrentDestroyStack()->empty());
}

TEST_F(RefTest, AWideTreeIsDestroyedCompletelyBeforeTheLastDropReturns) {
  uint64_t frames = FakeFrame::Destroyed();
  uint64_t notifies = FakeNotify::Destroyed();
  Ref<FakeThread> root = FakeThread::Create();
  // root -> frame_i -> notify_i, built as a list of frames through their child links.
  Ref<KernelObject> previous;
  for (int i = 0; i < 1000; ++i) {
    Ref<FakeFrame> frame = FakeFrame::Create();
    Ref<FakeNotify> notify = FakeNotify::Create();
    notify->set_child(Move(previous));
    frame->set_child(Move(notify));
    previous = Move(frame);
  }
  root->set_child(Move(previous));
  root.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), frames + 1000);
  EXPECT_EQ(FakeNotify::Destroyed(), notifies + 1000);
}

TEST_F(RefTest, ConcurrentCopiesDestroyExactlyOnce) {
  uint64_t destroyed = FakeFrame::Destroyed();
  Ref<FakeFrame> shared = FakeFrame::Create();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([copy = shared]() mutable {
      for (int i = 0; i < 100000; ++i) {
        Ref<FakeFrame> a = copy;
        Ref<KernelObject> b = a;
        a.reset();
      }
      copy.reset();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(shared->RefCountForTesting(), 1u);
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed);
  shared.reset();
  EXPECT_EQ(FakeFrame::Destroyed(), destroyed + 1);
}

}  // namespace
}  // namespace hiillos::object
