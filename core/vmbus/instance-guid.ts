/**
 * Device instance GUIDs. Hyper-V gives every synthetic device of a VM its own instance GUID, stable
 * across boots; the model derives it from the VM and device names so host and guest agree on it.
 */
import { hashString } from '../engine/index.js';

export function instanceGuidFor(vm: string, device: string): string {
  const words = [
    hashString(`${vm}/${device}#0`),
    hashString(`${vm}/${device}#1`),
    hashString(`${vm}/${device}#2`),
    hashString(`${vm}/${device}#3`),
  ];
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  // Version 4 / variant 1 bits, like the random GUIDs Hyper-V assigns.
  const v =
    hex.slice(0, 12) +
    '4' +
    hex.slice(13, 16) +
    ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16) +
    hex.slice(17);
  return `${v.slice(0, 8)}-${v.slice(8, 12)}-${v.slice(12, 16)}-${v.slice(16, 20)}-${v.slice(20, 32)}`;
}
