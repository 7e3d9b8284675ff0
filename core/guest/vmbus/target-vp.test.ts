/**
 * Rule 12 / rule 18: the target VP a Linux guest asks for when it opens a channel
 * (L: channel_mgmt.c init_vp_index) — performance channels spread over the VPs, subchannels of
 * one device never share a VP while a free one remains, integration services stay on VP 0.
 */
import { describe, expect, it } from '@jest/globals';
import { DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID } from '../../model/class-guids.js';
import type { VmbusChannelOffer } from '../../vmbus/control/index.js';
import { TargetVpChooser } from './target-vp.js';

const offer = (ifType: string, ifInstance: string, subChannelIndex = 0): VmbusChannelOffer => ({
  ifType,
  ifInstance,
  chnFlags: 0,
  mmioMegabytes: 0,
  userDef: new Uint8Array(120),
  subChannelIndex,
});
const scsi = (sub = 0) => offer(DEVICE_CLASS_GUIDS.storage, 'scsi0', sub);
const nic = (sub = 0) => offer(DEVICE_CLASS_GUIDS.network, 'eth0', sub);
const heartbeat = () => offer(DEVICE_CLASS_GUIDS.heartbeat, 'hb');

describe('the target VP of a channel (rule 12, L: init_vp_index)', () => {
  it('rule 12: a 2-VP guest puts its NIC’s vRSS subchannel on the VP its primary does not use', () => {
    const chooser = new TargetVpChooser(2);
    expect(chooser.choose(scsi())).toBe(0);
    expect(chooser.choose(nic())).toBe(1);
    expect(chooser.choose(heartbeat())).toBe(0);
    // The round robin restarts at VP 0, which eth0's primary (VP 1) does not use.
    expect(chooser.choose(nic(1))).toBe(0);
  });

  it('integration services go to VP 0 and do not take a turn from the devices', () => {
    const chooser = new TargetVpChooser(4);
    expect(chooser.choose(heartbeat())).toBe(0);
    expect(chooser.choose(offer(DEVICE_CLASS_GUIDS['dynamic-memory'], 'dm'))).toBe(0);
    expect(chooser.choose(offer(DEVICE_CLASS_GUIDS.input, 'hid'))).toBe(0);
    expect(chooser.choose(offer(DEVICE_CLASS_GUIDS.video, 'vid'))).toBe(0);
    expect(chooser.choose(scsi())).toBe(0);
    expect(chooser.choose(offer(IDE_ACCELERATOR_CLASS_GUID, 'ide0'))).toBe(1);
    expect(chooser.choose(nic())).toBe(2);
  });

  it('a 16-VP guest’s storvsc primary and three subchannels land on four different VPs', () => {
    const chooser = new TargetVpChooser(16);
    chooser.choose(heartbeat());
    const vps = [0, 1, 2, 3].map((sub) => chooser.choose(scsi(sub)));
    expect(new Set(vps).size).toBe(4);
  });

  it('with more channels than VPs a device shares a VP only once every VP has one of its channels', () => {
    const chooser = new TargetVpChooser(3);
    const vps = [0, 1, 2, 3, 4].map((sub) => chooser.choose(nic(sub)));
    expect(new Set(vps.slice(0, 3)).size).toBe(3);
    expect(vps.every((vp) => vp >= 0 && vp < 3)).toBe(true);
  });
});
