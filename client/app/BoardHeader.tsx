import type { StoreApi } from 'zustand/vanilla';
import { setBoardTitle } from '../../shared/doc/init.ts';
import type { OpenBoardSession, ConnectionState } from '../sync/createBoardSession.ts';
import { ConnectionBadge } from './ConnectionBadge.tsx';
import { Logo } from './Logo.tsx';
import { PresenceList } from './PresenceList.tsx';
import { followFor } from '../follow/followController.ts';
import { PresentButton } from '../follow/PresentButton.tsx';
import { ShareButton } from './ShareButton.tsx';
import { TitleEditor } from './TitleEditor.tsx';
import { HistoryButton } from '../history/HistoryButton.tsx';
import { SettingsButton } from '../settings/SettingsButton.tsx';

export interface BoardHeaderProps {
  session: OpenBoardSession['session'];
  connection: StoreApi<ConnectionState>;
  title: string;
  editToken?: string;
  viewToken?: string;
  onEditName(): void;
}

/** Title on the left; connection, people and Share on the right. */
export function BoardHeader({ session, connection, title, editToken, viewToken, onEditName }: BoardHeaderProps) {
  return (
    <header className="board-header">
      <div className="header-left">
        <Logo compact />
        <span className="header-sep" aria-hidden="true" />
        <TitleEditor title={title} readOnly={session.readOnly} onRename={(next) => setBoardTitle(session.doc, next, session.localOrigin)} />
        {session.readOnly && <span className="tag">View only</span>}
      </div>
      <div className="header-right">
        <ConnectionBadge connection={connection} />
        <PresenceList awareness={session.awareness} onEditSelf={onEditName} follow={followFor(session)} />
        <PresentButton session={session} />
        <SettingsButton session={session} editToken={editToken} />
        <HistoryButton session={session} />
        <ShareButton boardId={session.boardId} editToken={editToken} viewToken={viewToken} />
      </div>
    </header>
  );
}
