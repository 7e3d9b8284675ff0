/**
 * Assertions over what a harness recorded. They work with any test runner: each returns what it
 * found or throws a {@link HarnessError} saying what was expected and what happened.
 */
import type { FakeChannel } from './fake-channel.js';
import type { VspTestHarness } from './harness.js';
import { HarnessError, strayText } from './harness-error.js';
import type { HandlerCall, HarnessCompletion, HarnessFault, IsolationRecord } from './records.js';

/**
 * The VSP completed `transId` on `channel` (exactly once). Returns the completion.
 *
 * @example
 * ```ts
 * const { payload } = expectCompletion(channel, 7);
 * ```
 */
export function expectCompletion(channel: FakeChannel, transId: number): HarnessCompletion {
  const found = channel.completions.filter((c) => c.transId === transId);
  if (found.length !== 1) {
    const seen = channel.completions.map((c) => c.transId).join(', ');
    throw new HarnessError(
      `channel ${channel.id}: expected one completion for trans_id ${transId}, found ${found.length} (completions: [${seen}]${describeFailure(channel)})${found.length === 0 ? strayText(channel.strayCompletions) : ''}`,
    );
  }
  return found[0];
}

/**
 * The VSP has not completed `transId` on `channel` (yet).
 *
 * @example
 * ```ts
 * expectNoCompletion(channel, 7); // still waiting in the VSP's queue
 * ```
 */
export function expectNoCompletion(channel: FakeChannel, transId: number): void {
  if (channel.completions.some((c) => c.transId === transId))
    throw new HarnessError(`channel ${channel.id}: expected no completion for trans_id ${transId}`);
}

/**
 * `channel` stopped, with a reason matching `reason` (a substring or a pattern) when given.
 * Returns the fault.
 *
 * @example
 * ```ts
 * expectChannelFailed(channel, /not transactional/);
 * ```
 */
export function expectChannelFailed(channel: FakeChannel, reason?: string | RegExp): HarnessFault {
  const f = channel.failure;
  if (channel.state !== 'failed' || f === undefined)
    throw new HarnessError(
      `channel ${channel.id}: expected it to fail, but it is ${channel.state}`,
    );
  const matches =
    reason === undefined ||
    (typeof reason === 'string' ? f.reason.includes(reason) : reason.test(f.reason));
  if (!matches)
    throw new HarnessError(
      `channel ${channel.id}: failed with "${f.reason}", expected a reason matching ${String(reason)}`,
    );
  return f;
}

/**
 * `channel` is still open.
 *
 * @example
 * ```ts
 * expectChannelOpen(channel);
 * ```
 */
export function expectChannelOpen(channel: FakeChannel): void {
  if (channel.state !== 'open')
    throw new HarnessError(
      `channel ${channel.id}: expected it open, but it is ${channel.state}${describeFailure(channel)}`,
    );
}

/**
 * Nothing was the plugin's fault: no handler threw or misused the host, no invalid CPU charge,
 * no guest-memory access the plugin was not granted.
 *
 * @example
 * ```ts
 * expectNoPluginFaults(h);
 * ```
 */
export function expectNoPluginFaults(h: VspTestHarness): void {
  const problems: string[] = [];
  for (const f of h.faults)
    if (f.kind !== 'guest-protocol-violation') problems.push(`${f.kind}: ${f.reason}`);
  for (const i of h.isolationFaults)
    if (i.blame === 'plugin') problems.push(`isolation ${i.kind}: ${i.detail}`);
  for (const ns of h.invalidCharges) problems.push(`cpu.charge(${String(ns)})`);
  if (h.createFailure !== undefined) problems.push(`create threw: ${h.createFailure}`);
  if (problems.length > 0)
    throw new HarnessError(`expected no plugin faults, found:\n  ${problems.join('\n  ')}`);
}

/**
 * An isolation fault of `kind` (and `blame`, when given) was recorded. Returns the first.
 *
 * @example
 * ```ts
 * expectIsolationFault(h, { kind: 'pfn-outside-guest', blame: 'guest' });
 * ```
 */
export function expectIsolationFault(
  h: VspTestHarness,
  match: { kind?: IsolationRecord['kind']; blame?: IsolationRecord['blame'] },
): IsolationRecord {
  const found = h.isolationFaults.find(
    (f) =>
      (match.kind === undefined || f.kind === match.kind) &&
      (match.blame === undefined || f.blame === match.blame),
  );
  if (found === undefined)
    throw new HarnessError(
      `expected an isolation fault ${JSON.stringify(match)}, found [${h.isolationFaults.map((f) => `${f.kind}/${f.blame}`).join(', ')}]`,
    );
  return found;
}

/**
 * The CPU the VSP charged (in total, or in the calls matching `handler`/`channel`) lies in
 * [`min`, `max`] ns. Returns the sum.
 *
 * @example
 * ```ts
 * expectCpuCharged(h, { handler: 'onPacket', min: 1_000, max: 10_000 });
 * ```
 */
export function expectCpuCharged(
  h: VspTestHarness,
  range: {
    min?: number;
    max?: number;
    handler?: HandlerCall['handler'];
    channel?: FakeChannel;
  },
): number {
  let sum = 0;
  for (const c of h.calls) {
    if (range.handler !== undefined && c.handler !== range.handler) continue;
    if (range.channel !== undefined && c.channel !== range.channel.id) continue;
    sum += c.chargedNs;
  }
  const min = range.min ?? 0;
  const max = range.max ?? Number.POSITIVE_INFINITY;
  if (!(sum >= min && sum <= max))
    throw new HarnessError(`expected CPU charged in [${min}, ${max}] ns, found ${sum} ns`);
  return sum;
}

function describeFailure(channel: FakeChannel): string {
  return channel.failure === undefined
    ? ''
    : `; channel failed: ${channel.failure.kind}: ${channel.failure.reason}`;
}
