/**
 * One channel's disk I/O in storvsp: at most `depth` requests outstanding on the disk, the rest
 * waiting in storvsp in arrival order (a VSP-side queue the player can see grow). Requests are
 * pooled records; a record's slot number is the tag the disk hands back.
 */

export type DiskOp = 'read' | 'write' | 'flush';

/** A request storvsp accepted for the disk. */
export interface DiskIo {
  /** Slot number: the tag given to the disk. */
  readonly slot: number;
  transId: number;
  op: DiskOp;
  offsetBytes: number;
  bytes: number;
  /** `free` in the pool, `waiting` in storvsp, `disk` given to the disk. */
  state: 'free' | 'waiting' | 'disk';
}

export class IoQueue {
  private readonly records: DiskIo[] = [];
  private readonly free: number[] = [];
  private waiting: DiskIo[] = [];
  private head = 0;
  /** Requests on the disk now. */
  inFlight = 0;
  /** The most requests that ever waited in storvsp at once (for the log's high-water marks). */
  highWater = 0;

  constructor(readonly depth: number) {}

  /** Requests waiting in storvsp for room on the disk. */
  get waitingCount(): number {
    return this.waiting.length - this.head;
  }

  /** A record for a new request (reused when one is free). */
  take(transId: number, op: DiskOp, offsetBytes: number, bytes: number): DiskIo {
    let io: DiskIo;
    const slot = this.free.pop();
    if (slot === undefined) {
      io = { slot: this.records.length, transId, op, offsetBytes, bytes, state: 'waiting' };
      this.records.push(io);
      return io;
    }
    io = this.records[slot];
    io.transId = transId;
    io.op = op;
    io.offsetBytes = offsetBytes;
    io.bytes = bytes;
    io.state = 'waiting';
    return io;
  }

  /** True when the disk has room for one more request from this channel. */
  get hasRoom(): boolean {
    return this.inFlight < this.depth;
  }

  /** Queues `io` behind the others (the disk is at the queue depth). */
  wait(io: DiskIo): void {
    this.waiting.push(io);
    const n = this.waitingCount;
    if (n > this.highWater) this.highWater = n;
  }

  /** The oldest waiting request, or undefined. */
  nextWaiting(): DiskIo | undefined {
    if (this.head === this.waiting.length) return undefined;
    const io = this.waiting[this.head++];
    if (this.head === this.waiting.length) {
      this.waiting.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.head);
      this.head = 0;
    }
    return io;
  }

  /** `io` goes to the disk now. */
  issued(io: DiskIo): void {
    io.state = 'disk';
    this.inFlight++;
  }

  /** The request on the disk with tag `tag`, or undefined (a tag storvsp never gave out). */
  onDisk(tag: number): DiskIo | undefined {
    if (!Number.isSafeInteger(tag) || tag < 0 || tag >= this.records.length) return undefined;
    const io = this.records[tag];
    return io.state === 'disk' ? io : undefined;
  }

  /** The disk finished `io`: its record goes back to the pool. */
  finished(io: DiskIo): void {
    if (io.state === 'disk') this.inFlight--;
    io.state = 'free';
    this.free.push(io.slot);
  }
}
