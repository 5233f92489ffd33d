/* kernel/ipc/endpoint.pml — SPIN model of the IPC endpoint protocol in endpoint.{h,cc}.

   Two clients (each holding a Sender and one capability it may attach to a call) and one server
   (the Receiver, with two reply slots it may keep bound to answer later), a killer that may kill
   client 0 at any moment, a stop that may interrupt one call of client 1, and a server that may die at any moment (its Receiver and slots are
   then deleted). Each inline below stands for the C++ function named in its comment and runs in
   one atomic step, as the kernel runs it under the endpoint's lock.

   The kernel side (kernel/syscall/ipc.cc, kernel/object/ipc_objects.cc, kernel/ipc/thread_ipc.cc)
   runs each step under ipc::IpcLock and wakes the threads it made ready after releasing it; the
   transitions below name those functions too. Two things the kernel adds to the pure steps are
   modelled: a capability transfer may fail (the receiver's process has no slot, the handle is
   gone): when the receiver is waiting, the Call or Send fails and nothing moves (SendStep); when
   the call is queued, the receive rejects it, the caller wakes with the error and the receive
   goes on (Receive in ipc.cc). And ReplyRecv is two lock holds, the reply then the receive
   (SysReplyRecv), so other steps may run between them. The register-only fast path
   (kernel/syscall/ipc_fastpath.cc) runs the same steps with no capability and ReplyRecv's reply
   and receive in one lock hold: every run of it is one of the interleavings checked here (the
   two holds with nothing between them), so this model covers it. (The kernel's Reply::receiving flag,
   Busy for a second receive into a slot a receiver is queued with, needs two server threads:
   not modelled.)

   Checked by endpoint_model_test.sh over every interleaving:
   - no invalid end state: no deadlock, and no thread left asleep without a waker (a lost
     wake-up leaves a client asleep at the end);
   - `reply_to_own_caller`: a client woken with OK holds the answer to its own call;
   - conservation (check_conservation): capabilities are never duplicated or lost (moved only when a receiver takes
     the message; a failed, cancelled or stranded call leaves the capability with its sender);
   - `no_lost_call`: the server never sleeps in Receive while a call is queued, nor after the
     last Sender is gone;
   - `reply_to_live_caller`: a reply never reaches a killed thread. */

#define NC 2            /* clients 0..NC-1; the server is participant NC */
#define SERVER NC
#define NSLOTS 2
#ifndef ROUNDS
#define ROUNDS 2        /* calls or sends of client 0; client 1 makes one fewer (state space) */
#endif

/* Fault injection: endpoint_model_test.sh builds the model once with each MUTANT_* defined and
   requires SPIN to find an error, so the properties above are shown to catch these bugs. */

mtype = { IDLE, CALLING, AWAIT, RECEIVING };  /* IpcState */
/* Status (+ BLOCKED: the step sleeps; FAILED: a failed capability transfer, e.g. NoSlots;
   REJECTED: the receive rejected a queued call whose transfer failed and goes on) */
mtype = { OK, DEAD, BUSY, WOULDBLOCK, BLOCKED, FAILED, REJECTED, INTERRUPTED };

mtype state[NC + 1] = IDLE;
mtype wake[NC + 1] = OK;   /* Participant::wake_status */
byte msg[NC + 1];          /* the message in flight (kCalling) or delivered */
bool expects[NC + 1];      /* Participant::reply_expected */
byte slot_of[NC + 1];      /* kReceiving: the slot to bind; kAwaitingReply: the bound slot; +1 */
bool carrying[NC + 1];     /* the queued call carries the sender's capability */
byte caps[NC + 1];         /* capabilities each participant holds */
bool killed[NC + 1];
bool stopped[NC + 1];      /* a stop already interrupted one of its calls (once: state space) */

chan callers = [NC] of { byte };   /* Endpoint::callers_ */
chan receivers = [1] of { byte };  /* Endpoint::receivers_ */
byte senders = NC;                 /* Endpoint::sender_count_ */
bool receiver_closed = false;

byte slot_caller[NSLOTS];  /* ReplySlot::caller_ (+1, 0 = empty) */
bool slot_orphan[NSLOTS];  /* ReplySlot::orphaned_ */
byte slot_msg[NSLOTS];     /* what the server took through the slot (it echoes it back) */

/* Checked wherever a capability moves or is attached to a call (the only places that change
   caps[] or carrying[]), which covers every reachable state without a monitor process. */
inline check_conservation() {
  assert(caps[0] + caps[1] + caps[SERVER] == NC &&
                       (!carrying[0] || caps[0] == 1) && (!carrying[1] || caps[1] == 1))
}

/* Deliver() + the capability transfer the kernel performs on delivery. */
inline deliver(r, from, wants) {
  state[r] = IDLE; msg[r] = msg[from]; expects[r] = wants; wake[r] = OK;
  if
#ifdef MUTANT_COPY_CAP
  :: carrying[from] -> caps[r]++; carrying[from] = false
#else
  :: carrying[from] -> caps[from]--; caps[r]++; carrying[from] = false
#endif
  :: else -> skip
  fi;
  check_conservation()
}

/* ReplyOps::Bind */
inline bind(s, c) {
  slot_caller[s] = c + 1; slot_orphan[s] = false; slot_msg[s] = msg[c];
  state[c] = AWAIT; slot_of[c] = s + 1
}

/* SysCall → SendStep (ipc.cc): Endpoint::Call after TransferCaps to the waiting receiver */
inline ep_call(c, res) {
  if
  :: receiver_closed -> carrying[c] = false; res = DEAD
  :: !receiver_closed && nempty(receivers) && carrying[c] ->
     /* TransferCaps failed: the call fails before the step, nothing moved */
     carrying[c] = false; res = FAILED
  :: !receiver_closed && nempty(receivers) ->
     receivers ? tmp; tslot = slot_of[tmp] - 1; slot_of[tmp] = 0;
     deliver(tmp, c, true); bind(tslot, c); res = BLOCKED
  :: !receiver_closed && empty(receivers) -> state[c] = CALLING; callers ! c; res = BLOCKED
  fi
}

/* SysSend → SendStep (ipc.cc): Endpoint::Send after TransferCaps to the waiting receiver */
inline ep_send(c, res) {
  if
  :: receiver_closed -> carrying[c] = false; res = DEAD
  :: !receiver_closed && nempty(receivers) && carrying[c] -> carrying[c] = false; res = FAILED
  :: !receiver_closed && nempty(receivers) ->
     receivers ? tmp; slot_of[tmp] = 0; deliver(tmp, c, false); res = OK
  :: !receiver_closed && empty(receivers) -> carrying[c] = false; res = WOULDBLOCK
  fi
}

/* Receive (ipc.cc): Endpoint::Receive, after TransferCaps from the oldest queued caller (an
   orphaned slot is emptied by bind, or when the receiver queues) */
inline ep_receive(s, res) {
  if
  :: receiver_closed -> res = DEAD
  :: !receiver_closed && slot_caller[s] != 0 -> res = BUSY
  :: !receiver_closed && slot_caller[s] == 0 && nempty(callers) ->
     callers ? <tmp>;
     if
     :: carrying[tmp] ->
        /* TransferCaps failed: Endpoint::Cancel rejects the call, its caller wakes with the
           error and keeps its capability; the receive goes on (the server loops) */
        callers ? eval(tmp); state[tmp] = IDLE; carrying[tmp] = false; wake[tmp] = FAILED;
#ifdef MUTANT_REJECT_TAKES_CAP
        caps[tmp]--;  /* a half-done transfer: the capability left the sender, reached nobody */
#endif
        check_conservation();
        res = REJECTED
     :: true -> callers ? tmp; deliver(SERVER, tmp, true); bind(s, tmp); res = OK
     fi
  :: !receiver_closed && slot_caller[s] == 0 && empty(callers) && senders == 0 -> res = DEAD
#ifdef MUTANT_LOST_CALL
  :: !receiver_closed && slot_caller[s] == 0 && senders > 0 ->
#else
  :: !receiver_closed && slot_caller[s] == 0 && empty(callers) && senders > 0 ->
#endif
     slot_orphan[s] = false;
     state[SERVER] = RECEIVING; slot_of[SERVER] = s + 1; receivers ! SERVER; res = BLOCKED
  fi
}

/* SysReply → ReplyStep (ipc.cc): Reply() (the answer echoes what the slot's call carried) */
inline reply(s, res) {
  if
  :: slot_caller[s] != 0 ->
     tmp = slot_caller[s] - 1; slot_caller[s] = 0; slot_of[tmp] = 0;
     reply_to_live_caller: assert(!killed[tmp]);
#ifdef MUTANT_WRONG_REPLY
     msg[tmp] = slot_msg[1 - s];
#else
     msg[tmp] = slot_msg[s];
#endif
     state[tmp] = IDLE; expects[tmp] = false; wake[tmp] = OK; res = OK
  :: slot_caller[s] == 0 && slot_orphan[s] -> slot_orphan[s] = false; res = DEAD
  :: slot_caller[s] == 0 && !slot_orphan[s] -> res = BUSY
  fi
}

/* Reply::Destroy: ReleaseSlot(), its caller woken with DEAD */
inline release_slot(s) {
  slot_orphan[s] = false;
  if
  :: slot_caller[s] != 0 ->
     tmp = slot_caller[s] - 1; slot_caller[s] = 0; slot_of[tmp] = 0;
     state[tmp] = IDLE; wake[tmp] = DEAD
  :: else -> skip
  fi
}

/* WakeStranded (ipc_objects.cc): Endpoint::TakeStranded() until it returns null, each one
   woken with DEAD */
inline strand_all() {
  do
  :: receiver_closed && nempty(callers) ->
     callers ? tmp; state[tmp] = IDLE; carrying[tmp] = false; wake[tmp] = DEAD
#ifdef MUTANT_NO_STRAND
  :: receiver_closed && nempty(receivers) ->
#else
  :: (receiver_closed || senders == 0) && nempty(receivers) ->
#endif
     receivers ? tmp; slot_of[tmp] = 0; state[tmp] = IDLE; wake[tmp] = DEAD
  :: (!receiver_closed || empty(callers)) &&
#ifdef MUTANT_NO_STRAND
     (!receiver_closed || empty(receivers)) -> break
#else
     ((!receiver_closed && senders != 0) || empty(receivers)) -> break
#endif
  od
}

/* Sender::Destroy: Endpoint::DropSender, then WakeStranded */
inline drop_sender() {
  senders--;
  strand_all()
}

/* A killed thread (Thread::Kill → ipc::CancelWait): Endpoint::Cancel or AbandonReply and a
   wake with DEAD; then its process's capabilities go (its Sender: Sender::Destroy →
   DropSender + WakeStranded). */
inline kill(c) {
  if
  :: state[c] == CALLING -> callers ?? eval(c); carrying[c] = false
#ifdef MUTANT_NO_ORPHAN
  :: state[c] == AWAIT -> skip
#else
  :: state[c] == AWAIT -> tslot = slot_of[c] - 1; slot_caller[tslot] = 0; slot_orphan[tslot] = true
#endif
  :: else -> skip
  fi;
  slot_of[c] = 0; state[c] = IDLE; killed[c] = true;
  drop_sender()
}

/* A stop request cut the client's sleep short (ThreadIpc::Sleep → ipc::InterruptWait, under
   IpcLock, only while the call is still queued or awaiting its reply): the same cancel as a kill
   (Endpoint::Cancel or AbandonReply), but the client lives on with INTERRUPTED and calls again;
   the slot it leaves orphaned answers the server's Reply with DEAD. */
inline interrupt(c) {
  if
  :: state[c] == CALLING -> callers ?? eval(c); carrying[c] = false
  :: state[c] == AWAIT -> tslot = slot_of[c] - 1; slot_caller[tslot] = 0; slot_orphan[tslot] = true
  fi;
  slot_of[c] = 0; state[c] = IDLE; wake[c] = INTERRUPTED; stopped[c] = true
}

proctype Client(byte c) {
  byte tmp, tslot, round;
  mtype res;
  do
  :: round < ROUNDS - c ->
     round++;
     atomic {
       if
       :: killed[c] -> break
       :: else -> skip
       fi;
       msg[c] = c * 10 + round;
       if
       :: caps[c] > 0 -> carrying[c] = true
       :: true -> skip
       fi;
       check_conservation();
       if
       :: ep_call(c, res)
       :: ep_send(c, res)
       fi
     }
     /* asleep until a step wakes it (Call, queued or awaiting the reply), or a stop interrupts
        the sleep (client 1 only, once: state space) */
     if
     :: (state[c] == IDLE)
     :: atomic { c == 1 && !stopped[c] && (state[c] == CALLING || state[c] == AWAIT) -> interrupt(c) }
     fi;
     atomic {
       if
       :: killed[c] -> break
       :: !killed[c] && res == BLOCKED && wake[c] == OK ->
          reply_to_own_caller: assert(msg[c] == c * 10 + round && !expects[c])
       :: else -> skip
       fi
     }
  :: round >= ROUNDS - c -> break
  od;
  atomic {
    if
    :: !killed[c] -> drop_sender()
    :: else -> skip
    fi
  }
}

/* The server's death: its reply slots and its Receiver are deleted (Reply::Destroy,
   Receiver::Destroy: CloseReceiver + WakeStranded). */
inline server_dies() {
  release_slot(0); release_slot(1);
  receiver_closed = true; strand_all()
}

proctype Server() {
  byte tmp, tslot, s;
  mtype res;
  do
  :: atomic { server_dies(); break }
  :: /* SysReplyRecv on one slot (ReplyStep, then Receive: two lock holds), or SysRecv
        keeping the other slot's call for later */
     atomic {
       if
       :: s = 0
       :: s = 1
       fi;
       if
       :: slot_caller[s] != 0 -> reply(s, res)
       :: true -> skip
       fi
     }
     atomic { ep_receive(s, res) }
     if
     :: res == BLOCKED ->
end_receiving:
        if
        :: (state[SERVER] == IDLE) -> res = wake[SERVER]
        :: timeout ->
           /* Everybody sleeps: the server must not be missing a queued call, and may sleep only
              while a Sender exists (otherwise it should have been woken with DEAD). */
           no_lost_call: assert(empty(callers) && senders > 0);
           atomic { receivers ?? eval(SERVER); state[SERVER] = IDLE; server_dies() };
           break
        fi
     :: else -> skip
     fi;
     if
     :: res == REJECTED -> skip /* the receive goes on: the next iteration receives again */
     :: res == DEAD -> atomic { server_dies(); break }
     :: res != DEAD && res != REJECTED && slot_caller[0] != 0 -> atomic { reply(0, res) }
     :: res != DEAD && res != REJECTED && slot_caller[1] != 0 -> atomic { reply(1, res) }
     :: res != DEAD && res != REJECTED && slot_caller[0] != 0 -> atomic { release_slot(0) }
     :: res != DEAD && res != REJECTED -> skip
     fi
  od
}

proctype Killer() {
  byte tmp, tslot;
  if
  :: atomic { !killed[0] -> kill(0) }
  :: skip
  fi
}

init {
  atomic {
    caps[0] = 1; caps[1] = 1;
    run Client(0); run Client(1); run Server(); run Killer()
  }
}
