/**
 * Per-VP CPU controls (rule 32): relative weight 1–10000, reserve and limit in percent of one
 * logical processor. PowerShell shows percent (`Set-VMProcessor -RelativeWeight -Reserve
 * -Maximum`); WMI stores percent × 1000 (`Msvm_ProcessorSettingData` Weight, Reservation, Limit).
 */
import { ConfigurationError, refusal } from '../model/index.js';
import type { InputIssue } from '../model/index.js';
import { DEFAULT_WEIGHT, MAX_WEIGHT, MIN_WEIGHT, WMI_PERCENT_SCALE } from './constants.js';

/** The controls as PowerShell shows them. */
export interface ProcessorControls {
  /** Relative weight, 1–10000 (default 100). */
  readonly weight: number;
  /** Share of one LP guaranteed to each VP, 0–100 %. */
  readonly reservePercent: number;
  /** Share of one LP each VP may use at most, 0–100 % (100 = no cap). */
  readonly limitPercent: number;
}

/** The same controls as `Msvm_ProcessorSettingData` stores them (AllocationUnits "percent / 1000"). */
export interface WmiProcessorControls {
  readonly Weight: number;
  /** Percent × 1000: 0–100000. */
  readonly Reservation: number;
  /** Percent × 1000: 0–100000 (100000 = no cap). */
  readonly Limit: number;
}

/** WS: Msvm_ProcessorSettingData defaults — Weight 100, Reservation 0, Limit 100000. */
export const DEFAULT_PROCESSOR_CONTROLS: ProcessorControls = {
  weight: DEFAULT_WEIGHT,
  reservePercent: 0,
  limitPercent: 100,
};

/** Percent → the WMI view. */
export function toWmiControls(c: ProcessorControls): WmiProcessorControls {
  return {
    Weight: c.weight,
    Reservation: Math.round(c.reservePercent * WMI_PERCENT_SCALE),
    Limit: Math.round(c.limitPercent * WMI_PERCENT_SCALE),
  };
}

/** WMI view → percent. */
export function fromWmiControls(w: WmiProcessorControls): ProcessorControls {
  return {
    weight: w.Weight,
    reservePercent: w.Reservation / WMI_PERCENT_SCALE,
    limitPercent: w.Limit / WMI_PERCENT_SCALE,
  };
}

/**
 * Every problem with a set of controls; empty when Hyper-V would accept them. The ranges are the
 * documented ones (WS: the Set-VMProcessor help — -RelativeWeight "Allowed values range from 1 to
 * 10000", -Reserve and -Maximum "from 0 to 100", wording the HyperVDsc VMProcessor resource
 * reproduces; Msvm_ProcessorSettingData counts Reservation and Limit in percent / 1000). A
 * limit of 0 is inside them: no public source says Hyper-V refuses it (Virtual Server's
 * IVMAccountant did, with a minimum of 1), and a VP held to 0 % simply never runs.
 */
export function checkProcessorControls(c: ProcessorControls): InputIssue[] {
  const issues: InputIssue[] = [];
  if (!Number.isInteger(c.weight) || c.weight < MIN_WEIGHT || c.weight > MAX_WEIGHT) {
    issues.push(
      refusal(['processor', 'weight'], 'processor.weightOutOfRange', {
        min: MIN_WEIGHT,
        max: MAX_WEIGHT,
        weight: c.weight,
      }),
    );
  }
  for (const key of ['reservePercent', 'limitPercent'] as const) {
    const v = c[key];
    if (!Number.isFinite(v) || v < 0 || v > 100) {
      issues.push(refusal(['processor', key], 'processor.percentOutOfRange', { value: v }));
    }
  }
  if (issues.length === 0 && c.reservePercent > c.limitPercent) {
    issues.push(
      refusal(['processor', 'reservePercent'], 'processor.reserveAboveLimit', {
        limitPercent: c.limitPercent,
        reservePercent: c.reservePercent,
      }),
    );
  }
  return issues;
}

/**
 * Merges a partial update into `current` and checks the result.
 * @throws ConfigurationError listing every problem.
 */
export function resolveProcessorControls(
  current: ProcessorControls,
  update: Partial<ProcessorControls>,
): ProcessorControls {
  const next: ProcessorControls = {
    weight: update.weight ?? current.weight,
    reservePercent: update.reservePercent ?? current.reservePercent,
    limitPercent: update.limitPercent ?? current.limitPercent,
  };
  const issues = checkProcessorControls(next);
  if (issues.length > 0) throw new ConfigurationError('configuration', issues);
  return next;
}
