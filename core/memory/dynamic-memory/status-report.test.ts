import { describe, expect, it } from '@jest/globals';
import { mibToPages } from '../units.js';
import {
  guestStatusReport,
  hostDemandPages,
  linuxBalloonFloorPages,
  pressurePercent,
} from './status-report.js';

describe('Dynamic Memory status reports', () => {
  it('rule 34: Linux reports committed + ballooned + not-onlined + its balloon floor (hv_balloon.c post_status)', () => {
    const total = mibToPages(4096);
    const report = guestStatusReport({
      family: 'linux',
      committedPages: mibToPages(1000),
      availablePages: mibToPages(3000),
      balloonedPages: mibToPages(100),
      unbackedPages: mibToPages(10),
      totalRamPages: total,
    });
    // L: compute_balloon_floor — 4 GiB guest: 232 MiB + totalram / 16
    expect(linuxBalloonFloorPages(total)).toBe(mibToPages(232 + 256));
    expect(report.numCommitted).toBe(mibToPages(1000 + 100 + 10 + 488));
    expect(report.numAvail).toBe(mibToPages(3000));
  });

  it('rule 34: the Linux balloon floor grows with guest memory, in the kernel’s five bands', () => {
    expect(linuxBalloonFloorPages(mibToPages(64))).toBe(mibToPages(8 + 32));
    expect(linuxBalloonFloorPages(mibToPages(256))).toBe(mibToPages(40 + 64));
    expect(linuxBalloonFloorPages(mibToPages(1024))).toBe(mibToPages(104 + 128));
    expect(linuxBalloonFloorPages(mibToPages(16384))).toBe(mibToPages(488 + 512));
  });

  it('rule 34: the host takes off what it ballooned and calls the rest demand; pressure = demand / assigned', () => {
    const report = guestStatusReport({
      family: 'windows',
      committedPages: mibToPages(1500),
      availablePages: 0,
      balloonedPages: mibToPages(500),
      unbackedPages: mibToPages(20),
      totalRamPages: mibToPages(2048),
    });
    const demand = hostDemandPages(report, mibToPages(500), mibToPages(20));
    expect(demand).toBe(mibToPages(1500));
    expect(pressurePercent(demand, mibToPages(1500))).toBe(100);
    expect(pressurePercent(demand, mibToPages(2000))).toBe(75);
    expect(hostDemandPages({ numAvail: 0, numCommitted: 10 }, 100, 0)).toBe(0);
  });
});
