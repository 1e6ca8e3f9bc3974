import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDependency, createTask, updateShape } from '../../shared/doc/ops.ts';
import { BoardModel } from './boardModel.ts';
import { mountedItems } from './mountedItems.ts';
import { sameMatrix } from './fitPicture.ts';
import { RETIRE_CHUNK, shrink } from './useRetiredDetail.ts';
import type { Shape } from '../../shared/schema/entities.ts';

describe('the zoom-out helpers', () => {
  it('mountedItems: the same result for the same model version, rectangle and selection; a fresh one after a change', () => {
    const doc = new Y.Doc();
    const a = createTask(doc, { title: 'A', x: 0, y: 0 });
    const b = createTask(doc, { title: 'B', x: 400, y: 0 });
    const far = createTask(doc, { title: 'Far', x: 5000, y: 5000 });
    createDependency(doc, a, b);
    const model = new BoardModel(doc);
    model.start();
    const view = { x: -100, y: -100, w: 1000, h: 500 };
    const fit = { x: -1000, y: -1000, w: 10000, h: 10000 };
    const first = mountedItems(model, view, []);
    expect(first.visible.map((s) => s.id).sort()).toEqual([a, b].sort());
    expect(first.arrows).toHaveLength(1);
    // Two rectangles are kept (the view's and the fit picture's): both are found again.
    const atFit = mountedItems(model, fit, []);
    expect(atFit.visible).toHaveLength(3);
    expect(mountedItems(model, view, [])).toBe(first);
    expect(mountedItems(model, fit, [])).toBe(atFit);
    // The selection is part of what is mounted.
    expect(mountedItems(model, view, [far]).visible.map((s) => s.id)).toContain(far);
    updateShape(doc, a, { x: 10 });
    const after = mountedItems(model, view, []);
    expect(after).not.toBe(first);
    expect(after.visible.find((s) => s.id === a)?.x).toBe(10);
    model.stop();
  });

  it('sameMatrix: the same transform read back in single precision, not a different one', () => {
    const m = [0.05, 0, 0, 0.05, -183.5, -51.196875000000034] as const;
    // What a canvas context's getTransform() returns for it (single precision).
    const read = [0.05, 0, 0, 0.05, -183.5, -51.196875000000034].map(Math.fround) as unknown as typeof m;
    expect(sameMatrix(m, read)).toBe(true);
    expect(sameMatrix(m, [0.05, 0, 0, 0.05, -183.5 + 0.01, -51.196875])).toBe(false);
    expect(sameMatrix(m, [0.051, 0, 0, 0.05, -183.5, -51.196875])).toBe(false);
    expect(sameMatrix(m, [0.05, 0.01, 0, 0.05, -183.5, -51.196875])).toBe(false);
  });

  it('shrink: unmounts RETIRE_CHUNK cards and arrows at a time, from the end, then nothing is left', () => {
    const shapes = Array.from({ length: RETIRE_CHUNK + 5 }, (_, i) => ({ id: `s${i}` }) as unknown as Shape);
    let r = shrink({ shapes, arrows: [], started: false });
    expect(r?.shapes.map((s) => s.id)).toEqual(shapes.slice(0, 5).map((s) => s.id));
    expect(r?.started).toBe(true);
    r = shrink(r!);
    expect(r).toBeNull();
  });
});
