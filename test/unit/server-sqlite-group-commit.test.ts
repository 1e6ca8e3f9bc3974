import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newBoardUpdate } from '../../shared/doc/init.ts';
import { createTask } from '../../shared/doc/ops.ts';
import { newId } from '../../shared/ids.ts';
import { SQLITE_FILE_NAME, openSqliteStore } from '../../server/storage/sqlite.ts';
import { createGroupCommit } from '../../server/storage/sqliteGroupCommit.ts';
import { UnknownBoardError, type BoardStore } from '../../server/storage/types.ts';
import { makeTempDir, removeTempDir } from '../helpers/server.ts';

/** A real edit: one new task, as a Yjs update. */
function taskEdit(title: string): Uint8Array {
  const doc = new Y.Doc();
  createTask(doc, { title, x: 0, y: 0 });
  return Y.encodeStateAsUpdate(doc);
}

describe('sqlite store: appends asked for together share one commit', () => {
  let dir: string;
  let store: BoardStore;
  const boards: string[] = [];

  beforeEach(async () => {
    dir = makeTempDir('planvas-group-commit-');
    store = openSqliteStore(dir);
    boards.length = 0;
    for (const title of ['A', 'B', 'C']) {
      const id = newId();
      await store.createBoard({ id, title, createdAt: new Date().toISOString() }, newBoardUpdate(title, ''));
      boards.push(id);
    }
  });
  afterEach(async () => {
    await store.close();
    removeTempDir(dir);
  });

  it('each append gets its own seqs, increasing in the order the appends were asked for', async () => {
    const [a, b, c] = boards as [string, string, string];
    const pending = [store.appendUpdates(a, [taskEdit('a1'), taskEdit('a2')]), store.appendUpdates(b, [taskEdit('b1')]), store.appendUpdates(c, [taskEdit('c1')])];
    const [sa, sb, sc] = await Promise.all(pending);
    expect(sa).toHaveLength(2);
    expect(sb).toHaveLength(1);
    expect(sc).toHaveLength(1);
    const all = [...sa!, ...sb!, ...sc!];
    expect(all).toEqual([...all].sort((x, y) => x - y));
    expect(new Set(all).size).toBe(4);
    expect((await store.loadUpdatesSince(b, 0)).updates).toHaveLength(2); // the board's first update + b1
  });

  it('an append to a board that does not exist is rejected alone; the others in the same commit are stored', async () => {
    const [a, , c] = boards as [string, string, string];
    const results = await Promise.allSettled([store.appendUpdates(a, [taskEdit('a1')]), store.appendUpdates(newId(), [taskEdit('lost')]), store.appendUpdates(c, [taskEdit('c1')])]);
    expect(results[0]!.status).toBe('fulfilled');
    expect(results[1]!.status).toBe('rejected');
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(UnknownBoardError);
    expect(results[2]!.status).toBe('fulfilled');
    expect((await store.loadUpdatesSince(a, 0)).updates).toHaveLength(2);
    expect((await store.loadUpdatesSince(c, 0)).updates).toHaveLength(2);
  });

  it('an operation asked for after an append (not awaited) sees it: operations take effect in call order', async () => {
    const [a] = boards as [string];
    const appended = store.appendUpdates(a, [taskEdit('a1')]);
    const read = store.loadUpdatesSince(a, 0);
    const length = store.logLength(a);
    expect((await read).updates).toHaveLength(2);
    expect(await length).toBe(2);
    const [seq] = await appended;
    expect((await read).lastSeq).toBe(seq);
  });

  it('nothing is visible to another connection before the appends are acknowledged, everything after', async () => {
    const [a, b] = boards as [string, string];
    const other = new Database(path.join(dir, SQLITE_FILE_NAME), { readonly: true });
    try {
      const count = () => (other.prepare('SELECT count(*) AS n FROM updates').get() as { n: number }).n;
      const before = count();
      const pending = Promise.all([store.appendUpdates(a, [taskEdit('a1')]), store.appendUpdates(b, [taskEdit('b1')])]);
      expect(count()).toBe(before);
      await pending;
      expect(count()).toBe(before + 2);
    } finally {
      other.close();
    }
  });
});

describe('createGroupCommit', () => {
  let dir: string;
  let db: Database.Database;
  let other: Database.Database;

  beforeEach(() => {
    dir = makeTempDir('planvas-group-commit-');
    const file = path.join(dir, 'g.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE rows (seq INTEGER PRIMARY KEY AUTOINCREMENT, board TEXT NOT NULL, data BLOB NOT NULL)');
    other = new Database(file, { readonly: true });
  });
  afterEach(() => {
    other.close();
    if (db.open) db.close();
    removeTempDir(dir);
  });

  const insert = () => {
    const stmt = db.prepare('INSERT INTO rows (board, data) VALUES (?, ?)');
    return db.transaction((id: string, updates: readonly Uint8Array[]) => {
      if (id === 'missing') throw new UnknownBoardError(id);
      return updates.map((u) => Number(stmt.run(id, Buffer.from(u)).lastInsertRowid));
    });
  };

  it('the appends of one moment run inside one transaction: while the last is written, the first is not yet visible elsewhere', async () => {
    const write = insert();
    const seenByOther: number[] = [];
    const group = createGroupCommit(db, (id, updates) => {
      seenByOther.push((other.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }).n);
      return write(id, updates);
    });
    await Promise.all([group.append('a', [new Uint8Array([1])]), group.append('b', [new Uint8Array([2])]), group.append('c', [new Uint8Array([3])])]);
    // Committed one by one, the other connection would have seen 0, 1, 2 rows.
    expect(seenByOther).toEqual([0, 0, 0]);
    expect((other.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }).n).toBe(3);
  });

  it('a failed append is rolled back to its savepoint and rejected alone', async () => {
    const group = createGroupCommit(db, insert());
    const results = await Promise.allSettled([group.append('a', [new Uint8Array([1])]), group.append('missing', [new Uint8Array([2])]), group.append('c', [new Uint8Array([3])])]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(db.prepare('SELECT board FROM rows ORDER BY seq').all()).toEqual([{ board: 'a' }, { board: 'c' }]);
  });

  it('flush() commits what is queued at once; a commit that cannot happen rejects every append in it', async () => {
    const group = createGroupCommit(db, insert());
    const first = group.append('a', [new Uint8Array([1])]);
    group.flush();
    expect((other.prepare('SELECT count(*) AS n FROM rows').get() as { n: number }).n).toBe(1);
    expect(await first).toEqual([1]);
    const lost = [group.append('a', [new Uint8Array([2])]), group.append('b', [new Uint8Array([3])])];
    db.close();
    const results = await Promise.allSettled(lost);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
