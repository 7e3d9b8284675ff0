/**
 * The Hyperkata VSP plugin SDK: everything a plugin author imports. One typed contract — the
 * definition (`defineVsp`), the host object a VSP receives, the handlers it returns, the packets
 * and channels it handles — versioned as {@link SDK_VERSION}.
 */
export { defineVsp } from './define-vsp.js';
export type { VspDefinition } from './define-vsp.js';
export { SDK_VERSION } from './version.js';
export {
  PluginError,
  checkDefinition,
  defaultSettings,
  toVspModule,
  PLUGIN_ID_PATTERN,
} from './load.js';
export type { LoadOptions, PluginIssue } from './load.js';
export { resolveSettings } from './settings.js';
export type { ResolvedSettings, SettingSpec, SettingsSpec, SettingValue } from './settings.js';
export type {
  BlockDevicePort,
  BlockRequest,
  ChannelMemory,
  DeviceCompletion,
  GpaRange,
  MemoryAccessResult,
  MemoryChangeReport,
  MemoryPageRange,
  MemoryPressureReport,
  NetworkPort,
  SendResult,
  VirtualDevicePort,
  VspChannel,
  VspDevicePort,
  VspHandlers,
  VspHost,
  VspHostEvent,
  VspModule,
  FaultLocator,
  VspPacket,
  VspPacketKind,
  VspFailureArgs,
  VspFailureId,
  VspFailureReason,
  VspProtocolName,
} from '../../core/vsp/types.js';
export type { DeviceClass } from '../../core/model/index.js';
export { DEVICE_CLASS_GUIDS, IDE_ACCELERATOR_CLASS_GUID } from '../../core/model/class-guids.js';
