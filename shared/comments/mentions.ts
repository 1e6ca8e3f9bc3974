/**
 * @mentions in comment text. People's names may contain spaces ("Ada Lovelace"), so a mention
 * is "@" followed by the longest known name that matches there (case-insensitive) and ends at
 * a word boundary. Pure functions: the known names come from the caller (people present on
 * the board and task assignees).
 */

/** One piece of a message: plain text, or a mention of `name` (as the known list spells it). */
export interface MentionSegment {
  text: string;
  mention?: string;
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** Known names, trimmed, unique case-insensitively, longest first (so "Ada Lovelace" wins over "Ada"). */
function candidates(knownNames: Iterable<string>): string[] {
  const seen = new Map<string, string>();
  for (const raw of knownNames) {
    const name = raw.trim();
    if (name && !seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name);
  }
  return [...seen.values()].sort((a, b) => b.length - a.length);
}

/** The known name mentioned at `at` (the index just after an '@'), or null. */
function nameAt(text: string, at: number, names: readonly string[]): string | null {
  const lower = text.toLowerCase();
  for (const name of names) {
    if (!lower.startsWith(name.toLowerCase(), at)) continue;
    const after = text[at + name.length];
    if (after === undefined || !WORD_CHAR.test(after)) return name;
  }
  return null;
}

/**
 * Splits `text` into plain and mention segments. An '@' counts only at the start or after a
 * character that is not part of a word, so e-mail addresses (ada@example.com) are not mentions.
 *
 * @example splitMentions('hi @ada lovelace!', ['Ada Lovelace'])
 *   // [{text:'hi '}, {text:'@ada lovelace', mention:'Ada Lovelace'}, {text:'!'}]
 */
export function splitMentions(text: string, knownNames: Iterable<string>): MentionSegment[] {
  const names = candidates(knownNames);
  const segments: MentionSegment[] = [];
  let plainStart = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '@') continue;
    const before = i > 0 ? text[i - 1]! : '';
    if (before && WORD_CHAR.test(before)) continue;
    const name = nameAt(text, i + 1, names);
    if (!name) continue;
    if (i > plainStart) segments.push({ text: text.slice(plainStart, i) });
    segments.push({ text: text.slice(i, i + 1 + name.length), mention: name });
    plainStart = i + 1 + name.length;
    i = plainStart - 1;
  }
  if (plainStart < text.length) segments.push({ text: text.slice(plainStart) });
  return segments;
}

/**
 * The known names mentioned in `text`, each once, in order of first mention.
 *
 * @example parseMentions('@Bo and @bo, ask @Cy', ['Bo', 'Cy']) // ['Bo', 'Cy']
 */
export function parseMentions(text: string, knownNames: Iterable<string>): string[] {
  const out: string[] = [];
  for (const segment of splitMentions(text, knownNames)) {
    if (segment.mention && !out.includes(segment.mention)) out.push(segment.mention);
  }
  return out;
}

/**
 * The partial mention being typed at the caret, for autocomplete: the text after the last '@'
 * before the caret, when that '@' starts a word and no line break follows it.
 *
 * @example mentionQueryAt('ping @Ad', 8) // { start: 5, query: 'Ad' }
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const head = text.slice(0, caret);
  const at = head.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && WORD_CHAR.test(head[at - 1]!)) return null;
  const query = head.slice(at + 1);
  if (query.length > 60 || /[\n@]/.test(query)) return null;
  return { start: at, query };
}
