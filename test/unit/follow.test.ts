import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { BoardSession } from '../../client/board/session.ts';
import { createCanvasStore, MAX_ZOOM, MIN_ZOOM } from '../../client/canvas/store.ts';
import { visibleRect } from '../../client/canvas/viewport.ts';
import { followViewport } from '../../client/follow/followMath.ts';
import { LaserTrail } from '../../client/follow/laserTrail.ts';
import { bindLaser } from '../../client/follow/laserInput.ts';
import type { PresencePublisher } from '../../client/board/session.ts';
import { FollowController } from '../../client/follow/followController.ts';
import { createPresencePublisher, PRESENCE_INTERVAL_MS } from '../../client/sync/presencePublisher.ts';
import type { Timers } from '../../client/sync/throttle.ts';

describe('follow viewport math', () => {
  it('shows the same area in a window of the same size', () => {
    const vp = followViewport({ x: 100, y: 50, width: 800, height: 600 }, { width: 800, height: 600 });
    expect(vp).toEqual({ zoom: 1, x: -100, y: -50 });
  });

  it('fits the whole area into a smaller window, centred (zooms out)', () => {
    const vp = followViewport({ x: 0, y: 0, width: 1000, height: 500 }, { width: 500, height: 500 })!;
    expect(vp.zoom).toBe(0.5);
    // The followed area, seen through the new viewport, is centred and fully visible.
    const seen = visibleRect(vp, { width: 500, height: 500 });
    expect(seen.x).toBeCloseTo(0);
    expect(seen.w).toBeCloseTo(1000);
    expect(seen.y + seen.h / 2).toBeCloseTo(250);
  });

  it('zooms in for a larger window and keeps the centre', () => {
    const vp = followViewport({ x: -200, y: -100, width: 400, height: 300 }, { width: 1600, height: 900 })!;
    expect(vp.zoom).toBe(3);
    const seen = visibleRect(vp, { width: 1600, height: 900 });
    expect(seen.x + seen.w / 2).toBeCloseTo(0);
    expect(seen.y + seen.h / 2).toBeCloseTo(50);
  });

  it('keeps the zoom inside the canvas limits', () => {
    expect(followViewport({ x: 0, y: 0, width: 1, height: 1 }, { width: 1000, height: 1000 })!.zoom).toBe(MAX_ZOOM);
    expect(followViewport({ x: 0, y: 0, width: 1e9, height: 1e9 }, { width: 100, height: 100 })!.zoom).toBe(MIN_ZOOM);
  });

  it('gives nothing for an empty window or area', () => {
    expect(followViewport({ x: 0, y: 0, width: 100, height: 100 }, { width: 0, height: 600 })).toBeNull();
    expect(followViewport({ x: 0, y: 0, width: 0, height: 100 }, { width: 800, height: 600 })).toBeNull();
  });
});

describe('laser trail', () => {
  it('keeps only the last second, oldest first, with ages', () => {
    const trail = new LaserTrail();
    for (let t = 0; t <= 2000; t += 100) trail.add(t, 0, t);
    const points = trail.snapshot(2000);
    expect(points[0]).toEqual({ x: 1000, y: 0, age: 1000 });
    expect(points[points.length - 1]).toEqual({ x: 2000, y: 0, age: 0 });
    expect(trail.snapshot(3001)).toEqual([]);
    // The faded samples are dropped, not just hidden: nothing is left even at an earlier time.
    expect(trail.snapshot(2000)).toEqual([]);
  });

  it('never holds more than 40 points however fast the pointer moves', () => {
    const trail = new LaserTrail();
    for (let t = 0; t < 1000; t += 1) trail.add(t, t, t);
    const points = trail.snapshot(1000);
    expect(points.length).toBeLessThanOrEqual(40);
    // The tip is exactly where the pointer is.
    expect(points[points.length - 1]).toMatchObject({ x: 999, y: 999 });
  });
});

describe('laser input', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('publishes only when a point is sampled, and withdraws the trail once, a second after the last point', () => {
    vi.useFakeTimers();
    vi.stubGlobal('window', new EventTarget());
    const sent: unknown[] = [];
    const presence = { setLaser: (laser: unknown) => sent.push(laser) } as unknown as PresencePublisher;
    const el = new EventTarget() as HTMLElement;
    const store = createCanvasStore();
    store.getState().setTool('laser');
    const ev = (type: string, x: number) => Object.assign(new Event(type), { button: 0, clientX: x, clientY: 0 });
    const cleanup = bindLaser(el, store, (e) => ({ x: e.clientX, y: e.clientY }), presence);
    el.dispatchEvent(ev('pointerdown', 1));
    vi.advanceTimersByTime(100);
    window.dispatchEvent(ev('pointermove', 2));
    window.dispatchEvent(ev('pointerup', 2));
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ points: [{ x: 1, y: 0 }, { x: 2, y: 0, age: 0 }] });
    vi.advanceTimersByTime(999); // nothing is re-sent while the trail fades
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([sent[0], sent[1], null]);
    cleanup();
  });
});

/** Minimal DOM for the controller: location hash, history, keydown and hashchange. */
function fakeDom() {
  const win = new EventTarget() as EventTarget & { location: { href: string; hash: string }; history: unknown };
  win.location = { href: 'http://planvas.test/b/x?token=t', hash: '' };
  win.history = {
    state: null,
    replaceState(_s: unknown, _t: string, url: string) {
      const hash = url.includes('#') ? url.slice(url.indexOf('#')) : '';
      win.location.hash = hash;
      win.location.href = `http://planvas.test${url}`;
    },
  };
  const doc = new EventTarget();
  const g = globalThis as Record<string, unknown>;
  const saved = { window: g.window, document: g.document, history: g.history, HashChangeEvent: g.HashChangeEvent };
  g.window = win;
  g.document = doc;
  g.history = win.history;
  g.HashChangeEvent = class extends Event {};
  return {
    win,
    doc,
    restore() {
      Object.assign(g, saved);
    },
  };
}

/** A clock that has moved one presence interval on at every reading: the publisher's throttle never holds a change back. */
const instantTimers: Timers = {
  now: (() => {
    let t = 0;
    return () => (t += PRESENCE_INTERVAL_MS);
  })(),
  setTimeout: () => {
    throw new Error('an instant clock never waits');
  },
  clearTimeout: () => {},
};

/** A peer: its own awareness and the app's presence publisher, which here writes at once. */
function peer(name: string, role: 'edit' | 'view' = 'edit') {
  const awareness = new Awareness(new Y.Doc());
  const presence = createPresencePublisher(awareness, { name, color: '#336699', role }, instantTimers);
  const session = { awareness, presence, readOnly: role === 'view' } as unknown as BoardSession;
  return { awareness, presence, session, id: awareness.clientID };
}

/** Relays every awareness update between the peers, like the server does. */
function connect(...peers: Array<ReturnType<typeof peer>>) {
  for (const from of peers) {
    from.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
      const update = encodeAwarenessUpdate(from.awareness, [...added, ...updated, ...removed]);
      for (const to of peers) if (to !== from) applyAwarenessUpdate(to.awareness, update, 'remote');
    });
  }
  for (const from of peers) for (const to of peers) if (to !== from) applyAwarenessUpdate(to.awareness, encodeAwarenessUpdate(from.awareness, [from.id]), 'remote');
}

describe('follow controller', () => {
  let dom: ReturnType<typeof fakeDom>;
  beforeEach(() => {
    dom = fakeDom();
  });
  afterEach(() => dom.restore());

  function setup() {
    const ada = peer('Ada');
    const bob = peer('Bob');
    const vic = peer('Vic', 'view');
    connect(ada, bob, vic);
    const bobFollow = new FollowController(bob.session);
    const bobCanvas = createCanvasStore();
    bobFollow.attachCanvas(bobCanvas, () => ({ width: 800, height: 600 }));
    const vicFollow = new FollowController(vic.session);
    const adaFollow = new FollowController(ada.session);
    return { ada, bob, vic, bobFollow, bobCanvas, vicFollow, adaFollow };
  }

  it('follows a clicked person: their viewport (fitted) and their view tab; Ada sees an audience of one', () => {
    const { ada, bobFollow, bobCanvas, adaFollow } = setup();
    ada.presence.setViewport({ x: 1000, y: 500, zoom: 2, width: 400, height: 300 });
    bobFollow.follow(ada.id);
    expect(bobFollow.state.getState()).toMatchObject({ target: ada.id, reason: 'manual', targetUser: { name: 'Ada' } });
    expect(bobCanvas.getState().viewport).toEqual({ zoom: 2, x: 400 - 1200 * 2, y: 300 - 650 * 2 });
    ada.presence.setViewport({ x: 0, y: 0, zoom: 1, width: 800, height: 600 });
    expect(bobCanvas.getState().viewport).toEqual({ zoom: 1, x: 0, y: 0 });
    ada.presence.setView('timeline');
    expect(dom.win.location.hash).toBe('#timeline');
    expect(adaFollow.state.getState().audience).toBe(1);
    // Following survives the switch it made itself.
    expect(bobFollow.state.getState().target).toBe(ada.id);
  });

  it("stops when the follower pans, presses Esc or switches tab, not when the followed person moves", () => {
    const { ada, bobFollow, bobCanvas } = setup();
    ada.presence.setViewport({ x: 0, y: 0, zoom: 1, width: 800, height: 600 });
    bobFollow.follow(ada.id);
    bobCanvas.getState().setViewport({ x: 50, y: 0, zoom: 1 }); // Bob drags the canvas
    expect(bobFollow.state.getState().target).toBeNull();
    expect(bobCanvas.getState().viewport.x).toBe(50);
    ada.presence.setViewport({ x: 300, y: 0, zoom: 1, width: 800, height: 600 });
    expect(bobCanvas.getState().viewport.x).toBe(50);

    bobFollow.follow(ada.id);
    dom.doc.dispatchEvent(Object.assign(new Event('keydown'), { key: 'Escape' }));
    expect(bobFollow.state.getState().target).toBeNull();

    bobFollow.follow(ada.id);
    dom.win.location.hash = '#board'; // Bob clicks another tab
    dom.win.dispatchEvent(new Event('hashchange'));
    expect(bobFollow.state.getState().target).toBeNull();
  });

  it('Present: everyone else follows, a follower may step out and back in, and all stop when it ends', () => {
    const { ada, bob, vic, bobFollow, vicFollow, adaFollow } = setup();
    ada.presence.setViewport({ x: 0, y: 0, zoom: 1, width: 800, height: 600 });
    adaFollow.startPresenting();
    expect(adaFollow.state.getState()).toMatchObject({ presentingSelf: true, audience: 2 });
    expect(bobFollow.state.getState()).toMatchObject({ target: ada.id, reason: 'presenter', presenter: ada.id });
    expect(vicFollow.state.getState()).toMatchObject({ target: ada.id, reason: 'presenter' });

    bobFollow.stop();
    expect(bobFollow.state.getState()).toMatchObject({ target: null, presenter: ada.id });
    ada.presence.setViewport({ x: 10, y: 0, zoom: 1, width: 800, height: 600 }); // does not pull Bob back
    expect(bobFollow.state.getState().target).toBeNull();
    expect(adaFollow.state.getState().audience).toBe(1);
    bobFollow.followPresenter();
    expect(bobFollow.state.getState().target).toBe(ada.id);

    adaFollow.stopPresenting();
    expect(bobFollow.state.getState()).toMatchObject({ target: null, presenter: null });
    expect(vicFollow.state.getState()).toMatchObject({ target: null, presenter: null });
    expect(bob.presence.getLocal().following).toBeNull();
    expect(vic.presence.getLocal().following).toBeNull();
  });

  it('of two presenters the later one wins and the earlier one stands down', () => {
    const { ada, bob, vicFollow, adaFollow, bobFollow } = setup();
    ada.presence.setPresenting({ since: 1000 });
    bob.presence.setPresenting({ since: 2000 });
    expect(vicFollow.state.getState().target).toBe(bob.id);
    expect(adaFollow.state.getState()).toMatchObject({ presentingSelf: false, target: bob.id });
    expect(ada.presence.getLocal().presenting).toBeNull();
    expect(bobFollow.state.getState().presentingSelf).toBe(true);
  });

  it("scrolls a mounted timeline to the followed person's position, once per change", () => {
    const { ada, bobFollow } = setup();
    const scrolled: Array<{ day: number; row: number }> = [];
    bobFollow.attachTimeline((p) => scrolled.push(p));
    ada.presence.setTimeline({ day: 20_400, row: 2 });
    expect(scrolled).toEqual([]); // not following yet
    bobFollow.follow(ada.id);
    expect(scrolled).toEqual([{ day: 20_400, row: 2 }]);
    ada.presence.setCursor({ x: 1, y: 1 }); // another change: no redundant scroll
    ada.presence.setTimeline({ day: 20_410.5, row: 0 });
    expect(scrolled).toEqual([{ day: 20_400, row: 2 }, { day: 20_410.5, row: 0 }]);
  });

  it("pressing Present takes over a running presentation even with a clock far ahead of ours", () => {
    const { ada, bob, vicFollow, bobFollow } = setup();
    ada.presence.setPresenting({ since: Date.now() + 3_600_000 }); // Ada's clock is an hour ahead
    expect(vicFollow.state.getState().target).toBe(ada.id);
    bobFollow.startPresenting();
    expect(vicFollow.state.getState().target).toBe(bob.id);
    expect(ada.presence.getLocal().presenting).toBeNull();
  });

  it('stops following someone who leaves', () => {
    const { ada, bobFollow } = setup();
    bobFollow.follow(ada.id);
    ada.awareness.setLocalState(null);
    expect(bobFollow.state.getState().target).toBeNull();
  });

  it('a viewer cannot present', () => {
    const { vic, vicFollow, bobFollow } = setup();
    vicFollow.startPresenting();
    expect(vic.presence.getLocal().presenting).toBeNull();
    expect(bobFollow.state.getState().presenter).toBeNull();
  });
});
