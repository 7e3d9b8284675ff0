/**
 * The SCSI commands storvsp answers itself, without the disk: INQUIRY (standard data and the
 * VPD pages Linux sd and Windows disk.sys read), READ CAPACITY (10/16), MODE SENSE (6/10),
 * REPORT LUNS and REQUEST SENSE — with the checks and answers of openvmm's scsidisk and storvsp.
 * Each builds its data in a scratch buffer; the caller copies it into the guest's buffer.
 */
import { SrbStatus, scsi } from '../../core/protocols/index.js';
import type { Controller } from './controller.js';
import { LOGICAL_BLOCK_BYTES, PHYSICAL_BLOCK_EXPONENT } from './controller.js';

const { AdditionalSenseCode: Asc, ScsiStatus, VpdPageCode, ModePageCode } = scsi;

/** Data to return (`length` bytes of the scratch buffer), or the command's refusal. */
export type Answer =
  | { readonly ok: true; readonly length: number }
  | { readonly ok: false; readonly completion: scsi.ScsiCompletion };

/** What a command may return at most, given the SRB's buffer. */
export interface Request {
  /** `data_transfer_length`: the guest's buffer. */
  readonly dataTransferLength: number;
  readonly dataIn: number;
}

/** ILLEGAL REQUEST with `asc` (O: scsidisk `ScsiError::IllegalRequest`, `SrbError`). */
export function illegal(asc: number): Answer {
  return {
    ok: false,
    completion: {
      srbStatus: SrbStatus.INVALID_REQUEST,
      scsiStatus: ScsiStatus.CHECK_CONDITION,
      sense: scsi.illegalRequestSense(asc),
      dataTransferLength: 0,
    },
  };
}

/** The guest's buffer is too small for the fixed part (O: scsidisk `ScsiError::DataOverrun`). */
function overrun(): Answer {
  return {
    ok: false,
    completion: {
      srbStatus: SrbStatus.DATA_OVERRUN,
      scsiStatus: ScsiStatus.CHECK_CONDITION,
      sense: scsi.illegalRequestSense(Asc.INVALID_FIELD_IN_CDB),
      dataTransferLength: 0,
    },
  };
}

const SUPPORTED_VPD_PAGES = [
  VpdPageCode.SUPPORTED_PAGES,
  VpdPageCode.DEVICE_IDENTIFICATION,
  VpdPageCode.BLOCK_LIMITS,
  VpdPageCode.BLOCK_DEVICE_CHARACTERISTICS,
  VpdPageCode.LOGICAL_BLOCK_PROVISIONING,
];
const VENDOR = 'Msft    ';
const MAX_TRANSFER_BLOCKS = 0x40000 / LOGICAL_BLOCK_BYTES; // QUERY_PROPERTIES max_transfer_bytes
const INQUIRY_HEADER = 5; // O: size_of::<InquiryDataHeader>()
const VPD_HEADER = 4;
const SENSE_HEADER = 8;
/** Peripheral qualifier 3, device type 0x1f: no logical unit here (O: storvsp, 0x7F). */
const NO_LUN = 0x7f;

export class ScsiAnswers {
  /** Scratch for the data of one answer (the largest: VPD page 0xB0, 64 bytes). */
  readonly data = new Uint8Array(256);

  constructor(private readonly writeCache: boolean) {}

  /** INQUIRY for the disk at LUN 0 (O: scsidisk `handle_inquiry`). */
  inquiry(
    cmd: Extract<scsi.ScsiCommand, { kind: 'inquiry' }>,
    req: Request,
    controller: Controller,
  ): Answer {
    const alloc = cmd.allocationLength;
    if (req.dataTransferLength < alloc) return illegal(Asc.INVALID_FIELD_IN_CDB);
    if (!cmd.evpd) {
      if (cmd.pageCode !== 0 || alloc < INQUIRY_HEADER) return illegal(Asc.INVALID_FIELD_IN_CDB);
      const n = scsi.encodeStandardInquiry(standardInquiry(), this.data, 0);
      return { ok: true, length: Math.min(alloc, n) };
    }
    if (alloc < VPD_HEADER) return illegal(Asc.INVALID_FIELD_IN_CDB);
    const payload = this.vpdPayload(cmd.pageCode, controller);
    if (payload === undefined) return illegal(Asc.INVALID_FIELD_IN_CDB);
    const n = scsi.encodeVpdPage(
      { peripheralQualifier: 0, deviceType: 0, pageCode: cmd.pageCode, payload },
      this.data,
      0,
    );
    return { ok: true, length: Math.min(alloc, n) };
  }

  /**
   * INQUIRY addressed to a LUN with no disk (O: storvsp `execute_scsi`): standard data with
   * "no logical unit" (0x7F) and blank identity; anything else is refused.
   */
  inquiryNoLun(cmd: Extract<scsi.ScsiCommand, { kind: 'inquiry' }>, req: Request): Answer {
    const alloc = cmd.allocationLength;
    if (req.dataTransferLength < alloc || req.dataIn !== 1 || alloc < INQUIRY_HEADER)
      return illegal(Asc.INVALID_FIELD_IN_CDB);
    if (cmd.evpd || cmd.pageCode !== 0) return illegal(Asc.INVALID_FIELD_IN_CDB);
    const n = scsi.encodeStandardInquiry(standardInquiry(), this.data, 0);
    this.data[0] = NO_LUN;
    this.data.fill(0, 8, n);
    return { ok: true, length: Math.min(alloc, n) };
  }

  /** READ CAPACITY(10) (O: scsidisk `handle_read_capacity`). */
  readCapacity10(req: Request, controller: Controller): Answer {
    if (req.dataTransferLength < scsi.READ_CAPACITY_10_DATA_SIZE) return overrun();
    const n = scsi.encodeReadCapacity10(
      scsi.readCapacity10For(controller.sectors, LOGICAL_BLOCK_BYTES),
      this.data,
      0,
    );
    return { ok: true, length: n };
  }

  /** READ CAPACITY(16) (O: scsidisk `handle_service_action_in16`). */
  readCapacity16(
    cmd: Extract<scsi.ScsiCommand, { kind: 'readCapacity16' }>,
    req: Request,
    controller: Controller,
  ): Answer {
    if (req.dataTransferLength < 12) return overrun();
    const n = scsi.encodeReadCapacity16(
      {
        lastLba: Math.max(controller.sectors - 1, 0),
        blockLength: LOGICAL_BLOCK_BYTES,
        protectionType: 0,
        protectionEnabled: false,
        logicalBlocksPerPhysicalBlockExponent: PHYSICAL_BLOCK_EXPONENT,
        lbpme: false,
        lbprz: false,
        lowestAlignedLba: 0,
      },
      this.data,
      0,
    );
    return { ok: true, length: Math.min(n, req.dataTransferLength, cmd.allocationLength) };
  }

  /** MODE SENSE(6)/(10): the caching page (O: scsidisk `handle_mode_sense`). */
  modeSense(
    cmd: Extract<scsi.ScsiCommand, { kind: 'modeSense6' | 'modeSense10' }>,
    req: Request,
  ): Answer {
    const alloc = cmd.allocationLength;
    if (req.dataTransferLength === 0 || alloc === 0) return { ok: true, length: 0 };
    const header = cmd.kind === 'modeSense6' ? 4 : 8;
    if (alloc > req.dataTransferLength || alloc < header) return illegal(Asc.INVALID_FIELD_IN_CDB);
    const saved = cmd.pageControl === 3;
    if (saved || (cmd.pageCode !== ModePageCode.CACHING && cmd.pageCode !== ModePageCode.ALL_PAGES))
      return illegal(Asc.INVALID_FIELD_IN_CDB);
    const changeable = cmd.pageControl === 1;
    const n = scsi.encodeModeSense(
      {
        variant: cmd.kind === 'modeSense6' ? 6 : 10,
        mediumType: 0,
        writeProtected: false,
        dpoFua: true,
        caching: { writeCacheEnabled: this.writeCache && !changeable, readCacheDisabled: false },
      },
      this.data,
      0,
    );
    return { ok: true, length: Math.min(alloc, n) };
  }

  /** REPORT LUNS: LUN 0 on path 0, target 0 (O: storvsp `execute_scsi`). */
  reportLuns(
    cmd: Extract<scsi.ScsiCommand, { kind: 'reportLuns' }>,
    req: Request,
    hasDisk: boolean,
  ): Answer {
    const n = scsi.encodeReportLuns({ luns: hasDisk ? [0] : [] }, this.data, 0);
    if (req.dataTransferLength < 8) return { ok: true, length: 0 };
    return { ok: true, length: Math.min(n, req.dataTransferLength, cmd.allocationLength) };
  }

  /** REQUEST SENSE: the last command's sense, then none (O: scsidisk `handle_request_sense`). */
  requestSense(
    cmd: Extract<scsi.ScsiCommand, { kind: 'requestSense' }>,
    req: Request,
    controller: Controller,
  ): Answer {
    const alloc = cmd.allocationLength;
    if (alloc < SENSE_HEADER || alloc > req.dataTransferLength)
      return illegal(Asc.INVALID_FIELD_IN_CDB);
    const sense =
      controller.lastSense ??
      scsi.checkConditionSense(scsi.SenseKey.NO_SENSE, Asc.NO_ADDITIONAL_SENSE);
    const n = scsi.encodeFixedSense(sense, this.data, 0);
    return { ok: true, length: Math.min(alloc, n) };
  }

  private vpdPayload(pageCode: number, controller: Controller): Uint8Array | undefined {
    switch (pageCode) {
      case VpdPageCode.SUPPORTED_PAGES:
        return scsi.supportedPagesPayload(SUPPORTED_VPD_PAGES);
      case VpdPageCode.DEVICE_IDENTIFICATION:
        return deviceIdentification(controller.diskId);
      case VpdPageCode.BLOCK_LIMITS:
        return scsi.blockLimitsPayload({
          optimalTransferLengthGranularity: 1 << PHYSICAL_BLOCK_EXPONENT,
          maximumTransferLength: MAX_TRANSFER_BLOCKS,
          optimalTransferLength: 0,
          maximumUnmapLbaCount: 0,
          maximumUnmapBlockDescriptorCount: 0,
          optimalUnmapGranularity: 0,
        });
      case VpdPageCode.BLOCK_DEVICE_CHARACTERISTICS:
        return scsi.blockDeviceCharacteristicsPayload(1); // non-rotating (O: scsidisk default)
      case VpdPageCode.LOGICAL_BLOCK_PROVISIONING:
        return scsi.logicalBlockProvisioningPayload({
          thresholdExponent: thresholdExponent(controller.sectors),
          lbpu: false,
          lbpws: false,
          lbpws10: false,
          lbprz: 0,
          ancSup: false,
          provisioningType: 2, // thin: a dynamically expanding VHDX
        });
      default:
        return undefined;
    }
  }
}

/** Standard INQUIRY of a Hyper-V virtual disk (O: scsidisk `INQUIRY_DATA_TEMPLATE`). */
function standardInquiry(): scsi.StandardInquiryData {
  return {
    peripheralQualifier: 0,
    deviceType: scsi.PeripheralDeviceType.DIRECT_ACCESS_BLOCK,
    removable: false,
    version: 5, // SPC-3
    normAca: false,
    hiSup: false,
    responseDataFormat: 2,
    tpgs: 0,
    thirdPartyCopy: false,
    protect: false,
    cmdQue: true,
    vendorId: 'Msft',
    productId: 'Virtual Disk',
    productRevision: '1.0',
  };
}

/** Page 0x83: a T10 vendor designator (vendor + disk id) and an NAA one (O: scsidisk). */
function deviceIdentification(diskId: Uint8Array): Uint8Array {
  const t10 = new Uint8Array(24);
  for (let i = 0; i < 8; i++) t10[i] = VENDOR.charCodeAt(i);
  t10.set(diskId, 8);
  const naa = new Uint8Array(16);
  naa.set([0x60, 0x02, 0x24, 0x80]); // NAA 6, Microsoft OUI 00-22-48
  naa.set(diskId.subarray(0, 6), 4);
  naa.set(diskId.subarray(10, 16), 10);
  const designator = (designatorType: number, identifier: Uint8Array): scsi.VpdDesignator => ({
    protocolIdentifier: 0,
    codeSet: 1,
    piv: false,
    association: 0,
    designatorType,
    identifier,
  });
  return scsi.deviceIdentificationPayload([designator(1, t10), designator(3, naa)]);
}

/** ((last LBA + 1) / 2^exponent) < 2^32, at least 1 (O: scsidisk, page 0xB2). */
function thresholdExponent(sectors: number): number {
  let exponent = 1;
  while (sectors / 2 ** exponent >= 2 ** 32) exponent++;
  return exponent;
}
