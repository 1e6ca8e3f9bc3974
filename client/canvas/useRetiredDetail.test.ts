import { createElement } from 'react';
import ReactReconciler from 'react-reconciler';
// @ts-expect-error -- react-konva ships no types for its host config; the reconciler only passes it through.
import * as konvaHostConfig from 'react-konva/es/ReactKonvaHostConfig.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Shape } from '../../shared/schema/entities.ts';
import type { Detail } from './lod.ts';
import type { ArrowItem } from './ShapeList.tsx';
import { RETIRE_CHUNK, RETIRE_DELAY_MS, useRetiredDetail, type Retired } from './useRetiredDetail.ts';

/**
 * useRetiredDetail under the reconciler the canvas renders with (react-konva's host config); the
 * probe component renders no Konva node, so no canvas is needed.
 */
const renderer = ReactReconciler(konvaHostConfig as Parameters<typeof ReactReconciler>[0]);
const CONCURRENT_ROOT = 1;
const NO_ARROWS: readonly ArrowItem[] = [];

function mountProbe() {
  // Every render pass, and each retired card count a render saw (when it changed).
  const seen = { passes: 0, retired: null as Retired | null, retiredCounts: [] as number[] };
  function Probe({ detail, shapes }: { detail: Detail; shapes: readonly Shape[] }) {
    seen.passes++;
    seen.retired = useRetiredDetail(detail, shapes, NO_ARROWS);
    const count = seen.retired?.shapes.length ?? 0;
    if (seen.retiredCounts.at(-1) !== count) seen.retiredCounts.push(count);
    return null;
  }
  const fail = (error: unknown) => {
    throw error;
  };
  const root = renderer.createContainer({}, CONCURRENT_ROOT, null, false, null, '', fail, fail, fail, () => {}, null);
  const render = (detail: Detail, shapes: readonly Shape[]) => {
    renderer.updateContainer(createElement(Probe, { detail, shapes }), root, null);
    renderer.flushSyncWork();
  };
  const unmount = () => {
    renderer.updateContainer(null, root, null);
    renderer.flushSyncWork();
  };
  return { seen, render, unmount };
}

const cards = (n: number, tag: string) => Array.from({ length: n }, (_, i) => ({ id: `${tag}${i}` }) as Shape);

let cleanup: (() => void) | null = null;
afterEach(() => {
  cleanup?.();
  cleanup = null;
});

describe('useRetiredDetail', () => {
  it('renders once per change of the mounted list at full detail (every remote edit changes it)', () => {
    const probe = mountProbe();
    cleanup = probe.unmount;
    probe.render('full', cards(5, 'a'));
    const before = probe.seen.passes;
    for (let i = 0; i < 20; i++) probe.render('full', cards(5, `v${i}-`));
    expect(probe.seen.passes - before).toBe(20);
    expect(probe.seen.retired).toBeNull();
  });

  it('a zoom-out keeps the cards mounted at full detail, in the same render; zooming back in drops them at once', () => {
    const probe = mountProbe();
    cleanup = probe.unmount;
    const shown = cards(30, 'full');
    probe.render('full', cards(3, 'old'));
    probe.render('full', shown);
    probe.render('low', cards(2, 'low'));
    expect(probe.seen.retired?.shapes).toBe(shown);
    expect(probe.seen.retired?.started).toBe(false);
    // More low-detail changes leave the retired list alone.
    probe.render('low', cards(4, 'low'));
    expect(probe.seen.retired?.shapes).toBe(shown);
    probe.render('full', shown);
    expect(probe.seen.retired).toBeNull();
  });

  it('unmounts the retired cards a chunk at a time after the delay', async () => {
    const probe = mountProbe();
    cleanup = probe.unmount;
    probe.render('full', cards(RETIRE_CHUNK * 2 + 5, 'c'));
    probe.render('low', []);
    expect(probe.seen.retired?.shapes).toHaveLength(RETIRE_CHUNK * 2 + 5);
    const zoomedOut = Date.now();
    while (probe.seen.retired && Date.now() - zoomedOut < 2000) await new Promise((r) => setTimeout(r, 5));
    expect(Date.now() - zoomedOut).toBeGreaterThanOrEqual(RETIRE_DELAY_MS - 5);
    expect(probe.seen.retiredCounts).toEqual([0, RETIRE_CHUNK * 2 + 5, RETIRE_CHUNK + 5, 5, 0]);
  });
});
