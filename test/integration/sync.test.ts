import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createDependency, createNote, deleteEntities, createTask, moveShapes, setNoteText, updateShape } from '../../shared/doc/ops.ts';
import { readBoard } from '../../shared/doc/read.ts';
import { connectClient, sameState, waitFor } from '../helpers/clients.ts';
import { createBoard, startTestServer, type TestServer } from '../helpers/server.ts';
import { serverSuite } from '../helpers/suite.ts';

/** Board content without ids' order noise: what a user sees. */
function view(doc: Y.Doc) {
  const b = readBoard(doc);
  const sort = <T extends { id: string }>(m: Map<string, T>) => [...m.values()].sort((x, y) => x.id.localeCompare(y.id));
  return { meta: b.meta, tasks: sort(b.tasks), notes: sort(b.notes), deps: sort(b.deps) };
}

describe('live sync through the server (stock y-websocket clients)', () => {
  let server: TestServer;
  const { dataDir, clients, connect: client } = serverSuite(() => server);
  beforeAll(async () => {
    server = await startTestServer({ dataDir });
  });

  it('three editors making concurrent edits converge to the same board', async () => {
    const board = await createBoard(server.url, 'Kickoff');
    const [a, b, c] = [client(board.id, board.editToken), client(board.id, board.editToken), client(board.id, board.editToken)];
    await Promise.all([a.synced, b.synced, c.synced]);
    expect(readBoard(a.doc).meta.title).toBe('Kickoff');

    // Each creates shapes at the same time, then everyone edits everyone's shapes concurrently.
    const ta = createTask(a.doc, { title: 'from A', x: 10, y: 10 });
    const tb = createTask(b.doc, { title: 'from B', x: 300, y: 10 });
    const nc = createNote(c.doc, { text: 'note from C', x: 10, y: 300 });
    await waitFor(() => [a, b, c].every((cl) => readBoard(cl.doc).tasks.size === 2 && readBoard(cl.doc).notes.size === 1), 'shapes everywhere');

    updateShape(a.doc, tb, { title: 'B renamed by A' });
    moveShapes(b.doc, [{ id: tb, x: 500, y: 50 }]); // B drags while A renames: both survive
    setNoteText(c.doc, nc, 'note from C, edited');
    setNoteText(a.doc, nc, 'A: note from C');
    const link = createDependency(c.doc, ta, tb);
    expect('id' in link).toBe(true);
    for (let i = 0; i < 20; i++) moveShapes([a, b, c][i % 3]!.doc, [{ id: ta, x: i, y: i }]);

    await waitFor(() => sameState(a.doc, b.doc) && sameState(b.doc, c.doc), 'state vectors equal');
    expect(view(b.doc)).toEqual(view(a.doc));
    expect(view(c.doc)).toEqual(view(a.doc));
    const task = readBoard(a.doc).tasks.get(tb)!;
    expect(task.title).toBe('B renamed by A');
    expect(task.x).toBe(500);
    expect(readBoard(a.doc).deps.size).toBe(1);
  });

  it('a late joiner receives the whole board, and its offline edits reach the others', async () => {
    const board = await createBoard(server.url, 'Late');
    const a = client(board.id, board.editToken);
    await a.synced;
    createTask(a.doc, { title: 'early' });
    // An offline client with its own edits connects later: the server's step 1 pulls them in.
    const offline = new Y.Doc();
    createTask(offline, { title: 'made offline' });
    const late = connectClient(server.wsUrl, board.id, board.editToken, { doc: offline });
    clients.push(late);
    await late.synced;
    await waitFor(() => readBoard(a.doc).tasks.size === 2 && readBoard(late.doc).tasks.size === 2, 'both tasks on both');
    expect([...readBoard(a.doc).tasks.values()].map((t) => t.title).sort()).toEqual(['early', 'made offline']);
  });

  it('a reconnecting client that brings nothing new stores nothing (not even its delete set)', async () => {
    const board = await createBoard(server.url);
    const a = client(board.id, board.editToken);
    await a.synced;
    const ids = [createTask(a.doc, { title: '1' }), createTask(a.doc, { title: '2' })];
    deleteEntities(a.doc, [ids[0]!]);
    await waitFor(() => server.server.rooms.peek(board.id) !== undefined && readBoard(server.server.rooms.peek(board.id)!.doc).tasks.size === 1, 'server has it');
    const stored = server.server.metrics.get('planvas_updates_stored_total');
    const b = client(board.id, board.editToken); // keeps the room open across a's reconnect
    await b.synced;
    a.provider.disconnect();
    a.provider.connect();
    await waitFor(() => a.provider.synced, 'a resynced');
    const again = createTask(b.doc, { title: 'after' });
    await waitFor(() => readBoard(a.doc).tasks.has(again), 'a receives');
    expect(server.server.metrics.get('planvas_updates_stored_total')).toBe(stored + 1);
  });

  it('awareness of every client reaches the others and is removed when a client leaves', async () => {
    const board = await createBoard(server.url);
    const a = client(board.id, board.editToken);
    const v = client(board.id, board.viewToken);
    await Promise.all([a.synced, v.synced]);
    a.provider.awareness.setLocalStateField('user', { name: 'Ann', color: '#ff0000', role: 'edit' });
    v.provider.awareness.setLocalStateField('user', { name: 'Viv', color: '#00ff00', role: 'view' });
    await waitFor(() => a.provider.awareness.getStates().get(v.doc.clientID)?.user?.name === 'Viv', 'viewer presence seen by editor');
    await waitFor(() => v.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ann', 'editor presence seen by viewer');

    // A third client joining later gets the current states from the server.
    const late = client(board.id, board.viewToken);
    await waitFor(() => late.provider.awareness.getStates().get(a.doc.clientID)?.user?.name === 'Ann', 'late joiner sees presence');

    // Abrupt disconnect (no goodbye message): the server removes the states it announced.
    // The provider's socket is a `ws` WebSocket here (WebSocketPolyfill), which can be terminated.
    (v.provider.ws as unknown as import('ws').WebSocket | null)?.terminate();
    v.provider.shouldConnect = false;
    await waitFor(() => !a.provider.awareness.getStates().has(v.doc.clientID), 'viewer presence removed');
  });
});
