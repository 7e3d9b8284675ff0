import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import {
  METRIC_INFO,
  formatMetric,
  formatNumber,
  formatScore,
  metricName,
  objectiveOutcome,
} from './metric-text.js';
import type { TextLanguage } from './metric-text.js';
import { HOST_METRICS, VM_METRICS } from './schema/level.js';

describe('objective outcomes as a player reads them', () => {
  it('say the metric, the value in a readable unit and what was needed — not "37237 <= 33000"', () => {
    const missed = { metric: 'p99LatencyUs', value: 37237, op: '<=', target: 33000 } as const;
    expect(objectiveOutcome(missed, 'en')).toBe('p99 latency 37.2 ms — needed ≤ 33 ms');
    expect(objectiveOutcome(missed, 'pt-BR')).toBe('latência p99 37,2 ms — precisava ≤ 33 ms');
  });

  it('group the digits of counts and rates as each language does', () => {
    const storm = { metric: 'interrupts', value: 37237, op: '<=', target: 33000 } as const;
    expect(objectiveOutcome(storm, 'en')).toBe('interrupts 37,237 — needed ≤ 33,000');
    expect(objectiveOutcome(storm, 'pt-BR')).toBe('interrupções 37.237 — precisava ≤ 33.000');
    const slow = { metric: 'iops', value: 1834.4, op: '>=', target: 2500 } as const;
    expect(objectiveOutcome(slow, 'en')).toBe('throughput 1,834 ops/s — needed ≥ 2,500 ops/s');
  });

  it('never make a near miss read as met: the value gets the decimals that tell it from the target', () => {
    const hair = { metric: 'p99LatencyUs', value: 33_040, op: '<=', target: 33_000 } as const;
    expect(objectiveOutcome(hair, 'en')).toBe('p99 latency 33.04 ms — needed ≤ 33 ms');
    const cpu = { metric: 'rootCpuPercent', value: 85.04, op: '<=', target: 85 } as const;
    expect(objectiveOutcome(cpu, 'pt-BR')).toBe('CPU da partição raiz 85,04% — precisava ≤ 85%');
    fc.assert(
      fc.property(
        fc.constantFrom(...VM_METRICS, ...HOST_METRICS),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 99 }),
        fc.constantFrom('en' as const, 'pt-BR' as const),
        (metric, target, hundredths, lang) => {
          // Values from the simulation carry at most two decimals (percentages, MB).
          const value = target + hundredths / 100;
          const text = objectiveOutcome({ metric, value, op: '<=', target }, lang);
          const [measured, needed] = text.split(' — ');
          expect(needed).toBeDefined();
          expect(measured.slice(metricName(metric, lang).length + 1)).not.toBe(
            needed.replace(/^(needed|precisava) ≤ /, ''),
          );
        },
      ),
    );
  });

  it('say a VM that measured nothing was not measured, instead of printing NaN', () => {
    const none = { metric: 'p99LatencyUs', value: Number.NaN, op: '<=', target: 1000 } as const;
    expect(objectiveOutcome(none, 'en')).toBe('p99 latency not measured — needed ≤ 1 ms');
    expect(objectiveOutcome(none, 'pt-BR')).toBe('latência p99 sem medida — precisava ≤ 1 ms');
  });
});

describe('values with units', () => {
  it('read latencies in µs below a millisecond, in ms below a second, in s above', () => {
    expect(formatMetric('p99LatencyUs', 840, 'en')).toBe('840 µs');
    expect(formatMetric('p50LatencyUs', 12.34, 'en')).toBe('12.3 µs');
    expect(formatMetric('p99LatencyUs', 1500, 'en')).toBe('1.5 ms');
    expect(formatMetric('p99LatencyUs', 250_000, 'en')).toBe('250 ms');
    expect(formatMetric('p99LatencyUs', 2_400_000, 'pt-BR')).toBe('2,4 s');
  });

  it('give percentages, bandwidth and paging their units', () => {
    expect(formatMetric('rootCpuPercent', 53.94, 'en')).toBe('53.9%');
    expect(formatMetric('cpuPercent', 53.94, 'pt-BR')).toBe('53,9%');
    expect(formatMetric('mbps', 412.6, 'en')).toBe('413 MB/s');
    expect(formatMetric('pagingMB', 96, 'pt-BR')).toBe('96 MB');
    expect(formatScore('throughput', 67890, 'pt-BR')).toBe('67.890 op/s');
    expect(formatScore('p99LatencyUs', 238, 'en')).toBe('238 µs');
  });

  it('name every metric a level file may use, in both languages', () => {
    // Terms Microsoft's pt-BR docs leave in English stay so (game/i18n/pt-BR.ts): "hypercall".
    const keptInEnglish = new Set(['hypercalls']);
    for (const metric of [...VM_METRICS, ...HOST_METRICS]) {
      expect(Object.keys(METRIC_INFO)).toContain(metric);
      if (keptInEnglish.has(metric)) expect(metricName(metric, 'pt-BR')).toBe('hypercalls');
      else expect(metricName(metric, 'pt-BR')).not.toBe(metricName(metric, 'en'));
    }
  });

  it('never print a raw operator, NaN or more than one decimal', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...VM_METRICS, ...HOST_METRICS),
        fc.double({ min: -1e9, max: 1e9, noNaN: true }),
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.constantFrom('<=' as const, '>=' as const),
        fc.constantFrom('en' as const, 'pt-BR' as const),
        (metric, value, target, op, lang) => {
          const text = objectiveOutcome({ metric, value, op, target }, lang);
          expect(text).not.toMatch(/<=|>=|NaN|Infinity/);
          // Digit groups have three digits; a decimal part has two or more only where the value
          // would otherwise read the same as the target (a near miss).
          const nearMiss =
            value !== target &&
            formatMetric(metric, value, lang) === formatMetric(metric, target, lang);
          if (nearMiss) return;
          expect(text).not.toMatch(/[.,]\d{2}(?!\d)/);
        },
      ),
    );
  });
});

describe("the campaign's objective labels", () => {
  const dir = new URL('./campaign/', import.meta.url);
  const levels = readdirSync(dir)
    .filter((f) => /^\d\d-[a-z0-9-]+\.json$/.test(f))
    .map((f) => ({
      file: f,
      objectives: (
        JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as {
          objectives: { value: number; label: Record<TextLanguage, string> }[];
        }
      ).objectives,
    }));

  // Before: "db01 conclui ao menos 28 000 E/S por segundo" above "precisava ≥ 28.000 op/s".
  it('write a target they state as the results screen does, in each language', () => {
    const checked: string[] = [];
    for (const { file, objectives } of levels)
      for (const o of objectives)
        for (const lang of ['en', 'pt-BR'] as const) {
          const label = o.label[lang];
          // The target's digits, whatever grouping the label gives them.
          const digits = String(o.value).split('').join('[\\s.,\u00a0\u202f]?');
          if (o.value < 1000 || !new RegExp(`(?<![\\d.,])${digits}(?![\\d])`).test(label)) continue;
          checked.push(`${file} ${lang}`);
          expect(label).toContain(formatNumber(o.value, lang));
        }
    expect(checked.length).toBeGreaterThanOrEqual(14);
  });

  it('never group digits with spaces, nor with commas in Portuguese', () => {
    for (const { file, objectives } of levels)
      for (const o of objectives) {
        expect(`${file}: ${o.label.en}`).not.toMatch(/\d \d{3}\b/);
        expect(`${file}: ${o.label['pt-BR']}`).not.toMatch(/\d[ ,]\d{3}\b/);
      }
  });
});
