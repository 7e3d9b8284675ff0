/**
 * What `import … from 'hyperkata/sdk'` resolves to inside the sandbox: the SDK's runtime surface.
 * `defineVsp` only returns its argument (the types do the work on the author's side) and the
 * host validates the definition it gets; the class GUIDs are constants a plugin compares
 * `channel.classGuid` with. The shim needs nothing else.
 */
import { DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID } from '../../../core/model/class-guids.js';
import { SDK_VERSION } from '../../sdk/version.js';

export const SDK_MODULE_NAME = 'hyperkata/sdk';

/**
 * What the shim exports: all a plugin's code may import from `hyperkata/sdk` at run time (types
 * aside). The rest of the SDK — checkDefinition, resolveSettings, PluginError… — is for hosts.
 */
export const SDK_SHIM_EXPORTS = [
  'defineVsp',
  'SDK_VERSION',
  'DEVICE_CLASS_GUIDS',
  'IDE_ACCELERATOR_CLASS_GUID',
] as const;

/**
 * Why a plugin that imports a host-side SDK export is refused: its tests, which run natively,
 * import it fine, so the message says what the sandbox's `hyperkata/sdk` has.
 */
export function hostSideImportIssue(name: string): {
  path: string[];
  expected: string;
  found: string;
} {
  const exports = SDK_SHIM_EXPORTS;
  return {
    path: [],
    expected: `imports that ${SDK_MODULE_NAME} has inside the sandbox: ${exports.slice(0, -1).join(', ')} and ${exports[exports.length - 1]}, and any of its types (the rest of the SDK is for hosts)`,
    found: `an import of ${name} from ${SDK_MODULE_NAME}`,
  };
}

export const SDK_SHIM_SOURCE = `
export const SDK_VERSION = ${JSON.stringify(SDK_VERSION)};
export const DEVICE_CLASS_GUIDS = Object.freeze(${JSON.stringify(DEVICE_CLASS_GUIDS)});
export const IDE_ACCELERATOR_CLASS_GUID = ${JSON.stringify(IDE_ACCELERATOR_CLASS_GUID)};
export function defineVsp(definition) {
  return definition;
}
`;
