import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness } from 'y-protocols/awareness';
import { createThread, readComments } from '../../shared/doc/comments.ts';
import type { Task } from '../../shared/schema/entities.ts';
import { knownNames } from '../../client/comments/useKnownNames.ts';

describe('knownNames (built when the @ suggestions open)', () => {
  it('lists assignees and past authors once each, case-insensitively', () => {
    const doc = new Y.Doc();
    const result = createThread(doc, { anchor: { kind: 'point', x: 0, y: 0 }, text: 'hi', author: { name: 'Ada', color: '#FF0000' }, knownNames: [] });
    expect(result.ok).toBe(true);
    const tasks = [{ assignees: ['Bob Lee', ' ada '] }, { assignees: ['bob lee', 'Cy'] }] as unknown as Task[];
    expect(knownNames(new Awareness(new Y.Doc()), tasks, readComments(doc))).toEqual(['Bob Lee', 'ada', 'Cy']);
  });
});
