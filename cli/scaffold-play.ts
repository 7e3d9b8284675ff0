/**
 * The level a scaffolded plugin plays in, written into its project by `hyperkata new-plugin`: a
 * campaign level with a device of the template's class, copied with its VSP instances unlocked
 * (`controls.vspInstances`), and a solution that puts an instance of the plugin where the level
 * had the built-in VSP of that class and routes every VM device of the class to it. The campaign's
 * own levels keep their VSP instances fixed where they teach something else, so without the copy
 * `hyperkata run <level> --plugin src/index.ts` loads the plugin but never uses it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HYPERKATA_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CAMPAIGN = path.join(HYPERKATA_ROOT, 'levels', 'campaign');
/** Where an editor finds the file formats' JSON schemas, from the plugin project. */
const SCHEMAS = 'node_modules/hyperkata/levels/schema';

/** For each template: the campaign level it plays, and the built-in VSP it stands in for there. */
const PLAY_LEVELS: Readonly<Record<string, { readonly level: string; readonly builtIn: string }>> =
  {
    storage: { level: '01-first-partition', builtIn: 'hyperkata.storvsp' },
    network: { level: '02-two-lanes', builtIn: 'hyperkata.netvsp' },
  };

/** The parts of a level file the copy reads and changes. */
interface LevelFile {
  $schema?: string;
  id: string;
  number?: number;
  title: Record<string, string>;
  controls?: Record<string, boolean>;
  scenario: { vms: { name: string; devices: { id: string; class: string }[] }[] };
  defaults: {
    vsps: { id: string; plugin: string; device?: string }[];
    channels: { vm: string; device: string; vsp: string }[];
  };
}

export interface PlayFiles {
  /** The campaign level the copy was made from. */
  readonly from: string;
  /** `level.json` and `solution.json`, relative to the project. */
  readonly files: readonly { readonly target: string; readonly text: string }[];
}

/**
 * The level and solution that play `pluginId` (a VSP of the template's class), or undefined for a
 * template with no level to play. `name` names the copy and the plugin's VSP instance.
 */
export function playFiles(template: string, pluginId: string, name: string): PlayFiles | undefined {
  if (!Object.hasOwn(PLAY_LEVELS, template)) return undefined;
  const play = PLAY_LEVELS[template];
  const level = JSON.parse(
    readFileSync(path.join(CAMPAIGN, `${play.level}.json`), 'utf8'),
  ) as LevelFile;
  const builtIn = level.defaults.vsps.find((v) => v.plugin === play.builtIn);
  if (builtIn === undefined)
    throw new Error(
      `levels/campaign/${play.level}.json has no ${play.builtIn} instance to replace`,
    );
  const vsps = level.defaults.vsps.map((v) =>
    v === builtIn ? { id: name, plugin: pluginId, device: builtIn.device } : v,
  );
  const routed = level.scenario.vms.flatMap((vm) =>
    vm.devices
      .filter((d) => d.class === template)
      .map((d) => ({ vm: vm.name, device: d.id, vsp: name })),
  );
  const channels = [
    ...level.defaults.channels.filter(
      (c) => !routed.some((r) => r.vm === c.vm && r.device === c.device),
    ),
    ...routed,
  ];
  // Its own id, so that `hyperkata validate` never checks the solution against the campaign's.
  const id = `${level.id}-${name}`;
  const { number: _number, ...rest } = level;
  const copy: LevelFile = {
    ...rest,
    $schema: `${SCHEMAS}/level.schema.json`,
    id,
    title: Object.fromEntries(Object.entries(level.title).map(([k, t]) => [k, `${t} (${name})`])),
    controls: { ...level.controls, vspInstances: true },
  };
  const solution = {
    $schema: `${SCHEMAS}/solution.schema.json`,
    format: 1,
    level: id,
    name: `${pluginId} in place of ${play.builtIn}`,
    vsps,
    channels,
  };
  return {
    from: level.id,
    files: [
      { target: 'level.json', text: JSON.stringify(copy, null, 2) + '\n' },
      { target: 'solution.json', text: JSON.stringify(solution, null, 2) + '\n' },
    ],
  };
}
