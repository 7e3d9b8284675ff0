/**
 * The VMBus class GUID each device class's offers carry (rule 11). Its own module, free of zod,
 * so the game's first download can name GUIDs without the schemas.
 */
import type { DeviceClass } from './scenario.js';

export const DEVICE_CLASS_GUIDS: Readonly<Record<DeviceClass, string>> = {
  storage: 'ba6163d9-04a1-4d29-b605-72e2ffb1dc7f',
  network: 'f8615163-df3e-46c5-913f-f2d2f965ed0e',
  video: 'da0a7802-e377-4aac-8e77-0558eb1073f8',
  input: 'cfa8b69e-5b4a-4cc0-b98b-8ba1a1f3f95a',
  'dynamic-memory': '525074dc-8985-46e2-8057-a307dc18a502',
  heartbeat: '57164f39-9115-4e78-ab55-382f3bd5422d',
};
