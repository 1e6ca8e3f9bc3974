import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../shared/doc/read.ts';
import { boardOf, createTaskByHand, drag, openBoard, shapeCenter, stagePoint, waitForBoard } from './board.ts';
import { screenshot, type UserPage } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Editing on the canvas with the real mouse and keyboard, watched by a second person: live
 * drags, marquee, resize handles, swatches, delete, duplicate, copy/paste across boards,
 * zoom. Ada edits, Bob watches; the pair is opened once and each test opens a new board.
 * `window.planvas` is only read (where shapes are, what the document holds).
 */
const e2e = useE2e();
let ada: UserPage;
let bob: UserPage;

beforeAll(async () => {
  ada = await e2e.openFileUser('Ada');
  bob = await e2e.openFileUser('Bob');
});

async function bothOnNewBoard(title: string): Promise<string> {
  const board = await e2e.createBoard(title);
  await Promise.all([openBoard(ada.page, board.editUrl), openBoard(bob.page, board.editUrl)]);
  return board.editUrl;
}

type Box = { id: string; x: number; y: number; w: number; h: number; color: string; title: string };

/** Every task with its box and colour, and every dependency, as the page reads them. */
async function shapesOf(page: Page): Promise<{ tasks: Box[]; deps: Array<{ id: string; from: string; to: string }> }> {
  return page.evaluate(() => {
    const b = window.planvas!.readBoard!() as BoardSnapshot;
    return {
      tasks: [...b.tasks.values()].map(({ id, x, y, w, h, color, title }) => ({ id, x, y, w, h, color, title })),
      deps: [...b.deps.values()].map(({ id, from, to }) => ({ id, from, to })),
    };
  });
}

async function waitForShapes(page: Page, predicate: (tasks: Box[]) => boolean, timeout = 5000): Promise<Box[]> {
  const started = Date.now();
  let last: Box[] = [];
  while (Date.now() - started < timeout) {
    last = (await shapesOf(page)).tasks;
    if (predicate(last)) return last;
    await page.waitForTimeout(20);
  }
  throw new Error(`tasks never matched; last seen: ${JSON.stringify(last)}`);
}

async function selection(page: Page): Promise<string[]> {
  return page.evaluate(() => [...window.planvas!.canvas!.store.getState().selection]);
}

async function shapeRect(page: Page, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const r = await page.evaluate((shapeId) => window.planvas!.canvas!.shapeRect(shapeId), id);
  if (!r) throw new Error(`shape ${id} is not on the canvas`);
  return r;
}

type Sampler = { samples: Array<[number, number]>; stop(): void };

/**
 * Records where the canvas draws a card on every animation frame (its Konva node, not the
 * document), to show that a drag never makes it stutter backwards on either screen.
 */
async function sampleCard(page: Page, id: string): Promise<void> {
  await page.evaluate((shapeId) => {
    const sampler: Sampler = { samples: [], stop: () => (running = false) };
    let running = true;
    const tick = () => {
      if (!running) return;
      const box = window.planvas!.canvas!.drawnBox(shapeId);
      if (box) sampler.samples.push([box.x, box.y]);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    (window as unknown as { sampler: Sampler }).sampler = sampler;
  }, id);
}

/** Stops sampling once the card has been drawn at `final`; returns every sample. */
async function stopSampling(page: Page, final: [number, number]): Promise<Array<[number, number]>> {
  await page.waitForFunction(([x, y]) => {
    const last = (window as unknown as { sampler: Sampler }).sampler.samples.at(-1);
    return last?.[0] === x && last?.[1] === y;
  }, final);
  return page.evaluate(() => {
    const { sampler } = window as unknown as { sampler: Sampler };
    sampler.stop();
    return sampler.samples;
  });
}

function expectOnlyForward(samples: Array<[number, number]>): void {
  expect(samples.length).toBeGreaterThan(10);
  for (let i = 1; i < samples.length; i++) {
    expect(samples[i]![0], `x at frame ${i}`).toBeGreaterThanOrEqual(samples[i - 1]![0]);
    expect(samples[i]![1], `y at frame ${i}`).toBeGreaterThanOrEqual(samples[i - 1]![1]);
  }
}

/** Two tasks side by side, linked first -> second with the D tool; nothing selected after. */
async function twoLinkedTasks(page: Page): Promise<[string, string]> {
  const first = await createTaskByHand(page, 200, 180, 'Design');
  const second = await createTaskByHand(page, 560, 180, 'Build');
  await page.keyboard.press('Escape');
  await page.keyboard.press('d');
  await drag(page, await shapeCenter(page, first), await shapeCenter(page, second), 6);
  await waitForBoard(page, (b) => b.deps.length === 1);
  await page.keyboard.press('Escape');
  return [first, second];
}

describe('editing the canvas while a peer watches', () => {
  it("a peer sees a drag while it happens, and one Ctrl+Z after a long drag puts the card back", async () => {
    await bothOnNewBoard('Live drag');
    const id = await createTaskByHand(ada.page, 250, 200, 'Moving');
    await ada.page.keyboard.press('Escape');
    const start = (await waitForShapes(bob.page, (ts) => ts.some((t) => t.id === id))).find((t) => t.id === id)!;

    const from = await shapeCenter(ada.page, id);
    await Promise.all([sampleCard(ada.page, id), sampleCard(bob.page, id)]);
    await ada.page.mouse.move(from.x, from.y);
    await ada.page.mouse.down();
    await ada.page.mouse.move(from.x + 80, from.y + 40, { steps: 8 });
    // The button is still down: Bob's document already has the card where Ada's pointer rests.
    const resting = (t: Box) => t.id === id && Math.abs(t.x - (start.x + 80)) < 0.5 && Math.abs(t.y - (start.y + 40)) < 0.5;
    await waitForShapes(bob.page, (ts) => ts.some(resting));
    await screenshot(bob.page, 'canvas-live-drag-bob-mid');
    await screenshot(ada.page, 'canvas-live-drag-ada-mid');
    // A long drag: the pointer rests well past the undo capture window, then carries on.
    await ada.page.waitForTimeout(700);
    await ada.page.mouse.move(from.x + 200, from.y + 100, { steps: 10 });
    await ada.page.waitForTimeout(450);
    await ada.page.mouse.up();

    const end = (await waitForShapes(bob.page, (ts) => ts.some((t) => t.id === id && Math.abs(t.x - (start.x + 200)) < 0.01 && Math.abs(t.y - (start.y + 100)) < 0.01))).find((t) => t.id === id)!;
    expect(end).toMatchObject({ w: start.w, h: start.h });
    // Down and to the right all the way, on Ada's screen and on Bob's: no frame jumps back.
    for (const page of [ada.page, bob.page]) {
      expectOnlyForward(await stopSampling(page, [end.x, end.y]));
    }

    await ada.page.keyboard.press('Control+z');
    await waitForShapes(bob.page, (ts) => ts.some((t) => t.id === id && t.x === start.x && t.y === start.y));
    // Only the drag was undone, not the creation before it.
    expect((await shapesOf(ada.page)).tasks.find((t) => t.id === id)).toMatchObject({ x: start.x, y: start.y, title: 'Moving' });
  });

  it('marquee selects two cards, which move together: the peer never sees one without the other', async () => {
    await bothOnNewBoard('Marquee');
    const [a, b] = await twoLinkedTasks(ada.page);
    const before = await waitForShapes(bob.page, (ts) => ts.length === 2);
    const ra = await shapeRect(ada.page, a);
    const rb = await shapeRect(ada.page, b);

    // Bob records the two positions after every change that reaches him.
    await bob.page.evaluate(([idA, idB]) => {
      const doc = window.planvas!.session!.doc;
      const tasks = doc.getMap('tasks');
      const seen: number[][] = [];
      (window as unknown as { seen: number[][] }).seen = seen;
      doc.on('afterTransaction', (tr) => {
        if (tr.local) return;
        const ta = tasks.get(idA) as { get(k: string): number };
        const tb = tasks.get(idB) as { get(k: string): number };
        seen.push([ta.get('x'), ta.get('y'), tb.get('x'), tb.get('y')]);
      });
    }, [a, b] as const);

    await drag(ada.page, { x: ra.x - 30, y: ra.y - 30 }, { x: rb.x + rb.width + 30, y: rb.y + rb.height + 30 }, 6);
    expect((await selection(ada.page)).sort()).toEqual([a, b].sort());
    await screenshot(ada.page, 'canvas-marquee-ada');

    const from = await shapeCenter(ada.page, a);
    await drag(ada.page, from, { x: from.x + 120, y: from.y + 160 }, 16);
    const after = await waitForShapes(bob.page, (ts) => ts.every((t) => t.y === before.find((s) => s.id === t.id)!.y + 160));
    for (const t of after) expect(t.x - before.find((s) => s.id === t.id)!.x).toBeCloseTo(120, 5);

    const seen = await bob.page.evaluate(() => (window as unknown as { seen: number[][] }).seen);
    const [a0, b0] = [before.find((t) => t.id === a)!, before.find((t) => t.id === b)!];
    expect(seen.length).toBeGreaterThan(0);
    for (const [ax, ay, bx, by] of seen) {
      expect(ax! - a0.x).toBeCloseTo(bx! - b0.x, 5);
      expect(ay! - a0.y).toBeCloseTo(by! - b0.y, 5);
    }
    await screenshot(bob.page, 'canvas-marquee-moved-bob');
  });

  it('a Transformer handle resizes a card, live for the peer and as one undo step', async () => {
    await bothOnNewBoard('Resize');
    const id = await createTaskByHand(ada.page, 300, 220, 'Resize me');
    await ada.page.keyboard.press('Escape');
    const start = (await waitForShapes(bob.page, (ts) => ts.length === 1))[0]!;
    const center = await shapeCenter(ada.page, id);
    await ada.page.mouse.click(center.x, center.y);
    const r = await shapeRect(ada.page, id);

    // The bottom-right handle sits on the card's corner.
    const corner = { x: r.x + r.width, y: r.y + r.height };
    await ada.page.mouse.move(corner.x, corner.y);
    await ada.page.mouse.down();
    await ada.page.mouse.move(corner.x + 50, corner.y + 30, { steps: 6 });
    await waitForShapes(bob.page, (ts) => ts[0]!.w > start.w + 20);
    await ada.page.mouse.move(corner.x + 100, corner.y + 60, { steps: 6 });
    // Still resizing: the live echo of Ada's own writes must not scale the card twice.
    await waitForShapes(bob.page, (ts) => ts[0]!.w > start.w + 90);
    const mid = (await ada.page.evaluate((shapeId) => window.planvas!.canvas!.drawnBox(shapeId), id))!;
    expect(mid.width * mid.scaleX).toBeCloseTo(start.w + 100, 0);
    expect(mid.height * mid.scaleY).toBeCloseTo(start.h + 60, 0);
    await screenshot(ada.page, 'canvas-resize-ada-mid');
    await ada.page.mouse.up();

    const [done] = await waitForShapes(bob.page, (ts) => Math.abs(ts[0]!.w - (start.w + 100)) <= 1 && Math.abs(ts[0]!.h - (start.h + 60)) <= 1);
    expect(done).toMatchObject({ x: start.x, y: start.y });
    // The card Ada's canvas draws is the size the document says, with no scale left on the node.
    const drawn = await ada.page.evaluate((shapeId) => window.planvas!.canvas!.drawnBox(shapeId), id);
    expect(drawn).toEqual({ x: done!.x, y: done!.y, width: done!.w, height: done!.h, scaleX: 1, scaleY: 1 });
    await screenshot(ada.page, 'canvas-resized-ada');

    // The whole live resize is one undo step.
    await ada.page.keyboard.press('Control+z');
    await waitForShapes(bob.page, (ts) => ts[0]!.w === start.w && ts[0]!.h === start.h && ts[0]!.x === start.x);
  });

  it('a swatch recolours the selected card for the peer', async () => {
    await bothOnNewBoard('Colour');
    const id = await createTaskByHand(ada.page, 300, 220, 'Paint me');
    await ada.page.keyboard.press('Escape');
    const center = await shapeCenter(ada.page, id);
    await ada.page.mouse.click(center.x, center.y);
    await ada.page.click('.pv-swatch[data-kind="task"][data-color="#e8f5e9"]');
    await waitForShapes(bob.page, (ts) => ts.some((t) => t.id === id && t.color === '#e8f5e9'));
    await screenshot(bob.page, 'canvas-recolour-bob');
  });

  it("deleting a task removes its arrows for the peer", async () => {
    await bothOnNewBoard('Delete');
    const [first] = await twoLinkedTasks(ada.page);
    await waitForBoard(bob.page, (b) => b.tasks.length === 2 && b.deps.length === 1);
    const center = await shapeCenter(ada.page, first);
    await ada.page.mouse.click(center.x, center.y);
    await ada.page.keyboard.press('Delete');
    const seen = await waitForBoard(bob.page, (b) => b.tasks.length === 1);
    expect(seen.deps).toEqual([]);
    expect(seen.tasks[0]!.title).toBe('Build');
  });

  it('Ctrl+D duplicates the selection next to it', async () => {
    await bothOnNewBoard('Duplicate');
    const id = await createTaskByHand(ada.page, 300, 220, 'Twin');
    await ada.page.keyboard.press('Escape');
    const center = await shapeCenter(ada.page, id);
    await ada.page.mouse.click(center.x, center.y);
    await ada.page.keyboard.press('Control+d');
    const tasks = await waitForShapes(bob.page, (ts) => ts.length === 2);
    const [orig, copy] = [tasks.find((t) => t.id === id)!, tasks.find((t) => t.id !== id)!];
    expect(copy).toMatchObject({ title: 'Twin', w: orig.w, h: orig.h, x: orig.x + 24, y: orig.y + 24 });
    expect(await selection(ada.page)).toEqual([copy.id]);
  });

  it('copy in one board and paste into another brings the cards and their link', async () => {
    await bothOnNewBoard('Source');
    const [a, b] = await twoLinkedTasks(ada.page);
    const target = await e2e.createBoard('Target');
    const other = await ada.context.newPage();
    try {
      await openBoard(other, target.editUrl);
      // Bob watches the target board.
      await openBoard(bob.page, target.editUrl);

      await ada.page.bringToFront();
      await ada.page.keyboard.press('Control+a');
      expect((await selection(ada.page)).sort()).toEqual([a, b].sort());
      await ada.page.keyboard.press('Control+c');

      await other.bringToFront();
      const at = await stagePoint(other, 600, 400);
      await other.mouse.move(at.x, at.y);
      await other.keyboard.press('Control+v');
      const pasted = await waitForBoard(bob.page, (bd) => bd.tasks.length === 2 && bd.deps.length === 1);
      expect(pasted.tasks.map((t) => t.title).sort()).toEqual(['Build', 'Design']);
      expect(pasted.tasks.map((t) => t.id)).not.toContain(a);
      const byTitle = new Map(pasted.tasks.map((t) => [t.title, t.id]));
      expect(pasted.deps[0]).toMatchObject({ from: byTitle.get('Design'), to: byTitle.get('Build') });
      // The source board is unchanged.
      expect((await boardOf(ada.page)).tasks).toHaveLength(2);
      await screenshot(other, 'canvas-pasted-other-board');
    } finally {
      await other.close();
    }
  });

  it('Ctrl+wheel zooms (the label follows) and Shift+1 fits everything', async () => {
    await bothOnNewBoard('Zoom');
    const ids = [await createTaskByHand(ada.page, 160, 140, 'North west'), await createTaskByHand(ada.page, 860, 600, 'South east')];
    await ada.page.keyboard.press('Escape');
    const label = ada.page.locator('[data-testid="zoom-value"]');
    expect(await label.textContent()).toBe('100%');

    const at = await shapeCenter(ada.page, ids[0]!);
    await ada.page.mouse.move(at.x, at.y);
    await ada.page.keyboard.down('Control');
    for (let i = 0; i < 4; i++) await ada.page.mouse.wheel(0, -200);
    await ada.page.keyboard.up('Control');
    await ada.page.waitForFunction(() => {
      const text = document.querySelector('[data-testid="zoom-value"]')?.textContent ?? '';
      return parseInt(text, 10) > 150;
    });
    const stage = await ada.page.evaluate(() => window.planvas!.canvas!.stageRect());
    const inside = (r: { x: number; y: number; width: number; height: number }) =>
      r.x >= stage.x && r.y >= stage.y && r.x + r.width <= stage.x + stage.width && r.y + r.height <= stage.y + stage.height;
    expect(inside(await shapeRect(ada.page, ids[1]!))).toBe(false);

    await ada.page.keyboard.press('Shift+Digit1');
    await ada.page.waitForFunction(() => parseInt(document.querySelector('[data-testid="zoom-value"]')?.textContent ?? '', 10) <= 100);
    for (const id of ids) expect(inside(await shapeRect(ada.page, id))).toBe(true);
    await screenshot(ada.page, 'canvas-zoom-fit');
  });
});
