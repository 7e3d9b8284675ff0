/**
 * Numbers as Brazilian Portuguese writes them: a comma before the decimals, a dot between groups
 * of thousands (`1.512,5`). The narration and the refusal tables both say their numbers this way.
 */
const PT_DECIMALS = new Map<number, Intl.NumberFormat>();

/** `1.512,5` — `n` with exactly `digits` decimals. */
export const decimal = (n: number, digits: number): string => {
  let format = PT_DECIMALS.get(digits);
  if (format === undefined) {
    format = new Intl.NumberFormat('pt-BR', {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    PT_DECIMALS.set(digits, format);
  }
  return format.format(n);
};

/** A whole number as Portuguese writes it (`9.216`); the core passes MiB as digits in a string. */
export const whole = (n: number | string): string =>
  typeof n === 'string' && !/^\d+$/.test(n) ? n : decimal(Number(n), 0);

const PT_NUMBER = new Intl.NumberFormat('pt-BR', { maximumFractionDigits: 6 });

/**
 * Any number a player typed, as Portuguese writes it: `2.048`, `12,5`; one that is not a number
 * at all as JavaScript says it (`NaN`), so a refusal never rounds away what was wrong.
 */
export const number = (n: number): string => (Number.isFinite(n) ? PT_NUMBER.format(n) : String(n));
