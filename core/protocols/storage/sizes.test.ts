import { describe, expect, it } from '@jest/globals';
import { VmstorProtocolVersion } from './constants.js';
import {
  STORVSC_REQUEST_RING_BYTES,
  senseBufferSize,
  storvscHostQueueDepth,
  storvscMaxOutstandingRequestsPerChannel,
  storvscMaxSubChannels,
  vmbusRingSize,
  vmscsiSizeDelta,
  vstorPacketSize,
} from './sizes.js';

describe('storage protocol sizes', () => {
  it('sends sizeof(struct vstor_packet) − vmscsi_size_delta for each version', () => {
    // struct vstor_packet: 3 × u32 + a union whose largest member is buffer[0x34] → 64 bytes.
    // vmscsi_win8_extension: u16 + u8 + u8 + 3 × u32 = 16 bytes, absent before protocol 5.1.
    expect(vstorPacketSize(VmstorProtocolVersion.WIN10)).toBe(64);
    expect(vstorPacketSize(VmstorProtocolVersion.WIN8_1)).toBe(64);
    expect(vstorPacketSize(VmstorProtocolVersion.WIN8)).toBe(64);
    expect(vstorPacketSize(VmstorProtocolVersion.WIN7)).toBe(48);
    expect(vstorPacketSize(VmstorProtocolVersion.WIN6)).toBe(48);
    expect(vmscsiSizeDelta(VmstorProtocolVersion.WIN7)).toBe(16);
    expect(vmscsiSizeDelta(VmstorProtocolVersion.WIN10)).toBe(0);
    // POST_WIN7_STORVSC_SENSE_BUFFER_SIZE 0x14, PRE_WIN8_STORVSC_SENSE_BUFFER_SIZE 0x12.
    expect(senseBufferSize(VmstorProtocolVersion.WIN10)).toBe(0x14);
    expect(senseBufferSize(VmstorProtocolVersion.WIN7)).toBe(0x12);
  });

  it('VMBUS_RING_SIZE steals the header page from large rings and adds one to small ones', () => {
    // L: VMBUS_HEADER_ADJ — payload ≥ 8 × sizeof(struct hv_ring_buffer) (8 × 4 KiB) adds nothing.
    expect(vmbusRingSize(128 * 1024)).toBe(128 * 1024);
    expect(vmbusRingSize(16 * 1024)).toBe(20 * 1024);
    expect(vmbusRingSize(36 * 1024)).toBe(36 * 1024);
  });
});

describe('rule 18: storvsc queue depth', () => {
  it('budgets 360 ring bytes per request: descriptor + multipage buffer + vstor_packet + u64', () => {
    // MAX_MULTIPAGE_BUFFER_PACKET = 0x18 + sizeof(hv_multipage_buffer) = 24 + (4 + 4 + 32 × 8)
    // = 288; + sizeof(vstor_packet) 64 + sizeof(u64) 8 = 360, already 8-aligned.
    expect(STORVSC_REQUEST_RING_BYTES).toBe(24 + 8 + 32 * 8 + 64 + 8);
  });

  it('rule 18: fits ≈ 352 requests in a 128 KiB ring', () => {
    // (VMBUS_RING_SIZE(128 KiB) − PAGE_SIZE) / 360 = (131072 − 4096) / 360 = 352.7 → 352.
    expect(storvscMaxOutstandingRequestsPerChannel(128 * 1024)).toBe(352);
    expect(storvscMaxOutstandingRequestsPerChannel()).toBe(352);
    // A 256 KiB ring: (262144 − 4096) / 360 = 716.8 → 716.
    expect(storvscMaxOutstandingRequestsPerChannel(256 * 1024)).toBe(716);
  });

  it('rule 18: the guest queue is 352 × (sub-channels + 1) × 90 %', () => {
    // Sub-channels = (vCPUs − 1) / 4, integer division; 10 % low-water mark.
    expect(storvscMaxSubChannels(1)).toBe(0);
    expect(storvscMaxSubChannels(4)).toBe(0);
    expect(storvscMaxSubChannels(5)).toBe(1);
    expect(storvscMaxSubChannels(16)).toBe(3);
    expect(storvscMaxSubChannels(16, 4, true)).toBe(0);
    expect(storvscHostQueueDepth({ vcpus: 1 })).toBe(Math.floor((352 * 1 * 90) / 100)); // 316
    expect(storvscHostQueueDepth({ vcpus: 8 })).toBe(Math.floor((352 * 2 * 90) / 100)); // 633
    expect(storvscHostQueueDepth({ vcpus: 64 })).toBe(Math.floor((352 * 16 * 90) / 100)); // 5068
    expect(storvscHostQueueDepth({ vcpus: 64, isIde: true })).toBe(316);
  });
});
