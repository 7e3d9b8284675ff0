/**
 * What the plugins given with --plugin did in a run: which VSP instances each served. A plugin
 * that no instance names was loaded for nothing — the level played with the built-ins alone —
 * which a plugin author has to be told, since the scores alone cannot say it.
 */
import { ConfigurationError } from '../core/index.js';
import type { Configuration, InputIssue } from '../core/index.js';
import type { LoadedPlugin } from './env.js';

export interface PluginUsage {
  readonly id: string;
  /** What the user typed after --plugin. */
  readonly source: string;
  readonly isolation: 'native' | 'sandbox';
  readonly digest: string;
  /** The run's VSP instances this plugin served, with the device each drove. */
  readonly instances: readonly { readonly id: string; readonly device?: string }[];
}

/** One entry per plugin id, the last --plugin of an id winning as it does in the run. */
export function pluginUsage(
  loaded: readonly LoadedPlugin[],
  configuration: Configuration,
): PluginUsage[] {
  const last = new Map(loaded.map((p) => [p.module.id, p]));
  return [...last.values()].map(({ spec, module }) => ({
    id: module.id,
    source: spec,
    isolation: module.isolation,
    digest: module.digest,
    instances: configuration.vsps
      .filter((v) => v.plugin === module.id)
      .map((v) => (v.device === undefined ? { id: v.id } : { id: v.id, device: v.device })),
  }));
}

/** A line of the run summary about one plugin. */
export function usageLine(usage: PluginUsage, lang: 'en' | 'pt-BR'): string {
  const pt = lang === 'pt-BR';
  const where =
    usage.isolation === 'sandbox'
      ? pt
        ? 'em sandbox'
        : 'sandboxed'
      : pt
        ? 'confiável: nativo, sem sandbox'
        : 'trusted: native, not sandboxed';
  const head = `plugin ${usage.id} (${usage.source}, ${where})`;
  if (usage.instances.length === 0)
    return pt
      ? `${head}: não usado — nenhuma instância de VSP desta execução o nomeia (o "vsps" da solução deve nomear ${usage.id})`
      : `${head}: not used — no VSP instance of this run names it (a solution's "vsps" must name ${usage.id})`;
  const served = usage.instances
    .map((i) => (i.device === undefined ? i.id : `${i.id} ${pt ? 'em' : 'on'} ${i.device}`))
    .join(', ');
  return `${head}: ${pt ? 'atende' : 'serves'} ${served}`;
}

/**
 * A solution names a plugin id that no loaded plugin has. The core's refusal lists the ids loaded;
 * a plugin author needs to hear which of the two usual mistakes it was, and what to type: no
 * `--plugin` at all (the id is in no built-in, so it must come from a file), or a `--plugin` whose
 * `defineVsp` id is not the one the solution names (an id changed in one place only). Built-in
 * ids (`hyperkata.`) and near misses of a loaded id (the refusal already asks "did you mean") are
 * left as they are. `given` is what the user typed after each `--plugin`/`--trusted-plugin`.
 */
export function pointAtPluginOption(e: unknown, given: readonly string[]): unknown {
  if (!ConfigurationError.is(e)) return e;
  const issues = e.issues.map((i): InputIssue => {
    const r = i.reason;
    if (r?.id !== 'vsp.unknownPlugin' || r.args.meant !== undefined) return i;
    if (r.args.plugin.startsWith('hyperkata.')) return i;
    const why =
      given.length === 0
        ? `no --plugin was given, and no built-in has that id: load the plugin whose defineVsp has it with --plugin FILE (its .ts file, or its project folder)`
        : `none of the plugins given (${given.join(', ')}) has that id: the id in a plugin's defineVsp and the solution's "plugin" must be the same`;
    return { ...i, found: `${i.found} — ${why}` };
  });
  return issues.some((i, k) => i !== e.issues[k]) ? new ConfigurationError(e.source, issues) : e;
}
