/**
 * The contract every VSP must keep, checked in the harness: it starts, answers well-formed
 * requests, survives hostile packets without throwing (rules 36–38), answers or fails every
 * request, never reaches guest memory it was not granted, never charges impossible CPU, keeps
 * other VMs' channels running, and lets go of closed channels.
 */
import fc from 'fast-check';
import type { VspModule, VspPacket } from '../../../../core/vsp/types.js';
import type { VspDefinition } from '../../define-vsp.js';
import type { FakeChannel } from '../fake-channel.js';
import { VspTestHarness } from '../harness.js';
import type { HarnessOptions } from '../harness.js';
import { hostilePacket } from './hostile.js';
import type { ContractProfile } from './profile.js';
import { profileFor } from './profiles.js';

/**
 * Options of {@link runContractSuite}.
 *
 * @example
 * ```ts
 * runContractSuite(myVsp, { runs: 300, seed: 42 });
 * ```
 */
export interface ContractOptions {
  /** The class profile; default the registered one for the module's device class. */
  readonly profile?: ContractProfile;
  /** Property runs of each hostile check. Default 100. */
  readonly runs?: number;
  /** fast-check seed, so a report can be reproduced. Default 0x5eed. */
  readonly seed?: number;
}

/**
 * One check of the contract and what broke it.
 *
 * @example
 * ```ts
 * report.checks.filter((c) => !c.passed).map((c) => c.problems);
 * ```
 */
export interface ContractCheck {
  readonly name: string;
  readonly description: string;
  readonly passed: boolean;
  readonly problems: readonly string[];
}

/**
 * The result of {@link runContractSuite}.
 *
 * @example
 * ```ts
 * if (!report.passed) console.log(formatContractReport(report));
 * ```
 */
export interface ContractReport {
  readonly plugin: string;
  readonly profile: string;
  readonly passed: boolean;
  readonly checks: readonly ContractCheck[];
}

type Module = VspModule | VspDefinition;

interface Suite {
  readonly module: Module;
  readonly profile: ContractProfile;
  readonly runs: number;
  readonly seed: number;
}

const SETTLE_STEPS = 100_000;

/**
 * Runs the contract suite against a VSP and returns a report (it never throws for the VSP's
 * failures, so any test runner can assert on it).
 *
 * @example
 * ```ts
 * import { runContractSuite, formatContractReport } from 'hyperkata/sdk/testing';
 *
 * it('keeps the VSP contract', () => {
 *   const report = runContractSuite(myStorageVsp);
 *   expect(formatContractReport(report)).not.toContain('FAIL');
 * });
 * ```
 */
export function runContractSuite(module: Module, options: ContractOptions = {}): ContractReport {
  const probe = new VspTestHarness(module, {});
  const suite: Suite = {
    module,
    profile: options.profile ?? profileFor(probe.module.deviceClass),
    runs: options.runs ?? 100,
    seed: options.seed ?? 0x5eed,
  };
  const classHostile = suite.profile.hostilePackets;
  const checks: ContractCheck[] = [
    check('starts', 'creates with default settings and opens a channel', () =>
      startsCleanly(suite),
    ),
    check('answers-valid-requests', 'answers every well-formed request, channel open', () =>
      validRun(suite, {}),
    ),
    check('survives-hostile-packets', 'any hostile packet: no throw, answered or failed', () =>
      hostileCheck(suite, (pages) => hostilePacket(pages)),
    ),
    check(
      'survives-class-hostile-packets',
      `hostile ${suite.profile.name} traffic: no throw, answered or failed`,
      () => (classHostile === undefined ? [] : hostileCheck(suite, classHostile)),
    ),
    check('survives-device-errors', 'a failing device: every request still answered', () =>
      deviceErrorRun(suite),
    ),
    check('forgets-closed-channels', 'closing mid-flight is survived; a new channel works', () =>
      closeRun(suite),
    ),
  ];
  return {
    plugin: probe.module.id,
    profile: suite.profile.name,
    passed: checks.every((c) => c.passed),
    checks,
  };
}

/**
 * A readable report: one line per check, with the problems under failed ones.
 *
 * @example
 * ```ts
 * console.log(formatContractReport(runContractSuite(myVsp)));
 * ```
 */
export function formatContractReport(report: ContractReport): string {
  const lines = [
    `${report.plugin} (${report.profile} profile): ${report.passed ? 'PASS' : 'FAIL'}`,
  ];
  for (const c of report.checks) {
    lines.push(`  ${c.passed ? 'ok  ' : 'FAIL'} ${c.name}: ${c.description}`);
    for (const p of c.problems.slice(0, 12)) lines.push(`         ${p}`);
  }
  return lines.join('\n');
}

function check(name: string, description: string, run: () => string[]): ContractCheck {
  const problems = guard(run);
  return { name, description, passed: problems.length === 0, problems };
}

/** Runs `fn`; anything thrown (a handshake that never completes, a harness refusal) is a problem. */
function guard(fn: () => string[]): string[] {
  try {
    return fn();
  } catch (e) {
    return [e instanceof Error ? `${e.name}: ${e.message}` : String(e)];
  }
}

function harnessFor(suite: Suite, extra: Partial<HarnessOptions> = {}): VspTestHarness {
  return new VspTestHarness(suite.module, { ...suite.profile.harness, ...extra });
}

function openPrepared(h: VspTestHarness, suite: Suite, vm: string): FakeChannel {
  const channel = h.openChannel({ ...suite.profile.channel, vm });
  suite.profile.prepare?.(h, channel);
  return channel;
}

/** What the harness saw that breaks the contract. */
function audit(h: VspTestHarness, suite: Suite): string[] {
  const problems: string[] = [];
  if (h.createFailure !== undefined) problems.push(`create threw: ${h.createFailure}`);
  for (const f of h.faults)
    if (f.kind !== 'guest-protocol-violation')
      problems.push(`channel ${f.channel}: ${f.kind}: ${f.reason}`);
  for (const i of h.isolationFaults)
    if (i.blame === 'plugin')
      problems.push(
        `channel ${i.channel}: reached guest memory it was not granted (${i.kind}: ${i.detail})`,
      );
  for (const ns of h.invalidCharges) problems.push(`charged impossible CPU: ${String(ns)} ns`);
  for (const ch of h.channels) {
    if (ch.state === 'open' && ch.unanswered > 0)
      problems.push(
        `channel ${ch.id}: ${ch.unanswered} request(s) neither answered nor failed (trans_ids ${[...ch.outstanding.keys()].slice(0, 8).join(', ')})`,
      );
    if (suite.profile.strictCompletions !== false && ch.strayCompletions.length > 0)
      problems.push(
        `channel ${ch.id}: completions answering no outstanding request (trans_ids ${ch.strayCompletions.slice(0, 8).join(', ')})`,
      );
  }
  return problems;
}

function settle(h: VspTestHarness): string[] {
  return h.settle(SETTLE_STEPS) ? [] : [`device work still pending after ${SETTLE_STEPS} steps`];
}

function startsCleanly(suite: Suite): string[] {
  const h = harnessFor(suite);
  const issues = h.module.checkSettings?.({}, ['settings']) ?? [];
  const problems = issues.map((i) => `default settings refused: ${i.path.join('.')}`);
  const channel = h.openChannel({ ...suite.profile.channel, vm: 'vm-start' });
  if (channel.state !== 'open')
    problems.push(`the channel did not open: ${channel.failure?.reason ?? ''}`);
  return [...problems, ...audit(h, suite)];
}

function deliverValid(h: VspTestHarness, suite: Suite, channel: FakeChannel): string[] {
  for (const p of suite.profile.validRequests(h, channel)) h.deliver(channel, p);
  const problems = settle(h);
  if (channel.state !== 'open')
    problems.push(
      `well-formed traffic stopped channel ${channel.id}: ${channel.failure?.reason ?? ''}`,
    );
  return problems;
}

function validRun(suite: Suite, extra: Partial<HarnessOptions>): string[] {
  const h = harnessFor(suite, extra);
  const channel = openPrepared(h, suite, 'vm-valid');
  return [...deliverValid(h, suite, channel), ...audit(h, suite)];
}

function deviceErrorRun(suite: Suite): string[] {
  const device = suite.profile.harness?.device;
  if (device === undefined || device.kind === 'virtual') return [];
  const failing = { ...device, fail: () => true };
  return validRun(suite, { device: failing });
}

function closeRun(suite: Suite): string[] {
  const h = harnessFor(suite);
  const first = openPrepared(h, suite, 'vm-close');
  for (const p of suite.profile.validRequests(h, first)) h.deliver(first, p);
  h.close(first);
  const problems = settle(h);
  const again = openPrepared(h, suite, 'vm-close');
  return [...problems, ...deliverValid(h, suite, again), ...audit(h, suite)];
}

/** Hostile packets on one VM's channel, then well-formed traffic on another VM's. */
function hostileRun(suite: Suite, packets: readonly VspPacket[]): string[] {
  const h = harnessFor(suite);
  const attacker = openPrepared(h, suite, 'vm-hostile');
  const victim = openPrepared(h, suite, 'vm-victim');
  for (const p of packets) h.deliver(attacker, p);
  const problems = settle(h);
  if (victim.state !== 'open')
    problems.push(
      `the hostile guest stopped another VM's channel: ${victim.failure?.reason ?? ''}`,
    );
  else problems.push(...deliverValid(h, suite, victim));
  return [...problems, ...audit(h, suite)];
}

function hostileCheck(
  suite: Suite,
  arbitrary: (guestPages: number) => fc.Arbitrary<VspPacket>,
): string[] {
  const pages = suite.profile.harness?.guestPages ?? 4096;
  const packets = fc.array(arbitrary(pages), { minLength: 1, maxLength: 8 });
  const details = fc.check(
    fc.property(packets, (list) => guard(() => hostileRun(suite, list)).length === 0),
    { seed: suite.seed, numRuns: suite.runs },
  );
  if (!details.failed) return [];
  const example = details.counterexample?.[0];
  if (example === undefined) return [`property failed: ${String(details.errorInstance)}`];
  return [
    ...guard(() => hostileRun(suite, example)),
    `counterexample (seed ${suite.seed}): ${example.map(describePacket).join(' | ')}`,
  ];
}

function describePacket(p: VspPacket): string {
  const head = Array.from(p.payload.subarray(0, 16), (b) => b.toString(16).padStart(2, '0')).join(
    '',
  );
  const ranges = p.ranges.map((r) => `${r.byteCount}@${r.byteOffset}×${r.pfns.length}`).join(',');
  return `${p.kind} id=${p.transId} cr=${String(p.completionRequested)} len=${p.payload.length} ${head} [${ranges}]`;
}
