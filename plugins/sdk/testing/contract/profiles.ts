/**
 * The contract profile of each device class that has one. A class's built-in adds its profile
 * here (one line); classes without one get {@link genericProfile}.
 */
import type { DeviceClass } from '../../../../core/model/index.js';
import { genericProfile } from './profile.js';
import type { ContractProfile } from './profile.js';
import { storageContractProfile } from './storage-profile.js';
import { networkContractProfile } from '../../../netvsp/testing/contract-profile.js';

/**
 * Profile factories by device class (each call builds a fresh profile).
 *
 * @example
 * ```ts
 * const profile = CONTRACT_PROFILES.storage?.();
 * ```
 */
export const CONTRACT_PROFILES: Readonly<Partial<Record<DeviceClass, () => ContractProfile>>> =
  Object.freeze({
    storage: storageContractProfile,
    network: networkContractProfile, // the network built-in's profile (rule 19 setup, NVSP/RNDIS)
  });

/**
 * The profile the suite uses for `deviceClass`.
 *
 * @example
 * ```ts
 * profileFor('storage').name; // "storage"
 * ```
 */
export function profileFor(deviceClass: DeviceClass): ContractProfile {
  return CONTRACT_PROFILES[deviceClass]?.() ?? genericProfile(deviceClass);
}
