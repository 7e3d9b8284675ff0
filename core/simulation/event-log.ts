/**
 * The run's narration: what happened, in plain words, with the simulated instant — VMs starting,
 * channels opening, faults, throttling. Each line is English text plus a message id and its
 * parameters (narration-messages.ts), so the game's accessible event log can say it in the
 * player's language while the CLI prints the English with `run --log`. Bounded: the oldest lines go
 * first.
 */
import type { Ns } from '../engine/index.js';
import { narrationText } from './narration-messages.js';
import type { NarrationMessage } from './narration-messages.js';

/** One line of the narration; frozen, shared by every listener and by `recent()`. */
export interface NarrationLine {
  /** The simulated instant. */
  readonly time: Ns;
  /** Who speaks: `VMMS`, a VM's name (its guest, its channels), `<vm> VMWP`, a VSP instance's id. */
  readonly source: string;
  /**
   * The line in English, as the CLI's `--log` prints it. The report's hash does not cover it: that
   * hash folds the engine's events (core/engine/event-log.ts), so a reworded line changes no hash.
   */
  readonly text: string;
  /**
   * What the line says, as a stable id and its parameters (`{ id: 'vm.state', args: { vm: 'db01',
   * state: 'Running' } }`), so a front end can say it in its player's language: `text` is this
   * message in English. The ids are `NARRATION_IDS`; the game's narration tables must have each
   * (game/i18n/narration.ts). A `reason` parameter is a structured reason (`REASON_IDS`, said in
   * the player's language too) or English free text (a plugin's `channel.fail` words, an error's
   * message), which is not translated, nor is `vsp.pluginLog`'s `text` (a plugin's own words).
   */
  readonly message: NarrationMessage;
}

export type NarrationListener = (line: NarrationLine) => void;

/** One call of {@link Narration.subscribe}; `removed` once its unsubscribe has run. */
interface Subscription {
  readonly listener: NarrationListener;
  removed: boolean;
}

export class Narration {
  private readonly lines: NarrationLine[] = [];
  /**
   * Replaced, never changed in place, when a subscription comes or goes: a line is delivered to
   * the subscriptions there were when it was added (the DOM's EventTarget: a listener added during
   * dispatch does not get the event being dispatched).
   */
  private subscriptions: readonly Subscription[] = [];
  /** The first error a listener threw since the last {@link takeListenerError}. */
  private listenerError: { readonly error: unknown } | null = null;
  total = 0;

  constructor(private readonly capacity = 2000) {}

  /** Adds a line; its English `text` is made from `message`. */
  add(time: Ns, source: string, message: NarrationMessage): void {
    // One object is shared by every listener and by recent(): frozen, so none can change what
    // another reads (freezing costs less than a copy per listener). The message's args are frozen
    // too: they are part of what every listener reads.
    Object.freeze(message.args);
    // A structured reason is part of the args every listener reads: frozen too.
    const reason = (message.args as { readonly reason?: unknown }).reason;
    if (typeof reason === 'object' && reason !== null)
      Object.freeze((reason as { args: object }).args);
    if (typeof reason === 'object' && reason !== null) Object.freeze(reason);
    const line: NarrationLine = Object.freeze({
      time,
      source,
      text: narrationText(message),
      message: Object.freeze(message),
    });
    this.total++;
    this.lines.push(line);
    // Trimmed to the capacity once it holds twice that: one splice per `capacity` lines, where a
    // splice per line shifted the whole buffer every time (~9 µs a line once full).
    if (this.lines.length >= 2 * this.capacity)
      this.lines.splice(0, this.lines.length - this.capacity);
    // Lines are added inside event handlers: a listener's error must not unwind the run.
    for (const s of this.subscriptions) {
      // A subscription ended by an earlier listener of this line hears no more (DOM: the
      // listener's removed flag is checked before each call).
      if (s.removed) continue;
      try {
        s.listener(line);
      } catch (error) {
        this.listenerError ??= { error };
      }
    }
  }

  /** The first error a listener threw since the last call, if any, and forgets it. */
  takeListenerError(): { readonly error: unknown } | null {
    const taken = this.listenerError;
    this.listenerError = null;
    return taken;
  }

  /** The last `count` lines (rounded down, at most the `capacity` kept); none for 0, a negative count or NaN. */
  recent(count = 50): readonly NarrationLine[] {
    const n = Math.min(Math.floor(count), this.capacity);
    return n > 0 ? this.lines.slice(-n) : [];
  }

  /**
   * Each call is its own subscription (the same function subscribed twice hears every line twice);
   * the function returned ends that subscription only. A subscription made by a listener while a
   * line is delivered hears the lines after it; one ended while a line is delivered hears no more,
   * that line included if its turn had not come.
   */
  subscribe(listener: NarrationListener): () => void {
    const subscription: Subscription = { listener, removed: false };
    this.subscriptions = [...this.subscriptions, subscription];
    return () => {
      if (subscription.removed) return;
      subscription.removed = true;
      this.subscriptions = this.subscriptions.filter((s) => s !== subscription);
    };
  }
}
