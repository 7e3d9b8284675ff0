/**
 * The version of the VSP plugin SDK this build provides. Plugins declare a semver range they need.
 *
 * @example
 * ```ts
 * import { SDK_VERSION } from 'hyperkata/sdk';
 *
 * // A definition's `sdk` range must include it: '^1.0.0' accepts 1.0.0 and any later 1.x.
 * host.log(`running on SDK ${SDK_VERSION}`);
 * ```
 */
// 1.1.0: VspChannel.classGuid, DEVICE_CLASS_GUIDS and IDE_ACCELERATOR_CLASS_GUID (additions only).
// 1.2.0: channel.fail also takes a structured reason { id, args } (VspFailureReason and its ids;
// free text still works, additions only).
export const SDK_VERSION = '1.2.0';
