/**
 * The emulated S3 video card as the worker process registers it (rule 21): the VGA register
 * model with VRAM scan-out in the VMWP, and the guest's legacy frame-buffer driver against it.
 */
import { LegacyVgaDriver } from '../../guest/drivers/legacy/vga.js';
import type { EmulatedDeviceKind } from './registry.js';
import { S3VideoModel } from './s3-video.js';
import { HYPERV_VGA_VRAM_BYTES } from './s3-vram.js';

export const S3_VIDEO: EmulatedDeviceKind = {
  name: 'S3 Trio emulated video',
  vramBytes: HYPERV_VGA_VRAM_BYTES,
  model: (ctx) => new S3VideoModel(ctx),
  driver: (ctx, device) => new LegacyVgaDriver(ctx, device),
};
