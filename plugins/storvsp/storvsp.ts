/**
 * storvsp: the storage VSP. Per controller it runs the rule-16 handshake on the primary channel
 * and offers the subchannels the guest asks for; on every channel it takes EXECUTE_SRB requests
 * (rule 17), refuses malformed ones by stopping the channel (rule 37 → rule 38), sends reads,
 * writes and flushes to the disk — at most `queueDepth` per channel, the rest waiting in storvsp
 * — answers the other commands itself, and completes each request with COMPLETE_IO echoing its
 * trans_id. L: drivers/scsi/storvsc_drv.c; O: vm/devices/storage/storvsp, scsidisk.
 */
import { decoderRefusal, vspFailure } from '../../core/vsp/failure-reasons.js';
import {
  SrbStatus,
  VstorNtStatus,
  VstorOperation,
  createVstorSrbPacket,
  decodeVstorRequest,
  decodeVstorSrbInto,
  scsi,
  storvspInitStep,
} from '../../core/protocols/index.js';
import type { VmscsiRequest } from '../../core/protocols/index.js';
import type {
  DeviceCompletion,
  VspChannel,
  VspHandlers,
  VspHost,
  VspPacket,
} from '../sdk/index.js';
import { CompletionWriter } from './completion-writer.js';
import { Controller, LOGICAL_BLOCK_BYTES } from './controller.js';
import {
  STORVSP_ANSWER_NS,
  STORVSP_ANSWER_NS_PER_BYTE,
  STORVSP_COMPLETION_NS,
  STORVSP_CONTROL_NS,
  STORVSP_DEQUEUE_NS,
  STORVSP_REQUEST_NS,
} from './costs.js';
import { IoQueue } from './io-queue.js';
import type { DiskIo, DiskOp } from './io-queue.js';
import { dataRangeViolation, descriptorViolation } from './rule37.js';
import { ScsiAnswers, illegal } from './scsi-answers.js';
import type { Answer } from './scsi-answers.js';
import type { StorvspSettings } from './settings.js';

const { AdditionalSenseCode: Asc, ScsiStatus, SenseKey } = scsi;

/** What storvsp keeps per channel. */
interface ChannelState {
  readonly channel: VspChannel;
  readonly controller: Controller;
  readonly primary: boolean;
  readonly queue: IoQueue;
  /** The queue length last written to the log (powers of two). */
  loggedWaiting: number;
}

/** A disk error (O: scsidisk `DiskError::Io` → SRB_STATUS_ERROR, MEDIUM ERROR). */
const MEDIUM_ERROR: scsi.ScsiCompletion = Object.freeze({
  srbStatus: SrbStatus.ERROR,
  scsiStatus: ScsiStatus.CHECK_CONDITION,
  sense: scsi.checkConditionSense(SenseKey.MEDIUM_ERROR, Asc.NO_ADDITIONAL_SENSE),
  dataTransferLength: 0,
});

/** No disk behind the VSP instance (misconfigured): NOT READY, MEDIUM NOT PRESENT. */
const NO_MEDIUM: scsi.ScsiCompletion = Object.freeze({
  srbStatus: SrbStatus.ERROR,
  scsiStatus: ScsiStatus.CHECK_CONDITION,
  sense: scsi.checkConditionSense(SenseKey.NOT_READY, Asc.MEDIUM_NOT_PRESENT),
  dataTransferLength: 0,
});

/** A LUN other than the disk's (O: storvsp `execute_scsi`: INVALID_LUN, no sense). */
const INVALID_LUN: scsi.ScsiCompletion = Object.freeze({
  srbStatus: SrbStatus.INVALID_LUN,
  scsiStatus: ScsiStatus.CHECK_CONDITION,
  sense: undefined,
  dataTransferLength: 0,
});

export class Storvsp implements VspHandlers {
  private readonly controllers = new Map<string, Controller>();
  private readonly channels = new Map<number, ChannelState>();
  private readonly writer = new CompletionWriter();
  private readonly answers: ScsiAnswers;
  /** The READ/WRITE being decoded (the data path reuses one). */
  private readonly rw = scsi.createScsiReadWrite();
  private readonly request = createVstorSrbPacket();

  constructor(
    private readonly host: VspHost,
    private readonly settings: StorvspSettings,
  ) {
    this.answers = new ScsiAnswers(settings.writeCache);
  }

  // ── Channels ────────────────────────────────────────────────────────────────────────────────

  onChannelOpened(channel: VspChannel): void {
    this.host.cpu.charge(STORVSP_CONTROL_NS);
    this.open(channel);
  }

  onChannelClosed(channel: VspChannel): void {
    const state = this.channels.get(channel.id);
    if (state === undefined) return;
    this.channels.delete(channel.id);
    // O: storvsp `close(0)` — the controller starts the handshake over when the primary reopens.
    if (state.primary) state.controller.reset();
  }

  private open(channel: VspChannel): ChannelState {
    const key = `${channel.vm}\u0000${channel.device}`;
    let controller = this.controllers.get(key);
    if (controller === undefined) {
      controller = new Controller(key, this.settings, channel);
      this.controllers.set(key, controller);
    }
    const primary = channel.subchannelIndex === 0;
    if (primary) controller.reset();
    const state: ChannelState = {
      channel,
      controller,
      primary,
      queue: new IoQueue(this.settings.queueDepth),
      loggedWaiting: 0,
    };
    this.channels.set(channel.id, state);
    return state;
  }

  // ── Packets ─────────────────────────────────────────────────────────────────────────────────

  onPacket(channel: VspChannel, packet: VspPacket): void {
    this.host.cpu.charge(STORVSP_REQUEST_NS);
    const state = this.channels.get(channel.id) ?? this.open(channel);
    const violation = descriptorViolation(packet);
    if (violation !== null) {
      channel.fail(violation);
      return;
    }
    const p = packet.payload;
    const operation = p.length >= 4 ? (p[0] | (p[1] << 8) | (p[2] << 16) | (p[3] << 24)) >>> 0 : -1;
    if (operation === VstorOperation.EXECUTE_SRB) this.executeSrb(state, packet);
    else this.control(state, packet);
  }

  /** Rule 17: an EXECUTE_SRB, checked (rule 37) and carried out. */
  private executeSrb(state: ChannelState, packet: VspPacket): void {
    const { channel, controller } = state;
    const p = packet.payload;
    const decoded = decodeVstorSrbInto(p, 0, p.length, this.request, controller.srbLayout);
    if (!decoded.ok) {
      channel.fail(vspFailure('storvsp.malformedSrb', decoderRefusal(decoded)));
      return;
    }
    const srb = this.request.srb;
    const range = dataRangeViolation(packet, srb.dataTransferLength);
    if (range !== null) {
      channel.fail(range);
      return;
    }
    if (!controller.ready) {
      const layout = controller.replyLayout(p.length);
      this.writer.status(channel, packet.transId, layout, VstorNtStatus.INVALID_DEVICE_STATE);
      return;
    }
    this.scsi(state, packet, srb);
  }

  /** Rule 16 and the other requests: the handshake on a primary, resets anywhere. */
  private control(state: ChannelState, packet: VspPacket): void {
    this.host.cpu.charge(STORVSP_CONTROL_NS);
    const { channel, controller } = state;
    const p = packet.payload;
    const decoded = decodeVstorRequest(p, 0, p.length, controller.srbLayout);
    if (!decoded.ok) {
      channel.fail(vspFailure('storvsp.malformedRequest', decoderRefusal(decoded)));
      return;
    }
    const layout = controller.replyLayout(p.length);
    const request = decoded.value;
    if (!state.primary) {
      // O: storvsp `handle_packet` — a subchannel takes I/O and resets, nothing else.
      const reset =
        request.kind === 'resetLun' ||
        request.kind === 'resetAdapter' ||
        request.kind === 'resetBus';
      const status =
        controller.ready && reset ? VstorNtStatus.SUCCESS : VstorNtStatus.INVALID_DEVICE_STATE;
      this.writer.status(channel, packet.transId, layout, status);
      return;
    }
    const step = storvspInitStep(controller.init, request, controller.config);
    controller.advance(step.state);
    if (step.offerSubChannels !== undefined) this.offerSubchannels(state, step.offerSubChannels);
    const completion = step.completion ?? {
      status: VstorNtStatus.INVALID_DEVICE_STATE,
      result: undefined,
    };
    this.writer.status(channel, packet.transId, layout, completion.status, completion.result);
  }

  /** Offers what the guest asked for beyond what was offered already (O: `enable_subchannels`). */
  private offerSubchannels(state: ChannelState, count: number): void {
    const more = count - state.controller.subchannelsOffered;
    if (more > 0) state.controller.subchannelsOffered += state.channel.offerSubchannels(more);
  }

  // ── SCSI ────────────────────────────────────────────────────────────────────────────────────

  private scsi(state: ChannelState, packet: VspPacket, srb: VmscsiRequest): void {
    // The data path first: a READ/WRITE to LUN 0 decodes into a reused record.
    const rw = this.rw;
    if (
      srb.pathId === 0 &&
      srb.targetId === 0 &&
      srb.lun === 0 &&
      scsi.decodeReadWriteInto(srb.cdbOrSense, 0, srb.cdbLength, rw)
    ) {
      this.readWrite(state, packet, srb, rw);
      return;
    }
    const cmd = scsi.decodeCdb(srb.cdbOrSense, 0, srb.cdbLength);
    const c = state.controller;
    const transId = packet.transId;
    if (srb.pathId !== 0 || srb.targetId !== 0 || srb.lun !== 0) {
      // O: storvsp answers REPORT LUNS and INQUIRY for any address, INVALID_LUN for the rest.
      if (cmd.kind === 'reportLuns')
        this.answer(
          state,
          packet,
          this.answers.reportLuns(cmd, srb, srb.pathId === 0 && srb.targetId === 0),
          false,
        );
      else if (cmd.kind === 'inquiry')
        this.answer(state, packet, this.answers.inquiryNoLun(cmd, srb), false);
      else this.finish(state, transId, INVALID_LUN, false);
      return;
    }
    switch (cmd.kind) {
      case 'rejected':
        // Unknown opcode or bad CDB field: CHECK CONDITION, ILLEGAL REQUEST (not a violation).
        this.finish(state, transId, scsi.scsiRejectionCompletion(cmd), true);
        return;
      case 'read10':
      case 'read16':
      case 'write10':
      case 'write16':
        this.readWrite(state, packet, srb, cmd);
        return;
      case 'synchronizeCache10':
        this.toDisk(state, transId, 'flush', 0, 0);
        return;
      case 'testUnitReady':
        this.answer(state, packet, { ok: true, length: 0 }, true);
        return;
      case 'inquiry':
        this.answer(state, packet, this.answers.inquiry(cmd, srb, c), true);
        return;
      case 'readCapacity10':
        this.answer(state, packet, this.answers.readCapacity10(srb, c), true);
        return;
      case 'readCapacity16':
        this.answer(state, packet, this.answers.readCapacity16(cmd, srb, c), true);
        return;
      case 'modeSense6':
      case 'modeSense10':
        this.answer(state, packet, this.answers.modeSense(cmd, srb), true);
        return;
      case 'reportLuns':
        this.answer(state, packet, this.answers.reportLuns(cmd, srb, true), false);
        return;
      case 'requestSense':
        this.answer(state, packet, this.answers.requestSense(cmd, srb, c), true);
        return;
    }
  }

  /** READ/WRITE (10/16): range-checked against the disk and the guest's buffer, then queued. */
  private readWrite(
    state: ChannelState,
    packet: VspPacket,
    srb: VmscsiRequest,
    cmd: scsi.ScsiReadWrite,
  ): void {
    const sectors = state.controller.sectors;
    const { lba, blocks } = cmd;
    // O: scsidisk `validate_data_cdb*` — no blocks, more than the buffer, or past the end.
    if (
      blocks === 0 ||
      blocks * LOGICAL_BLOCK_BYTES > srb.dataTransferLength ||
      lba >= sectors ||
      sectors - lba < blocks
    ) {
      this.finishAnswer(state, packet.transId, illegal(Asc.LOGICAL_BLOCK_ADDRESS_OUT_OF_RANGE));
      return;
    }
    const bytes = blocks * LOGICAL_BLOCK_BYTES;
    const isRead = cmd.kind === 'read10' || cmd.kind === 'read16';
    // The disk moves the data straight into (or out of) the guest's pages.
    const touched = state.channel.memory.touchRanges(packet, bytes, isRead);
    if (!touched.ok) {
      this.finishAnswer(state, packet.transId, illegal(Asc.INVALID_FIELD_IN_CDB));
      return;
    }
    this.toDisk(state, packet.transId, isRead ? 'read' : 'write', lba * LOGICAL_BLOCK_BYTES, bytes);
  }

  /** Data storvsp built itself: copied into the guest's buffer, then completed. */
  private answer(state: ChannelState, packet: VspPacket, answer: Answer, disk: boolean): void {
    this.host.cpu.charge(STORVSP_ANSWER_NS);
    if (!answer.ok) {
      this.finish(state, packet.transId, answer.completion, disk);
      return;
    }
    if (answer.length > 0) {
      this.host.cpu.charge(answer.length * STORVSP_ANSWER_NS_PER_BYTE);
      const data = this.answers.data.subarray(0, answer.length);
      const written = state.channel.memory.writeRanges(packet, 0, data);
      if (!written.ok) {
        this.finishAnswer(state, packet.transId, illegal(Asc.INVALID_FIELD_IN_CDB));
        return;
      }
    }
    if (disk) state.controller.lastSense = undefined;
    this.writer.good(state.channel, packet.transId, state.controller.srbLayout, answer.length);
  }

  private finishAnswer(state: ChannelState, transId: number, answer: Answer): void {
    if (!answer.ok) this.finish(state, transId, answer.completion, true);
  }

  /** Completes with `outcome`; a disk-level outcome also becomes the REQUEST SENSE answer. */
  private finish(
    state: ChannelState,
    transId: number,
    outcome: scsi.ScsiCompletion,
    disk: boolean,
  ): void {
    if (disk) state.controller.lastSense = outcome.sense;
    this.writer.srb(state.channel, transId, state.controller.srbLayout, outcome);
  }

  // ── The disk (rule 18: queue depth) ─────────────────────────────────────────────────────────

  private toDisk(
    state: ChannelState,
    transId: number,
    op: DiskOp,
    offsetBytes: number,
    bytes: number,
  ): void {
    if (this.host.device.kind !== 'block') {
      this.finish(state, transId, NO_MEDIUM, true);
      return;
    }
    const q = state.queue;
    const io = q.take(transId, op, offsetBytes, bytes);
    if (q.hasRoom) {
      this.issue(state, io);
      return;
    }
    q.wait(io);
    const waiting = q.waitingCount;
    if (waiting > state.loggedWaiting && (waiting & (waiting - 1)) === 0) {
      state.loggedWaiting = waiting;
      const ch = state.channel;
      this.host.log(
        `${ch.vm}/${ch.device} channel ${ch.id}: ${waiting} request(s) waiting in storvsp (disk queue depth ${q.depth} reached)`,
      );
    }
  }

  private issue(state: ChannelState, io: DiskIo): void {
    const device = this.host.device;
    if (device.kind !== 'block') return;
    state.queue.issued(io);
    device.submit(state.channel, {
      op: io.op,
      offsetBytes: io.offsetBytes,
      bytes: io.bytes,
      tag: io.slot,
    });
  }

  onDeviceCompleted(channel: VspChannel, completion: DeviceCompletion): void {
    this.host.cpu.charge(STORVSP_COMPLETION_NS);
    const state = this.channels.get(channel.id);
    if (state === undefined) return;
    const q = state.queue;
    const io = q.onDisk(completion.tag);
    if (io === undefined) return;
    const { transId, bytes } = io;
    q.finished(io);
    const layout = state.controller.srbLayout;
    if (completion.status === 'ok') {
      state.controller.lastSense = undefined;
      this.writer.good(channel, transId, layout, bytes);
    } else {
      this.finish(state, transId, MEDIUM_ERROR, true);
    }
    while (q.hasRoom) {
      const next = q.nextWaiting();
      if (next === undefined) break;
      this.host.cpu.charge(STORVSP_DEQUEUE_NS);
      this.issue(state, next);
    }
  }
}
