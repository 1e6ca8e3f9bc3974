import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import { describeStatus } from '../sync/connectionStatus.ts';
import type { ConnectionState } from '../sync/createBoardSession.ts';

/** Always-visible connection state: a coloured dot, a word, and the explanation on hover. */
export function ConnectionBadge({ connection }: { connection: StoreApi<ConnectionState> }) {
  const status = useStore(connection, (s) => s.status);
  const unsynced = useStore(connection, (s) => s.unsynced);
  const { label, detail } = describeStatus(status, unsynced);
  const pending = unsynced && status !== 'connected' ? ' Some of your edits are not on the server yet.' : '';
  return (
    <div className={`connection-badge status-${status}`} title={detail + pending} role="status" aria-live="polite" data-status={status}>
      <span className="dot" aria-hidden="true" />
      <span className="connection-label">{label}</span>
      {status === 'offline' && <span className="connection-detail">— edits are saved in this browser and will sync</span>}
      {unsynced && status !== 'connected' && (
        <span className="unsynced" title="Local changes not yet synced">
          • unsynced changes
        </span>
      )}
    </div>
  );
}
