/**
 * Rules 11 and 37: the runtime tells a packet of another class's protocol from the VSP's own by
 * its wire shape. Every message the guest drivers send is recognised as its own class's, and no
 * byte string is ever taken for both.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  createVmscsiRequest,
  encodeNvspMessage,
  encodeVstorRequest,
  netvscSetupSequence,
  netvscSubchannelRequest,
  NETVSC_INVALID_SECTION_INDEX,
  NvspProtocolVersion,
  NvspStatus,
  REQUEST_COMPLETION_FLAG,
  RndisChannelType,
  VmstorProtocolVersion,
} from '../protocols/index.js';
import type { NvspMessage, VstorRequest } from '../protocols/index.js';
import { protocolClassOf, speaksAnotherClass } from './protocol-class.js';

const NVSP_VERSIONS = Object.values(NvspProtocolVersion);
const VSTOR_VERSIONS = Object.values(VmstorProtocolVersion);

function nvspMessages(version: number): NvspMessage[] {
  return [
    ...netvscSetupSequence({
      protocolVersion: version,
      mtu: 1500,
      receiveBufferGpadl: 1,
      sendBufferGpadl: 2,
    }).map((s) => s.message),
    netvscSubchannelRequest(4),
    {
      kind: 'sendRndisPacket',
      channelType: RndisChannelType.DATA,
      sendBufferSectionIndex: NETVSC_INVALID_SECTION_INDEX,
      sendBufferSectionSize: 0,
    },
    { kind: 'sendRndisPacketComplete', status: NvspStatus.SUCCESS },
  ];
}

const VSTOR_REQUESTS: VstorRequest[] = [
  { kind: 'beginInitialization', flags: REQUEST_COMPLETION_FLAG },
  { kind: 'queryProtocolVersion', flags: REQUEST_COMPLETION_FLAG, majorMinor: 0x0602, revision: 0 },
  { kind: 'queryProperties', flags: REQUEST_COMPLETION_FLAG },
  { kind: 'endInitialization', flags: REQUEST_COMPLETION_FLAG },
  { kind: 'createSubChannels', flags: REQUEST_COMPLETION_FLAG, subChannelCount: 3 },
  { kind: 'executeSrb', flags: REQUEST_COMPLETION_FLAG, srb: createVmscsiRequest() },
  { kind: 'resetLun', flags: REQUEST_COMPLETION_FLAG },
];

describe('protocolClassOf', () => {
  it.each(NVSP_VERSIONS)(
    'rule 11: every NVSP message netvsc sends (protocol %i) is network, never storage',
    (version) => {
      const buf = new Uint8Array(256);
      for (const m of nvspMessages(version)) {
        const n = encodeNvspMessage(m, buf, 0, { protocolVersion: version });
        expect([m.kind, protocolClassOf(buf.subarray(0, n))]).toEqual([m.kind, 'network']);
      }
    },
  );

  it.each(VSTOR_VERSIONS)(
    'rule 11: every vstor request storvsc sends (protocol %i) is storage, never network',
    (version) => {
      const buf = new Uint8Array(256);
      for (const r of VSTOR_REQUESTS) {
        const n = encodeVstorRequest(r, buf, 0, { protocolVersion: version });
        expect([r.kind, protocolClassOf(buf.subarray(0, n))]).toEqual([r.kind, 'storage']);
      }
    },
  );

  it('rule 37: hostile bytes never throw, and only the two protocols’ exact sizes are classified', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 200 }), (bytes) => {
        const cls = protocolClassOf(bytes);
        if (cls === 'storage') expect([48, 64]).toContain(bytes.length);
        else if (cls === 'network') expect([28, 40]).toContain(bytes.length);
        else expect(cls).toBeUndefined();
      }),
    );
  });

  it('an unknown operation or message type is nobody’s protocol', () => {
    const vstor = new Uint8Array(64);
    vstor[0] = 0x77; // no vstor operation 0x77
    expect(protocolClassOf(vstor)).toBeUndefined();
    const nvsp = new Uint8Array(40);
    nvsp[0] = 50; // between INIT_COMPLETE and the v1 messages: no NVSP type
    expect(protocolClassOf(nvsp)).toBeUndefined();
  });

  it('rule 37: only storage and network VSPs judge a packet, and only the other of the two protocols counts', () => {
    const nvsp = new Uint8Array(40);
    nvsp[0] = 1; // NVSP INIT — also how an integration-service message may begin
    const vstor = new Uint8Array(64);
    vstor[0] = 3; // EXECUTE_SRB
    expect(speaksAnotherClass(nvsp, 'storage')).toBe(true);
    expect(speaksAnotherClass(vstor, 'network')).toBe(true);
    expect(speaksAnotherClass(nvsp, 'network')).toBe(false);
    expect(speaksAnotherClass(vstor, 'storage')).toBe(false);
    for (const other of ['heartbeat', 'dynamic-memory', 'video', 'input'] as const) {
      expect(speaksAnotherClass(nvsp, other)).toBe(false);
      expect(speaksAnotherClass(vstor, other)).toBe(false);
    }
  });
});
