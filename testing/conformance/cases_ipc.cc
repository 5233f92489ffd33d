// testing/conformance/cases_ipc.cc — IPC: Receiver/Sender/Reply objects, Call, Send, Recv,
// Reply and ReplyRecv with their documented errors, the extended part and capability transfer
// (rights only shrink, a moved capability leaves its sender, a failed transfer changes
// nothing), closing either end and deleting a reply while someone waits, and races between
// several clients, a server and a close on every CPU. The harness checks for leaks after each.
//
// Clients are shared-vmem child processes: they read their handles from `g_client` (written
// before they start) and report through their exit code (0 = every check held, else the
// number of the first check that failed, or 1000 + a status).
#include "services/lib/page_allocator.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "testing/conformance/ipc_endpoint.h"
#include "uapi/ipc.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::IpcCap;
using uapi::IpcInfo;
using uapi::IpcMessage;
using uapi::ObjectType;
using uapi::Rights;
using uapi::Status;

constexpr unsigned kMaxClients = 8;

// One IPC buffer page per thread that sends or receives an extended part.
static_assert(sizeof(uapi::IpcBuffer) <= 4096);
alignas(4096) uint8_t g_buffer_pages[kMaxClients + 1][4096];

uapi::IpcBuffer& BufferOf(unsigned index) {
  return *reinterpret_cast<uapi::IpcBuffer*>(g_buffer_pages[index]);
}
constexpr unsigned kServerBuffer = kMaxClients;

// What the clients use (set before they start).
struct ClientSetup {
  Handle sender[kMaxClients];
  Handle receiver[kMaxClients];
  Handle reply[kMaxClients];
  Handle cap[kMaxClients];
  uint64_t calls;
};
ClientSetup g_client;

// A client process whose thread runs fn(index), with handles given from `e` (and `cap` if not
// 0) recorded in g_client[index], and IPC buffer `index`. Started.
Result<Child, Status> SpawnClient(void (*fn)(uint64_t), unsigned index, Handle sender,
                                  Handle receiver = 0, Handle reply = 0, Handle cap = 0) {
  Child child = TRY(SpawnShared(fn, index, /*start=*/false));
  auto give = [&](Handle h, Handle* slot) -> Result<void, Status> {
    *slot = 0;
    if (h == 0) return {};
    const Rights rights = TRY(rt::CapIdentify(h)).rights;
    *slot = TRY(rt::ProcessGiveCap(child.process, h, rights));
    return {};
  };
  Result<void, Status> given = give(sender, &g_client.sender[index]);
  if (given.ok()) given = give(receiver, &g_client.receiver[index]);
  if (given.ok()) given = give(reply, &g_client.reply[index]);
  if (given.ok()) given = give(cap, &g_client.cap[index]);
  if (given.ok()) {
    given = rt::ThreadSetIpcBuffer(child.thread, reinterpret_cast<uint64_t>(g_buffer_pages[index]));
  }
  if (given.ok()) given = rt::ThreadStart(child.thread);
  if (!given.ok()) {
    Release(child);
    return Err(given.error());
  }
  return child;
}

uint64_t ExitCode(Child& child) {
  uapi::ThreadExit exit = Wait(child);
  Release(child);
  return exit.reason == uapi::ExitReason::kExited ? exit.code : 9999;
}

// --- clients -----------------------------------------------------------------------------------

// Calls once with words (index, 2..6) and checks the reply is (index + 100, ...).
void EchoClient(uint64_t index) {
  auto reply = rt::Call(g_client.sender[index], Words(index, 2, 3, 4, 5, 6));
  if (!reply.ok()) rt::ThreadExit(StatusCode(reply.error()));
  const IpcMessage& m = reply.value();
  if (m.words[0] != index + 100 || m.words[5] != 6 + 100) rt::ThreadExit(1);
  if (m.info != 0 || m.badge != 0) rt::ThreadExit(2);
  rt::ThreadExit(0);
}

// Calls g_client.calls times, each expecting w0 + 1 back.
void CountingClient(uint64_t index) {
  for (uint64_t i = 0; i < g_client.calls; ++i) {
    auto reply = rt::Call(g_client.sender[index], Words(i * 16 + index));
    if (!reply.ok()) rt::ThreadExit(StatusCode(reply.error()));
    if (reply.value().words[0] != i * 16 + index + 1) rt::ThreadExit(1);
  }
  rt::ThreadExit(0);
}

// Calls until the endpoint dies; exits 0 if it ended with kDead.
void CallUntilDead(uint64_t index) {
  for (uint64_t i = 0;; ++i) {
    auto reply = rt::Call(g_client.sender[index], Words(i));
    if (reply.ok()) continue;
    rt::ThreadExit(reply.error() == Status::kDead ? 0 : StatusCode(reply.error()));
  }
}

// One call; exits with its status (0 = replied).
void CallOnce(uint64_t index) {
  auto reply = rt::Call(g_client.sender[index], Words(index));
  rt::ThreadExit(reply.ok() ? 0 : StatusCode(reply.error()));
}

// Receives once on its own receiver and reply; exits with 0 and checks w0 == 77, or the status.
void ReceiveOnce(uint64_t index) {
  auto got = rt::Recv(g_client.receiver[index], g_client.reply[index], IpcMessage{});
  if (!got.ok()) rt::ThreadExit(StatusCode(got.error()));
  if (got.value().words[0] != 77 || got.value().badge != 5) rt::ThreadExit(1);
  if ((got.value().info & IpcInfo::kReplyExpected) != 0) rt::ThreadExit(2);
  rt::ThreadExit(0);
}

// Sends its capability g_client.cap (moved), with 3 extended words; then checks it is gone.
void MoveCapClient(uint64_t index) {
  uapi::IpcBuffer& buffer = BufferOf(static_cast<unsigned>(index));
  buffer.words[0] = 0xaaaa;
  buffer.words[1] = 0xbbbb;
  buffer.words[2] = 0xcccc;
  buffer.caps[0] = IpcCap{g_client.cap[index], uapi::kIpcMove, 0, 0};
  IpcMessage m = Words(1);
  m.info = IpcInfo::Make(3, 1);
  auto reply = rt::Call(g_client.sender[index], m);
  if (!reply.ok()) rt::ThreadExit(StatusCode(reply.error()));
  // Moved: the handle no longer names anything of ours.
  if (rt::CapIdentify(g_client.cap[index]).ok()) rt::ThreadExit(1);
  rt::ThreadExit(0);
}

// Three calls copying g_client.cap (it holds Read, Write, Transfer and Clone): one whose second
// capability is not a handle of its own (InvalidCapability: the copy made for the first is
// undone), one asking for Map, which it lacks (MissingRights: rights never grow), and one
// asking for Read only (delivered). It still holds its own capability at the end.
void CopyCapClient(uint64_t index) {
  uapi::IpcBuffer& buffer = BufferOf(static_cast<unsigned>(index));
  const Handle mine = g_client.cap[index];
  IpcMessage m = Words(1);
  m.info = IpcInfo::Make(0, 2);
  buffer.caps[0] = IpcCap{mine, uapi::kIpcCopy, Rights::kRead.bits, 0};
  buffer.caps[1] = IpcCap{0x7fff'fff0, uapi::kIpcMove, 0, 0};
  auto bad = rt::Call(g_client.sender[index], m);
  if (bad.ok()) rt::ThreadExit(1);
  if (bad.error() != Status::kInvalidCapability) rt::ThreadExit(StatusCode(bad.error()));
  m.info = IpcInfo::Make(0, 1);
  buffer.caps[0] = IpcCap{mine, uapi::kIpcCopy, (Rights::kRead | Rights::kMap).bits, 0};
  auto grow = rt::Call(g_client.sender[index], m);
  if (grow.ok()) rt::ThreadExit(2);
  if (grow.error() != Status::kMissingRights) rt::ThreadExit(StatusCode(grow.error()));
  m.words[0] = 2;
  buffer.caps[0] = IpcCap{mine, uapi::kIpcCopy, Rights::kRead.bits, 0};
  auto good = rt::Call(g_client.sender[index], m);
  if (!good.ok()) rt::ThreadExit(StatusCode(good.error()));
  auto info = rt::CapIdentify(mine);  // a copy: still ours, with its rights
  if (!info.ok()) rt::ThreadExit(3);
  if (info.value().rights !=
      (Rights::kRead | Rights::kWrite | Rights::kTransfer | Rights::kClone)) {
    rt::ThreadExit(4);
  }
  rt::ThreadExit(0);
}

// Receives once with its IPC buffer: expects one capability, a Frame with Read only, and two
// extended words (0x5a, 0xa5); deletes it and exits 0.
void ReceiveCapOnce(uint64_t index) {
  auto got = rt::Recv(g_client.receiver[index], g_client.reply[index], IpcMessage{});
  if (!got.ok()) rt::ThreadExit(StatusCode(got.error()));
  if (IpcInfo::Caps(got.value().info) != 1 || IpcInfo::Words(got.value().info) != 2) {
    rt::ThreadExit(1);
  }
  const uapi::IpcBuffer& in = BufferOf(static_cast<unsigned>(index));
  if (in.words[0] != 0x5a || in.words[1] != 0xa5) rt::ThreadExit(2);
  auto info = rt::CapIdentify(in.caps[0].handle);
  if (!info.ok() || info.value().type != ObjectType::kFrame) rt::ThreadExit(3);
  if (info.value().rights != Rights::kRead || in.caps[0].rights != Rights::kRead.bits) {
    rt::ThreadExit(4);
  }
  if (!rt::CapDelete(in.caps[0].handle).ok()) rt::ThreadExit(5);
  rt::ThreadExit(0);
}

// --- cases -------------------------------------------------------------------------------------

CONFORMANCE_CASE(ipc_objects_and_errors) {
  Endpoint e = MakeEndpoint(7);
  auto type_of = [](Handle h) {
    auto info = rt::CapIdentify(h);
    return info.ok() ? info.value().type : ObjectType::kNull;
  };
  EXPECT_TRUE(type_of(e.receiver) == ObjectType::kReceiver);
  EXPECT_TRUE(type_of(e.sender) == ObjectType::kSender);
  EXPECT_TRUE(type_of(e.reply) == ObjectType::kReply);
  // Creation errors.
  EXPECT_STATUS(rt::raw::MemoryAllocReceiver(0), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::MemoryAllocReceiver(e.sender), Status::kWrongType);
  EXPECT_STATUS(rt::raw::MemoryAllocReply(e.receiver), Status::kWrongType);
  EXPECT_STATUS(rt::raw::ReceiverCreateSender(kMemory, e.sender, 1), Status::kWrongType);
  auto read_only_memory = rt::CapDerive(kMemory, Rights::kRead);
  auto receive_only = rt::CapDerive(e.receiver, Rights::kRead);
  auto weak_sender = rt::CapDerive(e.sender, Rights::kRead);
  auto weak_reply = rt::CapDerive(e.reply, Rights::kRead);
  EXPECT_OK(read_only_memory);
  EXPECT_OK(receive_only);
  EXPECT_OK(weak_sender);
  EXPECT_OK(weak_reply);
  if (read_only_memory.ok() && receive_only.ok() && weak_sender.ok() && weak_reply.ok()) {
    EXPECT_STATUS(rt::MemoryAllocReceiver(read_only_memory.value()), Status::kMissingRights);
    EXPECT_STATUS(rt::MemoryAllocReply(read_only_memory.value()), Status::kMissingRights);
    EXPECT_STATUS(rt::ReceiverCreateSender(kMemory, receive_only.value(), 1),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::Call(weak_sender.value(), IpcMessage{}), Status::kMissingRights);
    EXPECT_STATUS(rt::Send(weak_sender.value(), IpcMessage{}), Status::kMissingRights);
    EXPECT_STATUS(rt::Reply(weak_reply.value(), IpcMessage{}), Status::kMissingRights);
    EXPECT_STATUS(rt::Recv(e.receiver, weak_reply.value(), IpcMessage{}), Status::kMissingRights);
    auto no_read = rt::CapDerive(e.receiver, Rights::kWrite);
    if (no_read.ok()) {
      EXPECT_STATUS(rt::Recv(no_read.value(), e.reply, IpcMessage{}), Status::kMissingRights);
      EXPECT_STATUS(rt::ReplyRecv(no_read.value(), e.reply, IpcMessage{}), Status::kMissingRights);
      EXPECT_OK(rt::CapDelete(no_read.value()));
    }
  }
  rt::SysOr<Handle>* const derived[] = {&read_only_memory, &receive_only, &weak_sender,
                                        &weak_reply};
  for (auto* d : derived) {
    if (d->ok()) EXPECT_OK(rt::CapDelete(d->value()));
  }
  // Wrong types and handles for the IPC calls.
  EXPECT_STATUS(rt::Call(e.receiver, IpcMessage{}), Status::kWrongType);
  EXPECT_STATUS(rt::Send(0, IpcMessage{}), Status::kInvalidCapability);
  EXPECT_STATUS(rt::Recv(e.sender, e.reply, IpcMessage{}), Status::kWrongType);
  EXPECT_STATUS(rt::Recv(e.receiver, e.sender, IpcMessage{}), Status::kWrongType);
  EXPECT_STATUS(rt::Reply(e.sender, IpcMessage{}), Status::kWrongType);
  EXPECT_STATUS(rt::ReplyRecv(e.receiver, 0, IpcMessage{}), Status::kInvalidCapability);
  // The info word: undefined bits, too many words or capabilities.
  IpcMessage bad;
  bad.info = uint64_t{1} << 20;
  EXPECT_STATUS(rt::Send(e.sender, bad), Status::kInvalidArgument);
  bad.info = IpcInfo::Make(uapi::kIpcExtendedWords + 1, 0);
  EXPECT_STATUS(rt::Call(e.sender, bad), Status::kInvalidArgument);
  bad.info = IpcInfo::Make(0, uapi::kIpcMaxCaps + 1);
  EXPECT_STATUS(rt::Reply(e.reply, bad), Status::kInvalidArgument);
  // An extended part without an IPC buffer.
  EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread, 0));
  bad.info = IpcInfo::Make(1, 0);
  EXPECT_STATUS(rt::Send(e.sender, bad), Status::kBadAddress);
  // ThreadSetIpcBuffer: page-aligned user pages only.
  EXPECT_STATUS(rt::ThreadSetIpcBuffer(kOwnThread, 0x1234), Status::kInvalidArgument);
  EXPECT_STATUS(rt::ThreadSetIpcBuffer(kOwnThread, 0xffff'8000'0000'0000ull),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::ThreadSetIpcBuffer(e.sender, 0), Status::kWrongType);
  // A capability mode that does not exist.
  EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread,
                                   reinterpret_cast<uint64_t>(g_buffer_pages[kServerBuffer])));
  BufferOf(kServerBuffer).caps[0] = IpcCap{kMemory, 7, 0, 0};
  bad.info = IpcInfo::Make(0, 1);
  EXPECT_STATUS(rt::Send(e.sender, bad), Status::kInvalidArgument);
  BufferOf(kServerBuffer).caps[0] = IpcCap{kMemory, uapi::kIpcCopy, 1u << 30, 0};
  EXPECT_STATUS(rt::Send(e.sender, bad), Status::kInvalidArgument);
  EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread, 0));
  // Nobody receives: Send would block; a reply slot with no call is Busy.
  EXPECT_STATUS(rt::Send(e.sender, Words(1)), Status::kWouldBlock);
  EXPECT_STATUS(rt::Reply(e.reply, Words(1)), Status::kBusy);
  // Unknown numbers inside the IPC block are still invalid.
  EXPECT_STATUS(rt::RawSyscall(49), Status::kInvalidSyscall);
  EXPECT_STATUS(rt::RawSyscall(59), Status::kInvalidSyscall);
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_call_recv_reply) {
  Endpoint e = MakeEndpoint(0xbad9e);
  auto client = SpawnClient(EchoClient, 3, e.sender);
  EXPECT_OK(client);
  if (!client.ok()) return DeleteEndpoint(e);
  auto got = rt::Recv(e.receiver, e.reply, IpcMessage{});
  EXPECT_OK(got);
  if (got.ok()) {
    const IpcMessage& m = got.value();
    EXPECT_EQ(m.badge, 0xbad9eu);
    EXPECT_EQ(m.info, IpcInfo::kReplyExpected);
    EXPECT_EQ(m.words[0], 3u);
    EXPECT_EQ(m.words[1], 2u);
    EXPECT_EQ(m.words[5], 6u);
    // The slot holds the call: a second receive into it is Busy.
    EXPECT_STATUS(rt::Recv(e.receiver, e.reply, IpcMessage{}), Status::kBusy);
    EXPECT_OK(rt::Reply(e.reply, Words(103, 0, 0, 0, 0, 106)));
    // One-shot: the slot is empty again.
    EXPECT_STATUS(rt::Reply(e.reply, Words(1)), Status::kBusy);
  }
  EXPECT_EQ(ExitCode(client.value()), 0u);
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_reply_recv_server_loop) {
  Endpoint e = MakeEndpoint(1);
  constexpr unsigned kClients = 3;
  g_client.calls = 20;
  Child clients[kClients];
  bool spawned = true;
  for (unsigned i = 0; i < kClients; ++i) {
    auto c = SpawnClient(CountingClient, i, e.sender);
    EXPECT_OK(c);
    if (c.ok()) clients[i] = c.value();
    spawned &= c.ok();
  }
  if (spawned) {
    IpcMessage out;
    for (uint64_t n = 0; n < kClients * g_client.calls; ++n) {
      auto got = rt::ReplyRecv(e.receiver, e.reply, out);
      EXPECT_OK(got);
      if (!got.ok()) break;
      EXPECT_TRUE((got.value().info & IpcInfo::kReplyExpected) != 0);
      out = Words(got.value().words[0] + 1);
    }
    EXPECT_OK(rt::Reply(e.reply, out));
  }
  for (unsigned i = 0; i < kClients; ++i) {
    if (clients[i].thread != 0) EXPECT_EQ(ExitCode(clients[i]), 0u);
  }
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_send_to_waiting_receiver) {
  Endpoint e = MakeEndpoint(5);
  auto client = SpawnClient(ReceiveOnce, 0, 0, e.receiver, e.reply);
  EXPECT_OK(client);
  if (client.ok()) {
    // Until the client waits, Send finds nobody.
    Status sent = Status::kWouldBlock;
    for (int i = 0; i < 1'000'000 && sent == Status::kWouldBlock; ++i) {
      auto result = rt::Send(e.sender, Words(77));
      sent = result.ok() ? Status::kOk : result.error();
      if (sent == Status::kWouldBlock) (void)rt::Yield();
    }
    EXPECT_TRUE(sent == Status::kOk);
    EXPECT_EQ(ExitCode(client.value()), 0u);
  }
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_send_capability_to_waiting_receiver) {
  // The receiver waits first, so the transfer happens in Send itself: a failed one returns its
  // error and leaves the receiver waiting; then a copy with fewer rights arrives.
  Endpoint e = MakeEndpoint(5);
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(frame);
  auto client = SpawnClient(ReceiveCapOnce, 4, 0, e.receiver, e.reply);
  EXPECT_OK(client);
  if (frame.ok() && client.ok()) {
    EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread,
                                     reinterpret_cast<uint64_t>(g_buffer_pages[kServerBuffer])));
    uapi::IpcBuffer& out = BufferOf(kServerBuffer);
    out.words[0] = 0x5a;
    out.words[1] = 0xa5;
    IpcMessage m = Words(1);
    m.info = IpcInfo::Make(2, 2);
    out.caps[0] = IpcCap{frame.value(), uapi::kIpcCopy, Rights::kRead.bits, 0};
    out.caps[1] = IpcCap{0x7fff'fff0, uapi::kIpcCopy, Rights::kRead.bits, 0};
    Status bad = Status::kWouldBlock;
    for (int i = 0; i < 1'000'000 && bad == Status::kWouldBlock; ++i) {
      auto sent = rt::Send(e.sender, m);
      bad = sent.ok() ? Status::kOk : sent.error();
      if (bad == Status::kWouldBlock) (void)rt::Yield();
    }
    EXPECT_TRUE(bad == Status::kInvalidCapability);
    // Nothing changed: our frame keeps all its rights, the receiver still waits.
    auto mine = rt::CapIdentify(frame.value());
    EXPECT_OK(mine);
    if (mine.ok()) EXPECT_EQ(mine.value().rights.bits, Rights::kAll.bits);
    m.info = IpcInfo::Make(2, 1);
    EXPECT_OK(rt::Send(e.sender, m));
    EXPECT_EQ(ExitCode(client.value()), 0u);
    EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread, 0));
  }
  if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_close_receiver_wakes_callers) {
  Endpoint e = MakeEndpoint(1);
  Child clients[3];
  for (unsigned i = 0; i < 3; ++i) {
    auto c = SpawnClient(CallOnce, i, e.sender);
    EXPECT_OK(c);
    if (c.ok()) clients[i] = c.value();
  }
  (void)rt::Yield();
  // Whether they are queued already or call later: each call ends with Dead.
  Delete(e.receiver);
  for (auto& c : clients) {
    if (c.thread != 0) EXPECT_EQ(ExitCode(c), StatusCode(Status::kDead));
  }
  EXPECT_STATUS(rt::Call(e.sender, Words(1)), Status::kDead);
  EXPECT_STATUS(rt::Send(e.sender, Words(1)), Status::kDead);
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_close_last_sender_wakes_receiver) {
  Endpoint e = MakeEndpoint(1);
  auto client = SpawnClient(ReceiveOnce, 0, 0, e.receiver, e.reply);
  EXPECT_OK(client);
  (void)rt::Yield();
  Delete(e.sender);  // the endpoint had a sender and has none left
  if (client.ok()) EXPECT_EQ(ExitCode(client.value()), StatusCode(Status::kDead));
  EXPECT_STATUS(rt::Recv(e.receiver, e.reply, IpcMessage{}), Status::kDead);
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_deleting_reply_wakes_caller) {
  Endpoint e = MakeEndpoint(1);
  auto client = SpawnClient(CallOnce, 0, e.sender);
  EXPECT_OK(client);
  if (client.ok()) {
    EXPECT_OK(rt::Recv(e.receiver, e.reply, IpcMessage{}));
    // The server keeps the call unanswered, then drops its reply capability.
    Delete(e.reply);
    EXPECT_EQ(ExitCode(client.value()), StatusCode(Status::kDead));
  }
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_saved_reply_answers_later) {
  Endpoint e = MakeEndpoint(1);
  auto second_reply = rt::MemoryAllocReply(kMemory);
  EXPECT_OK(second_reply);
  Child clients[2];
  for (unsigned i = 0; i < 2; ++i) {
    auto c = SpawnClient(EchoClient, i, e.sender);
    EXPECT_OK(c);
    if (c.ok()) clients[i] = c.value();
  }
  if (second_reply.ok() && clients[0].thread != 0 && clients[1].thread != 0) {
    // Take the first call, keep its reply slot, serve the second through another slot.
    auto first = rt::Recv(e.receiver, e.reply, IpcMessage{});
    auto second = rt::Recv(e.receiver, second_reply.value(), IpcMessage{});
    EXPECT_OK(first);
    EXPECT_OK(second);
    if (first.ok() && second.ok()) {
      const uint64_t a = first.value().words[0], b = second.value().words[0];
      EXPECT_OK(rt::Reply(second_reply.value(), Words(b + 100, 0, 0, 0, 0, 106)));
      EXPECT_OK(rt::Reply(e.reply, Words(a + 100, 0, 0, 0, 0, 106)));
    }
  }
  for (auto& c : clients) {
    if (c.thread != 0) EXPECT_EQ(ExitCode(c), 0u);
  }
  if (second_reply.ok()) EXPECT_OK(rt::CapDelete(second_reply.value()));
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_extended_part_moves_a_capability) {
  Endpoint e = MakeEndpoint(9);
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(frame);
  if (!frame.ok()) return DeleteEndpoint(e);
  auto weaker = rt::CapDerive(frame.value(), Rights::kRead | Rights::kTransfer | Rights::kClone);
  EXPECT_OK(weaker);
  EXPECT_OK(rt::CapDelete(frame.value()));
  if (!weaker.ok()) return DeleteEndpoint(e);
  auto client = SpawnClient(MoveCapClient, 1, e.sender, 0, 0, weaker.value());
  EXPECT_OK(rt::CapDelete(weaker.value()));  // the client has its own now
  EXPECT_OK(client);
  if (client.ok()) {
    EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread,
                                     reinterpret_cast<uint64_t>(g_buffer_pages[kServerBuffer])));
    auto got = rt::Recv(e.receiver, e.reply, IpcMessage{});
    EXPECT_OK(got);
    if (got.ok()) {
      EXPECT_EQ(IpcInfo::Words(got.value().info), 3u);
      EXPECT_EQ(IpcInfo::Caps(got.value().info), 1u);
      const uapi::IpcBuffer& in = BufferOf(kServerBuffer);
      EXPECT_EQ(in.words[0], 0xaaaau);
      EXPECT_EQ(in.words[2], 0xccccu);
      // The server owns it now, with the rights it had (moves keep them).
      auto info = rt::CapIdentify(in.caps[0].handle);
      EXPECT_OK(info);
      if (info.ok()) {
        EXPECT_TRUE(info.value().type == ObjectType::kFrame);
        EXPECT_EQ(info.value().rights.bits,
                  (Rights::kRead | Rights::kTransfer | Rights::kClone).bits);
        EXPECT_EQ(in.caps[0].rights, (Rights::kRead | Rights::kTransfer | Rights::kClone).bits);
        EXPECT_OK(rt::CapDelete(in.caps[0].handle));
      }
      EXPECT_OK(rt::Reply(e.reply, Words(0)));
    }
    EXPECT_EQ(ExitCode(client.value()), 0u);
    EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread, 0));
  }
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_copy_shrinks_rights_and_failed_transfer_changes_nothing) {
  Endpoint e = MakeEndpoint(9);
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(frame);
  if (!frame.ok()) return DeleteEndpoint(e);
  auto given = rt::CapDerive(frame.value(),
                             Rights::kRead | Rights::kWrite | Rights::kTransfer | Rights::kClone);
  EXPECT_OK(rt::CapDelete(frame.value()));
  EXPECT_OK(given);
  if (!given.ok()) return DeleteEndpoint(e);
  auto client = SpawnClient(CopyCapClient, 2, e.sender, 0, 0, given.value());
  EXPECT_OK(rt::CapDelete(given.value()));
  EXPECT_OK(client);
  if (client.ok()) {
    EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread,
                                     reinterpret_cast<uint64_t>(g_buffer_pages[kServerBuffer])));
    // The first call names a capability the client does not hold: it fails, the copy made for
    // its first capability is undone, and this receive takes the second call.
    auto got = rt::Recv(e.receiver, e.reply, IpcMessage{});
    EXPECT_OK(got);
    if (got.ok()) {
      EXPECT_EQ(got.value().words[0], 2u);
      EXPECT_EQ(IpcInfo::Caps(got.value().info), 1u);
      const uapi::IpcBuffer& in = BufferOf(kServerBuffer);
      auto info = rt::CapIdentify(in.caps[0].handle);
      EXPECT_OK(info);
      if (info.ok()) {
        EXPECT_EQ(info.value().rights.bits, Rights::kRead.bits);  // only what was asked
        EXPECT_EQ(in.caps[0].rights, Rights::kRead.bits);
        EXPECT_OK(rt::CapDelete(in.caps[0].handle));
      }
      EXPECT_OK(rt::Reply(e.reply, Words(0)));
    }
    EXPECT_EQ(ExitCode(client.value()), 0u);
    EXPECT_OK(rt::ThreadSetIpcBuffer(kOwnThread, 0));
  }
  DeleteEndpoint(e);
}

// A server thread in the suite's own process: answers calls with w0 + 1 until the receiver is
// closed, then exits 0 (or with an unexpected status).
void ServerLoop(uint64_t) {
  IpcMessage out;
  const Handle receiver = g_client.receiver[kMaxClients - 1];
  const Handle reply = g_client.reply[kMaxClients - 1];
  for (;;) {
    auto got = rt::ReplyRecv(receiver, reply, out);
    // Dead when it was waiting as the receiver closed; InvalidCapability when the handle (this
    // process's own) was deleted before its next call.
    if (!got.ok()) {
      const bool closed = got.error() == Status::kDead || got.error() == Status::kInvalidCapability;
      rt::ThreadExit(closed ? 0 : StatusCode(got.error()));
    }
    out = Words(got.value().words[0] + 1);
  }
}

CONFORMANCE_CASE(ipc_race_clients_server_and_close) {
  // Client processes (spread over the CPUs) call a server thread of this process. Half of them
  // make a fixed number of calls; the others call until the endpoint dies. Then the receiver is
  // closed under their calls: the server's receive ends with Dead, the call it may hold is
  // ended by deleting the reply, and every client ends with Dead, none stays blocked.
  Endpoint e = MakeEndpoint(1);
  constexpr unsigned kClients = 6;
  g_client.calls = 25;
  g_client.receiver[kMaxClients - 1] = e.receiver;
  g_client.reply[kMaxClients - 1] = e.reply;
  void* stack = nullptr;
  Handle server = 0;
  auto pages = rt::Pages().Allocate(2);
  EXPECT_OK(pages);
  if (pages.ok()) {
    stack = pages.value();
    auto thread = rt::MemoryAllocThread(kMemory, kSelf);
    EXPECT_OK(thread);
    if (thread.ok()) {
      server = thread.value();
      const uapi::ThreadRegs regs = SharedChildRegs(ServerLoop, 0, stack);
      EXPECT_OK(rt::ThreadSetRegs(server, &regs));
      EXPECT_OK(rt::ThreadStart(server));
    }
  }
  Child clients[kClients];
  for (unsigned i = 0; i < kClients; ++i) {
    auto c = SpawnClient(i % 2 == 0 ? CallUntilDead : CountingClient, i, e.sender);
    EXPECT_OK(c);
    if (c.ok()) clients[i] = c.value();
  }
  for (unsigned i = 1; i < kClients; i += 2) {
    if (clients[i].thread != 0) EXPECT_EQ(ExitCode(clients[i]), 0u);
  }
  Delete(e.receiver);  // closes the endpoint under the other clients' calls
  if (server != 0) {
    auto exit = rt::ThreadWait(server);
    EXPECT_OK(exit);
    if (exit.ok()) EXPECT_EQ(exit.value().code, 0u);
    EXPECT_OK(rt::CapDelete(server));
  }
  Delete(e.reply);  // a call the server took but did not answer ends with Dead
  for (unsigned i = 0; i < kClients; i += 2) {
    if (clients[i].thread != 0) EXPECT_EQ(ExitCode(clients[i]), 0u);
  }
  if (stack != nullptr) EXPECT_OK(rt::Pages().Free(stack));
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_race_close_sender_under_receivers) {
  // Receivers on several CPUs wait on one endpoint while its only sender is deleted: every one
  // of them wakes with Dead, whether it was already waiting or came later.
  Endpoint e = MakeEndpoint(1);
  constexpr unsigned kReceivers = 4;
  Handle replies[kReceivers] = {};
  Child receivers[kReceivers];
  for (unsigned i = 0; i < kReceivers; ++i) {
    auto reply = rt::MemoryAllocReply(kMemory);
    EXPECT_OK(reply);
    if (!reply.ok()) continue;
    replies[i] = reply.value();
    auto c = SpawnClient(ReceiveOnce, i, 0, e.receiver, replies[i]);
    EXPECT_OK(c);
    if (c.ok()) receivers[i] = c.value();
  }
  (void)rt::Yield();
  Delete(e.sender);
  for (unsigned i = 0; i < kReceivers; ++i) {
    if (receivers[i].thread != 0) EXPECT_EQ(ExitCode(receivers[i]), StatusCode(Status::kDead));
    Delete(replies[i]);
  }
  DeleteEndpoint(e);
}

// --- stop and death in the middle of a call ----------------------------------------------------

// Set by the clients below right before their one IPC call (shared Vmem).
volatile uint64_t g_about_to_block[kMaxClients];

// Flags that it is about to call, then calls once; exits with the status (0 = replied).
void FlagThenCall(uint64_t index) {
  g_about_to_block[index] = 1;
  auto reply = rt::Call(g_client.sender[index], Words(index));
  rt::ThreadExit(reply.ok() ? 0 : StatusCode(reply.error()));
}

// Flags that it is about to receive, then receives once; exits with the status (0 = got one).
void FlagThenReceive(uint64_t index) {
  g_about_to_block[index] = 1;
  auto got = rt::Recv(g_client.receiver[index], g_client.reply[index], IpcMessage{});
  rt::ThreadExit(got.ok() ? 0 : StatusCode(got.error()));
}

// Receives one call into its reply and exits without answering it.
void ReceiveAndExit(uint64_t index) {
  auto got = rt::Recv(g_client.receiver[index], g_client.reply[index], IpcMessage{});
  rt::ThreadExit(got.ok() ? 0 : StatusCode(got.error()));
}

// Waits until client `index` flagged, lets it reach its sleep, stops it and checks that the
// stop ended the IPC call with Interrupted (rax of the parked thread), then lets it finish.
void StopInIpcAndResume(Child& child, unsigned index) {
  while (g_about_to_block[index] == 0) (void)rt::Yield();
  for (int i = 0; i < 8; ++i) (void)rt::Yield();
  auto regs = StopAndGetRegs(child.thread);
  EXPECT_OK(regs);
  if (regs.ok()) EXPECT_EQ(regs.value().rax, static_cast<uint64_t>(Status::kInterrupted));
  EXPECT_OK(rt::ThreadStart(child.thread));
}

CONFORMANCE_CASE(ipc_stop_interrupts_a_queued_call) {
  Endpoint e = MakeEndpoint(1);
  g_about_to_block[0] = 0;
  auto client = SpawnClient(FlagThenCall, 0, e.sender);
  EXPECT_OK(client);
  if (client.ok()) {
    StopInIpcAndResume(client.value(), 0);
    EXPECT_EQ(ExitCode(client.value()), StatusCode(Status::kInterrupted));
  }
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_stop_interrupts_a_receive) {
  Endpoint e = MakeEndpoint(5);
  g_about_to_block[0] = 0;
  auto client = SpawnClient(FlagThenReceive, 0, 0, e.receiver, e.reply);
  EXPECT_OK(client);
  if (client.ok()) {
    StopInIpcAndResume(client.value(), 0);
    EXPECT_EQ(ExitCode(client.value()), StatusCode(Status::kInterrupted));
    // Nobody receives any more, and the reply slot is free for a new receive.
    EXPECT_STATUS(rt::Send(e.sender, Words(77)), Status::kWouldBlock);
    auto caller = SpawnClient(CallOnce, 1, e.sender);
    EXPECT_OK(caller);
    if (caller.ok()) {
      EXPECT_OK(rt::Recv(e.receiver, e.reply, IpcMessage{}));
      EXPECT_OK(rt::Reply(e.reply, Words(1)));
      EXPECT_EQ(ExitCode(caller.value()), 0u);
    }
  }
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_stop_interrupts_a_call_awaiting_its_reply) {
  Endpoint e = MakeEndpoint(1);
  g_about_to_block[0] = 0;
  auto client = SpawnClient(FlagThenCall, 0, e.sender);
  EXPECT_OK(client);
  if (client.ok()) {
    // The call is taken (the slot holds it), then its caller is stopped.
    auto got = rt::Recv(e.receiver, e.reply, IpcMessage{});
    EXPECT_OK(got);
    StopInIpcAndResume(client.value(), 0);
    EXPECT_EQ(ExitCode(client.value()), StatusCode(Status::kInterrupted));
    // The slot's caller is gone: the reply reports Dead once, and the slot is empty again.
    if (got.ok()) EXPECT_STATUS(rt::Reply(e.reply, Words(1)), Status::kDead);
    EXPECT_STATUS(rt::Reply(e.reply, Words(1)), Status::kBusy);
  }
  DeleteEndpoint(e);
}

CONFORMANCE_CASE(ipc_server_death_before_reply_wakes_caller) {
  Endpoint e = MakeEndpoint(1);
  // The server process holds the only Reply capability: it takes the call and exits.
  auto server = SpawnClient(ReceiveAndExit, 0, 0, e.receiver, e.reply);
  EXPECT_OK(server);
  Delete(e.reply);
  auto client = SpawnClient(CallOnce, 1, e.sender);
  EXPECT_OK(client);
  if (server.ok()) EXPECT_EQ(ExitCode(server.value()), 0u);  // releases the server process
  if (client.ok()) EXPECT_EQ(ExitCode(client.value()), StatusCode(Status::kDead));
  DeleteEndpoint(e);
}

}  // namespace
}  // namespace hiillos::conformance
