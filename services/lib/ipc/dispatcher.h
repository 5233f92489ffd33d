// services/lib/ipc/dispatcher.h — the server side of typed IPC without the syscalls: a table
// from operation codes (w0) to typed handlers, which decodes a request, runs its handler and
// encodes the reply (w0 = the handler's status). Pure, host-tested; server.h runs it in a
// receive loop.
//
//   ipc::Dispatcher<MyState> dispatcher;
//   dispatcher.On<proto::Open, &HandleOpen>();  // uint64_t HandleOpen(MyState&, ipc::Request&,
//                                              //   const proto::Open::Request&,
//                                              proto::Open::Reply&)
//
// A handler returns the status of its reply (0 = ok: the reply payload is sent; otherwise only
// the status). It may attach capabilities to the reply (Request::AttachCap), claim received
// ones (zero their handle in Request::caps; the loop deletes the ones left), or defer the
// answer (Request::Defer: it keeps the Reply capability and answers later with ipc::Answer).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/lib/ipc/message.h"

namespace hiillos::ipc {

// One received request as its handler sees it.
struct Request {
  uint64_t badge = 0;
  uint64_t op = 0;
  bool reply_expected = false;
  // Capabilities that came with it (handles in the server's table). A handler that keeps one
  // sets its handle to 0; the rest are deleted after the handler returns.
  uapi::IpcCap caps[uapi::kIpcMaxCaps] = {};
  size_t cap_count = 0;
  // The Reply capability the answer would go through (0 on the host or for a Send).
  uint32_t reply = 0;

  // The handler answers later: the returned Reply capability is its to answer (ipc::Answer) or
  // delete; the loop receives the next request into a new one. 0 if there is nothing to answer.
  uint32_t Defer() {
    deferred = true;
    return reply;
  }
  // Adds a capability to the reply (at most uapi::kIpcMaxCaps; false when full).
  bool AttachCap(const uapi::IpcCap& cap) {
    if (reply_cap_count == uapi::kIpcMaxCaps) return false;
    reply_caps[reply_cap_count++] = cap;
    return true;
  }

  // The server loop ends after this request's answer (ipc::Serve returns kOk).
  void StopServing() { stop = true; }

  bool deferred = false;
  bool stop = false;
  uapi::IpcCap reply_caps[uapi::kIpcMaxCaps] = {};
  size_t reply_cap_count = 0;
};

enum class Outcome : uint8_t {
  kReply,     // `out` is the answer
  kDeferred,  // the handler took the Reply capability
  kNoReply,   // a Send (nothing to answer)
};

template <typename Context, size_t kMaxRoutes = 16>
class Dispatcher {
 public:
  template <typename Op>
  using Handler = uint64_t (*)(Context&, Request&, const typename Op::Request&,
                               typename Op::Reply&);

  // Routes Op::kCode to kHandler. False when the table is full or the code is taken.
  template <Operation Op, Handler<Op> kHandler>
  bool On() {
    if (count_ == kMaxRoutes) return false;
    for (size_t i = 0; i < count_; ++i) {
      if (routes_[i].code == Op::kCode) return false;
    }
    routes_[count_++] = Route{Op::kCode, &Thunk<Op, kHandler>};
    return true;
  }

  // Runs the handler of in.words[0] (unknown codes: status kUnknownOperation). `request` comes
  // filled with badge/caps/reply (FillRequest); `out` gets the reply's words and caps.
  Outcome Dispatch(Context& context, const Message& in, Request& request, Message& out) const {
    out = Message{};
    request.op = in.words[0];
    uint64_t status = kUnknownOperation;
    for (size_t i = 0; i < count_; ++i) {
      if (routes_[i].code == request.op) {
        status = routes_[i].thunk(context, request, in, out);
        break;
      }
    }
    if (status != kOk) {
      out = Message{};
      request.reply_cap_count = 0;
    }
    out.words[0] = status;
    for (size_t i = 0; i < request.reply_cap_count; ++i) out.caps[i] = request.reply_caps[i];
    out.cap_count = request.reply_cap_count;
    if (request.deferred) return Outcome::kDeferred;
    if (!in.reply_expected) return Outcome::kNoReply;
    return Outcome::kReply;
  }

  // The Request of a received message.
  static void FillRequest(const Message& in, uint32_t reply, Request& request) {
    request = Request{};
    request.badge = in.badge;
    request.reply_expected = in.reply_expected;
    request.reply = in.reply_expected ? reply : 0;
    request.cap_count = in.cap_count;
    for (size_t i = 0; i < in.cap_count; ++i) request.caps[i] = in.caps[i];
  }

 private:
  using ThunkFn = uint64_t (*)(Context&, Request&, const Message&, Message&);
  struct Route {
    uint64_t code;
    ThunkFn thunk;
  };

  template <Operation Op, Handler<Op> kHandler>
  static uint64_t Thunk(Context& context, Request& request, const Message& in, Message& out) {
    typename Op::Request typed_in;
    Decode(in, typed_in);
    typename Op::Reply typed_out{};
    uint64_t status = kHandler(context, request, typed_in, typed_out);
    if (status == kOk) Encode(kOk, typed_out, out);
    return status;
  }

  Route routes_[kMaxRoutes] = {};
  size_t count_ = 0;
};

}  // namespace hiillos::ipc
