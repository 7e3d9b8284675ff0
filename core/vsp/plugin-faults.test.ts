import { describe, expect, it } from '@jest/globals';
import { faultReason, locatedFaultReason, PluginLimitError } from './plugin-faults.js';

describe('faultReason: what a fault says a plugin did', () => {
  it('names the handler and what it threw, whatever it threw', () => {
    expect(faultReason(new TypeError('x is undefined'), 'onPacket')).toBe(
      'onPacket threw TypeError: x is undefined',
    );
    expect(faultReason('oops', 'onDeviceCompleted')).toBe(
      'onDeviceCompleted threw a string: "oops"',
    );
    expect(faultReason(42, 'onChannelOpened')).toBe('onChannelOpened threw a non-Error value: 42');
  });

  it('keeps the sandbox’s own account, which already says where (and does not repeat the id)', () => {
    const limit = new PluginLimitError(
      'plugin acme.x exceeded its CPU budget of 10 ticks in onPacket',
      'exceeded its CPU budget of 10 ticks in onPacket',
    );
    expect(faultReason(limit, 'onPacket')).toBe('exceeded its CPU budget of 10 ticks in onPacket');
  });

  it('adds where the plugin was, from its locator; a locator that throws locates nothing', () => {
    const at = () => 'at onPacket (src/index.ts:12:5)';
    expect(locatedFaultReason(new Error('boom'), 'onPacket', at, undefined)).toBe(
      'onPacket threw Error: boom (at onPacket (src/index.ts:12:5))',
    );
    const broken = () => {
      throw new Error('the locator failed');
    };
    expect(locatedFaultReason(42, 'onPacket', broken, undefined)).toBe(
      'onPacket threw a non-Error value: 42',
    );
  });
});
