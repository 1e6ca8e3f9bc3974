import { useCallback, useState, useSyncExternalStore } from 'react';
import type { PresencePublisher } from '../../board/session.ts';
import type { LocalPresencePublisher } from '../../sync/presencePublisher.ts';

const NONE: readonly string[] = [];
const noSubscribe = () => () => {};

function readsSelection(p: PresencePublisher): p is LocalPresencePublisher {
  const local = p as Partial<LocalPresencePublisher>;
  return typeof local.getSelection === 'function' && typeof local.subscribeSelection === 'function';
}

/**
 * This user's selection as presence publishes it (the inspector shows the same), and a
 * setter. A publisher that cannot be read back (a test double) falls back to local state.
 */
export function useSelection(presence: PresencePublisher): [readonly string[], (ids: readonly string[]) => void] {
  const readable = readsSelection(presence);
  const [local, setLocal] = useState<readonly string[]>(NONE);
  const shared = useSyncExternalStore(
    readable ? presence.subscribeSelection : noSubscribe,
    readable ? presence.getSelection : () => NONE,
  );
  const select = useCallback(
    (ids: readonly string[]) => {
      presence.setSelection(ids);
      setLocal(ids);
    },
    [presence],
  );
  return [readable ? shared : local, select];
}
