/**
 * What happens once at start, outside any scene: telling the player what became of their save
 * (corrupt → backup, migrated, storage refused) and accepting a shared solution from the URL.
 */
import type { I18n } from './i18n/i18n.js';
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
 * If the page was opened with `#solution=…`, adds that solution to the level's saved solutions,
 * tells the player, and removes the fragment so a reload does not add it again.
 */
export async function acceptSharedSolution(
  services: GameServices,
  location: Location,
  history: History,
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
    store.saveSolution(level.id, {
      id: `shared-${contentHash(shared.name + JSON.stringify(shared.data))}`,
      name: shared.name,
      data: shared.data,
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
      ShareLinkError.is(error) || SaveFormatError.is(error) ? error.message : String(error);
    notices.show({ kind: 'error', text: i18n.t('notice.shareFailed', { reason }) });
  }
}

export { SHARE_PARAM };
