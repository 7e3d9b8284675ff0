/**
 * The in-sandbox half of the boundary, as JavaScript source evaluated in each QuickJS context
 * before the plugin. It builds the host object and channel objects the plugin sees — thin
 * proxies whose methods check their arguments and record effects into one effect list — and
 * exposes `create`, `dispatch`, `flush` and `describeDefinition` to the host.
 *
 * Effects (completions, sends, device requests, charges, logs…) are recorded and handed to the
 * host in one ArrayBuffer when the call returns: one crossing per call instead of one per method.
 * Only methods whose answer the plugin needs now (offerSubchannels, GPADL reads and writes, a
 * touchRanges result that is actually read, a send on another channel) call the host during the
 * call, and they take the effects recorded so far with them so the host applies everything in
 * the order the plugin asked.
 *
 * The bridge captures every intrinsic it uses before the plugin runs, so a plugin that tampers
 * with globals or prototypes confuses only itself. It is a convenience, not the security
 * boundary: the host validates everything the bridge hands it (outbound.ts).
 */
import {
  MAX_BATCH_BYTES,
  MAX_GPADL_READ_BYTES,
  MAX_PAYLOAD_BYTES,
  MAX_TEXT_UNITS,
  SITE_SOURCE_UNITS,
} from '../limits.js';
import {
  BLOCK_OPS,
  Call,
  CLOSE_REASONS,
  HOST_EVENT_TYPES,
  INPUT_KINDS,
  MAX_PAGE_RANGES,
  MEMORY_ACTIONS,
  Op,
  PACKET_KINDS,
  Sync,
} from '../wire.js';

/** What the file names of the sandbox's own scripts start with (never a plugin's). */
export const SANDBOX_FILE_PREFIX = 'hyperkata:sandbox-';
/** The file name the bridge is evaluated under (stack frames in it are not the plugin's). */
export const BRIDGE_FILE = `${SANDBOX_FILE_PREFIX}bridge`;
/** The file name of the hardening script (realm/harden-source.ts). */
export const HARDEN_FILE = `${SANDBOX_FILE_PREFIX}harden`;

/** The most byte ranges one sendTransferPages may carry. */
export const MAX_TRANSFER_RANGES = 4096;

const list = (values: readonly string[]): string => JSON.stringify(values);

/** Source of a script whose value is a function `(hostSync) => bridge`. */
export const BRIDGE_SOURCE = String.raw`(function (hostSync) {
  'use strict';
  // ── Intrinsics, captured before any plugin code runs ───────────────────────────────────────
  const $call = Function.prototype.call;
  const uncurry = (fn) => $call.bind(fn);
  const $Object = Object;
  const $ArrayBuffer = ArrayBuffer;
  const $Uint8Array = Uint8Array;
  const $Uint16Array = Uint16Array;
  const $Float64Array = Float64Array;
  const $Map = Map;
  const $WeakMap = WeakMap;
  const $Promise = Promise;
  const $Error = Error;
  const $TypeError = TypeError;
  const $RangeError = RangeError;
  const $String = String;
  const $apply = Reflect.apply;
  const $freeze = Object.freeze;
  const $defineProperty = Object.defineProperty;
  const $jsonParse = JSON.parse;
  const $jsonStringify = JSON.stringify;
  const $isSafeInteger = Number.isSafeInteger;
  const $isFinite = Number.isFinite;
  const $ceil = Math.ceil;
  const $floor = Math.floor;
  const typedArrayProto = Object.getPrototypeOf(Uint8Array.prototype);
  const getter = (proto, name) => uncurry(Object.getOwnPropertyDescriptor(proto, name).get);
  const byteLengthOf = getter(typedArrayProto, 'byteLength');
  const byteOffsetOf = getter(typedArrayProto, 'byteOffset');
  const bufferOf = getter(typedArrayProto, 'buffer');
  const u8Set = uncurry(typedArrayProto.set);
  const abSlice = uncurry(ArrayBuffer.prototype.slice);
  const mapGet = uncurry(Map.prototype.get);
  const mapSet = uncurry(Map.prototype.set);
  const wmGet = uncurry(WeakMap.prototype.get);
  const wmSet = uncurry(WeakMap.prototype.set);
  const strSlice = uncurry(String.prototype.slice);
  const strIndexOf = uncurry(String.prototype.indexOf);
  const charCodeAt = uncurry(String.prototype.charCodeAt);
  const promiseThen = uncurry(Promise.prototype.then);
  const fnToString = uncurry(Function.prototype.toString);

  const PACKET_KINDS = ${list(PACKET_KINDS)};
  const HOST_EVENT_TYPES = ${list(HOST_EVENT_TYPES)};
  const INPUT_KINDS = ${list(INPUT_KINDS)};
  const MEMORY_ACTIONS = ${list(MEMORY_ACTIONS)};
  const BLOCK_OPS = ${list(BLOCK_OPS)};
  const CLOSE_REASONS = ${list(CLOSE_REASONS)};
  const indexIn = (values, v) => {
    for (let i = 0; i < values.length; i++) if (values[i] === v) return i;
    return -1;
  };

  // ── Describing values and checking arguments ──────────────────────────────────────────────
  const describeValue = (v) => {
    if (v === null) return 'null';
    if (typeof v === 'number' || typeof v === 'boolean') return $String(v);
    if (typeof v === 'string') return $jsonStringify(strSlice(v, 0, 40));
    return typeof v === 'object' ? 'an object' : typeof v;
  };
  const cut = (text) => (text.length > ${MAX_TEXT_UNITS} ? strSlice(text, 0, ${MAX_TEXT_UNITS}) : text);
  // The first stack frame outside the sandbox's own scripts (the bridge, and the hardening that
  // throws for Date): where in the plugin the error came from.
  const whereOf = (e) => {
    try {
      const stack = e.stack;
      if (typeof stack === 'string') {
        let start = 0;
        while (start < stack.length) {
          let end = strIndexOf(stack, '\n', start);
          if (end < 0) end = stack.length;
          const line = strSlice(stack, start, end);
          if (strIndexOf(line, '${SANDBOX_FILE_PREFIX}') < 0 && strIndexOf(line, 'at ') >= 0)
            return ' (' + strSlice(line, strIndexOf(line, 'at '), strIndexOf(line, 'at ') + 160) + ')';
          start = end + 1;
        }
      }
      if (typeof e.fileName === 'string' && typeof e.lineNumber === 'number')
        return ' (at ' + strSlice(e.fileName, 0, 120) + ':' + e.lineNumber + ')';
    } catch (_) {
      // No location then.
    }
    return '';
  };
  // U+001F, the unit separator, parts a description from what describeIn appends: never in one.
  const noSeparator = (text) => {
    let t = text;
    for (let i = strIndexOf(t, '\u001f'); i >= 0; i = strIndexOf(t, '\u001f', i + 1))
      t = strSlice(t, 0, i) + '\uFFFD' + strSlice(t, i + 1);
    return t;
  };
  // Same wording as the core's describeThrown, so native and sandboxed faults read alike, plus
  // where in the plugin it happened.
  const describe = (e) => {
    try {
      if (e instanceof $Error) return cut(noSeparator($String(e.name) + ': ' + $String(e.message) + whereOf(e)));
      if (typeof e === 'string') return cut('threw a string: ' + $jsonStringify(strSlice(e, 0, 200)));
      let text;
      try {
        text = $jsonStringify(e);
      } catch (_) {
        text = undefined;
      }
      return cut('threw a non-Error value: ' + (typeof text === 'string' ? strSlice(text, 0, 200) : typeof e));
    } catch (_) {
      return 'threw a value that cannot be described';
    }
  };
  // A thrown value that is not an Error carries no stack: the host names the function that threw
  // it and where it is written, from the start of its source text, found in the bundle
  // (plugins/fault-location functionSite). After U+001F: a NUL would end the string at the host.
  const describeIn = (e, name, fn) => {
    const d = describe(e);
    if (e instanceof $Error || typeof fn !== 'function') return d;
    let source;
    try {
      source = fnToString(fn);
    } catch (_) {
      return d;
    }
    return typeof source === 'string' ? d + '\u001f' + name + '\u001f' + strSlice(source, 0, ${SITE_SOURCE_UNITS}) : d;
  };
  const count = (v, what) => {
    if (typeof v !== 'number' || !$isSafeInteger(v) || v < 0)
      throw new $TypeError(what + ' must be a non-negative integer, got ' + describeValue(v));
    return v;
  };
  const integer = (v, what) => {
    if (typeof v !== 'number' || !$isSafeInteger(v))
      throw new $TypeError(what + ' must be an integer, got ' + describeValue(v));
    return v;
  };
  const finite = (v, what) => {
    if (typeof v !== 'number' || !$isFinite(v))
      throw new $TypeError(what + ' must be a finite number, got ' + describeValue(v));
    return v;
  };
  const bytesLength = (v, what, max) => {
    if (!(v instanceof $Uint8Array))
      throw new $TypeError(what + ' must be a Uint8Array, got ' + describeValue(v));
    const n = byteLengthOf(v);
    if (n > max)
      throw new $RangeError(what + ' of ' + n + ' bytes is larger than the sandbox allows (' + max + ' bytes)');
    return n;
  };
  const text = (v) => {
    let s;
    try {
      s = $String(v);
    } catch (e) {
      s = '(' + describe(e) + ')';
    }
    return cut(s);
  };

  // ── The effect list: Float64 records, payloads and text packed into whole words ───────────
  let out = new $ArrayBuffer(8192);
  let o64 = new $Float64Array(out);
  let o8 = new $Uint8Array(out);
  let o16 = new $Uint16Array(out);
  let capacity = 1024;
  let pos = 1; // word 0 holds the number of records
  let records = 0;
  const room = (words) => {
    const need = pos + words;
    if (need <= capacity) return;
    let size = capacity * 2;
    while (size < need) size *= 2;
    if (size * 8 > ${MAX_BATCH_BYTES})
      throw new $RangeError('one call asked for more than ${MAX_BATCH_BYTES} bytes of effects');
    const next = new $ArrayBuffer(size * 8);
    const next8 = new $Uint8Array(next);
    u8Set(next8, new $Uint8Array(out, 0, pos * 8));
    out = next;
    o64 = new $Float64Array(out);
    o8 = next8;
    o16 = new $Uint16Array(out);
    capacity = size;
  };
  const putBytes = (bytes, n) => {
    if (n > 0) u8Set(o8, bytes, pos * 8);
    pos += $ceil(n / 8);
  };
  const putText = (s) => {
    const n = s.length;
    o64[pos++] = n;
    const base = pos * 4;
    for (let i = 0; i < n; i++) o16[base + i] = charCodeAt(s, i);
    pos += $ceil(n / 4);
  };
  const record = (words) => {
    room(words);
    records++;
  };
  const takeBatch = () => {
    o64[0] = records;
    const batch = abSlice(out, 0, pos * 8);
    pos = 1;
    records = 0;
    return batch;
  };
  const discard = () => {
    pos = 1;
    records = 0;
  };

  // ── Channels ──────────────────────────────────────────────────────────────────────────────
  const channels = new $Map(); // id → proxy
  const channelIds = new $WeakMap(); // proxy → id (a forged object has none)
  let current = -1;
  let currentOpen = false;
  const idOf = (channel, what) => {
    const id = channel !== null && typeof channel === 'object' ? wmGet(channelIds, channel) : undefined;
    if (id === undefined) throw new $TypeError(what + ': that channel does not belong to this VSP');
    return id;
  };
  // A send on the call's own channel goes with the other effects; its answer is known (the host
  // calls a handler only on an open channel, and closes it only after the call). A send on
  // another channel is applied at once so its answer is the real one.
  const sent = (id) => {
    if (id === current) return currentOpen ? 'ok' : 'closed';
    return hostSync(${Sync.Apply}, takeBatch()) === 'ok' ? 'ok' : 'closed';
  };

  let answerIndex = 0;
  const packetSeqs = new $WeakMap(); // packet object → the host's sequence number
  const seqOf = (packet) => {
    const seq = packet !== null && typeof packet === 'object' ? wmGet(packetSeqs, packet) : undefined;
    return seq === undefined ? -1 : seq;
  };
  // touchRanges and writeRanges go with the other effects; their answer is fetched only if the
  // plugin reads it.
  const lateAnswer = (index) => {
    let settled = null;
    const settle = () => {
      if (settled === null) {
        const r = hostSync(${Sync.Answer}, takeBatch(), index);
        // A refusal the host also says as an id comes as { reason, refusal }, made fresh.
        settled =
          typeof r === 'number'
            ? { ok: true, value: r }
            : typeof r === 'string'
              ? { ok: false, reason: $String(r) }
              : { ok: false, reason: $String(r.reason), refusal: r.refusal };
      }
      return settled;
    };
    const result = {};
    $defineProperty(result, 'ok', { get: () => settle().ok, enumerable: true });
    $defineProperty(result, 'value', { get: () => settle().value, enumerable: true });
    $defineProperty(result, 'reason', { get: () => settle().reason, enumerable: true });
    $defineProperty(result, 'refusal', { get: () => settle().refusal, enumerable: true });
    return result;
  };

  class ChannelMemory {
    constructor(id) {
      $defineProperty(this, 'channelId', { value: id });
    }
    readGpadl(handle, offset, length) {
      const id = idOf(channelOfMemory(this), 'memory.readGpadl');
      count(handle, 'memory.readGpadl: handle');
      count(offset, 'memory.readGpadl: offset');
      count(length, 'memory.readGpadl: length');
      if (length > ${MAX_GPADL_READ_BYTES})
        throw new $RangeError('memory.readGpadl: a read of ' + length + ' bytes is larger than the sandbox allows (${MAX_GPADL_READ_BYTES} bytes)');
      const r = hostSync(${Sync.ReadGpadl}, takeBatch(), id, handle, offset, length);
      return r instanceof $ArrayBuffer ? { ok: true, value: new $Uint8Array(r) } : { ok: false, reason: $String(r) };
    }
    writeGpadl(handle, offset, data) {
      const id = idOf(channelOfMemory(this), 'memory.writeGpadl');
      count(handle, 'memory.writeGpadl: handle');
      count(offset, 'memory.writeGpadl: offset');
      const n = bytesLength(data, 'memory.writeGpadl: data', ${MAX_PAYLOAD_BYTES});
      const start = byteOffsetOf(data);
      const copy = abSlice(bufferOf(data), start, start + n);
      const r = hostSync(${Sync.WriteGpadl}, takeBatch(), id, handle, offset, copy);
      return typeof r === 'number' ? { ok: true, value: r } : { ok: false, reason: $String(r) };
    }
    gpadlSize(handle) {
      const id = idOf(channelOfMemory(this), 'memory.gpadlSize');
      count(handle, 'memory.gpadlSize: handle');
      const r = hostSync(${Sync.GpadlSize}, takeBatch(), id, handle);
      return typeof r === 'number' ? r : undefined;
    }
    touchRanges(packet, bytes, write) {
      const id = idOf(channelOfMemory(this), 'memory.touchRanges');
      count(bytes, 'memory.touchRanges: bytes');
      const index = answerIndex++;
      record(6);
      o64[pos++] = ${Op.Touch};
      o64[pos++] = id;
      o64[pos++] = seqOf(packet);
      o64[pos++] = bytes;
      o64[pos++] = write ? 1 : 0;
      o64[pos++] = index;
      return lateAnswer(index);
    }
    writeRanges(packet, offset, data) {
      const id = idOf(channelOfMemory(this), 'memory.writeRanges');
      count(offset, 'memory.writeRanges: offset');
      const n = bytesLength(data, 'memory.writeRanges: data', ${MAX_PAYLOAD_BYTES});
      const index = answerIndex++;
      record(6 + $ceil(n / 8));
      o64[pos++] = ${Op.WriteRanges};
      o64[pos++] = id;
      o64[pos++] = seqOf(packet);
      o64[pos++] = offset;
      o64[pos++] = index;
      o64[pos++] = n;
      putBytes(data, n);
      return lateAnswer(index);
    }
  }
  const memoryOwners = new $WeakMap(); // ChannelMemory → its channel proxy
  const channelOfMemory = (memory) => (memory !== null && typeof memory === 'object' ? wmGet(memoryOwners, memory) : undefined);

  class Channel {
    constructor(d) {
      $defineProperty(this, 'id', { value: d.id, enumerable: true });
      $defineProperty(this, 'relid', { value: d.relid, enumerable: true });
      $defineProperty(this, 'vm', { value: d.vm, enumerable: true });
      $defineProperty(this, 'device', { value: d.device, enumerable: true });
      $defineProperty(this, 'classGuid', { value: d.classGuid, enumerable: true });
      $defineProperty(this, 'subchannelIndex', { value: d.subchannelIndex, enumerable: true });
      $defineProperty(this, 'diskBytes', { value: d.diskBytes, enumerable: true });
      $defineProperty(this, 'guestVps', { value: d.guestVps, enumerable: true });
      const memory = new ChannelMemory(d.id);
      wmSet(memoryOwners, memory, this);
      $defineProperty(this, 'memory', { value: memory, enumerable: true });
    }
    complete(transId, payload) {
      const id = idOf(this, 'channel.complete');
      integer(transId, 'channel.complete: transId');
      const n = bytesLength(payload, 'channel.complete: payload', ${MAX_PAYLOAD_BYTES});
      record(4 + $ceil(n / 8));
      o64[pos++] = ${Op.Complete};
      o64[pos++] = id;
      o64[pos++] = transId;
      o64[pos++] = n;
      putBytes(payload, n);
      return sent(id);
    }
    send(payload, options) {
      const id = idOf(this, 'channel.send');
      const n = bytesLength(payload, 'channel.send: payload', ${MAX_PAYLOAD_BYTES});
      const given = options === undefined || options === null ? undefined : options;
      const transId = given === undefined || given.transId === undefined ? 0 : given.transId;
      integer(transId, 'channel.send: options.transId');
      const completionRequested = given !== undefined && !!given.completionRequested;
      record(5 + $ceil(n / 8));
      o64[pos++] = ${Op.Send};
      o64[pos++] = id;
      o64[pos++] = transId;
      o64[pos++] = completionRequested ? 1 : 0;
      o64[pos++] = n;
      putBytes(payload, n);
      return sent(id);
    }
    sendTransferPages(pageSetId, ranges, payload, transId) {
      const id = idOf(this, 'channel.sendTransferPages');
      count(pageSetId, 'channel.sendTransferPages: pageSetId');
      integer(transId, 'channel.sendTransferPages: transId');
      const n = bytesLength(payload, 'channel.sendTransferPages: payload', ${MAX_PAYLOAD_BYTES});
      if (ranges === null || typeof ranges !== 'object')
        throw new $TypeError('channel.sendTransferPages: ranges must be a list, got ' + describeValue(ranges));
      const k = ranges.length;
      count(k, 'channel.sendTransferPages: ranges.length');
      if (k > ${MAX_TRANSFER_RANGES})
        throw new $RangeError('channel.sendTransferPages: ' + k + ' ranges are more than the sandbox allows (${MAX_TRANSFER_RANGES})');
      const start = pos;
      const records0 = records;
      record(7 + 2 * k + $ceil(n / 8));
      o64[pos++] = ${Op.TransferPages};
      o64[pos++] = id;
      o64[pos++] = pageSetId;
      o64[pos++] = transId;
      o64[pos++] = k;
      try {
        for (let i = 0; i < k; i++) {
          const r = ranges[i];
          if (r === null || typeof r !== 'object')
            throw new $TypeError('channel.sendTransferPages: ranges[' + i + '] must be { byteOffset, byteCount }');
          o64[pos++] = count(r.byteOffset, 'channel.sendTransferPages: ranges[' + i + '].byteOffset');
          o64[pos++] = count(r.byteCount, 'channel.sendTransferPages: ranges[' + i + '].byteCount');
        }
      } catch (e) {
        pos = start; // a half-written record would corrupt the list
        records = records0;
        throw e;
      }
      o64[pos++] = n;
      putBytes(payload, n);
      return sent(id);
    }
    offerSubchannels(countWanted) {
      const id = idOf(this, 'channel.offerSubchannels');
      finite(countWanted, 'channel.offerSubchannels: count');
      const r = hostSync(${Sync.Offer}, takeBatch(), id, countWanted < 0 ? 0 : $floor(countWanted));
      return typeof r === 'number' ? r : 0;
    }
    fail(reason) {
      const id = idOf(this, 'channel.fail');
      // A structured reason { id, args } crosses as JSON behind a NUL (the host checks it); free
      // text never starts with one.
      let s;
      if (reason !== null && typeof reason === 'object') {
        try {
          s = cut('\u0000' + $jsonStringify({ id: reason.id, args: reason.args }));
        } catch (e) {
          s = '\u0000';
        }
      } else {
        s = text(reason);
        if (s.charCodeAt(0) === 0) s = '\ufffd' + strSlice(s, 1);
      }
      record(3 + $ceil(s.length / 4));
      o64[pos++] = ${Op.Fail};
      o64[pos++] = id;
      putText(s);
    }
  }

  const register = (json) => {
    const list = $jsonParse(json);
    for (let i = 0; i < list.length; i++) {
      const d = list[i];
      const proxy = new Channel(d);
      mapSet(channels, d.id, proxy);
      wmSet(channelIds, proxy, d.id);
    }
  };

  // ── The host object ───────────────────────────────────────────────────────────────────────
  const makeDevice = (d) => {
    if (d.kind === 'block')
      return $freeze({
        kind: 'block',
        id: d.id,
        submit(channel, request) {
          const id = idOf(channel, 'device.submit');
          if (request === null || typeof request !== 'object')
            throw new $TypeError('device.submit: request must be { op, offsetBytes, bytes, tag }');
          const op = indexIn(BLOCK_OPS, request.op);
          if (op < 0)
            throw new $TypeError('device.submit: request.op must be "read", "write" or "flush", got ' + describeValue(request.op));
          const offsetBytes = count(request.offsetBytes, 'device.submit: request.offsetBytes');
          const bytes = count(request.bytes, 'device.submit: request.bytes');
          const tag = finite(request.tag, 'device.submit: request.tag');
          record(6);
          o64[pos++] = ${Op.Submit};
          o64[pos++] = id;
          o64[pos++] = op;
          o64[pos++] = offsetBytes;
          o64[pos++] = bytes;
          o64[pos++] = tag;
        },
      });
    if (d.kind === 'network')
      return $freeze({
        kind: 'network',
        id: d.id,
        sriov: d.sriov === true,
        transmit(channel, bytes, tag) {
          const id = idOf(channel, 'device.transmit');
          count(bytes, 'device.transmit: bytes');
          finite(tag, 'device.transmit: tag');
          record(4);
          o64[pos++] = ${Op.Transmit};
          o64[pos++] = id;
          o64[pos++] = bytes;
          o64[pos++] = tag;
        },
        assignVirtualFunction(channel) {
          const id = idOf(channel, 'device.assignVirtualFunction');
          return hostSync(${Sync.AssignVirtualFunction}, takeBatch(), id) === true;
        },
      });
    return $freeze({ kind: 'virtual', id: d.id });
  };

  const log = (message) => {
    const s = text(message);
    record(2 + $ceil(s.length / 4));
    o64[pos++] = ${Op.Log};
    putText(s);
  };

  const makeHost = (info) =>
    $freeze({
      instance: info.instance,
      settings: $freeze(info.settings),
      device: makeDevice(info.device),
      cpu: $freeze({
        charge(ns) {
          if (!(typeof ns === 'number' && ns >= 0 && ns < 1e9))
            throw new $RangeError('cpu.charge needs 0 ≤ ns < 1e9, got ' + describeValue(ns));
          record(2);
          o64[pos++] = ${Op.Charge};
          o64[pos++] = ns;
        },
      }),
      setTimer(channel, delayNs, tag) {
        const id = idOf(channel, 'setTimer');
        finite(delayNs, 'setTimer: delayNs');
        finite(tag, 'setTimer: tag');
        record(4);
        o64[pos++] = ${Op.Timer};
        o64[pos++] = id;
        o64[pos++] = delayNs;
        o64[pos++] = tag;
      },
      reportMemoryPressure(channel, report) {
        const id = idOf(channel, 'reportMemoryPressure');
        if (report === null || typeof report !== 'object')
          throw new $TypeError('reportMemoryPressure: report must be { pressurePercent, committedPages }');
        const pressure = finite(report.pressurePercent, 'reportMemoryPressure: pressurePercent');
        const pages = count(report.committedPages, 'reportMemoryPressure: committedPages');
        const available = report.availablePages;
        if (available !== undefined) count(available, 'reportMemoryPressure: availablePages');
        record(5);
        o64[pos++] = ${Op.Pressure};
        o64[pos++] = id;
        o64[pos++] = pressure;
        o64[pos++] = pages;
        o64[pos++] = available === undefined ? -1 : available;
      },
      reportMemoryChange(channel, change) {
        const id = idOf(channel, 'reportMemoryChange');
        if (change === null || typeof change !== 'object')
          throw new $TypeError('reportMemoryChange: change must be { action, pages, tag }');
        const action = indexIn(MEMORY_ACTIONS, change.action);
        if (action < 0)
          throw new $TypeError('reportMemoryChange: action must be "balloon", "unballoon" or "hot-add", got ' + describeValue(change.action));
        const pages = count(change.pages, 'reportMemoryChange: pages');
        const tag = finite(change.tag, 'reportMemoryChange: tag');
        const ranges = change.ranges;
        const k = ranges === undefined ? -1 : count(ranges === null ? -1 : ranges.length, 'reportMemoryChange: ranges.length');
        if (k > ${MAX_PAGE_RANGES})
          throw new $RangeError('reportMemoryChange: ' + k + ' ranges are more than the sandbox allows (${MAX_PAGE_RANGES})');
        const words = [];
        for (let i = 0; i < k; i++) {
          const r = ranges[i];
          if (r === null || typeof r !== 'object')
            throw new $TypeError('reportMemoryChange: ranges[' + i + '] must be { startPage, pageCount }');
          words[2 * i] = count(r.startPage, 'reportMemoryChange: ranges[' + i + '].startPage');
          words[2 * i + 1] = count(r.pageCount, 'reportMemoryChange: ranges[' + i + '].pageCount');
        }
        record(6 + 2 * (k < 0 ? 0 : k));
        o64[pos++] = ${Op.MemoryChange};
        o64[pos++] = id;
        o64[pos++] = action;
        o64[pos++] = pages;
        o64[pos++] = tag;
        o64[pos++] = k;
        for (let i = 0; i < 2 * k; i++) o64[pos++] = words[i];
      },
      reportHeartbeat(channel, sequence) {
        const id = idOf(channel, 'reportHeartbeat');
        finite(sequence, 'reportHeartbeat: sequence');
        record(3);
        o64[pos++] = ${Op.Heartbeat};
        o64[pos++] = id;
        o64[pos++] = sequence;
      },
      log,
    });

  const consoleLine = function () {
    let line = '';
    for (let i = 0; i < arguments.length; i++) line += (i > 0 ? ' ' : '') + text(arguments[i]);
    log(line);
  };
  globalThis.console = { log: consoleLine, info: consoleLine, warn: consoleLine, error: consoleLine, debug: consoleLine };

  // ── Calls from the host ───────────────────────────────────────────────────────────────────
  let handlers = null;
  let asyncError = null;
  // The handler being called, for a thrown value that is not an Error (describeIn).
  let calling = '';
  let callingFn = null;
  const watch = (result) => {
    const name = calling;
    const fn = callingFn;
    if (result instanceof $Promise)
      promiseThen(result, undefined, (e) => {
        if (asyncError === null) asyncError = describeIn(e, name, fn);
      });
  };
  const invoke = (name, a, b) => {
    const fn = handlers[name];
    calling = name;
    callingFn = fn;
    if (fn === undefined || fn === null) return undefined;
    return $apply(fn, handlers, b === undefined ? [a] : [a, b]);
  };
  const packetOf = (w, buf) => {
    const payloadBytes = w[6];
    const rangeCount = w[7];
    let p = 8;
    const ranges = [];
    for (let r = 0; r < rangeCount; r++) {
      const byteCount = w[p];
      const byteOffset = w[p + 1];
      const n = w[p + 2];
      p += 3;
      const pfns = [];
      for (let i = 0; i < n; i++) pfns[i] = w[p + i];
      p += n;
      ranges[r] = $freeze({ byteCount, byteOffset, pfns: $freeze(pfns) });
    }
    const packet = {
      kind: PACKET_KINDS[w[3]],
      transId: w[4],
      completionRequested: w[5] === 1,
      payload: new $Uint8Array(buf, p * 8, payloadBytes),
      ranges: $freeze(ranges),
    };
    wmSet(packetSeqs, packet, w[2]);
    return packet;
  };
  const eventOf = (w) => {
    const type = HOST_EVENT_TYPES[w[3]];
    if (type === 'frame-received') return { type, bytes: w[4], tag: w[5] };
    if (type === 'input') return { type, kind: INPUT_KINDS[w[4]], tag: w[5] };
    if (type === 'memory-target') {
      const e = { type, action: MEMORY_ACTIONS[w[4]], pages: w[5], tag: w[6] };
      if (w[7] >= 0) e.startPage = w[7];
      if (w[8] >= 0) e.region = $freeze({ startPage: w[8], pageCount: w[9] });
      return e;
    }
    return { type, tag: w[4] };
  };

  const dispatch = (buf, extra) => {
    try {
      if (extra !== undefined) register(extra);
      const w = new $Float64Array(buf);
      const kind = w[0];
      current = w[1];
      currentOpen = kind !== ${Call.Closed};
      const channel = mapGet(channels, current);
      if (kind === ${Call.Packet}) watch(invoke('onPacket', channel, packetOf(w, buf)));
      else if (kind === ${Call.DeviceCompleted})
        watch(invoke('onDeviceCompleted', channel, { tag: w[3], status: w[4] === 0 ? 'ok' : 'error', bytes: w[5] }));
      else if (kind === ${Call.HostEvent}) watch(invoke('onHostEvent', channel, eventOf(w)));
      else if (kind === ${Call.Opened}) watch(invoke('onChannelOpened', channel));
      else watch(invoke('onChannelClosed', channel, CLOSE_REASONS[w[3]]));
    } catch (e) {
      discard();
      throw describeIn(e, calling, callingFn);
    }
    return takeBatch();
  };

  const flush = () => {
    if (asyncError !== null) {
      const d = asyncError;
      asyncError = null;
      discard();
      throw d;
    }
    return takeBatch();
  };

  let namespace = null;
  let loadError = null;
  const load = (specifier) => {
    promiseThen(
      import(specifier),
      (ns) => {
        namespace = ns;
      },
      (e) => {
        loadError = describe(e);
      },
    );
  };
  // Throws the (already described) reason the module did not load.
  const loaded = () => {
    if (loadError !== null) throw loadError;
    if (namespace === null)
      throw 'the module did not finish loading (a top-level await that never settles?)';
  };
  const describeUnlessLoad = (e, name, fn) =>
    typeof e === 'string' && (e === loadError || namespace === null) ? e : describeIn(e, name, fn);

  const create = (settingsJson, hostJson) => {
    try {
      loaded();
      const definition = namespace.default;
      current = -1;
      currentOpen = false;
      // Its function is read for a failure's site only when it failed: the call is as it was,
      // so it costs the same calls-and-branches (a run's hash depends on them).
      calling = 'create';
      callingFn = null;
      const made = definition.create(makeHost($jsonParse(hostJson)), $freeze($jsonParse(settingsJson)));
      if (made === null || (typeof made !== 'object' && typeof made !== 'function'))
        throw new $TypeError('create() must return the handlers object, got ' + describeValue(made));
      if (typeof made.onPacket !== 'function')
        throw new $TypeError('create() must return handlers with an onPacket function');
      handlers = made;
      let present = 0;
      const names = ['onChannelOpened', 'onPacket', 'onDeviceCompleted', 'onHostEvent', 'onChannelClosed'];
      for (let i = 0; i < names.length; i++) {
        const fn = made[names[i]];
        if (fn !== undefined && fn !== null) present |= 1 << i;
      }
      return [present, takeBatch()];
    } catch (e) {
      discard();
      let fn = callingFn;
      if (calling === 'create')
        try {
          fn = namespace.default.create;
        } catch (_) {
          fn = null;
        }
      throw describeUnlessLoad(e, calling, fn);
    }
  };

  const describeDefinition = () => {
    try {
      loaded();
      const d = namespace.default;
      if (d === null || typeof d !== 'object') return $jsonStringify({ shape: d === null ? 'null' : typeof d });
      const meta = {
        shape: 'object',
        id: d.id,
        sdk: d.sdk,
        deviceClass: d.deviceClass,
        description: d.description,
        settings: d.settings,
        create: typeof d.create,
      };
      const json = $jsonStringify(meta);
      if (json.length > 65536) throw new $RangeError('the definition is larger than 64 KiB');
      return json;
    } catch (e) {
      throw describeUnlessLoad(e);
    }
  };

  return $freeze({ load, describeDefinition, create, dispatch, flush });
})`;
