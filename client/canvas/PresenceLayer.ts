import Konva from 'konva';
import type { Awareness } from 'y-protocols/awareness';
import { LASER_TRAIL_MS, readPresence, type LaserPoint, type PresenceState } from '../../shared/protocol/presence.ts';
import type { BoardModel } from './boardModel.ts';

/**
 * A laser trail as received: its points' ages count from `receivedAt` (performance.now()).
 * `live` is whether its owner still publishes it (set in updateLasers from awareness).
 */
interface LaserTrailView {
  node: Konva.Shape;
  points: LaserPoint[];
  receivedAt: number;
  live: boolean;
}

const LASER_COLOR = '#ef4444';

/**
 * Other people's cursors (arrow + name label in their colour) and selection outlines, drawn
 * imperatively on their own Konva layer from awareness 'change' events. No React state is
 * touched per remote mouse move: nodes are updated in place and the layer batch-drawn.
 */
export class PresenceLayer {
  private readonly cursors = new Map<number, Konva.Group>();
  /** Laser trails by client id, this user's own included (a presenter sees their own laser). */
  private readonly lasers = new Map<number, LaserTrailView>();
  private laserFrame: number | null = null;
  private readonly outlines = new Konva.Group({ listening: false });
  private zoom = 1;
  private outlineKey = '';
  private readonly onChange = () => this.render();
  private readonly unsubscribeModel: () => void;

  constructor(
    private readonly layer: Konva.Layer,
    private readonly awareness: Awareness,
    private readonly model: BoardModel,
  ) {
    layer.listening(false);
    layer.add(this.outlines);
    awareness.on('change', this.onChange);
    this.unsubscribeModel = model.subscribe(this.onChange);
    this.render();
  }

  destroy(): void {
    this.awareness.off('change', this.onChange);
    this.unsubscribeModel();
    this.outlines.destroy();
    for (const c of this.cursors.values()) c.destroy();
    this.cursors.clear();
    for (const l of this.lasers.values()) l.node.destroy();
    this.lasers.clear();
    if (this.laserFrame !== null) cancelAnimationFrame(this.laserFrame);
    this.laserFrame = null;
  }

  /** The laser trails drawn right now (for tests): whose, and how many points still visible. */
  laserSnapshot(): Array<{ clientId: number; points: number }> {
    const now = performance.now();
    return [...this.lasers].map(([clientId, l]) => ({ clientId, points: l.points.filter((p) => p.age + now - l.receivedAt < LASER_TRAIL_MS).length }));
  }

  /** Cursors keep their screen size whatever the zoom. */
  setZoom(zoom: number): void {
    if (zoom === this.zoom) return;
    this.zoom = zoom;
    this.render();
  }

  /** Every awareness state parsed once, this client's own included (for its laser). */
  private presences(): Array<[number, PresenceState]> {
    const out: Array<[number, PresenceState]> = [];
    this.awareness.getStates().forEach((state, clientId) => {
      const presence = readPresence(state);
      if (presence) out.push([clientId, presence]);
    });
    return out;
  }

  render(): void {
    const seen = new Set<number>();
    const all = this.presences();
    const peers = all.filter(([clientId]) => clientId !== this.awareness.clientID);
    // Cursor moves arrive at ~30 Hz per peer: rebuild the outlines only when a selection,
    // the document or the zoom changed, and just move the cursor nodes otherwise.
    const outlineKey = `${this.model.version}|${this.zoom}|${peers.map(([id, p]) => `${id}:${p.user.color}:${p.selection.join(',')}`).join(';')}`;
    const rebuild = outlineKey !== this.outlineKey;
    this.outlineKey = outlineKey;
    if (rebuild) this.outlines.destroyChildren();
    for (const [clientId, p] of peers) {
      seen.add(clientId);
      this.drawCursor(clientId, p);
      if (!rebuild) continue;
      for (const id of p.selection.slice(0, 500)) {
        const s = this.model.shape(id);
        if (!s) continue;
        const pad = 4 / this.zoom;
        this.outlines.add(
          new Konva.Rect({
            x: s.x - pad,
            y: s.y - pad,
            width: s.w + pad * 2,
            height: s.h + pad * 2,
            stroke: p.user.color,
            strokeWidth: 2 / this.zoom,
            cornerRadius: 6 / this.zoom,
            listening: false,
            perfectDrawEnabled: false,
          }),
        );
      }
    }
    for (const [clientId, node] of this.cursors) {
      if (!seen.has(clientId)) {
        node.destroy();
        this.cursors.delete(clientId);
      }
    }
    this.updateLasers(all);
    this.layer.batchDraw();
  }

  /** Takes the latest trails from the parsed presences (everyone's, our own too) and keeps them fading. */
  private updateLasers(presences: ReadonlyArray<[number, PresenceState]>): void {
    const now = performance.now();
    for (const trail of this.lasers.values()) trail.live = false;
    for (const [clientId, p] of presences) {
      if (!p.laser) continue;
      let trail = this.lasers.get(clientId);
      if (!trail) {
        const created: LaserTrailView = { node: new Konva.Shape({ listening: false, perfectDrawEnabled: false }), points: [], receivedAt: now, live: true };
        created.node.sceneFunc((ctx) => this.drawLaser(ctx, created));
        this.layer.add(created.node);
        this.lasers.set(clientId, created);
        trail = created;
      }
      // A repeated 'change' for another peer must not restart this trail's fade.
      if (!sameTrail(trail.points, p.laser.points)) {
        trail.points = p.laser.points;
        trail.receivedAt = now;
      }
      trail.live = true;
      trail.node.moveToTop();
    }
    for (const [clientId, trail] of this.lasers) {
      if (!trail.live && !this.fading(trail, now)) {
        trail.node.destroy();
        this.lasers.delete(clientId);
      }
    }
    if (this.lasers.size > 0 && this.laserFrame === null) this.laserFrame = requestAnimationFrame(this.tick);
  }

  private fading(trail: LaserTrailView, now: number): boolean {
    return trail.points.some((p) => p.age + now - trail.receivedAt < LASER_TRAIL_MS);
  }

  /** Redraws while any trail is still visible, then drops the faded ones and stops. */
  private readonly tick = (): void => {
    this.laserFrame = null;
    const now = performance.now();
    for (const [clientId, trail] of this.lasers) {
      if (!this.fading(trail, now) && !trail.live) {
        trail.node.destroy();
        this.lasers.delete(clientId);
      }
    }
    this.layer.batchDraw();
    if ([...this.lasers.values()].some((t) => this.fading(t, now))) this.laserFrame = requestAnimationFrame(this.tick);
  };

  /** Segments from old to new, thinner and fainter with age; a bright dot at the tip. */
  private drawLaser(ctx: Konva.Context, trail: LaserTrailView): void {
    const now = performance.now();
    const pts = trail.points;
    const c = ctx._context;
    c.save();
    c.lineCap = 'round';
    c.strokeStyle = LASER_COLOR;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      const life = 1 - (b.age + now - trail.receivedAt) / LASER_TRAIL_MS;
      if (life <= 0) continue;
      c.globalAlpha = life;
      c.lineWidth = (2 + 5 * life) / this.zoom;
      c.beginPath();
      c.moveTo(a.x, a.y);
      c.lineTo(b.x, b.y);
      c.stroke();
    }
    const tip = pts[pts.length - 1];
    if (tip) {
      const life = 1 - (tip.age + now - trail.receivedAt) / LASER_TRAIL_MS;
      if (life > 0) {
        c.globalAlpha = life;
        c.fillStyle = LASER_COLOR;
        c.shadowColor = LASER_COLOR;
        c.shadowBlur = 12;
        c.beginPath();
        c.arc(tip.x, tip.y, 5 / this.zoom, 0, Math.PI * 2);
        c.fill();
      }
    }
    c.restore();
  }

  private drawCursor(clientId: number, p: PresenceState): void {
    let node = this.cursors.get(clientId);
    if (!node) {
      node = new Konva.Group({ listening: false });
      node.add(
        new Konva.Path({
          name: 'pointer',
          data: 'M0 0 L0 16 L4.5 12 L7.5 19 L10 18 L7 11.5 L12.5 11.5 Z',
          stroke: '#ffffff',
          strokeWidth: 1.2,
          perfectDrawEnabled: false,
        }),
      );
      const label = new Konva.Label({ name: 'label', x: 12, y: 18 });
      label.add(new Konva.Tag({ name: 'tag', cornerRadius: 4 }));
      label.add(new Konva.Text({ name: 'name', padding: 4, fontSize: 12, fill: '#ffffff', fontFamily: 'Inter, system-ui, sans-serif' }));
      node.add(label);
      this.layer.add(node);
      this.cursors.set(clientId, node);
    }
    node.visible(p.cursor !== null);
    if (!p.cursor) return;
    node.position(p.cursor);
    node.scale({ x: 1 / this.zoom, y: 1 / this.zoom });
    node.findOne<Konva.Path>('.pointer')?.fill(p.user.color);
    node.findOne<Konva.Tag>('.tag')?.fill(p.user.color);
    node.findOne<Konva.Text>('.name')?.text(p.user.name);
    node.moveToTop();
  }
}

function sameTrail(a: readonly LaserPoint[], b: readonly LaserPoint[]): boolean {
  return a.length === b.length && a.every((p, i) => p.x === b[i]!.x && p.y === b[i]!.y && p.age === b[i]!.age);
}
