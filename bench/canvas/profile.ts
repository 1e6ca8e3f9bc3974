// A Chrome CPU profile of one canvas pan (or timeline scroll), to see what the frame time is
// spent on. Not part of `npm run bench`:
//   npx tsx bench/canvas/profile.ts [--tasks=5000] [--zoom=0.5|fit|fit-transition] [--updates=50] [--timeline] [--ms=2000] [--still] [--client-dir=dir]
// Prints the frame-time summary and the functions with the most self time (minified names
// from dist/client, with their bundle position).
import fs from 'node:fs';
import { connectClient } from '../../test/helpers/clients.ts';
import { createBoard, startTestServer } from '../../test/helpers/server.ts';
import { openUser } from '../../test/e2e/browser.ts';
import { percentile } from '../types.ts';
import { launchBenchBrowser } from './browser.ts';
import { PAGE_SCRIPT, type DriveResult } from './pageScript.ts';
import { seedGrid, startMover } from './seed.ts';

const arg = (name: string, def: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? def;
const n = Number(arg('tasks', '5000'));
const zoomArg = arg('zoom', '0.5');
const updates = Number(arg('updates', '50'));
const ms = Number(arg('ms', '2000'));
const timelineMode = process.argv.includes('--timeline');
// --still: the stage does not move (what the remote updates alone cost).
const still = process.argv.includes('--still');
const out = arg('out', '');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const t = performance.now();
const phase = (what: string) => console.log(`[${((performance.now() - t) / 1000).toFixed(1)} s] ${what}`);
// --client-dir=<dir>: serve another build of the client (a copy of dist/client from before a change).
const clientDir = arg('client-dir', '');
const server = await startTestServer({ maxMessageBytes: 64 * 1024 * 1024, ...(clientDir ? { clientDir } : {}) });
const bench = await launchBenchBrowser(false);
const board = await createBoard(server.url, 'profile');
const client = connectClient(server.wsUrl, board.id, board.editToken);
try {
  await client.synced;
  const seeded = seedGrid(client.doc, n);
  phase('seeded');
  const user = await openUser(bench.browser, 'Bench');
  const { page } = user;
  await page.addInitScript({ content: PAGE_SCRIPT });
  if (timelineMode) {
    await page.goto(`${board.editUrl}#timeline`);
    await page.waitForFunction('window.__bench && window.__bench.firstGantt !== null', undefined, { timeout: 60_000 });
    phase(`timeline first render ${(await page.evaluate('window.__bench.firstGantt')) as number} ms`);
  } else {
    await page.goto(board.editUrl);
    await page.waitForFunction((count) => (window.planvas?.canvas?.shapeIds().length ?? 0) >= count, n, { timeout: 60_000, polling: 100 });
    phase('loaded');
    if (zoomArg === 'fit-transition') {
      // Profile the zoom-to-fit itself: from the action to the next presented frame.
      await page.evaluate((z) => window.planvas!.canvas!.store.getState().setViewport({ x: 40, y: 40, zoom: z }), 0.5);
      await page.waitForTimeout(500);
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
      const took = await page.evaluate(`new Promise((resolve) => { const t0 = performance.now(); window.planvas.canvas.runAction('view.zoomToFit'); const t1 = performance.now(); requestAnimationFrame(() => setTimeout(() => resolve({ action: t1 - t0, frame: performance.now() - t0 }), 0)); })`);
      phase(`zoom to fit: ${JSON.stringify(took)}`);
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
      fs.writeFileSync(out || '/tmp/planvas-fit-transition.cpuprofile', JSON.stringify(profile));
      report(profile, 0);
      process.exit(0);
    } else if (zoomArg === 'fit') await page.evaluate(() => window.planvas!.canvas!.runAction('view.zoomToFit'));
    else await page.evaluate((z) => window.planvas!.canvas!.store.getState().setViewport({ x: 40, y: 40, zoom: z }), Number(zoomArg));
  }
  const nodes = await page.evaluate(`(() => { const K = window.Konva; if (!K || !K.stages) return 'window.Konva not exposed'; return K.stages.map((st) => st.getLayers().map((l) => l.find('Shape').length + ' shapes' + (l.listening() ? ' (hit canvas)' : '')).join(', ')).join(' | '); })()`);
  console.log(`Konva nodes per layer: ${String(nodes)}`);
  const mover = updates > 0 ? startMover(client.doc, seeded, updates) : null;
  await page.waitForTimeout(500);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  phase('driving');
  const opts = timelineMode
    ? `'scroll', { vx: 150, vy: 900, amp: 300, period: 1.5, durationMs: ${ms} }`
    : still
      ? `'pan', { from: window.planvas.canvas.store.getState().viewport, vx: 0, vy: 0, amp: 0, period: 1, durationMs: ${ms} }`
      : `'pan', { from: window.planvas.canvas.store.getState().viewport, vx: ${zoomArg === 'fit' ? 0 : 700}, vy: ${zoomArg === 'fit' ? 0 : 120}, amp: ${zoomArg === 'fit' ? 200 : 60}, period: 1.5, durationMs: ${ms} }`;
  const result = (await page.evaluate(`window.__bench.drive(${opts})`)) as DriveResult;
  phase('driven');
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: Profile };
  mover?.stop();
  if (out) fs.writeFileSync(out, JSON.stringify(profile));
  console.log(`frames ${result.deltas.length}, p50 ${percentile(result.deltas, 50)?.toFixed(1)} p95 ${percentile(result.deltas, 95)?.toFixed(1)} max ${Math.max(...result.deltas).toFixed(1)} ms; LoAF > 50 ms: ${result.loaf.filter((e) => e.duration > 50).length}`);
  const loafTotal = result.loaf.reduce((s, e) => s + e.duration, 0);
  const loafRender = result.loaf.reduce((s, e) => s + e.render, 0);
  const loafStyle = result.loaf.reduce((s, e) => s + e.style, 0);
  console.log(`LoAF total ${loafTotal.toFixed(0)} ms, of which render phase ${loafRender.toFixed(0)} ms, style+layout ${loafStyle.toFixed(0)} ms`);

  report(profile, ms);
  await user.context.close();
} finally {
  client.destroy();
  await bench.close();
  await server.close();
}

function report(profile: Profile, ms: number): void {
  // Self time per function, and inclusive time per function (by name+position).
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  const key = (node: ProfileNode) => `${node.callFrame.functionName || '(anon)'} ${node.callFrame.url.split('/').pop()}:${node.callFrame.lineNumber + 1}:${node.callFrame.columnNumber + 1}`;
  const selfBy = new Map<string, number>();
  const inclBy = new Map<string, number>();
  for (const [id, msSelf] of self) {
    const node = byId.get(id)!;
    selfBy.set(key(node), (selfBy.get(key(node)) ?? 0) + msSelf);
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      inclBy.set(k, (inclBy.get(k) ?? 0) + msSelf);
    }
  }
  const top = (m: Map<string, number>, count: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => `  ${v.toFixed(0).padStart(6)} ms  ${k}`).join('\n');
  console.log(`self time (profile of ${ms || 'the transition'} ms):\n${top(selfBy, 25)}`);
  console.log(`inclusive time:\n${top(inclBy, 40)}`);
}
