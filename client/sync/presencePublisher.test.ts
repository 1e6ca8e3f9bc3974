import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { readPresence } from '../../shared/protocol/presence.ts';
import { createPresencePublisher } from './presencePublisher.ts';
import type { Timers } from './throttle.ts';

function manualTimers() {
  let now = 0;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let next = 1;
  const timers: Timers = {
    now: () => now,
    setTimeout: (fn, ms) => {
      pending.set(next, { at: now + ms, fn });
      return next++;
    },
    clearTimeout: (id) => void pending.delete(id as number),
  };
  return {
    timers,
    advance(ms: number) {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(id);
          t.fn();
        }
      }
    },
  };
}

const user = { name: 'Ada', color: '#0090ff', role: 'edit' as const };

describe('presence publisher', () => {
  it('publishes a valid PresenceState at once, never touching the document', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    createPresencePublisher(awareness, user);
    expect(readPresence(awareness.getLocalState())).toEqual({ user, cursor: null, selection: [], viewport: null, view: 'canvas', presenting: null, following: null, laser: null, timeline: null });
    expect(doc.store.clients.size).toBe(0);
  });

  it('coalesces cursor moves and always sends the last one', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const { timers, advance } = manualTimers();
    const p = createPresencePublisher(awareness, user, timers);
    let updates = 0;
    awareness.on('update', () => updates++);
    for (let i = 0; i < 20; i++) p.setCursor({ x: i, y: i });
    expect(updates).toBe(1); // leading edge
    advance(40);
    expect(updates).toBe(2); // one trailing update
    expect(awareness.getLocalState()?.cursor).toEqual({ x: 19, y: 19 });
  });

  it('publishes selection, viewport and a renamed user', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const { timers, advance } = manualTimers();
    const p = createPresencePublisher(awareness, user, timers);
    let seen: readonly string[] = [];
    p.subscribeSelection(() => (seen = p.getSelection()));
    p.setSelection(['a', 'b']);
    p.setViewport({ x: 1, y: 2, zoom: 1.5, width: 800, height: 600 });
    advance(40);
    p.setUser({ ...user, name: 'Ada L.' });
    const state = readPresence(awareness.getLocalState());
    expect(state?.selection).toEqual(['a', 'b']);
    expect(state?.viewport).toEqual({ x: 1, y: 2, zoom: 1.5, width: 800, height: 600 });
    expect(state?.user.name).toBe('Ada L.');
    expect(seen).toEqual(['a', 'b']);
  });

  it('withdraws presence on destroy', () => {
    const doc = new Y.Doc();
    const awareness = new Awareness(doc);
    const p = createPresencePublisher(awareness, user);
    p.destroy();
    expect(awareness.getLocalState()).toBeNull();
    p.setCursor({ x: 1, y: 1 });
    expect(awareness.getLocalState()).toBeNull();
  });
});
