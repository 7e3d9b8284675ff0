/**
 * What happens once at start, outside any scene: telling the player what became of their save
 * (corrupt → backup, migrated, storage refused) and accepting a shared solution from the URL.
 */
import type { Solution } from '../levels/index.js';
import type { I18n } from './i18n/i18n.js';
import { SimRequestFailed } from './play/sim-client.js';
import { SaveFormatError } from './save/format.js';
import { SHARE_PARAM, ShareLinkError, decodeShare, shareValueFromHash } from './save/share.js';
import { contentHash } from './save/store.js';
import type { LoadNotice } from './save/store.js';
import type { GameServices } from './services.js';

/** A save error in the player's language. */
export function describeSaveError(error: SaveFormatError, i18n: I18n): string {
  switch (error.kind) {
    case 'invalid':
      return i18n.t('notice.reason.invalid', { path: error.path });
    case 'newer-version':
      return i18n.t('notice.reason.newer-version', { version: error.version });
    default:
      return i18n.t(`notice.reason.${error.kind}`);
  }
}

export function reportLoadNotices(notices: readonly LoadNotice[], services: GameServices): void {
  const { i18n } = services;
  for (const notice of notices) {
    switch (notice.kind) {
      case 'corrupt': {
        const reason = describeSaveError(notice.error, i18n);
        services.notices.show({
          kind: 'error',
          text: notice.backupKey
            ? i18n.t('notice.corrupt', { reason, key: notice.backupKey })
            : i18n.t('notice.corruptNoBackup', { reason }),
          actions: [
            {
              label: i18n.t('notice.downloadBackup'),
              run: () => {
                services.download('hyperkata-unreadable-save.txt', notice.raw);
              },
            },
          ],
        });
        break;
      }
      case 'migrated':
        services.notices.show({
          kind: 'info',
          text: i18n.t('notice.migrated', { from: notice.from, to: notice.to }),
          sticky: true,
        });
        break;
      case 'storage-unavailable':
        services.notices.show({ kind: 'warning', text: i18n.t('notice.storageUnavailable') });
        break;
    }
  }
}

/**
 * Checks a solution against the solution schema and its level (the simulation host's `check`);
 * rejects with a message naming `source` and each place in it that is wrong.
 */
export type SolutionCheck = (levelId: string, data: unknown, source: string) => Promise<Solution>;

/**
 * If the page was opened with `#solution=…`, checks that solution, adds it to the level's saved
 * solutions, tells the player, and removes the fragment so a reload does not add it again.
 */
export async function acceptSharedSolution(
  services: GameServices,
  location: Location,
  history: History,
  check: SolutionCheck,
): Promise<void> {
  const value = shareValueFromHash(location.hash);
  if (value === undefined) return;
  const { i18n, store, notices, campaign } = services;
  history.replaceState(null, '', location.pathname + location.search);
  try {
    const shared = await decodeShare(value);
    const level = campaign.levels().find((l) => l.id === shared.levelId);
    if (!level) {
      notices.show({
        kind: 'warning',
        text: i18n.t('notice.sharedUnknownLevel', { id: shared.levelId }),
      });
      return;
    }
    const source = i18n.t('notice.sharedSource', { name: shared.name });
    const solution = await check(level.id, shared.data, source);
    store.saveSolution(level.id, {
      id: `shared-${contentHash(shared.name + JSON.stringify(shared.data))}`,
      name: shared.name,
      data: solution,
      origin: 'shared',
    });
    // Sticky: the player did not ask for it, so it waits until they have seen it.
    notices.show({
      kind: 'success',
      text: i18n.t('notice.shared', { number: level.number }),
      sticky: true,
    });
  } catch (error) {
    const reason =
      ShareLinkError.is(error) || SaveFormatError.is(error) || error instanceof SimRequestFailed
        ? error.message
        : String(error);
    notices.show({ kind: 'error', text: i18n.t('notice.shareFailed', { reason }) });
  }
}

export { SHARE_PARAM };
