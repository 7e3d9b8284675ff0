/**
 * Per-packet cost of a storage VSP run through the SDK test harness: each packet is an
 * EXECUTE_SRB READ(16) of 4 KiB → the fake disk → COMPLETE_IO. Printed next to two baselines
 * measured in the same process: the storage codec alone (decode the request, encode the
 * completion — the least any storvsp must do) and the harness with a pass-through VSP (the
 * harness's and the disk path's share). `measureStorvsp` is exported so the sandbox can be measured the same way.
 *
 *   node --import tsx bench/storvsp.bench.ts [packets]
 */
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import {
  VstorOperation,
  createVstorSrbPacket,
  decodeVstorSrbInto,
  encodeVstorSrbPacket,
  scsi,
} from '../core/protocols/index.js';
import { BUILT_IN_VSPS } from '../plugins/index.js';
import { defineVsp, toVspModule } from '../plugins/sdk/index.js';
import type { VspModule, VspPacket } from '../plugins/sdk/index.js';
import { StorageGuest, VspTestHarness } from '../plugins/sdk/testing/index.js';

/** What {@link measureStorvsp} reports. */
export interface StorvspMeasurement {
  readonly plugin: string;
  readonly isolation: 'native' | 'sandbox';
  /** Packets timed (requests; each also produces one disk completion and one COMPLETE_IO). */
  readonly packets: number;
  /** Best of the timed rounds, wall-clock nanoseconds per packet. */
  readonly nsPerPacket: number;
  /** Completions the VSP sent during the timed rounds (must equal packets × rounds). */
  readonly completions: number;
}

const READ_4K = { kind: 'read16', lba: 2048, blocks: 8, fua: false, dpo: false } as const;

/** A harness with a storage channel whose handshake is done, and one read packet to repeat. */
function prepare(module: VspModule): { h: VspTestHarness; guest: StorageGuest; packet: VspPacket } {
  const h = new VspTestHarness(module, {
    device: { kind: 'block', latencySteps: 0 },
    retainRecords: false,
  });
  const channel = h.openChannel({ vm: 'bench', device: 'scsi0', guestVps: 1, diskBytes: 1 << 30 });
  const guest = new StorageGuest(h, channel);
  const state = guest.initialize();
  if (state.phase !== 'ready') throw new Error(`${module.id}: handshake ended in ${state.phase}`);
  const { packet } = guest.srbPacket({ command: READ_4K });
  return { h, guest, packet };
}

/**
 * Pushes `packets` EXECUTE_SRB reads through `module` in the test harness and reports wall-clock
 * ns per packet (best of `rounds`, after a warm-up). Works for any storage VSP module, native or
 * sandboxed.
 *
 * @example
 * ```ts
 * const native = measureStorvsp(storvspModule, 200_000);
 * const sandboxed = measureStorvsp(sandboxedStorvspModule, 200_000);
 * console.log(sandboxed.nsPerPacket / native.nsPerPacket);
 * ```
 */
export function measureStorvsp(module: VspModule, packets: number, rounds = 5): StorvspMeasurement {
  const { h, guest, packet } = prepare(module);
  const channel = guest.channel;
  const run = (n: number): number => {
    const start = performance.now();
    for (let i = 0; i < n; i++) {
      h.deliver(channel, packet);
      h.settle();
    }
    return (performance.now() - start) * 1e6;
  };
  run(Math.max(1000, Math.floor(packets / 10)));
  const before = channel.completionCount;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) best = Math.min(best, run(packets));
  if (channel.state !== 'open') throw new Error(`${module.id}: channel ${channel.state}`);
  return {
    plugin: module.id,
    isolation: module.isolation,
    packets,
    nsPerPacket: best / packets,
    completions: channel.completionCount - before,
  };
}

/** Baseline 1: the storage codec alone — decode the EXECUTE_SRB, encode its COMPLETE_IO. */
export function measureCodecBaseline(packets: number, rounds = 5): number {
  const { packet } = prepare(storvsp());
  const request = createVstorSrbPacket();
  const completion = createVstorSrbPacket({ operation: VstorOperation.COMPLETE_IO });
  const out = new Uint8Array(64);
  let sink = 0;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r <= rounds; r++) {
    const start = performance.now();
    for (let i = 0; i < packets; i++) {
      decodeVstorSrbInto(packet.payload, 0, packet.payload.length, request);
      const cmd = scsi.decodeCdb(request.srb.cdbOrSense, 0, request.srb.cdbLength);
      scsi.writeScsiCompletion(
        completion.srb,
        scsi.scsiGoodCompletion(request.srb.dataTransferLength),
      );
      sink += encodeVstorSrbPacket(completion, out, 0) + (cmd.kind === 'read16' ? 1 : 0);
    }
    const ns = (performance.now() - start) * 1e6;
    if (r > 0) best = Math.min(best, ns);
  }
  if (sink === 0) throw new Error('unreachable');
  return best / packets;
}

/**
 * Baseline 2: the harness around a pass-through VSP — each packet becomes one disk request and
 * one completion, with no protocol work (no decoding, no checks). Its cost is the harness's and
 * the disk path's; storvsp's own protocol work is the difference.
 */
export function passThroughStorageVsp(): VspModule {
  const definition = defineVsp({
    id: 'bench.pass-through-storage',
    sdk: '^1.0.0',
    deviceClass: 'storage',
    create(host) {
      const reply = new Uint8Array(64);
      reply[0] = VstorOperation.COMPLETE_IO; // status 0: SUCCESS for every request
      const device = host.device;
      const handshake = 5; // BEGIN, VERSION, PROPERTIES, END (+1: trans_ids start at 1)
      return {
        onPacket(channel, packet) {
          if (device.kind !== 'block' || packet.transId < handshake)
            channel.complete(packet.transId, reply);
          else
            device.submit(channel, {
              op: 'read',
              offsetBytes: 0,
              bytes: 4096,
              tag: packet.transId,
            });
        },
        onDeviceCompleted(channel, completion) {
          channel.complete(completion.tag, reply);
        },
      };
    },
  });
  return toVspModule(definition, {
    source: 'bench',
    builtIn: false,
    isolation: 'native',
    digest: 'pass-through',
  });
}

function storvsp(): VspModule {
  const m = BUILT_IN_VSPS.find((v) => v.id === 'hyperkata.storvsp');
  if (m === undefined) throw new Error('hyperkata.storvsp is not built in');
  return m;
}

function main(): void {
  const packets = Number(process.argv[2] ?? 200_000);
  const codec = measureCodecBaseline(packets);
  const harness = measureStorvsp(passThroughStorageVsp(), packets).nsPerPacket;
  const native = measureStorvsp(storvsp(), packets);
  const result = {
    benchmark: 'storvsp-per-packet',
    packets,
    storvspNsPerPacket: round(native.nsPerPacket),
    codecBaselineNsPerPacket: round(codec),
    harnessBaselineNsPerPacket: round(harness),
    storvspOverHarnessNs: round(native.nsPerPacket - harness),
    ratioToCodec: round(native.nsPerPacket / codec),
    completions: native.completions,
  };
  console.log(`storvsp (native, through the SDK harness): ${result.storvspNsPerPacket} ns/packet`);
  console.log(
    `  baseline, storage codec alone:           ${result.codecBaselineNsPerPacket} ns/packet`,
  );
  console.log(
    `  baseline, harness + pass-through VSP:    ${result.harnessBaselineNsPerPacket} ns/packet`,
  );
  console.log(
    `  storvsp's own share:                     ${result.storvspOverHarnessNs} ns/packet`,
  );
  console.log(JSON.stringify(result));
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

// Run only when executed (`node --import tsx bench/storvsp.bench.ts`), not when imported.
const invoked = process.argv.at(1);
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) main();
