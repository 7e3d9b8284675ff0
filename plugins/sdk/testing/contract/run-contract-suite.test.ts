/**
 * The contract suite passes a correct VSP and catches each way a VSP can break the contract.
 */
import { describe, expect, it } from '@jest/globals';
import { defineVsp } from '../../index.js';
import type { VspHandlers, VspHost } from '../../index.js';
import { formatContractReport, runContractSuite } from '../index.js';
import type { ContractProfile, ContractReport } from '../index.js';

type Flaw =
  | 'none'
  | 'silent'
  | 'throws'
  | 'negative-cpu'
  | 'overreach'
  | 'double-complete'
  | 'fails-valid'
  | 'fails-everyone';

/** An echo VSP for the `heartbeat` class: answers each request; `flaw` breaks it one way. */
function echo(flaw: Flaw) {
  const opened: Parameters<VspHandlers['onPacket']>[0][] = [];
  return defineVsp({
    id: `test.echo-${flaw}`,
    sdk: '^1.0.0',
    deviceClass: 'heartbeat',
    create(host: VspHost): VspHandlers {
      return {
        onChannelOpened(channel) {
          opened.push(channel);
        },
        onPacket(channel, packet) {
          host.cpu.charge(flaw === 'negative-cpu' && packet.payload.length > 3 ? -1 : 100);
          if (packet.kind === 'completion' || !packet.completionRequested || packet.transId < 0) {
            if (flaw === 'fails-everyone')
              for (const c of opened) if (c !== channel) c.fail('bad neighbour');
            channel.fail('rule 37: not a request');
            return;
          }
          if (flaw === 'throws' && packet.payload[0] === 0x42) throw new Error('0x42');
          if (flaw === 'silent' && packet.payload.length > 10) return;
          if (flaw === 'overreach' && packet.ranges.length > 0)
            channel.memory.touchRanges(packet, Number.MAX_SAFE_INTEGER, true);
          if (flaw === 'fails-valid') {
            channel.fail('everything is hostile');
            return;
          }
          channel.complete(packet.transId, packet.payload);
          if (flaw === 'double-complete') channel.complete(packet.transId, packet.payload);
        },
      };
    },
  });
}

const profile: ContractProfile = {
  name: 'echo',
  deviceClass: 'heartbeat',
  validRequests: (h) => [
    h.packets.inband(Uint8Array.of(0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)),
    h.packets.inband(Uint8Array.of(1)),
  ],
};

function failures(report: ContractReport): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of report.checks) if (!c.passed) out[c.name] = c.problems.join(' / ');
  return out;
}

describe('runContractSuite', () => {
  it('passes a VSP that keeps the contract', () => {
    const report = runContractSuite(echo('none'), { profile, runs: 60 });
    expect(failures(report)).toEqual({});
    expect(report.passed).toBe(true);
    expect(formatContractReport(report)).toMatch(/^test\.echo-none \(echo profile\): PASS/);
  });

  it.each([
    ['silent', 'answers-valid-requests', /neither answered nor failed/],
    ['throws', 'answers-valid-requests', /plugin-threw: onPacket threw Error: 0x42/],
    ['negative-cpu', 'answers-valid-requests', /impossible CPU: -1/],
    ['overreach', 'survives-hostile-packets', /reached guest memory it was not granted/],
    ['double-complete', 'answers-valid-requests', /completions answering no outstanding request/],
    ['fails-valid', 'answers-valid-requests', /well-formed traffic stopped channel/],
    ['fails-everyone', 'survives-hostile-packets', /stopped another VM's channel/],
  ] as const)('catches a VSP that is %s (check %s)', (flaw, check, problem) => {
    const report = runContractSuite(echo(flaw), { profile, runs: 60 });
    expect(report.passed).toBe(false);
    expect(failures(report)[check]).toMatch(problem);
  });

  it('gives a reproducible counterexample for a hostile-packet failure', () => {
    const a = runContractSuite(echo('overreach'), { profile, runs: 60, seed: 7 });
    const b = runContractSuite(echo('overreach'), { profile, runs: 60, seed: 7 });
    const text = failures(a)['survives-hostile-packets'];
    expect(text).toMatch(/counterexample \(seed 7\): gpa-direct id=/);
    expect(failures(b)['survives-hostile-packets']).toBe(text);
  });
});
