/**
 * Where a plugin under test went wrong, for the harness: a plugin's tests run its TypeScript
 * sources natively (`node --import hyperkata/register --test`, or Jest), whose stacks name them by
 * absolute path. The fault names the first frame of the plugin's own code — a file under the
 * folder the tests run from that is neither a dependency (node_modules) nor Hyperkata's host side
 * (core/, plugins/sdk/, but for their tests, which define plugins of their own) — relative to that
 * folder: `at onPacket (src/index.ts:12:5)`.
 */
import type { FaultLocator } from '../../../core/vsp/types.js';
import { frameFaultLocator, stackFrames, stackOf } from '../../fault-location/index.js';
import { definitionSite } from '../define-vsp.js';

/** A folder as stacks name files in it: `/` separators, no drive-letter slash, a trailing `/`. */
function folderOf(path: string): string {
  const slashed = path.replace(/\\/g, '/').replace(/^\/([A-Za-z]:\/)/, '$1');
  return slashed.endsWith('/') ? slashed : `${slashed}/`;
}

const HYPERKATA = folderOf(decodeURIComponent(new URL('../../../', import.meta.url).pathname));
// The sandbox's size checks, which the harness's channel and memory call, are host side too.
const HOST_SIDE = [
  `${HYPERKATA}core/`,
  `${HYPERKATA}plugins/sdk/`,
  `${HYPERKATA}plugins/sandbox/limits.ts`,
];
// The SDK's loader checks what create returned: a failure there has no plugin frame inside it,
// and the frames past it are the test that built the harness.
const SDK_LOADER = `${HYPERKATA}plugins/sdk/load.ts`;
const DEFINE_VSP = `${HYPERKATA}plugins/sdk/define-vsp.ts`;

/**
 * A locator relative to `root` (default: the working directory, where `npm test` runs), or
 * undefined where there is no working directory (a browser).
 *
 * @example
 * ```ts
 * toVspModule(definition, { ...options, locateFault: workingDirFaultLocator() });
 * ```
 */
export function workingDirFaultLocator(root?: string): FaultLocator | undefined {
  const display = workingDirFiles(root);
  return display === undefined
    ? undefined
    : frameFaultLocator(display, (file) => file === SDK_LOADER);
}

/**
 * How a fault names a file of the plugin's own — relative to `root` (default: the working
 * directory) — or undefined for a file that is not the plugin's (a dependency, Hyperkata's host
 * side); undefined altogether where there is no working directory (a browser).
 *
 * @example
 * ```ts
 * workingDirFiles('/home/me/my-disk')?.('/home/me/my-disk/src/index.ts'); // "src/index.ts"
 * ```
 */
export function workingDirFiles(root?: string): ((file: string) => string | undefined) | undefined {
  const cwd = root ?? (globalThis as { process?: { cwd?: () => string } }).process?.cwd?.();
  if (cwd === undefined) return undefined;
  const base = folderOf(cwd);
  return (file) => {
    if (!file.startsWith(base) || file.includes('/node_modules/')) return undefined;
    const test = /\.test\.[cm]?[jt]s$/.test(file);
    if (!test && HOST_SIDE.some((folder) => file.startsWith(folder))) return undefined;
    return file.slice(base.length);
  };
}

/**
 * Where `defineVsp` was called for `definition`, as a fault names it (`src/index.ts:50:16`), from
 * the first frame of the plugin's own files in the Error `defineVsp` kept; undefined when it kept
 * none or no frame is the plugin's.
 *
 * @example
 * ```ts
 * definedAt(myVsp, workingDirFiles()); // "src/index.ts:50:16"
 * ```
 */
export function definedAt(
  definition: unknown,
  display: ((file: string) => string | undefined) | undefined,
): string | undefined {
  const stack = display === undefined ? undefined : stackOf(definitionSite(definition));
  if (stack === undefined || display === undefined) return undefined;
  for (const f of stackFrames(stack)) {
    const file = display(f.file);
    if (file !== undefined) return `${file}:${String(f.line)}:${String(f.column)}`;
  }
  return undefined;
}

/**
 * Whether `definition` was made by a plugin outside Hyperkata's own folder — an author's project,
 * not a built-in or one of Hyperkata's tests: the first frame past `defineVsp` in the Error it
 * kept names a file elsewhere. False when that cannot be told (no Error kept, no file named).
 *
 * @example
 * ```ts
 * definedOutsideHyperkata(myVsp); // true in the author's project, false for hyperkata.storvsp
 * ```
 */
export function definedOutsideHyperkata(definition: unknown): boolean {
  const stack = stackOf(definitionSite(definition));
  if (stack === undefined) return false;
  const caller = stackFrames(stack).find((f) => f.file !== DEFINE_VSP);
  if (caller === undefined) return false;
  const file = folderOf(caller.file).slice(0, -1);
  return file.startsWith('/') || /^[A-Za-z]:\//.test(file) ? !file.startsWith(HYPERKATA) : false;
}
