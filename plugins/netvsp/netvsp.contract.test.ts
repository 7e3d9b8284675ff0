import { describe, expect, it } from '@jest/globals';
import { formatContractReport, genericProfile, runContractSuite } from '../sdk/testing/index.js';
import netvsp from './index.js';
import { networkContractProfile } from './testing/contract-profile.js';

describe('netvsp and the SDK contract suite (rules 36–38)', () => {
  it('rules 36–38: netvsp keeps the VSP contract with the network profile: setup, valid traffic, hostile NVSP/RNDIS, closed channels', () => {
    const report = runContractSuite(netvsp, { profile: networkContractProfile(), runs: 120 });
    expect(formatContractReport(report)).not.toContain('FAIL');
    expect(report.checks.map((c) => c.name)).toContain('survives-class-hostile-packets');
  });

  it('rules 36–38: netvsp keeps the contract with the generic profile too (no setup at all)', () => {
    const report = runContractSuite(netvsp, { profile: genericProfile('network'), runs: 60 });
    expect(formatContractReport(report)).not.toContain('FAIL');
  });

  it('is the profile the suite picks for network VSPs', () => {
    expect(runContractSuite(netvsp, { runs: 5 }).profile).toBe('network');
  });
});
