/**
 * "Did you mean …?" for input files: the known word nearest to a misspelt one, found by edit
 * distance, and the fields a zod schema accepts at a place in the input. Used where a level,
 * solution or configuration names a field or a value the model does not know.
 */
import { distance } from 'fastest-levenshtein';
import type { z } from 'zod';

/**
 * The one candidate nearest to `word` — at most two edits and a third of its letters away (at
 * least one), ignoring case — or undefined when none is that near or two are equally near.
 *
 * @example
 * ```ts
 * const meant = nearest('wieght', ['weight', 'reservePercent', 'limitPercent']); // 'weight'
 * const none = nearest('colour', ['weight', 'count']); // undefined
 * ```
 */
export function nearest(word: string, candidates: Iterable<string>): string | undefined {
  // A typo is one or two edits; more, in a long namespaced id (local.my-disk, local.my-nic), is
  // another name that shares a prefix, not a misspelling.
  const limit = Math.min(2, Math.max(1, Math.floor(word.length / 3)));
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = limit + 1;
  let tied = false;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const d = distance(lower, candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      tied = false;
    } else if (d === bestDistance) tied = true;
  }
  return tied ? undefined : best;
}

type AnySchema = z.core.$ZodType;

/**
 * The field names an object schema accepts at `path` inside `schema` (through optional, default,
 * array, record, union and pipe wrappers), or undefined where the schema does not say.
 */
export function fieldsAt(
  schema: AnySchema,
  path: readonly (string | number)[],
): ReadonlySet<string> | undefined {
  let current: AnySchema[] = [schema];
  for (const key of path) {
    current = current.flatMap((s) => childrenOf(s, key));
    if (current.length === 0) return undefined;
  }
  const fields = new Set<string>();
  for (const s of current.flatMap(objectsOf))
    for (const k of Object.keys(s._zod.def.shape)) fields.add(k);
  return fields.size > 0 ? fields : undefined;
}

/**
 * The name among `names` that `name` is a near miss of ({@link nearest}), or undefined — also when
 * the list has one name, since a refusal that lists it already says which was meant.
 */
export function meantAmong(name: string, names: readonly string[]): string | undefined {
  return names.length < 2 ? undefined : nearest(name, names);
}

/**
 * The schemas a wrapper stands for (optional, default, pipe, lazy, union…), or null when `schema`
 * is not one: a value of it is a value of one of those.
 */
function unwrapped(schema: AnySchema): AnySchema[] | null {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return [def.innerType as AnySchema];
    case 'pipe':
      return [def.in as AnySchema];
    case 'lazy':
      return [(def.getter as () => AnySchema)()];
    case 'union':
      return def.options as AnySchema[];
    case 'intersection':
      return [def.left as AnySchema, def.right as AnySchema];
    default:
      return null;
  }
}

/** The object schemas `schema` stands for, once its wrappers are taken off. */
function objectsOf(schema: AnySchema): z.core.$ZodObject[] {
  if (schema._zod.def.type === 'object') return [schema as z.core.$ZodObject];
  return unwrapped(schema)?.flatMap(objectsOf) ?? [];
}

/** The schemas for the value at `key` inside a value of `schema`. */
function childrenOf(schema: AnySchema, key: string | number): AnySchema[] {
  const def = schema._zod.def as z.core.$ZodTypeDef & Record<string, unknown>;
  switch (def.type) {
    case 'array':
      return typeof key === 'number' ? [def.element as AnySchema] : [];
    case 'tuple':
      return typeof key === 'number' ? (def.items as AnySchema[]).slice(key, key + 1) : [];
    case 'record':
      return [def.valueType as AnySchema];
    case 'object': {
      const shape = def.shape as Record<string, AnySchema>;
      return Object.hasOwn(shape, key) ? [shape[String(key)]] : [];
    }
    default:
      return unwrapped(schema)?.flatMap((s) => childrenOf(s, key)) ?? [];
  }
}
