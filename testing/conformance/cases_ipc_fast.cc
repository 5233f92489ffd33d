// testing/conformance/cases_ipc_fast.cc — the boundaries of the IPC fast path (docs/ipc.md,
// "Fast path"): a register-only Call to a receiver already waiting and a ReplyRecv answering a
// bound caller with nobody queued take it; a call queued behind another, an orphaned reply slot
// and a receiver whose process was killed must not. Each case checks the exact results (badge,
// info word, every register word, statuses, FIFO order), which are those the slow path gives
// (cases_ipc.cc checks the same values on the slow path).
//
// Determinism: the children run on CPU 0 at a higher priority than this thread, which is moved
// to CPU 0 too. A child that flagged it is about to block is then certainly asleep once this
// thread runs again (while it is runnable, it would run instead), so whether a receiver waits,
// or a call is queued, is known when each call is made.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "testing/conformance/ipc_endpoint.h"
#include "uapi/ipc.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::IpcInfo;
using uapi::IpcMessage;
using uapi::Rights;
using uapi::Status;

constexpr unsigned kChildren = 3;
constexpr uint64_t kStopWord = 0xdead;
constexpr unsigned kChildPriority = 2;  // above this thread's default (1)

// Handles of each child (its own, given before it starts) and what it reports.
struct FastChild {
  Handle sender;
  Handle receiver;
  Handle reply;
  volatile uint64_t about_to_block;
  volatile uint64_t rounds;  // servers: messages answered
};
FastChild g_fast[kChildren];

// This thread on CPU 0 (the children's CPU); Unpin lets it run anywhere again.
void PinToCpu0() {
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 1));
  (void)rt::Yield();  // a running thread moves at its next scheduling decision
}
void Unpin() {
  EXPECT_OK(rt::ThreadSetAffinity(kOwnThread, 0));
}

// A child running fn(index) on CPU 0 above our priority, given copies of the handles (0: none),
// started; returns once it flagged that it is about to block (it is asleep then, see above).
Result<Child, Status> SpawnBlocking(void (*fn)(uint64_t), unsigned index, Handle sender,
                                    Handle receiver, Handle reply) {
  Child child = TRY(SpawnShared(fn, index, /*start=*/false));
  auto give = [&](Handle h, Handle* slot) -> Result<void, Status> {
    *slot = 0;
    if (h == 0) return {};
    const Rights rights = TRY(rt::CapIdentify(h)).rights;
    *slot = TRY(rt::ProcessGiveCap(child.process, h, rights));
    return {};
  };
  FastChild& c = g_fast[index];
  c.about_to_block = 0;
  c.rounds = 0;
  Result<void, Status> given = give(sender, &c.sender);
  if (given.ok()) given = give(receiver, &c.receiver);
  if (given.ok()) given = give(reply, &c.reply);
  if (given.ok()) given = rt::ThreadSetAffinity(child.thread, 1);
  if (given.ok()) given = rt::ThreadSetPriority(child.thread, kChildPriority);
  if (given.ok()) given = rt::ThreadStart(child.thread);
  if (!given.ok()) {
    Release(child);
    return Err(given.error());
  }
  while (c.about_to_block == 0) (void)rt::Yield();
  return child;
}

uint64_t ExitCode(Child& child) {
  uapi::ThreadExit exit = Wait(child);
  Release(child);
  return exit.reason == uapi::ExitReason::kExited ? exit.code : 9999;
}

// --- children ----------------------------------------------------------------------------------

// A server: receives (asleep before any call is made), checks every message is a call carrying
// badge 0x5eed and words (n, n+1, ..., n+5), answers (n+100, ..., n+105) with ReplyRecv, and on
// kStopWord answers with Reply and exits 0 (else the number of the first failed check).
void EchoServer(uint64_t index) {
  FastChild& c = g_fast[index];
  c.about_to_block = 1;
  auto first = rt::Recv(c.receiver, c.reply, IpcMessage{});
  if (!first.ok()) rt::ThreadExit(StatusCode(first.error()));
  IpcMessage m = first.value();
  for (;;) {
    if (m.badge != 0x5eed) rt::ThreadExit(1);
    if (m.info != IpcInfo::kReplyExpected) rt::ThreadExit(2);
    const uint64_t n = m.words[0];
    if (n == kStopWord) {
      rt::ThreadExit(rt::Reply(c.reply, Words(kStopWord)).ok() ? 0 : 3);
    }
    for (uint64_t i = 1; i < 6; ++i) {
      if (m.words[i] != n + i) rt::ThreadExit(4);
    }
    c.rounds = c.rounds + 1;
    auto next = rt::ReplyRecv(c.receiver, c.reply,
                              Words(n + 100, n + 101, n + 102, n + 103, n + 104, n + 105));
    if (!next.ok()) rt::ThreadExit(StatusCode(next.error()));
    m = next.value();
  }
}

// Waits in Recv until killed (exits 1 if the receive ever returns).
void WaitForever(uint64_t index) {
  FastChild& c = g_fast[index];
  c.about_to_block = 1;
  (void)rt::Recv(c.receiver, c.reply, IpcMessage{});
  rt::ThreadExit(1);
}

// Calls once with words (index * 10, ...) and checks the answer is (index * 10 + 1, 0, ...,
// index) with info 0 and badge 0; exits 0, the first failed check, or 1000 + the status.
void CallOnceChecked(uint64_t index) {
  FastChild& c = g_fast[index];
  c.about_to_block = 1;
  auto answer = rt::Call(c.sender, Words(index * 10, 1, 2, 3, 4, 5));
  if (!answer.ok()) rt::ThreadExit(StatusCode(answer.error()));
  const IpcMessage& m = answer.value();
  if (m.info != 0 || m.badge != 0) rt::ThreadExit(1);
  if (m.words[0] != index * 10 + 1 || m.words[5] != index) rt::ThreadExit(2);
  rt::ThreadExit(0);
}

// Calls once and exits with the call's status code (it is killed before any answer).
void CallUnanswered(uint64_t index) {
  FastChild& c = g_fast[index];
  c.about_to_block = 1;
  auto answer = rt::Call(c.sender, Words(index));
  rt::ThreadExit(answer.ok() ? 1 : StatusCode(answer.error()));
}

// Calls `server` (asleep in its receive) with round n's words and checks the answer.
void ExpectEchoRound(Handle sender, uint64_t n) {
  auto answer = rt::Call(sender, Words(n, n + 1, n + 2, n + 3, n + 4, n + 5));
  EXPECT_OK(answer);
  if (!answer.ok()) return;
  const IpcMessage& m = answer.value();
  EXPECT_EQ(m.info, 0u);
  EXPECT_EQ(m.badge, 0u);
  for (uint64_t i = 0; i < 6; ++i) EXPECT_EQ(m.words[i], n + 100 + i);
}

// --- cases -------------------------------------------------------------------------------------

// Every call finds the server asleep in Recv/ReplyRecv (fast Call), and every ReplyRecv finds
// its caller bound and nobody queued (fast ReplyRecv): badge, info and all six words arrive.
CONFORMANCE_CASE(ipc_fast_path_call_and_reply_recv_with_badge) {
  PinToCpu0();
  Endpoint e = MakeEndpoint(0x5eed);
  auto server = SpawnBlocking(EchoServer, 0, 0, e.receiver, e.reply);
  EXPECT_OK(server);
  if (server.ok()) {
    for (uint64_t n = 1; n <= 20; ++n) ExpectEchoRound(e.sender, n * 1000);
    EXPECT_EQ(g_fast[0].rounds, 20u);
    auto stop = rt::Call(e.sender, Words(kStopWord));
    EXPECT_OK(stop);
    if (stop.ok()) EXPECT_EQ(stop.value().words[0], kStopWord);
    EXPECT_EQ(ExitCode(server.value()), 0u);
  }
  DeleteEndpoint(e);
  Unpin();
}

// Two calls queued (A, then B, with different badges): the ReplyRecv that answers A finds B
// queued, so it cannot sleep (not the fast path): it takes B at once, in FIFO order.
CONFORMANCE_CASE(ipc_fast_path_not_taken_with_another_call_queued) {
  PinToCpu0();
  Endpoint e = MakeEndpoint(0xa);
  auto sender_b = rt::ReceiverCreateSender(kMemory, e.receiver, 0xb);
  EXPECT_OK(sender_b);
  if (sender_b.ok()) {
    auto a = SpawnBlocking(CallOnceChecked, 0, e.sender, 0, 0);
    auto b = SpawnBlocking(CallOnceChecked, 1, sender_b.value(), 0, 0);
    EXPECT_OK(a);
    EXPECT_OK(b);
    if (a.ok() && b.ok()) {
      auto first = rt::Recv(e.receiver, e.reply, IpcMessage{});
      EXPECT_OK(first);
      if (first.ok()) {
        EXPECT_EQ(first.value().badge, 0xau);
        EXPECT_EQ(first.value().words[0], 0u);
        EXPECT_EQ(first.value().words[5], 5u);
        EXPECT_EQ(first.value().info, IpcInfo::kReplyExpected);
        auto second = rt::ReplyRecv(e.receiver, e.reply, Words(1, 0, 0, 0, 0, 0));
        EXPECT_OK(second);
        if (second.ok()) {
          EXPECT_EQ(second.value().badge, 0xbu);
          EXPECT_EQ(second.value().words[0], 10u);
          EXPECT_EQ(second.value().info, IpcInfo::kReplyExpected);
          EXPECT_OK(rt::Reply(e.reply, Words(11, 0, 0, 0, 0, 1)));
        }
      }
    }
    if (a.ok()) EXPECT_EQ(ExitCode(a.value()), 0u);
    if (b.ok()) EXPECT_EQ(ExitCode(b.value()), 0u);
    EXPECT_OK(rt::CapDelete(sender_b.value()));
  }
  DeleteEndpoint(e);
  Unpin();
}

// A receiver asleep in Recv whose process is killed is no longer on the endpoint: a Send finds
// nobody, and the next call reaches the next server that waits (a fast Call) and is answered.
CONFORMANCE_CASE(ipc_fast_path_receiver_process_killed) {
  PinToCpu0();
  Endpoint e = MakeEndpoint(0x5eed);
  auto doomed = SpawnBlocking(WaitForever, 0, 0, e.receiver, e.reply);
  EXPECT_OK(doomed);
  if (doomed.ok()) {
    EXPECT_OK(rt::ProcessKill(doomed.value().process));
    uapi::ThreadExit exit = Wait(doomed.value());
    EXPECT_TRUE(exit.reason == uapi::ExitReason::kKilled);
    Release(doomed.value());
    EXPECT_STATUS(rt::Send(e.sender, Words(77)), Status::kWouldBlock);
    auto server = SpawnBlocking(EchoServer, 1, 0, e.receiver, e.reply);
    EXPECT_OK(server);
    if (server.ok()) {
      ExpectEchoRound(e.sender, 7000);
      EXPECT_OK(rt::Call(e.sender, Words(kStopWord)));
      EXPECT_EQ(ExitCode(server.value()), 0u);
    }
  }
  DeleteEndpoint(e);
  Unpin();
}

// The caller bound to the slot is killed before the answer: ReplyRecv's reply finds the slot
// orphaned (not the fast path; not an error there either) and the receive goes on to the next
// queued call, which is answered normally.
CONFORMANCE_CASE(ipc_fast_path_not_taken_for_an_orphaned_slot) {
  PinToCpu0();
  Endpoint e = MakeEndpoint(0xa);
  auto doomed = SpawnBlocking(CallUnanswered, 0, e.sender, 0, 0);
  EXPECT_OK(doomed);
  if (doomed.ok()) {
    auto got = rt::Recv(e.receiver, e.reply, IpcMessage{});
    EXPECT_OK(got);
    EXPECT_OK(rt::ProcessKill(doomed.value().process));
    uapi::ThreadExit exit = Wait(doomed.value());
    EXPECT_TRUE(exit.reason == uapi::ExitReason::kKilled);
    Release(doomed.value());
    auto next = SpawnBlocking(CallOnceChecked, 2, e.sender, 0, 0);
    EXPECT_OK(next);
    if (got.ok() && next.ok()) {
      auto second = rt::ReplyRecv(e.receiver, e.reply, Words(1));
      EXPECT_OK(second);
      if (second.ok()) {
        EXPECT_EQ(second.value().badge, 0xau);
        EXPECT_EQ(second.value().words[0], 20u);
        EXPECT_OK(rt::Reply(e.reply, Words(21, 0, 0, 0, 0, 2)));
      }
    }
    if (next.ok()) EXPECT_EQ(ExitCode(next.value()), 0u);
  }
  DeleteEndpoint(e);
  Unpin();
}

}  // namespace
}  // namespace hiillos::conformance
