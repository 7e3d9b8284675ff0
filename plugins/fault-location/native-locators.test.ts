/**
 * Native stacks as the hosts write them — Node with source maps, webpack's development build,
 * Firefox — read to the plugin's own file and line, relative to its root, never a machine path.
 */
import { describe, expect, it } from '@jest/globals';
import { BUILT_IN_VSPS } from '../index.js';
import { FakeVspChannel, FakeVspHost, fakePacket } from '../sandbox/testing/fake-vsp-host.js';
import { frameFaultLocator, inFolder, stackFrames } from './index.js';

const withStack = (stack: string): Error => Object.assign(new Error('boom'), { stack });

describe('native fault locations', () => {
  it('reads V8, webpack and Firefox frames, with the function’s own name as QuickJS gives it', () => {
    const stack = [
      'Error: boom',
      '    at Object.onPacket [as onPacket] (file:///home/me/hyperkata/plugins/storvsp/index.ts:12:5)',
      '    at new StorvspState (webpack-internal:///./plugins/storvsp/state.ts:3:9)',
      '    at /home/me/hyperkata/core/vsp/vsp-runtime.ts:240:7',
      'finish@http://localhost:8080/main.js:7:11',
    ].join('\n');
    expect(stackFrames(stack)).toEqual([
      {
        name: 'onPacket',
        file: '/home/me/hyperkata/plugins/storvsp/index.ts',
        line: 12,
        column: 5,
      },
      { name: 'StorvspState', file: 'plugins/storvsp/state.ts', line: 3, column: 9 },
      { name: undefined, file: '/home/me/hyperkata/core/vsp/vsp-runtime.ts', line: 240, column: 7 },
      { name: 'finish', file: 'http://localhost:8080/main.js', line: 7, column: 11 },
    ]);
  });

  it('names the first frame in a built-in’s folder from the repository root, whatever the host', () => {
    const locate = frameFaultLocator(inFolder('plugins/storvsp'));
    const inCore = '    at VspRuntime.invoke (/home/me/hyperkata/core/vsp/vsp-runtime.ts:240:7)';
    for (const frame of [
      '    at Object.onPacket (/home/me/hyperkata/plugins/storvsp/index.ts:12:5)',
      '    at Object.onPacket (webpack-internal:///./plugins/storvsp/index.ts:12:5)',
      '    at Object.onPacket (file:///C:/Users/me/hyperkata/plugins/storvsp/index.ts:12:5)',
    ])
      expect(locate(withStack(`Error: boom\n${frame}\n${inCore}`), undefined)).toBe(
        'at onPacket (plugins/storvsp/index.ts:12:5)',
      );
    // A production bundle names no file of the plugin: nothing rather than a URL.
    expect(locate(withStack('Error: boom\n    at e (https://x.test/main.js:1:9)'), undefined)).toBe(
      undefined,
    );
    expect(locate('not an Error', undefined)).toBe(undefined);
  });

  it('a built-in that fails names its own file and line, relative to the repository', () => {
    const storvsp = BUILT_IN_VSPS.find((m) => m.id === 'hyperkata.storvsp');
    const host = new FakeVspHost();
    host.cpu.charge = () => {
      throw new Error('the host refused');
    };
    const handlers = storvsp?.create(host);
    let thrown: unknown;
    try {
      handlers?.onPacket(new FakeVspChannel(3, host), fakePacket({ payload: new Uint8Array(64) }));
    } catch (e) {
      thrown = e;
    }
    expect(storvsp?.locateFault?.(thrown, undefined)).toMatch(
      /^at \S+ \(plugins\/storvsp\/[\w-]+\.ts:\d+:\d+\)$/,
    );
  });
});
