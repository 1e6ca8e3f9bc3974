import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
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

/**
 * Who is on the board, from awareness (validated with readPresence). Re-renders only when the
 * list of people changes, not on every cursor move.
 */
export function PresenceList({ awareness, onEditSelf }: { awareness: Awareness; onEditSelf: () => void }) {
  const [peers, setPeers] = useState(() => readPeers(awareness));
  const [open, setOpen] = useState(false);
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
          const avatar = (
            <span
              className={`avatar${peer.user.role === 'view' ? ' viewer' : ''}`}
              style={{ background: peer.user.color, ['--viewer-color' as string]: peer.user.color }}
            >
              {initials(peer.user.name)}
            </span>
          );
          return (
            <li key={peer.clientId} className="avatar-item" data-name={peer.user.name} data-self={peer.self || undefined}>
              {peer.self ? (
                <button type="button" className="avatar-button" title={`${label} — click to change your name`} aria-label={`${label}; change your name`} onClick={onEditSelf}>
                  {avatar}
                </button>
              ) : (
                <span title={label} aria-label={label}>
                  {avatar}
                </span>
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
              {peer.user.role === 'view' && <span className="tag">viewer</span>}
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
