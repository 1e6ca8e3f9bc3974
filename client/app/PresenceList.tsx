import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { Awareness } from 'y-protocols/awareness';
import type { FollowController } from '../follow/followController.ts';
import { readPresence, type PresenceUser } from '../../shared/protocol/presence.ts';
import { initials } from './identity.ts';

interface Peer {
  clientId: number;
  user: PresenceUser;
  self: boolean;
}

const MAX_AVATARS = 6;

function readPeers(awareness: Awareness): Peer[] {
  const peers: Peer[] = [];
  awareness.getStates().forEach((state, clientId) => {
    const presence = readPresence(state);
    if (presence) peers.push({ clientId, user: presence.user, self: clientId === awareness.clientID });
  });
  // You first, then editors, then viewers, each by name.
  return peers.sort(
    (a, b) =>
      Number(b.self) - Number(a.self) ||
      Number(a.user.role === 'view') - Number(b.user.role === 'view') ||
      a.user.name.localeCompare(b.user.name) ||
      a.clientId - b.clientId,
  );
}

function samePeers(a: Peer[], b: Peer[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return q && p.clientId === q.clientId && p.user.name === q.user.name && p.user.color === q.user.color && p.user.role === q.user.role;
    })
  );
}

/** An eye: this person has a view-only link. */
function ViewerMark() {
  return (
    <svg className="viewer-eye" viewBox="0 0 24 24" width="12" height="12" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" aria-hidden="true">
      <path d="M2 12s3.5-6 10-6 10 6 10 6-3.5 6-10 6S2 12 2 12z" />
      <circle cx="12" cy="12" r="2.5" />
    </svg>
  );
}

/**
 * Who is on the board, from awareness (validated with readPresence). Re-renders only when the
 * list of people changes, not on every cursor move. Clicking someone else follows them
 * (their viewport and view tab); clicking the one you follow stops.
 */
export function PresenceList({ awareness, onEditSelf, follow }: { awareness: Awareness; onEditSelf: () => void; follow?: FollowController | null }) {
  const [peers, setPeers] = useState(() => readPeers(awareness));
  const [open, setOpen] = useState(false);
  const following = useFollowTarget(follow);
  const toggleFollow = (clientId: number) => {
    if (!follow) return;
    if (following === clientId) follow.stop();
    else follow.follow(clientId);
  };
  useEffect(() => {
    const update = () => setPeers((prev) => {
      const next = readPeers(awareness);
      return samePeers(prev, next) ? prev : next;
    });
    update();
    awareness.on('change', update);
    return () => awareness.off('change', update);
  }, [awareness]);

  const shown = peers.slice(0, MAX_AVATARS);
  const hidden = peers.slice(MAX_AVATARS);
  const count = peers.length;
  return (
    <div className="presence" aria-label={`${count} ${count === 1 ? 'person' : 'people'} on this board`}>
      <ul className="avatars">
        {shown.map((peer) => {
          const label = `${peer.user.name}${peer.self ? ' (you)' : ''}${peer.user.role === 'view' ? ' · viewer' : ''}`;
          const followed = following === peer.clientId;
          const avatar = (
            <span
              className={`avatar${peer.user.role === 'view' ? ' viewer' : ''}`}
              style={{ background: peer.user.color, ['--viewer-color' as string]: peer.user.color }}
            >
              {initials(peer.user.name)}
              {peer.user.role === 'view' && <ViewerMark />}
            </span>
          );
          return (
            <li
              key={peer.clientId}
              className={`avatar-item${followed ? ' followed' : ''}`}
              data-name={peer.user.name}
              data-role={peer.user.role}
              data-self={peer.self || undefined}
              style={followed ? { ['--follow-color' as string]: peer.user.color } : undefined}
            >
              {peer.self ? (
                <button type="button" className="avatar-button" title={`${label} — click to change your name`} aria-label={`${label}; change your name`} onClick={onEditSelf}>
                  {avatar}
                </button>
              ) : (
                <button
                  type="button"
                  className="avatar-button"
                  title={followed ? `${label} — following; click to stop` : `${label} — click to follow`}
                  aria-label={followed ? `Stop following ${peer.user.name}` : `Follow ${peer.user.name}`}
                  aria-pressed={followed}
                  onClick={() => toggleFollow(peer.clientId)}
                >
                  {avatar}
                </button>
              )}
            </li>
          );
        })}
        {hidden.length > 0 && (
          <li className="avatar-item">
            <span className="avatar more" title={hidden.map((p) => p.user.name).join(', ')}>
              +{hidden.length}
            </span>
          </li>
        )}
      </ul>
      <button
        type="button"
        className="presence-count"
        aria-expanded={open}
        title="Who is here"
        onClick={() => setOpen((o) => !o)}
      >
        {count}
      </button>
      {open && (
        <ul className="presence-popover" role="list">
          {peers.map((peer) => (
            <li key={peer.clientId} className="presence-row">
              <span className="avatar small" style={{ background: peer.user.color }}>
                {initials(peer.user.name)}
              </span>
              <span className="presence-name">
                {peer.user.name}
                {peer.self && <span className="muted"> (you)</span>}
              </span>
              {peer.user.role === 'view' && (
                <span className="tag viewer-tag">
                  <ViewerMark /> viewer
                </span>
              )}
              {!peer.self && follow && (
                <button type="button" className="link-button" onClick={() => { setOpen(false); toggleFollow(peer.clientId); }}>
                  {following === peer.clientId ? 'Stop following' : 'Follow'}
                </button>
              )}
              {peer.self && (
                <button type="button" className="link-button" onClick={() => { setOpen(false); onEditSelf(); }}>
                  Rename
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Whom this user follows (re-renders only when that changes). */
function useFollowTarget(follow: FollowController | null | undefined): number | null {
  const store = follow?.state ?? IDLE_STORE;
  return useStore(store, (s) => s.target);
}

const IDLE_STORE = createStore<{ target: number | null }>()(() => ({ target: null }));
