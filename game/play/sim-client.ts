/**
 * The Play scene's handle on the simulation host: one request, one promised reply, in order.
 * The host runs in a Web Worker (one for the whole game, started on first use) so stepping the
 * core never holds up a frame; where workers are unavailable, or with `?sim=page` in the address,
 * it runs on the page from a lazily loaded chunk, as before.
 */
import type { Level, Solution } from '../../levels/index.js';
import type { InputIssue } from '../../core/index.js';
import type { SimFrame, SimReply, SimRequest, SolutionFrom } from './sim-protocol.js';

/** Where the simulation runs. */
export type SimPlace = 'worker' | 'page';

/** A request before the client numbers it. */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
type Request = WithoutId<SimRequest>;

/**
 * A refused solution or a failed request: the host's reason, and for a refused configuration its
 * issues (for game/i18n/refusal.ts to say in the player's language).
 */
export class SimRequestFailed extends Error {
  constructor(
    message: string,
    readonly issues?: readonly InputIssue[],
  ) {
    super(message);
  }
}

interface Transport {
  send(request: SimRequest): void;
}

export class SimClient {
  private nextId = 1;
  private readonly waiting = new Map<
    number,
    { resolve: (reply: SimReply) => void; reject: (error: Error) => void }
  >();

  private constructor(
    readonly place: SimPlace,
    private readonly transport: (
      deliver: (reply: SimReply) => void,
      fail: (e: Error) => void,
    ) => Transport,
  ) {}

  private link: Transport | null = null;

  private send(request: Request): Promise<SimReply> {
    this.link ??= this.transport(
      (reply) => {
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        waiter?.resolve(reply);
      },
      (error) => {
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
      },
    );
    const id = this.nextId++;
    const link = this.link;
    return new Promise<SimReply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      link.send({ ...request, id });
    });
  }

  /** Parses a bundled level file on the host's side (the schema and zod live there). */
  async load(raw: unknown): Promise<Level> {
    const reply = await this.send({ kind: 'load', raw });
    if (reply.kind === 'loaded') return reply.level;
    throw failure(reply);
  }

  /**
   * Checks a solution — saved, shared, or a file's text — against the solution schema and its
   * level; rejects with {@link SimRequestFailed} naming `source` and each place in it.
   */
  async check(levelId: string, from: SolutionFrom, source: string): Promise<Solution> {
    const reply = await this.send({ kind: 'check', levelId, from, source });
    if (reply.kind === 'checked') return reply.solution;
    throw failure(reply);
  }

  /** Builds the run; rejects with {@link SimRequestFailed} when the solution is refused. */
  async start(level: Level, solution: Solution): Promise<void> {
    const reply = await this.send({ kind: 'start', level, solution });
    if (reply.kind !== 'started') throw failure(reply);
  }

  /** Advances up to `steps` fixed steps; resolves with what to draw. */
  async advance(steps: number, options: { budgetMs: number; report: boolean }): Promise<SimFrame> {
    const reply = await this.send({ kind: 'advance', steps, ...options });
    if (reply.kind === 'frame') return reply.frame;
    throw failure(reply);
  }

  /** Drops the run. */
  stop(): void {
    void this.send({ kind: 'stop' }).catch(() => undefined);
  }

  /** In a Web Worker where possible, else on the page. */
  static create(place: SimPlace = preferredPlace()): SimClient {
    if (place === 'worker') {
      return new SimClient('worker', (deliver, fail) => {
        const worker = new Worker(new URL('./sim-worker.js', import.meta.url), {
          name: 'simulation-worker',
        });
        worker.onmessage = (event: MessageEvent<SimReply>) => {
          deliver(event.data);
        };
        worker.onerror = (event) => {
          event.preventDefault();
          fail(new Error(`simulation worker: ${event.message || 'failed to start'}`));
        };
        return {
          send: (request) => {
            worker.postMessage(request);
          },
        };
      });
    }
    return new SimClient('page', (deliver, fail) => {
      const host = import(/* webpackChunkName: "simulation" */ './sim-host.js').then(
        (m) => new m.SimHost(),
      );
      return {
        send: (request) => {
          host
            .then((h) => {
              deliver(h.handle(request));
            })
            .catch((e: unknown) => {
              fail(e instanceof Error ? e : new Error(String(e)));
            });
        },
      };
    });
  }
}

let shared: SimClient | null = null;

/**
 * The game's one simulation host, started on first use: the Play scene runs levels on it, and a
 * share link's solution is checked on it before it is saved.
 */
export function sharedSimClient(): SimClient {
  shared ??= SimClient.create();
  return shared;
}

function failure(reply: SimReply): SimRequestFailed {
  return reply.kind === 'failed'
    ? new SimRequestFailed(reply.reason, reply.issues)
    : new SimRequestFailed(`unexpected ${reply.kind}`);
}

function preferredPlace(): SimPlace {
  if (typeof Worker === 'undefined') return 'page';
  const asked = new URLSearchParams(location.search).get('sim');
  return asked === 'page' ? 'page' : 'worker';
}
