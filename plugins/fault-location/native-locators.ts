/**
 * Fault locators for plugins that run natively (see the core's `FaultLocator`): where in the
 * plugin's own code a call failed, worded as the sandbox words it, so an author reads the same
 * fault whichever way the plugin ran. Each reads the thrown Error's stack only when asked — when a
 * call has failed — never per packet.
 *
 * - {@link bundleFaultLocator}: a plugin bundled by esbuild and loaded natively (`trusted`); its
 *   frames are mapped through the bundle's source map, as the sandbox maps QuickJS's.
 * - {@link frameFaultLocator}: code run from its own files (the built-ins under tsx or Jest,
 *   which map stacks to the TypeScript sources, or webpack's modules in the browser).
 */
import type { FaultLocator } from '../../core/vsp/types.js';
import { originalName } from './source-map.js';
import type { SourceLocator } from './source-map.js';
import { frameText, stackFrames, stackOf } from './stack-frames.js';

/** How a bundle loaded natively names itself in stacks, and how its lines map back. */
export interface BundleLocation {
  /**
   * The name the bundle carries in stack frames (its `//# sourceURL=`): what the user typed, as
   * the sandbox names the module — never the `data:` URL it was imported from.
   */
  readonly bundleName: string;
  /**
   * The URL it was imported from (a `data:` URL), for hosts whose stacks ignore `sourceURL`
   * (Jest's source-map-support names the script): matched, never shown.
   */
  readonly moduleUrl?: string;
  /** The bundle's code, where a handler that threw a non-Error is found. */
  readonly code: string;
  readonly locate: SourceLocator;
}

/**
 * A locator for a bundle loaded natively: the first frame of the bundle (the plugin's code or a
 * dependency bundled with it, as the sandbox says), in the plugin's own file and line. A thrown
 * value that is not an Error carries no stack: then the handler that threw it is named, with the
 * place it is written (`in onPacket (src/index.ts:9:5)`).
 *
 * @example
 * ```ts
 * const locateFault = bundleFaultLocator({ bundleName: 'src/index.ts', code, locate: sourceLocator(map) });
 * locateFault(error, handlers.onPacket); // "at onPacket (src/index.ts:12:5)"
 * ```
 */
export function bundleFaultLocator(bundle: BundleLocation): FaultLocator {
  return (thrown, handler) => {
    const stack = stackOf(thrown);
    if (stack === undefined) return handlerSite(bundle, handler);
    for (const f of stackFrames(stack)) {
      if (f.file !== bundle.bundleName && f.file !== bundle.moduleUrl) continue;
      const at = bundle.locate(f.line, f.column);
      const name =
        f.name === undefined ? undefined : originalName(f.name, bundle.code, bundle.locate);
      return at === undefined
        ? frameText(name, bundle.bundleName, f.line, f.column)
        : frameText(name, at.source, at.line, at.column);
    }
    return undefined;
  };
}

/**
 * A locator over frames of code run from its own files: `display` says, of a frame's file (no
 * `file://`, `/` separators), how the message names it when it is the plugin's — relative to the
 * plugin's or the repository's root, never an absolute path — or undefined when it is not. The
 * first such frame is the place.
 *
 * @example
 * ```ts
 * const locateFault = frameFaultLocator(inFolder('plugins/storvsp'));
 * locateFault(error, undefined); // "at onPacket (plugins/storvsp/index.ts:212:11)"
 * ```
 */
export function frameFaultLocator(
  display: (file: string) => string | undefined,
  /** A frame of the host's that ends the search: past it are the plugin's callers, not its code. */
  stopAt: (file: string) => boolean = () => false,
): FaultLocator {
  return (thrown) => {
    const stack = stackOf(thrown);
    if (stack === undefined) return undefined;
    for (const f of stackFrames(stack)) {
      if (stopAt(f.file)) return undefined;
      const file = display(f.file);
      if (file !== undefined) return frameText(f.name, file, f.line, f.column);
    }
    return undefined;
  };
}

/**
 * For {@link frameFaultLocator}: files under `folder` (a path from the repository's root, e.g.
 * `plugins/storvsp`), named from that folder on — `/home/me/hyperkata/plugins/storvsp/x.ts` and
 * webpack's `./plugins/storvsp/x.ts` both read `plugins/storvsp/x.ts`.
 *
 * @example
 * ```ts
 * inFolder('plugins/storvsp')('/repo/plugins/storvsp/index.ts'); // "plugins/storvsp/index.ts"
 * ```
 */
export function inFolder(folder: string): (file: string) => string | undefined {
  const marker = `/${folder.replace(/^\/+|\/+$/g, '')}/`;
  return (file) => {
    const at = `/${file}`.lastIndexOf(marker);
    return at < 0 ? undefined : `/${file}`.slice(at + 1);
  };
}

/** Where `handler` is written in the bundle: found by its source text, mapped to the plugin's file. */
function handlerSite(bundle: BundleLocation, handler: unknown): string | undefined {
  if (typeof handler !== 'function') return undefined;
  const name = (handler as { name?: unknown }).name;
  return functionSite({
    code: bundle.code,
    text: Function.prototype.toString.call(handler),
    name: typeof name === 'string' ? name : '',
    bundleName: bundle.bundleName,
    locate: bundle.locate,
  });
}

/**
 * Where a function of a bundle is written, as a fault says it — `in onPacket (src/index.ts:9:5)`:
 * its source `text` (what `Function.prototype.toString` gives, or a prefix of it) is found in the
 * bundle's `code` and mapped through `locate` to the plugin's own file, or named in the bundle's
 * own lines (`bundleName`) when there is no map. How a thrown value that is not an Error, which
 * carries no stack, is located — natively and in the sandbox alike. Undefined when the text is not
 * in the code.
 *
 * @example
 * ```ts
 * functionSite({ code, text: 'onPacket(channel, packet) {', name: 'onPacket', bundleName: 'src/index.ts', locate });
 * // "in onPacket (src/index.ts:9:5)"
 * ```
 */
export function functionSite(site: {
  readonly code: string;
  readonly text: string;
  readonly name: string;
  readonly bundleName: string;
  readonly locate?: SourceLocator | undefined;
}): string | undefined {
  const { code, text } = site;
  const offset = text === '' ? -1 : code.indexOf(text);
  if (offset < 0) return undefined;
  const lineStart = code.lastIndexOf('\n', offset - 1) + 1;
  let line = 1;
  for (let i = code.indexOf('\n'); i >= 0 && i < offset; i = code.indexOf('\n', i + 1)) line++;
  const column = offset - lineStart + 1;
  const at =
    site.locate === undefined
      ? { source: site.bundleName, line, column }
      : site.locate(line, column);
  if (at === undefined) return undefined;
  const shown = site.name === '' ? '<anonymous>' : site.name;
  return `in ${shown} (${at.source}:${String(at.line)}:${String(at.column)})`;
}
