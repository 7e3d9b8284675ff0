/**
 * Interface-type GUIDs of the synthetic devices a Hyper-V host offers (the offer's if_type).
 * L: include/linux/hyperv.h HV_*_GUID; O: vmbus_core protocol.rs OfferChannel::inspect_extra.
 */
export const HvDeviceGuid = {
  /** Synthetic network (NetVSC). */
  NIC: 'f8615163-df3e-46c5-913f-f2d2f965ed0e',
  /** Synthetic IDE (the accelerated path of a Gen1 IDE disk). */
  IDE: '32412632-86cb-44a2-9b5c-50d1417354f5',
  /** Synthetic SCSI (StorVSC). */
  SCSI: 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
  SHUTDOWN: '0e0b6031-5213-4934-818b-38d90ced39db',
  /** Time synchronisation (L: HV_TS_GUID). */
  TIMESYNC: '9527e630-d0ae-497b-adce-e80ab0175caf',
  HEARTBEAT: '57164f39-9115-4e78-ab55-382f3bd5422d',
  KVP: 'a9a0f4e7-5a45-4d96-b827-8a841e8c03e6',
  /** Dynamic Memory (hv_balloon). */
  DYNAMIC_MEMORY: '525074dc-8985-46e2-8057-a307dc18a502',
  MOUSE: 'cfa8b69e-5b4a-4cc0-b98b-8ba1a1f3f95a',
  KEYBOARD: 'f912ad6d-2b17-48ea-bd65-f927a61c7684',
  VSS: '35fa2e29-ea23-4236-96ae-3a6ebacba440',
  SYNTHETIC_VIDEO: 'da0a7802-e377-4aac-8e77-0558eb1073f8',
  SYNTHETIC_FC: '2f9bcc4a-0069-4af3-b76b-6fd0be528cda',
  FILE_COPY: '34d14be3-dee4-41c8-9ae7-6b174977c192',
  NETWORK_DIRECT: '8c2eaf3d-32a7-4b09-ab99-bd1f1c86b501',
  /** PCI Express pass-through (vPCI, used for SR-IOV VFs, rule 20). */
  PCIE: '44c4f61d-4444-4400-9d52-802e27ede19f',
} as const;
