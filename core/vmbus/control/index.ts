/**
 * VMBus control path (HYPERV.md rules 10–15, 36–37): a byte-exact codec for the channel-management
 * messages guest and host exchange as SynIC messages on SINT2, the GPADL header/body split and its
 * host-side reassembly, and the version handshake. Follows L: include/linux/hyperv.h,
 * drivers/hv/{channel,channel_mgmt,connection}.c and O: vmbus_core/src/protocol.rs,
 * vmbus_server/src/channels.rs.
 */
export { VmbusControlError } from './errors.js';
export {
  CHANNEL_MESSAGE_HEADER_BYTES,
  ChannelMessageType,
  channelMessageMinBytes,
  channelMessageName,
  channelMessageSender,
  isModelledMessageType,
} from './message-types.js';
export type { ChannelMessageSender, ChannelMessageTypeValue } from './message-types.js';
export type {
  AllOffersDeliveredMessage,
  ChannelMessage,
  CloseChannelMessage,
  GpadlBodyMessage,
  GpadlCreatedMessage,
  GpadlHeaderMessage,
  GpadlTeardownMessage,
  GpadlTorndownMessage,
  InitiateContactMessage,
  ModifyChannelMessage,
  ModifyChannelResponseMessage,
  OfferChannelMessage,
  OpenChannelMessage,
  OpenChannelResultMessage,
  RelidReleasedMessage,
  RequestOffersMessage,
  RescindChannelOfferMessage,
  TlConnectRequestMessage,
  TlConnectResultMessage,
  UnloadMessage,
  UnloadResponseMessage,
  VersionResponseMessage,
  VmbusChannelOffer,
} from './messages.js';
export { channelMessageSize, encodeChannelMessage } from './encode.js';
export { decodeChannelMessage } from './decode.js';
export type {
  ChannelMessageDecodeResult,
  ChannelMessageRejection,
  ChannelMessageRejectionReason,
  DecodeOptions,
} from './decode.js';
export { GUID_BYTES, isCanonicalGuid, readGuid, writeGuid } from './guid.js';
export { HvDeviceGuid } from './device-guids.js';
export * from './constants.js';
export {
  GPA_RANGE_HEADER_BYTES,
  GPA_RANGE_MAX_BYTE_OFFSET,
  GPADL_BODY_FIXED_BYTES,
  GPADL_BODY_MAX_PFNS,
  GPADL_HEADER_FIXED_BYTES,
  GPADL_HEADER_MAX_PFNS,
  GPADL_MAX_PAGES,
  GPADL_MAX_RANGE_BUFLEN,
} from './gpadl-limits.js';
export { gpadlMessageCount, splitGpadl } from './gpadl-split.js';
export type { GpadlSplitRequest } from './gpadl-split.js';
export { pagesSpanned, parseGpaRanges } from './gpa-ranges.js';
export type { GpaRange, GpaRangeProblem } from './gpa-ranges.js';
export { GPADL_ASSEMBLER_MAX_IN_PROGRESS, GpadlAssembler } from './gpadl-assembler.js';
export type {
  AssembledGpadl,
  GpadlAssemblerOptions,
  GpadlAssemblyRejection,
  GpadlAssemblyRejectionReason,
  GpadlAssemblyResult,
} from './gpadl-assembler.js';
export {
  HOST_MAX_VMBUS_VERSION,
  KNOWN_VMBUS_VERSIONS,
  LINUX_VMBUS_VERSIONS,
  VmbusVersion,
  formatVmbusVersion,
  guestContactOutcome,
  guestInitiateContact,
  hostVersionResponse,
  messageConnectionIdFor,
  negotiateVmbusVersion,
  vmbusVersion,
} from './versions.js';
export type {
  GuestContactOptions,
  GuestContactOutcome,
  HostVmbusPolicy,
  NegotiationOptions,
  VmbusNegotiation,
} from './versions.js';
export { guestSignalPlan, isHvSockOffer, isSubChannelOffer, monitorSlotOf } from './offer.js';
export type { GuestSignalPlan, MonitorSlot } from './offer.js';
