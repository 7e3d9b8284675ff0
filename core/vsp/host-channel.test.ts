/**
 * The guest memory a VSP reaches through its channel (rule 36): the packet's ranges, and nothing
 * else. `writeRanges` copies response data (an INQUIRY answer) into the guest's buffer.
 */
import { describe, expect, it } from '@jest/globals';
import { GpadlTable } from '../memory/gpadl-table.js';
import { IsolationFaultLog } from '../memory/isolation-fault-log.js';
import { MemoryManager } from '../memory/memory-manager.js';
import { mibToPages } from '../memory/units.js';
import { HostChannel } from './host-channel.js';
import type { ChannelOwner } from './host-channel.js';
import type { HostTransport } from './transport.js';
import type { VspPacket } from './types.js';

function setup() {
  const memory = new MemoryManager({ memoryMiB: 4096, os: 'ws2019', rootReserveMiB: 512 });
  const faults = new IsolationFaultLog({ now: 0 });
  const gpadls = new GpadlTable(memory, faults);
  memory.createPartition({ partition: 1, startupPages: mibToPages(64) });
  const buffer = memory.allocate(1, 2);
  if (!buffer.ok) throw new Error('allocation failed');
  const port = gpadls.portFor({ partition: 1, channel: 3, actor: 'test.storage' });
  // Only the memory port matters here; the rings and signalling are never touched.
  const transport = { id: 3, memory: port } as unknown as HostTransport;
  const channel = new HostChannel(transport, { sandboxSizes: null } as ChannelOwner);
  const pfn = buffer.value.gpa / 4096;
  const packet = (byteCount: number, pfns: number[]): VspPacket => ({
    kind: 'gpa-direct',
    transId: 1,
    completionRequested: true,
    payload: new Uint8Array(0),
    ranges: [{ byteCount, byteOffset: 0, pfns }],
  });
  return { memory, faults, channel, pfn, packet, gpa: buffer.value.gpa };
}

describe('HostChannel memory', () => {
  it('rule 36: writeRanges puts the bytes in the guest pages the packet granted', () => {
    const { memory, channel, pfn, packet, gpa } = setup();
    const r = channel.memory.writeRanges(
      packet(8192, [pfn, pfn + 1]),
      4094,
      Uint8Array.of(7, 8, 9),
    );
    expect(r).toEqual({ ok: true, value: 3 });
    const back = new Uint8Array(3);
    expect(memory.readGuest(1, gpa + 4094, back)).toBe(true);
    expect([...back]).toEqual([7, 8, 9]);
  });

  it('rule 36: writeRanges past the ranges is refused and recorded as an isolation fault', () => {
    const { memory, faults, channel, pfn, packet, gpa } = setup();
    const r = channel.memory.writeRanges(packet(512, [pfn]), 510, Uint8Array.of(1, 2, 3));
    expect(r.ok).toBe(false);
    expect(faults.total).toBe(1);
    const back = new Uint8Array(3);
    memory.readGuest(1, gpa + 510, back);
    expect([...back]).toEqual([0, 0, 0]);
  });

  it('rule 37: a range naming pages outside the guest is refused without writing', () => {
    const { faults, channel, packet } = setup();
    const r = channel.memory.writeRanges(packet(16, [1 << 30]), 0, Uint8Array.of(1));
    expect(r.ok).toBe(false);
    expect(faults.total).toBe(1);
  });

  it('a VSP held to the sandbox’s sizes is checked before each send and memory access, in the sandbox’s names', () => {
    const { channel, pfn, packet } = setup();
    const asked: string[] = [];
    const sizes = {
      checkPayloadSize: (what: string, bytes: number) => asked.push(`${what} ${String(bytes)}`),
      checkGpadlReadSize: (length: number) => asked.push(`memory.readGpadl ${String(length)}`),
    };
    const held = new HostChannel((channel as unknown as { transport: HostTransport }).transport, {
      sandboxSizes: sizes,
      defer: () => false,
    } as unknown as ChannelOwner);
    held.complete(1, new Uint8Array(5));
    held.send(new Uint8Array(6));
    held.sendTransferPages(0, [], new Uint8Array(7), 1);
    held.memory.writeGpadl(1, 0, new Uint8Array(8));
    held.memory.writeRanges(packet(512, [pfn]), 0, new Uint8Array(9));
    held.memory.readGpadl(1, 0, 10);
    expect(asked).toEqual([
      'channel.complete: payload 5',
      'channel.send: payload 6',
      'channel.sendTransferPages: payload 7',
      'memory.writeGpadl: data 8',
      'memory.writeRanges: data 9',
      'memory.readGpadl 10',
    ]);
  });
});
