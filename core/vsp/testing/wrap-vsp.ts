/**
 * Test VSPs made from another: the same module, with some of the handlers its factory returns
 * replaced or observed. A test that needs a VSP that ignores a request, answers wrongly or records
 * what it saw builds it from the minimal storage VSP instead of writing a factory of its own.
 */
import type { VspHandlers, VspHost, VspModule } from '../types.js';

/**
 * `vsp`, except for the handlers `override` returns for each instance; `inner` is that instance's
 * own handlers, to call on to.
 *
 * @example
 * ```ts
 * // A storage VSP that never answers QUERY_PROPERTIES (operation 0x05).
 * const silent = wrapVsp(minimalStorvsp(), (inner) => ({
 *   onPacket(channel, packet) {
 *     if (packet.payload[0] !== 0x05) inner.onPacket(channel, packet);
 *   },
 * }));
 * ```
 */
export function wrapVsp(
  vsp: VspModule,
  override: (inner: VspHandlers, host: VspHost) => Partial<VspHandlers>,
): VspModule {
  return {
    ...vsp,
    create(host) {
      const inner = vsp.create(host);
      const own = override(inner, host);
      // Each handler not overridden is called on `inner` itself: a VSP's handlers may be methods
      // of a class (netvsp's are), which a spread of the object would lose.
      return {
        onChannelOpened: own.onChannelOpened ?? ((c) => inner.onChannelOpened?.(c)),
        onPacket:
          own.onPacket ??
          ((c, p) => {
            inner.onPacket(c, p);
          }),
        onDeviceCompleted: own.onDeviceCompleted ?? ((c, x) => inner.onDeviceCompleted?.(c, x)),
        onHostEvent: own.onHostEvent ?? ((c, e) => inner.onHostEvent?.(c, e)),
        onChannelClosed: own.onChannelClosed ?? ((c, r) => inner.onChannelClosed?.(c, r)),
      };
    },
  };
}
