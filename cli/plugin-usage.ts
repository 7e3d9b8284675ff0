/**
 * What the plugins given with --plugin did in a run: which VSP instances each served. A plugin
 * that no instance names was loaded for nothing — the level played with the built-ins alone —
 * which a plugin author has to be told, since the scores alone cannot say it.
 */
import type { Configuration } from '../core/index.js';
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
