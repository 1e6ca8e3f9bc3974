import { describe, expect, it } from 'vitest';
import { SpatialIndex } from '../../client/canvas/spatialIndex.ts';
import { freeCanvasSpot } from '../../client/plan/canvasSpot.ts';
import { isComplete } from '../../shared/planning/completion.ts';

describe('where a task made in the timeline lands on the canvas', () => {
  it('takes the first free card-sized place to the right of the previous task, never on top of a card', () => {
    const index = new SpatialIndex();
    index.upsert('a', { x: 0, y: 0, w: 240, h: 130 });
    index.upsert('b', { x: 280, y: 0, w: 240, h: 130 });
    expect(freeCanvasSpot(index, { x: 0, y: 0 })).toEqual({ x: 560, y: 0 });
    expect(freeCanvasSpot(new SpatialIndex(), null)).toEqual({ x: 0, y: 0 });
  });
});

describe('a task is complete', () => {
  it.each([
    [{ status: 'done' }, 0, true],
    [{ status: 'todo' }, 100, true],
    [{ status: 'in-progress' }, 99, false],
    [{ status: '' }, 0, false],
  ])('%o at %i%% -> %s', (task, progress, expected) => expect(isComplete(task, progress)).toBe(expected));
});

describe('the caret in a co-edited field', () => {
  it('stays put for edits after it and shifts with edits before it', async () => {
    const { shiftCaret } = await import('../../client/panels/CoEditTextarea.tsx');
    expect(shiftCaret('hello world', 'hello world!', 5)).toBe(5);
    expect(shiftCaret('hello world', 'oh hello world', 5)).toBe(8);
    expect(shiftCaret('hello world', 'world', 8)).toBe(2);
    expect(shiftCaret('abc', '', 2)).toBe(0);
  });
});
