// Regenerates docs/screenshot.png: npx tsx scripts/readme-screenshot.ts docs/screenshot.png
// Builds a demo board through a stock y-websocket client, then opens two browser windows on it
// and takes the README screenshot from one of them (the other's cursor and selection visible).
import { createBoard, startTestServer } from '../test/helpers/server.ts';
import { connectClient, sleep } from '../test/helpers/clients.ts';
import { launchBrowser, openUser } from '../test/e2e/browser.ts';
import { openBoard, shapeCenter } from '../test/e2e/board.ts';
import { createDependency, createNote, createTask } from '../shared/doc/ops.ts';

const server = await startTestServer();
const board = await createBoard(server.url, 'Website relaunch — kickoff');
const client = connectClient(server.wsUrl, board.id, board.editToken);
await client.synced;
const d = client.doc;
const brief = createTask(d, { title: 'Write the creative brief', x: 80, y: 120, assignees: ['Ada'], status: 'done', start: '2026-11-23', duration: 5, color: '#e8f5e9' });
const research = createTask(d, { title: 'User research interviews', x: 80, y: 320, assignees: ['Bob'], status: 'in-progress', start: '2026-11-30', duration: 5, color: '#e3f2fd' });
const design = createTask(d, { title: 'Design system & page mockups', x: 420, y: 200, assignees: ['Grace'], status: 'todo', start: '2026-12-07', duration: 10 });
const build = createTask(d, { title: 'Build the new site', x: 760, y: 120, assignees: ['Linus'], status: 'todo', start: '2027-01-04', duration: 15 });
const legal = createTask(d, { title: 'Legal review of copy', x: 760, y: 330, status: 'blocked', color: '#fce4ec' });
createDependency(d, brief, design);
createDependency(d, research, design);
createDependency(d, design, build);
createDependency(d, design, legal, { type: 'SS', lag: 2 });
createNote(d, { text: 'Keep the budget under 40k — ask finance before we commit to the agency', x: 420, y: 420, color: '#fff59d' });
createNote(d, { text: 'Launch before the spring campaign!', x: 1010, y: 480, color: '#f48fb1', w: 160, h: 140 });
await sleep(300);
const browser = await launchBrowser();
const ada = await openUser(browser, 'Ada Lovelace');
const bob = await openUser(browser, 'Bob Builder');
await openBoard(ada.page, board.editUrl);
await openBoard(bob.page, board.editUrl);
for (const p of [ada.page, bob.page]) await p.keyboard.press('Shift+1');
await sleep(400);
// Bob selects the design task and points at it.
const c = await shapeCenter(bob.page, design);
await bob.page.mouse.click(c.x, c.y);
await bob.page.mouse.move(c.x + 60, c.y + 40, { steps: 5 });
const a = await shapeCenter(ada.page, research);
await ada.page.mouse.click(a.x, a.y);
await ada.page.mouse.move(a.x + 30, a.y - 20, { steps: 5 });
await sleep(600);
await ada.page.screenshot({ path: process.argv[2] ?? '/tmp/shot/readme.png' });
await bob.page.screenshot({ path: '/tmp/shot/readme-bob.png' });
console.log('errors', ada.errors, bob.errors);
client.destroy();
await browser.close();
await server.close();
