import type { CommentThread } from '../../shared/comments/types.ts';

/** "Ed mentioned you: “…”" — one new message that @mentions this user. */
export interface MentionNotice {
  threadId: string;
  messageId: string;
  author: string;
  color: string;
  /** The message, shortened for a one-line toast. */
  excerpt: string;
}

/** Characters of the message shown in the toast. */
const EXCERPT_LENGTH = 80;

/**
 * Messages not in `seen` (which it then records), and among them the ones that mention `self`
 * and were written by someone else — the notices to show. Names compare case-insensitively,
 * like the mention highlight does. Pure apart from updating `seen`.
 *
 * Whether a new message deserves a notice at all (it arrived live from a peer, it is not what
 * the board held when it loaded) is the caller's call: it passes `notify = false` otherwise,
 * and the messages are only recorded as seen.
 */
export function takeNewMentions(threads: readonly CommentThread[], seen: Set<string>, self: string, notify: boolean): MentionNotice[] {
  const me = self.trim().toLowerCase();
  const out: MentionNotice[] = [];
  for (const thread of threads) {
    for (const message of thread.messages) {
      if (seen.has(message.id)) continue;
      seen.add(message.id);
      if (!notify || me === '' || message.author.toLowerCase() === me) continue;
      if (!message.mentions.some((name) => name.toLowerCase() === me)) continue;
      out.push({ threadId: thread.id, messageId: message.id, author: message.author, color: message.color, excerpt: excerptOf(message.text) });
    }
  }
  return out;
}

/** The first line-ish of a message, whitespace collapsed, cut at a word with "…". */
export function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_LENGTH) return flat;
  const cut = flat.slice(0, EXCERPT_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
