import { useStore } from 'zustand';
import type { StoreApi } from 'zustand/vanilla';
import type { ConnectionState } from '../sync/createBoardSession.ts';
import { describeNotice, STORAGE_PAUSED_MESSAGE } from '../sync/serverNotices.ts';

/**
 * What the server said about this board, full width under the header: a final notice (link
 * reset or expired, board too large: syncing stopped, the local copy stays), or the
 * non-blocking "saving paused" banner while the server cannot reach its database.
 */
export function BoardNotices({ connection }: { connection: StoreApi<ConnectionState> }) {
  const notice = useStore(connection, (s) => s.notice);
  const storagePaused = useStore(connection, (s) => s.serverStatus !== null);
  if (notice) {
    const { title, detail } = describeNotice(notice);
    return (
      <div className="board-notice final" role="alert" data-notice={notice}>
        <strong>{title}</strong>
        <span>{detail}</span>
      </div>
    );
  }
  if (!storagePaused) return null;
  return (
    <div className="board-notice paused" role="status" data-notice="storage-paused">
      <span>{STORAGE_PAUSED_MESSAGE}</span>
    </div>
  );
}
