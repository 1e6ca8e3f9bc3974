import RBush from 'rbush';
import type { Rect } from './viewport.ts';

interface Item {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  id: string;
}

/**
 * Bounds of every shape in an R-tree, kept up to date one entity at a time, so the canvas can
 * ask "what is in the viewport" (culling) and "what is under this point / in this marquee"
 * in O(log n + k) instead of walking thousands of shapes.
 */
export class SpatialIndex {
  private readonly tree = new RBush<Item>();
  private readonly items = new Map<string, Item>();

  get size(): number {
    return this.items.size;
  }

  upsert(id: string, r: Rect): void {
    const old = this.items.get(id);
    if (old) {
      if (old.minX === r.x && old.minY === r.y && old.maxX === r.x + r.w && old.maxY === r.y + r.h) return;
      this.tree.remove(old);
    }
    const item = { id, minX: r.x, minY: r.y, maxX: r.x + r.w, maxY: r.y + r.h };
    this.items.set(id, item);
    this.tree.insert(item);
  }

  remove(id: string): void {
    const old = this.items.get(id);
    if (!old) return;
    this.tree.remove(old);
    this.items.delete(id);
  }

  clear(): void {
    this.tree.clear();
    this.items.clear();
  }

  /** Ids whose bounds intersect `r` (touching counts). */
  search(r: Rect): string[] {
    return this.tree.search({ minX: r.x, minY: r.y, maxX: r.x + r.w, maxY: r.y + r.h }).map((i) => i.id);
  }

  /** Ids whose bounds contain the point. */
  at(x: number, y: number): string[] {
    return this.search({ x, y, w: 0, h: 0 });
  }
}
