import { useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { boardPagePath } from '../../shared/protocol/api.ts';
import { createBoard } from '../sync/api.ts';
import { Logo } from './Logo.tsx';
import {
  bestToken,
  listRecentBoards,
  recordBoard,
  removeRecentBoard,
  subscribeRecentBoards,
  RECENT_BOARDS_KEY,
  type RecentBoard,
} from './recentBoards.ts';
import { navigate, onLinkClick } from './router.ts';

// useSyncExternalStore needs a stable snapshot: re-read only when the raw string changes.
let cachedRaw: string | null = null;
let cachedList: RecentBoard[] = [];
function recentSnapshot(): RecentBoard[] {
  const raw = localStorage.getItem(RECENT_BOARDS_KEY);
  if (raw !== cachedRaw) {
    cachedRaw = raw;
    cachedList = listRecentBoards(localStorage);
  }
  return cachedList;
}

function formatWhen(epoch: number): string {
  const diff = Date.now() - epoch;
  if (diff < 60_000) return 'just now';
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)} min ago`;
  if (diff < 86_400_000) return `${Math.floor(diff / 3_600_000)} h ago`;
  return new Date(epoch).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export function HomePage() {
  const boards = useSyncExternalStore(subscribeRecentBoards, recentSnapshot);
  const [title, setTitle] = useState('');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    document.title = 'Planvas';
  }, []);

  async function onCreate(event: FormEvent) {
    event.preventDefault();
    if (creating) return;
    setCreating(true);
    setError(null);
    const result = await createBoard(title);
    setCreating(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    const board = result.value;
    recordBoard(localStorage, { id: board.id, title: board.title, editToken: board.editToken, viewToken: board.viewToken });
    navigate(boardPagePath(board.id, board.editToken));
  }

  return (
    <div className="home">
      <header className="home-header">
        <Logo />
      </header>
      <main className="home-main">
        <section className="home-hero">
          <h1>Plan together, live.</h1>
          <p className="lead">Tasks, dependencies and sticky notes on one shared canvas. Share a link; everyone edits at once.</p>
          <form className="new-board" onSubmit={onCreate}>
            <input
              className="input"
              aria-label="Board title"
              placeholder="Board title (optional)"
              value={title}
              maxLength={500}
              onChange={(e) => setTitle(e.target.value)}
            />
            <button className="button primary" type="submit" disabled={creating}>
              {creating ? 'Creating…' : 'New board'}
            </button>
          </form>
          {error && (
            <p className="error-banner" role="alert">
              {error}
            </p>
          )}
        </section>
        <section className="recent" aria-labelledby="recent-heading">
          <h2 id="recent-heading">Recent boards</h2>
          {boards.length === 0 ? (
            <p className="muted">Boards you open in this browser will be listed here.</p>
          ) : (
            <ul className="recent-list">
              {boards.map((board) => {
                const path = boardPagePath(board.id, bestToken(board));
                return (
                  <li key={board.id} className="recent-item">
                    <a className="recent-link" href={path} onClick={(e) => onLinkClick(e, path)}>
                      <span className="recent-title">{board.title || 'Untitled board'}</span>
                      <span className="recent-meta">
                        {board.editToken ? 'Can edit' : 'View only'} · opened {formatWhen(board.lastOpened)}
                      </span>
                    </a>
                    <button
                      className="icon-button"
                      type="button"
                      title="Remove from this list"
                      aria-label={`Remove ${board.title || 'Untitled board'} from the list`}
                      onClick={() => removeRecentBoard(localStorage, board.id)}
                    >
                      ✕
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      </main>
    </div>
  );
}
