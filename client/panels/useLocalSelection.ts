import { useSyncExternalStore } from 'react';
import type { LocalPresencePublisher } from '../sync/presencePublisher.ts';

/** This user's canvas selection, as the canvas publishes it through presence. */
export function useLocalSelection(presence: LocalPresencePublisher): readonly string[] {
  return useSyncExternalStore(presence.subscribeSelection, presence.getSelection);
}
