import { describe, expect, it } from '@jest/globals';
import { HV_ANY_VP } from './limits.js';
import { HvMessageType, MessageSlot } from './messages.js';
import { HvMsr, SINT_MASKED, VMBUS_MESSAGE_SINT } from './msr.js';
import { HvStatus } from './status.js';
import {
  eventPath,
  makeChild,
  makeHost,
  messagePath,
  post,
  signal,
  type TestHost,
} from './test-fixtures.js';

const VMBUS_CHANNEL_MESSAGE = 1; // L: HVMSG_VMBUS — the guest-defined type VMBus uses.

/** Root → child message path on the child's SINT2, with the host posting on connection 0x100. */
function hostToGuest(): { host: TestHost; child: number } {
  const host = makeHost();
  const child = makeChild(host);
  messagePath(host, { sender: host.hv.root.id, receiver: child, portId: 7, connectionId: 0x100 });
  return { host, child };
}

function bytes(...values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

describe('SynIC (rule 26)', () => {
  it('rule 26: every SINT is masked at reset (0x10000) and SCONTROL, SIMP, SIEFP start disabled', () => {
    const host = makeHost();
    const child = makeChild(host, { boot: false });
    for (let sint = 0; sint < 16; sint++) {
      const r = host.hv.readMsr(child, 0, HvMsr.SINT0 + sint);
      expect(r.ok && r.value).toBe(SINT_MASKED);
    }
    for (const msr of [HvMsr.SCONTROL, HvMsr.SIMP, HvMsr.SIEFP]) {
      const r = host.hv.readMsr(child, 0, msr);
      expect(r.ok && r.value).toBe(0n);
    }
  });

  it('rule 26: a message to a masked SINT is written to its slot but raises no interrupt', () => {
    const host = makeHost();
    const child = makeChild(host); // boot unmasks SINT2 only
    messagePath(host, {
      sender: host.hv.root.id,
      receiver: child,
      portId: 1,
      connectionId: 0x10,
      sint: 5,
    });
    const r = post(host, { partitionId: host.hv.root.id }, { connectionId: 0x10, messageType: 9 });
    expect(r.status).toBe(HvStatus.SUCCESS);
    expect(host.hv.vp(child, 0)?.synic.messagePage.messageType(5)).toBe(9);
    expect(host.sink.count(child, 5)).toBe(0);
  });

  it('rule 26: the message lands in the real hv_message layout: type, size, port id, payload at 16', () => {
    const { host, child } = hostToGuest();
    post(
      host,
      { partitionId: host.hv.root.id },
      {
        connectionId: 0x100,
        messageType: VMBUS_CHANNEL_MESSAGE,
        payload: bytes(0xde, 0xad, 0xbe, 0xef),
      },
    );
    const page = host.hv.vp(child, 0)?.synic.messagePage;
    const slot = VMBUS_MESSAGE_SINT * 256;
    const raw = page?.bytes ?? new Uint8Array(4096);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    expect(view.getUint32(slot + MessageSlot.TYPE, true)).toBe(VMBUS_CHANNEL_MESSAGE);
    expect(page?.bytes[slot + MessageSlot.PAYLOAD_SIZE]).toBe(4);
    expect(view.getUint32(slot + MessageSlot.ORIGIN, true)).toBe(7); // the port id
    expect([...(page?.bytes.subarray(slot + 16, slot + 20) ?? [])]).toEqual([
      0xde, 0xad, 0xbe, 0xef,
    ]);
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(1);
  });

  it('rule 26: a busy slot queues the message, sets MessagePending, and EOM after clearing delivers it', () => {
    const { host, child } = hostToGuest();
    const root = { partitionId: host.hv.root.id };
    post(host, root, { connectionId: 0x100, messageType: 1, payload: bytes(1) });
    post(host, root, { connectionId: 0x100, messageType: 2, payload: bytes(2) });
    const synic = host.hv.vp(child, 0)?.synic;
    expect(synic?.messagePage.messageType(VMBUS_MESSAGE_SINT)).toBe(1);
    expect(synic?.messagePage.messagePending(VMBUS_MESSAGE_SINT)).toBe(true);
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(1);

    // EOM while the slot still holds the first message delivers nothing.
    host.hv.writeMsr(child, 0, HvMsr.EOM, 0n);
    expect(synic?.messagePage.messageType(VMBUS_MESSAGE_SINT)).toBe(1);

    synic?.messagePage.clearSlot(VMBUS_MESSAGE_SINT);
    const eom = host.hv.writeMsr(child, 0, HvMsr.EOM, 0n);
    expect(eom.ok).toBe(true);
    expect(synic?.messagePage.messageType(VMBUS_MESSAGE_SINT)).toBe(2);
    expect(synic?.messagePage.messagePending(VMBUS_MESSAGE_SINT)).toBe(false);
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(2);
  });

  it('rule 26: messages on one SINT arrive in posting order, across ports', () => {
    const { host, child } = hostToGuest();
    messagePath(host, { sender: host.hv.root.id, receiver: child, portId: 8, connectionId: 0x101 });
    const root = { partitionId: host.hv.root.id };
    const order = [0x100, 0x101, 0x100, 0x101, 0x100];
    order.forEach((connectionId, i) => post(host, root, { connectionId, messageType: 10 + i }));
    const page = host.hv.vp(child, 0)?.synic.messagePage;
    const seen: number[] = [];
    for (let i = 0; i < order.length; i++) {
      seen.push(page?.messageType(VMBUS_MESSAGE_SINT) ?? -1);
      page?.clearSlot(VMBUS_MESSAGE_SINT);
      host.hv.endOfMessage(child, 0);
    }
    expect(seen).toEqual([10, 11, 12, 13, 14]);
  });

  it('rule 25/26: a port holds 16 buffers; the 17th waiting message gets INSUFFICIENT_BUFFERS (0x13)', () => {
    const { host, child } = hostToGuest();
    const root = { partitionId: host.hv.root.id };
    expect(post(host, root, { connectionId: 0x100, messageType: 1 }).status).toBe(HvStatus.SUCCESS);
    for (let i = 0; i < 16; i++) {
      expect(post(host, root, { connectionId: 0x100, messageType: 2 }).status).toBe(
        HvStatus.SUCCESS,
      );
    }
    const refused = post(host, root, { connectionId: 0x100, messageType: 3 });
    expect(refused.status).toBe(0x13);
    // The guest drains one: a buffer frees up and posting works again.
    host.hv.vp(child, 0)?.synic.messagePage.clearSlot(VMBUS_MESSAGE_SINT);
    host.hv.endOfMessage(child, 0);
    expect(post(host, root, { connectionId: 0x100, messageType: 3 }).status).toBe(HvStatus.SUCCESS);
  });

  it("rule 26: message types with the high bit set are the hypervisor's: a guest gets INVALID_PARAMETER", () => {
    const host = makeHost();
    const child = makeChild(host);
    messagePath(host, { sender: child, receiver: host.hv.root.id, portId: 1, connectionId: 1 });
    const guest = { partitionId: child };
    const tries = [
      HvMessageType.X64IoPortIntercept,
      0x80000000,
      HvMessageType.TimerExpired,
      0xffffffff,
    ];
    for (const messageType of tries) {
      expect(post(host, guest, { connectionId: 1, messageType }).status).toBe(
        HvStatus.INVALID_PARAMETER,
      );
    }
    // Type zero and payloads over 240 bytes are refused the same way; a normal type goes through.
    expect(post(host, guest, { connectionId: 1, messageType: 0 }).status).toBe(
      HvStatus.INVALID_PARAMETER,
    );
    const big = post(host, guest, { connectionId: 1, messageType: 1, payloadSize: 241 });
    expect(big.status).toBe(HvStatus.INVALID_PARAMETER);
    expect(post(host, guest, { connectionId: 1, messageType: 1 }).status).toBe(HvStatus.SUCCESS);
  });

  it('rule 26: an event flag interrupts only on its 0→1 transition; the reader test-and-clears it', () => {
    const host = makeHost();
    const child = makeChild(host);
    eventPath(host, {
      sender: host.hv.root.id,
      receiver: child,
      portId: 9,
      connectionId: 0x200,
      baseFlag: 40,
      flagCount: 4,
    });
    const root = { partitionId: host.hv.root.id };
    expect(signal(host, root, 0x200, 3).status).toBe(HvStatus.SUCCESS);
    expect(signal(host, root, 0x200, 3).status).toBe(HvStatus.SUCCESS);
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(1);

    const flags = host.hv.vp(child, 0)?.synic.eventFlagsPage;
    expect(flags?.nextSet(VMBUS_MESSAGE_SINT)).toBe(43); // base 40 + relative flag 3
    expect(flags?.testAndClear(VMBUS_MESSAGE_SINT, 43)).toBe(true);
    expect(flags?.testAndClear(VMBUS_MESSAGE_SINT, 43)).toBe(false);
    signal(host, root, 0x200, 3);
    expect(host.sink.count(child, VMBUS_MESSAGE_SINT)).toBe(2);
  });

  it("rule 26: signalling past the port's flag count is INVALID_PARAMETER; a masked SINT is INVALID_SYNIC_STATE", () => {
    const host = makeHost();
    const child = makeChild(host);
    eventPath(host, {
      sender: host.hv.root.id,
      receiver: child,
      portId: 9,
      connectionId: 0x200,
      baseFlag: 0,
      flagCount: 2,
    });
    eventPath(host, {
      sender: host.hv.root.id,
      receiver: child,
      portId: 10,
      connectionId: 0x201,
      baseFlag: 0,
      flagCount: 2,
      sint: 6,
    });
    const root = { partitionId: host.hv.root.id };
    expect(signal(host, root, 0x200, 2).status).toBe(HvStatus.INVALID_PARAMETER);
    expect(signal(host, root, 0x201, 0).status).toBe(HvStatus.INVALID_SYNIC_STATE);
  });

  it('rule 26: SVERSION is read-only and an unmasked SINT needs a vector of 16–255 (#GP otherwise)', () => {
    const host = makeHost();
    const child = makeChild(host);
    expect(host.hv.writeMsr(child, 0, HvMsr.SVERSION, 1n).ok).toBe(false);
    expect(host.hv.writeMsr(child, 0, HvMsr.SINT0 + 3, 15n).ok).toBe(false);
    expect(host.hv.writeMsr(child, 0, HvMsr.SINT0 + 3, 16n).ok).toBe(true);
    expect(host.hv.writeMsr(child, 0, HvMsr.SINT0 + 3, SINT_MASKED).ok).toBe(true);
  });

  it('rule 26: posting to a VP whose SynIC is disabled is INVALID_SYNIC_STATE', () => {
    const { host, child } = hostToGuest();
    host.hv.writeMsr(child, 0, HvMsr.SCONTROL, 0n);
    const r = post(host, { partitionId: host.hv.root.id }, { connectionId: 0x100, messageType: 1 });
    expect(r.status).toBe(HvStatus.INVALID_SYNIC_STATE);
  });

  it('rule 26: a port on HV_ANY_VP skips VPs whose SynIC is off; with every SynIC off the post is INVALID_SYNIC_STATE', () => {
    const host = makeHost();
    const child = makeChild(host, { vps: 2 });
    messagePath(host, {
      sender: host.hv.root.id,
      receiver: child,
      portId: 11,
      connectionId: 0x300,
      targetVp: HV_ANY_VP,
    });
    const root = { partitionId: host.hv.root.id };
    host.hv.writeMsr(child, 0, HvMsr.SCONTROL, 0n);
    expect(post(host, root, { connectionId: 0x300, messageType: 1 }).status).toBe(HvStatus.SUCCESS);
    expect(host.hv.vp(child, 1)?.synic.messagePage.messageType(VMBUS_MESSAGE_SINT)).toBe(1);
    // T: HvCallPostMessage / HvCallSignalEvent, INVALID_SYNIC_STATE — "For ports that are targeted
    // at HV_ANY_VP, this indicates that the SynIC of all of the partition's VPs are disabled".
    host.hv.writeMsr(child, 1, HvMsr.SCONTROL, 0n);
    expect(post(host, root, { connectionId: 0x300, messageType: 1 }).status).toBe(
      HvStatus.INVALID_SYNIC_STATE,
    );
  });

  it('counts messages posted and delivered, events signalled and interrupts raised', () => {
    const { host, child } = hostToGuest();
    const root = { partitionId: host.hv.root.id };
    post(host, root, { connectionId: 0x100, messageType: 1 });
    post(host, root, { connectionId: 0x100, messageType: 1 });
    const rootCounters = host.hv.partition(host.hv.root.id)?.counters;
    const childCounters = host.hv.partition(child)?.counters;
    expect(rootCounters?.messagesPosted).toBe(2);
    expect(childCounters?.messagesDelivered).toBe(1);
    expect(childCounters?.interruptsRaised).toBe(host.sink.count(child, VMBUS_MESSAGE_SINT));
    const snapshot = host.hv.counters().find((c) => c.partitionId === host.hv.root.id);
    expect(snapshot?.hypercalls.HvCallPostMessage).toBe(2);
  });
});
