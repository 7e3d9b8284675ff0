/**
 * The built-in registry: every built-in loads, has a stable digest of its id and version, and
 * keeps the SDK's VSP contract.
 */
import { describe, expect, it } from '@jest/globals';
import { BUILT_IN_VSPS, builtInDigest } from './index.js';
import { formatContractReport, runContractSuite } from './sdk/testing/index.js';

/** FNV-1a 64 written independently (BigInt), to check the registry's digests. */
function fnv1a64(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

describe('built-in VSPs', () => {
  it('registers storvsp, natively, in the reserved namespace', () => {
    const ids = BUILT_IN_VSPS.map((m) => m.id);
    expect(ids).toContain('hyperkata.storvsp');
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of BUILT_IN_VSPS) {
      expect(m.id.startsWith('hyperkata.')).toBe(true);
      expect(m.isolation).toBe('native');
    }
  });

  it('gives each built-in a stable digest of its id and version', () => {
    expect(builtInDigest('hyperkata.storvsp', '1.0.0')).toBe(
      `hyperkata.storvsp@1.0.0#${fnv1a64('hyperkata.storvsp@1.0.0')}`,
    );
    expect(builtInDigest('hyperkata.storvsp', '1.0.1')).not.toBe(
      builtInDigest('hyperkata.storvsp', '1.0.0'),
    );
    const digests = BUILT_IN_VSPS.map((m) => m.digest);
    expect(new Set(digests).size).toBe(digests.length);
  });

  it.each(BUILT_IN_VSPS.map((m) => [m.id, m] as const))(
    'rules 36–38: %s keeps the SDK contract',
    (_id, module) => {
      const report = runContractSuite(module, { runs: 150 });
      const failed = report.checks.filter((c) => !c.passed);
      expect(failed.map((c) => `${c.name}: ${c.problems.join('; ')}`)).toEqual([]);
      expect(report.checks.length).toBeGreaterThanOrEqual(6);
      expect(formatContractReport(report)).toContain('PASS');
    },
  );
});
