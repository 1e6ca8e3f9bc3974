import { describe, expect, it } from 'vitest';
import type { CreateBoardResponse } from '../../shared/protocol/api.ts';
import { boardOf, createTaskByHand, drag, renameByHand, shapeCenter, stagePoint, waitForBoard } from './board.ts';
import { screenshot, type UserPage } from './browser.ts';
import { useE2e } from './harness.ts';

/**
 * Two (or three) real Chromium users on one board, served by the real server with the built
 * client. Everything is done with the mouse and keyboard; screenshots go to test-artifacts/.
 */
// Failed WebSocket/fetch attempts while offline are the browser's own messages, not ours.
const e2e = useE2e({ browserNoise: /WebSocket|ERR_INTERNET_DISCONNECTED|Failed to fetch|net::ERR/ });

async function twoUsersOnNewBoard(title: string): Promise<{ board: CreateBoardResponse; ada: UserPage; bob: UserPage }> {
  const board = await e2e.createBoard(title);
  const ada = await e2e.openUserOn('Ada', board.editUrl);
  const bob = await e2e.openUserOn('Bob', board.editUrl);
  return { board, ada, bob };
}

describe('two people on one board in real browsers', () => {
  it('a task and a sticky note made in one window appear in the other, with presence and cursors', async () => {
    const { ada, bob } = await twoUsersOnNewBoard('Kickoff');
    await createTaskByHand(ada.page, 200, 200, 'Write the brief');

    const at = await stagePoint(ada.page, 650, 260);
    await ada.page.keyboard.press('n');
    await ada.page.mouse.click(at.x, at.y);
    await ada.page.waitForSelector('.pv-text-editor');
    await ada.page.keyboard.type('Budget?');
    await ada.page.keyboard.press('Control+Enter');

    const seen = await waitForBoard(bob.page, (b) => b.tasks.some((t) => t.title === 'Write the brief') && b.notes.some((n) => n.text === 'Budget?'));
    expect(seen.tasks).toHaveLength(1);
    expect(seen.notes).toHaveLength(1);

    // Ada's pointer shows on Bob's canvas; both see two people in the presence list.
    const cursorAt = await stagePoint(ada.page, 500, 420);
    await ada.page.mouse.move(cursorAt.x, cursorAt.y, { steps: 4 });
    await bob.page.waitForFunction(() => {
      const states = [...window.planvas!.session!.awareness.getStates().values()] as Array<{ user?: { name?: string }; cursor?: unknown }>;
      return states.some((s) => s.user?.name === 'Ada' && s.cursor);
    }, undefined, { timeout: 5000 });
    await bob.page.waitForFunction(() => document.querySelectorAll('.avatars .avatar-item').length === 2, undefined, { timeout: 5000 });
    await screenshot(ada.page, 'e2e-create-ada');
    await screenshot(bob.page, 'e2e-create-bob');
  });

  it('dragging a task moves it for the other person, and its arrow follows', async () => {
    const { ada, bob } = await twoUsersOnNewBoard('Drag and link');
    const first = await createTaskByHand(ada.page, 150, 150, 'Design');
    const second = await createTaskByHand(ada.page, 600, 350, 'Build');

    // Draw a dependency with the D tool: drag from one task to the other.
    await ada.page.keyboard.press('Escape');
    await ada.page.keyboard.press('d');
    await drag(ada.page, await shapeCenter(ada.page, first), await shapeCenter(ada.page, second));
    const linked = await waitForBoard(bob.page, (b) => b.deps.length === 1);
    expect(linked.deps[0]).toMatchObject({ from: first, to: second });

    // Drag the first task 200 px right and 100 px down (zoom is 100%).
    await ada.page.keyboard.press('v');
    const before = (await boardOf(ada.page)).tasks.find((t) => t.id === first)!;
    const from = await shapeCenter(ada.page, first);
    await drag(ada.page, from, { x: from.x + 200, y: from.y + 100 });
    // Drags reach the peer live (~30 Hz), so wait for the final position, not the first step.
    const moved = await waitForBoard(bob.page, (b) => b.tasks.some((t) => t.id === first && Math.abs(t.x - before.x - 200) < 5 && Math.abs(t.y - before.y - 100) < 5));
    const after = moved.tasks.find((t) => t.id === first)!;
    expect(after.x - before.x).toBeCloseTo(200, -1);
    expect(after.y - before.y).toBeCloseTo(100, -1);
    expect(moved.deps).toHaveLength(1);
    await screenshot(bob.page, 'e2e-drag-link-bob');
  });

  it('a title edited inline in one window changes in the other', async () => {
    const { ada, bob } = await twoUsersOnNewBoard('Rename');
    const id = await createTaskByHand(ada.page, 300, 200, 'Draft');
    await waitForBoard(bob.page, (b) => b.tasks.some((t) => t.id === id));
    await renameByHand(bob.page, id, 'Final plan');
    await waitForBoard(ada.page, (b) => b.tasks.some((t) => t.id === id && t.title === 'Final plan'));
  });

  it("undo in one window reverts only that person's edits, never the other's", async () => {
    const { ada, bob } = await twoUsersOnNewBoard('Undo');
    const bobsTask = await createTaskByHand(bob.page, 300, 200, "Bob's task");
    await waitForBoard(ada.page, (b) => b.tasks.some((t) => t.id === bobsTask));

    // Ada moves Bob's task; Bob then renames it; Ada undoes.
    const start = (await boardOf(ada.page)).tasks.find((t) => t.id === bobsTask)!;
    const from = await shapeCenter(ada.page, bobsTask);
    await drag(ada.page, from, { x: from.x + 150, y: from.y + 120 });
    await waitForBoard(bob.page, (b) => b.tasks.some((t) => t.id === bobsTask && Math.abs(t.x - start.x - 150) < 5 && Math.abs(t.y - start.y - 120) < 5));

    await renameByHand(bob.page, bobsTask, 'Renamed by Bob');
    await waitForBoard(ada.page, (b) => b.tasks.some((t) => t.id === bobsTask && t.title === 'Renamed by Bob'));

    await ada.page.keyboard.press('Escape');
    await ada.page.keyboard.press('Control+z');
    const after = await waitForBoard(bob.page, (b) => b.tasks.some((t) => t.id === bobsTask && t.x === start.x && t.y === start.y));
    expect(after.tasks.find((t) => t.id === bobsTask)!.title).toBe('Renamed by Bob');

    // Ada's redo brings her move back; Bob's undo reverts his rename and leaves her move alone.
    await ada.page.keyboard.press('Control+Shift+z');
    await waitForBoard(bob.page, (b) => b.tasks.some((t) => t.id === bobsTask && t.x !== start.x));
    await bob.page.keyboard.press('Escape');
    await bob.page.keyboard.press('Control+z');
    const final = await waitForBoard(ada.page, (b) => b.tasks.some((t) => t.id === bobsTask && t.title === "Bob's task"));
    expect(final.tasks.find((t) => t.id === bobsTask)!.x).not.toBe(start.x);
  });

  it('edits made offline are kept through a reload and merge when the connection returns', async () => {
    const { ada, bob } = await twoUsersOnNewBoard('Offline');
    await createTaskByHand(ada.page, 200, 150, 'Before');
    await waitForBoard(bob.page, (b) => b.tasks.length === 1);

    // The app shell is cached by the service worker once it controls the page (a returning user).
    await ada.page.waitForFunction(() => navigator.serviceWorker?.controller !== null, undefined, { timeout: 10_000 });
    await ada.context.setOffline(true);
    await ada.page.waitForFunction(() => window.planvas?.status?.() === 'offline');
    await createTaskByHand(ada.page, 200, 400, 'Made offline');
    await createTaskByHand(bob.page, 700, 150, 'Made online');

    // A reload while offline still shows the board (service worker + IndexedDB).
    await ada.page.reload();
    await ada.page.waitForFunction(() => !!window.planvas?.canvas && (window.planvas.readBoard?.().tasks.size ?? 0) >= 2);
    const offline = await boardOf(ada.page);
    expect(offline.tasks.map((t) => t.title).sort()).toEqual(['Before', 'Made offline']);
    await screenshot(ada.page, 'e2e-offline-reload');

    await ada.context.setOffline(false);
    const titles = ['Before', 'Made offline', 'Made online'];
    await waitForBoard(ada.page, (b) => b.tasks.length === 3, 15_000);
    const merged = await waitForBoard(bob.page, (b) => b.tasks.length === 3, 15_000);
    expect(merged.tasks.map((t) => t.title).sort()).toEqual(titles);
    await screenshot(bob.page, 'e2e-offline-merged');
  });

  it('a view link watches live but cannot edit', async () => {
    const { board, ada } = await twoUsersOnNewBoard('Review');
    const viewer = await e2e.openUserOn('Stakeholder', board.viewUrl);

    await createTaskByHand(ada.page, 250, 200, 'Visible to viewers');
    await waitForBoard(viewer.page, (b) => b.tasks.some((t) => t.title === 'Visible to viewers'));

    // The task tool does nothing for a viewer, and Delete does not delete.
    const at = await stagePoint(viewer.page, 600, 400);
    await viewer.page.keyboard.press('t');
    await viewer.page.mouse.click(at.x, at.y);
    await viewer.page.keyboard.press('Control+a');
    await viewer.page.keyboard.press('Delete');
    await viewer.page.waitForTimeout(300);
    expect((await boardOf(viewer.page)).tasks).toHaveLength(1);
    expect((await boardOf(ada.page)).tasks).toHaveLength(1);
    await ada.page.waitForFunction(() => document.querySelectorAll('.avatars .avatar-item').length === 3);
    await screenshot(viewer.page, 'e2e-viewer');
  });
});
