import { describe, expect, it } from 'vitest';
import type { CommentMessage, CommentThread } from '../../shared/comments/types.ts';
import { excerptOf, takeNewMentions } from '../../client/comments/mentionNotices.ts';

function message(id: string, author: string, text: string, mentions: string[]): CommentMessage {
  return { id, author, color: '#112233', text, createdAt: '2026-11-22T09:00:00.000Z', mentions, editedAt: '' };
}

function thread(id: string, messages: CommentMessage[]): CommentThread {
  return {
    id,
    anchor: { kind: 'point', x: 0, y: 0 },
    resolved: false,
    resolvedBy: '',
    createdAt: '2026-11-22T09:00:00.000Z',
    createdBy: { name: messages[0]!.author, color: '#112233' },
    messages,
    taskDeleted: false,
  };
}

describe('mention notices (client/comments/mentionNotices.ts)', () => {
  it('notifies once per new message that mentions me, from someone else; what was there at load never notifies', () => {
    const seen = new Set<string>();
    const loaded = [thread('t1', [message('m1', 'Ed', 'Hi @Pam', ['Pam'])])];
    expect(takeNewMentions(loaded, seen, 'Pam', false)).toEqual([]);

    const later = [
      thread('t1', [message('m1', 'Ed', 'Hi @Pam', ['Pam']), message('m2', 'Ed', '@pam can you   own\nthis?', ['pam'])]),
      thread('t2', [message('m3', 'Pam', 'Note to self @Pam', ['Pam']), message('m4', 'Vi', 'Ask @Ed', ['Ed'])]),
    ];
    expect(takeNewMentions(later, seen, 'Pam', true)).toEqual([{ threadId: 't1', messageId: 'm2', author: 'Ed', color: '#112233', excerpt: '@pam can you own this?' }]);
    // Seen now: the same messages never notify again.
    expect(takeNewMentions(later, seen, 'Pam', true)).toEqual([]);
  });

  it('records but does not notify when told the change is not live (cache, initial sync), and without a name', () => {
    const seen = new Set<string>();
    const threads = [thread('t1', [message('m1', 'Ed', 'Hi @Pam', ['Pam'])])];
    expect(takeNewMentions(threads, seen, '', true)).toEqual([]);
    expect(seen.has('m1')).toBe(true);
  });

  it('shortens long messages at a word', () => {
    const long = 'word '.repeat(40);
    const excerpt = excerptOf(long);
    expect(excerpt.length).toBeLessThanOrEqual(80);
    expect(excerpt.endsWith('word…')).toBe(true);
    expect(excerptOf('  short  text ')).toBe('short text');
  });
});
