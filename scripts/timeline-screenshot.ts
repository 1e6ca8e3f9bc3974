// Regenerates docs/timeline.png: npx tsx scripts/timeline-screenshot.ts docs/timeline.png
// A small release plan (summaries, links of every kind, a milestone, a baseline saved before
// two tasks slipped), opened on the timeline with the baseline shown.
import { createBoard, startTestServer } from '../test/helpers/server.ts';
import { connectClient, sleep } from '../test/helpers/clients.ts';
import { launchBrowser, openUser } from '../test/e2e/browser.ts';
import { createDependency, createTask, updateShape } from '../shared/doc/ops.ts';
import { saveBaseline } from '../shared/doc/planOps.ts';
import { readBoard } from '../shared/doc/read.ts';
import { captureBaseline } from '../shared/planning/baseline.ts';
import { schedule } from '../shared/planning/schedule.ts';
import { scheduleInputOf } from '../shared/planning/fromBoard.ts';

const server = await startTestServer();
const board = await createBoard(server.url, 'Website relaunch');
const client = connectClient(server.wsUrl, board.id, board.editToken);
await client.synced;
const d = client.doc;
d.getMap('meta').set('projectStart', '2026-11-16');
d.getMap('meta').set('holidays', ['2026-11-26']);
const discovery = createTask(d, { title: 'Discovery' });
const brief = createTask(d, { title: 'Creative brief', duration: 3, assignees: ['Ada'], status: 'done', progress: 100, parent: discovery });
const research = createTask(d, { title: 'User research', duration: 5, assignees: ['Bob'], status: 'in-progress', progress: 60, parent: discovery });
const design = createTask(d, { title: 'Design', duration: 0 });
const mockups = createTask(d, { title: 'Page mockups', duration: 6, assignees: ['Grace'], parent: design });
const system = createTask(d, { title: 'Design system', duration: 4, assignees: ['Grace', 'Ada'], parent: design });
const build = createTask(d, { title: 'Build the site', duration: 8, assignees: ['Linus'] });
const content = createTask(d, { title: 'Write content', duration: 5, assignees: ['Bob'] });
const legal = createTask(d, { title: 'Legal review', duration: 2, mode: 'manual', start: '2026-12-07' });
const launch = createTask(d, { title: 'Launch', milestone: true, duration: 0 });
createDependency(d, brief, research);
createDependency(d, discovery, mockups);
createDependency(d, mockups, system, { type: 'SS', lag: 2 });
createDependency(d, mockups, build);
createDependency(d, system, build, { type: 'FF' });
createDependency(d, research, content, { type: 'FS', lag: 1 });
createDependency(d, content, legal);
createDependency(d, build, launch);
createDependency(d, legal, launch);
// The plan as first agreed, then two tasks slip.
const b = readBoard(d);
const plan = schedule(scheduleInputOf(b.tasks.values(), b.deps.values(), b.meta, '2026-11-16'));
saveBaseline(d, 'Kickoff plan', captureBaseline(plan), '2026-11-16T09:00:00.000Z');
updateShape(d, research, { duration: 7 });
updateShape(d, mockups, { duration: 8 });
await sleep(300);

const browser = await launchBrowser();
const ada = await openUser(browser, 'Ada Lovelace', { width: 1440, height: 640 });
await ada.page.goto(`${board.editUrl}#timeline`);
await ada.page.waitForFunction(() => !!(window.planvas as { timeline?: unknown } | undefined)?.timeline);
await ada.page.getByLabel('Baseline shown').selectOption({ label: 'Kickoff plan' });
await ada.page.getByRole('radio', { name: 'Week' }).click();
await ada.page.evaluate(() => (window.planvas as unknown as { timeline: { scrollTo(l: number, t: number): void } }).timeline.scrollTo(0, 0));
await sleep(500);
await ada.page.screenshot({ path: process.argv[2] ?? 'docs/timeline.png' });
console.log('errors', ada.errors);
client.destroy();
await browser.close();
await server.close();
