/**
 * The call into a trusted plugin in progress, published by the worker thread that runs a
 * `--trusted-plugin` level and read by the thread that watches it: a few integers in a
 * SharedArrayBuffer, and a sequence number that moves at every call's start and end. A number
 * that stays put while a call is in progress is a call that has not returned.
 */
import type { VspCallName, VspCallObserver } from '../../core/vsp/types.js';

/** What the watcher can see running: a plugin's module loading, its `create`, or a handler. */
export type WatchedCall = 'loading' | VspCallName;

const CALLS: readonly WatchedCall[] = [
  'loading',
  'create',
  'onChannelOpened',
  'onPacket',
  'onDeviceCompleted',
  'onHostEvent',
  'onChannelClosed',
];

// The marker's words: the sequence number, how many calls are in progress (they nest), and the
// innermost one's trusted plugin (its place among the --trusted-plugin options), call and channel.
const SEQ = 0;
const DEPTH = 1;
const PLUGIN = 2;
const CALL = 3;
const CHANNEL = 4;
const WORDS = 5;

/** A marker nobody has written yet: no call in progress. */
export function newCallMarker(): SharedArrayBuffer {
  return new SharedArrayBuffer(WORDS * Int32Array.BYTES_PER_ELEMENT);
}

/** The call in progress as the watcher reads it. */
export interface MarkedCall {
  /** Moves at every start and end of a call: the same number later is the same call still running. */
  readonly seq: number;
  /** Which --trusted-plugin (its index among them). */
  readonly plugin: number;
  readonly call: WatchedCall;
  /** The channel's id, or -1 for a call on none (`create`, loading). */
  readonly channel: number;
}

/**
 * The call in progress, or null when none is (or the worker is writing the marker this instant:
 * the next look sees it).
 */
export function readCallMarker(marker: SharedArrayBuffer): MarkedCall | null {
  const words = new Int32Array(marker);
  const seq = Atomics.load(words, SEQ);
  if (Atomics.load(words, DEPTH) === 0) return null;
  const call: MarkedCall = {
    seq,
    plugin: Atomics.load(words, PLUGIN),
    call: CALLS[Atomics.load(words, CALL)] ?? 'loading',
    channel: Atomics.load(words, CHANNEL),
  };
  return Atomics.load(words, SEQ) === seq ? call : null;
}

/** A channel as the watcher names it, told once, the first time a call is made on it. */
export interface ChannelName {
  readonly id: number;
  readonly vm: string;
  readonly device: string;
}

/** The worker's side: an observer for each trusted plugin's module, all writing the one marker. */
export class CallMarkerWriter {
  private readonly words: Int32Array;
  /** The calls in progress, innermost last, three words each (plugin, call, channel). */
  private readonly stack: number[] = [];
  private readonly named = new Set<number>();

  constructor(
    marker: SharedArrayBuffer,
    /** Told of each channel once, before the first call on it is published. */
    private readonly onChannel: (channel: ChannelName) => void,
  ) {
    this.words = new Int32Array(marker);
  }

  enter(plugin: number, call: WatchedCall, channel: number): void {
    this.stack.push(plugin, CALLS.indexOf(call), channel);
    this.publish();
  }

  exit(): void {
    this.stack.length = Math.max(0, this.stack.length - 3);
    this.publish();
  }

  /** What the VSP runtime tells of the calls into trusted plugin number `plugin`. */
  observer(plugin: number): VspCallObserver {
    return {
      enter: (call, channel) => {
        if (channel !== null && !this.named.has(channel.id)) {
          this.named.add(channel.id);
          this.onChannel({ id: channel.id, vm: channel.vm, device: channel.device });
        }
        this.enter(plugin, call, channel === null ? -1 : channel.id);
      },
      exit: () => {
        this.exit();
      },
    };
  }

  private publish(): void {
    const { words, stack } = this;
    const top = stack.length - 3;
    if (top >= 0) {
      Atomics.store(words, PLUGIN, stack[top]);
      Atomics.store(words, CALL, stack[top + 1]);
      Atomics.store(words, CHANNEL, stack[top + 2]);
    }
    Atomics.store(words, DEPTH, stack.length / 3);
    Atomics.add(words, SEQ, 1);
  }
}
