import Konva from 'konva';
import type { Awareness } from 'y-protocols/awareness';
import { readPresence, type PresenceState } from '../../shared/protocol/presence.ts';
import type { BoardModel } from './boardModel.ts';

/**
 * Other people's cursors (arrow + name label in their colour) and selection outlines, drawn
 * imperatively on their own Konva layer from awareness 'change' events. No React state is
 * touched per remote mouse move: nodes are updated in place and the layer batch-drawn.
 */
export class PresenceLayer {
  private readonly cursors = new Map<number, Konva.Group>();
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
  }

  /** Cursors keep their screen size whatever the zoom. */
  setZoom(zoom: number): void {
    if (zoom === this.zoom) return;
    this.zoom = zoom;
    this.render();
  }

  private peers(): Array<[number, PresenceState]> {
    const out: Array<[number, PresenceState]> = [];
    this.awareness.getStates().forEach((state, clientId) => {
      if (clientId === this.awareness.clientID) return;
      const presence = readPresence(state);
      if (presence) out.push([clientId, presence]);
    });
    return out;
  }

  render(): void {
    const seen = new Set<number>();
    const peers = this.peers();
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
    this.layer.batchDraw();
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
