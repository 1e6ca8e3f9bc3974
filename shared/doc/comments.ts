import * as Y from 'yjs';
import { z } from 'zod';
import { newId, isValidId } from '../ids.ts';
import { MAX_COORDINATE } from '../schema/entities.ts';
import { parseMentions } from '../comments/mentions.ts';
import {
  MAX_AUTHOR_NAME_LENGTH,
  MAX_COMMENT_TEXT_LENGTH,
  MAX_MENTIONS_PER_MESSAGE,
  MAX_MESSAGES_PER_THREAD,
  MAX_THREADS_PER_BOARD,
  type CommentAnchor,
  type CommentAuthor,
  type CommentMessage,
  type CommentThread,
} from '../comments/types.ts';
import { setBoardSetting } from './planOps.ts';
import { boardMaps } from './structure.ts';

/**
 * Comment threads in the document: top-level Y.Map `comments`, thread id -> Y.Map
 * {anchorKind, taskId, x, y, resolved, resolvedBy, createdAt, createdBy {name, color},
 * messages: Y.Array<Y.Map {id, author, color, text, createdAt, mentions, editedAt?}>}.
 * Messages are a Y.Array so concurrent replies both land; each thread field is its own key
 * so a resolve and a reply merge. docs/schema.md is the prose version.
 */
export const COMMENTS_MAP = 'comments';

export function commentsMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(COMMENTS_MAP);
}

/** Why an op wrote nothing: the caller maps these to messages (or HTTP 400/404/409). */
export type CommentFailure = 'invalid' | 'not-found' | 'limit';
export type CommentResult<T> = { ok: true; value: T } | { ok: false; reason: CommentFailure; error: string };

const fail = (reason: CommentFailure, error: string): { ok: false; reason: CommentFailure; error: string } => ({ ok: false, reason, error });

const HEX_COLOR = /^#[0-9a-fA-F]{6}$/;
const FALLBACK_COLOR = '#607d8b';

/** Author names and colours come from whoever writes; normalise, never trust. */
export function cleanAuthor(author: CommentAuthor): CommentAuthor {
  const name = String(author.name ?? '').replace(/\p{Cc}/gu, ' ').trim().slice(0, MAX_AUTHOR_NAME_LENGTH) || 'Anonymous';
  const color = HEX_COLOR.test(author.color) ? author.color.toLowerCase() : FALLBACK_COLOR;
  return { name, color };
}

/** The text as it will be stored, or an error: trailing space trimmed, never empty, never over the limit. */
function cleanText(text: string): CommentResult<string> {
  const trimmed = text.replace(/\s+$/u, '').replace(/^\s*\n/u, '');
  if (!trimmed.trim()) return fail('invalid', 'a comment cannot be empty');
  if (trimmed.length > MAX_COMMENT_TEXT_LENGTH) return fail('invalid', `a comment is at most ${MAX_COMMENT_TEXT_LENGTH} characters`);
  return { ok: true, value: trimmed };
}

function validAnchor(anchor: CommentAnchor): boolean {
  if (anchor.kind === 'task') return isValidId(anchor.taskId);
  return anchor.kind === 'point' && [anchor.x, anchor.y].every((v) => Number.isFinite(v) && Math.abs(v) <= MAX_COORDINATE);
}

function newMessage(text: string, author: CommentAuthor, knownNames: Iterable<string>, now: string): { id: string; map: Y.Map<unknown> } {
  const id = newId();
  const map = new Y.Map<unknown>();
  map.set('id', id);
  map.set('author', author.name);
  map.set('color', author.color);
  map.set('text', text);
  map.set('createdAt', now);
  map.set('mentions', parseMentions(text, knownNames).slice(0, MAX_MENTIONS_PER_MESSAGE));
  return { id, map };
}

export interface NewThread {
  anchor: CommentAnchor;
  text: string;
  author: CommentAuthor;
  /** Names that count as @mentions (people on the board, task assignees). */
  knownNames?: Iterable<string>;
  /** ISO timestamp; the caller's clock (injected so tests are deterministic). */
  now?: string;
}

/**
 * Starts a thread with its first message. On a task, the task must exist when the thread is
 * created (it may be deleted later; the thread is kept).
 *
 * @example createThread(doc, { anchor: { kind: 'point', x: 10, y: 20 }, text: 'why?', author }, origin)
 */
export function createThread(doc: Y.Doc, input: NewThread, origin?: unknown): CommentResult<{ threadId: string; messageId: string }> {
  if (!validAnchor(input.anchor)) return fail('invalid', 'the anchor must be a task id or a point on the canvas');
  const text = cleanText(input.text);
  if (!text.ok) return text;
  const comments = commentsMap(doc);
  if (comments.size >= MAX_THREADS_PER_BOARD) return fail('limit', `a board holds at most ${MAX_THREADS_PER_BOARD} comment threads`);
  if (input.anchor.kind === 'task' && !(boardMaps(doc).tasks.get(input.anchor.taskId) instanceof Y.Map)) {
    return fail('not-found', 'unknown task');
  }
  const author = cleanAuthor(input.author);
  const now = input.now ?? new Date().toISOString();
  const threadId = newId();
  let messageId = '';
  doc.transact(() => {
    const thread = new Y.Map<unknown>();
    thread.set('anchorKind', input.anchor.kind);
    if (input.anchor.kind === 'task') thread.set('taskId', input.anchor.taskId);
    else {
      thread.set('x', input.anchor.x);
      thread.set('y', input.anchor.y);
    }
    thread.set('resolved', false);
    thread.set('resolvedBy', '');
    thread.set('createdAt', now);
    thread.set('createdBy', author);
    const messages = new Y.Array<Y.Map<unknown>>();
    const first = newMessage(text.value, author, input.knownNames ?? [], now);
    messageId = first.id;
    messages.push([first.map]);
    thread.set('messages', messages);
    comments.set(threadId, thread);
  }, origin);
  return { ok: true, value: { threadId, messageId } };
}

function threadMaps(doc: Y.Doc, threadId: string): { thread: Y.Map<unknown>; messages: Y.Array<unknown> } | null {
  const thread = commentsMap(doc).get(threadId);
  if (!(thread instanceof Y.Map)) return null;
  const messages = thread.get('messages');
  if (!(messages instanceof Y.Array)) return null;
  return { thread, messages };
}

export interface NewReply {
  text: string;
  author: CommentAuthor;
  knownNames?: Iterable<string>;
  now?: string;
}

/** Adds a reply to a thread (replying to a resolved thread leaves it resolved; reopen is explicit). */
export function reply(doc: Y.Doc, threadId: string, input: NewReply, origin?: unknown): CommentResult<{ messageId: string }> {
  const text = cleanText(input.text);
  if (!text.ok) return text;
  const found = threadMaps(doc, threadId);
  if (!found) return fail('not-found', 'unknown thread');
  if (found.messages.length >= MAX_MESSAGES_PER_THREAD) return fail('limit', `a thread holds at most ${MAX_MESSAGES_PER_THREAD} messages`);
  const message = newMessage(text.value, cleanAuthor(input.author), input.knownNames ?? [], input.now ?? new Date().toISOString());
  doc.transact(() => found.messages.push([message.map]), origin);
  return { ok: true, value: { messageId: message.id } };
}

function setResolved(doc: Y.Doc, threadId: string, resolved: boolean, by: string, origin: unknown): CommentResult<null> {
  const found = threadMaps(doc, threadId);
  if (!found) return fail('not-found', 'unknown thread');
  doc.transact(() => {
    found.thread.set('resolved', resolved);
    found.thread.set('resolvedBy', resolved ? by.trim().slice(0, MAX_AUTHOR_NAME_LENGTH) : '');
  }, origin);
  return { ok: true, value: null };
}

export function resolveThread(doc: Y.Doc, threadId: string, by: string, origin?: unknown): CommentResult<null> {
  return setResolved(doc, threadId, true, by, origin);
}

export function reopenThread(doc: Y.Doc, threadId: string, origin?: unknown): CommentResult<null> {
  return setResolved(doc, threadId, false, '', origin);
}

function messageIndex(messages: Y.Array<unknown>, messageId: string): number {
  return messages.toArray().findIndex((m) => m instanceof Y.Map && m.get('id') === messageId);
}

/**
 * Deletes one message (the UI offers it on one's own messages). Deleting the last message of
 * a thread deletes the thread: an empty thread has nothing to show.
 */
export function deleteMessage(doc: Y.Doc, threadId: string, messageId: string, origin?: unknown): CommentResult<null> {
  const found = threadMaps(doc, threadId);
  if (!found) return fail('not-found', 'unknown thread');
  const index = messageIndex(found.messages, messageId);
  if (index < 0) return fail('not-found', 'unknown message');
  doc.transact(() => {
    if (found.messages.length <= 1) commentsMap(doc).delete(threadId);
    else found.messages.delete(index, 1);
  }, origin);
  return { ok: true, value: null };
}

/** Replaces the text of a message and stamps `editedAt`. */
export function editMessage(
  doc: Y.Doc,
  threadId: string,
  messageId: string,
  input: { text: string; knownNames?: Iterable<string>; now?: string },
  origin?: unknown,
): CommentResult<null> {
  const text = cleanText(input.text);
  if (!text.ok) return text;
  const found = threadMaps(doc, threadId);
  if (!found) return fail('not-found', 'unknown thread');
  const index = messageIndex(found.messages, messageId);
  const message = index < 0 ? undefined : found.messages.get(index);
  if (!(message instanceof Y.Map)) return fail('not-found', 'unknown message');
  doc.transact(() => {
    message.set('text', text.value);
    message.set('mentions', parseMentions(text.value, input.knownNames ?? []).slice(0, MAX_MENTIONS_PER_MESSAGE));
    message.set('editedAt', input.now ?? new Date().toISOString());
  }, origin);
  return { ok: true, value: null };
}

export function deleteThread(doc: Y.Doc, threadId: string, origin?: unknown): void {
  doc.transact(() => commentsMap(doc).delete(threadId), origin);
}

/** The board setting "viewers may comment" (meta key `viewersMayComment`, off by default). */
export function setViewersMayComment(doc: Y.Doc, value: boolean, origin?: unknown): boolean {
  return setBoardSetting(doc, 'viewersMayComment', value, origin);
}

// ---- reading -----------------------------------------------------------------------------

export interface CommentProblem {
  threadId: string;
  message: string;
}

const text = (max: number) => z.string().transform((s) => s.slice(0, max));
const isoish = z.string().max(40);
const messageSchema = z.object({
  id: z.string().min(1).max(100),
  author: text(MAX_AUTHOR_NAME_LENGTH).catch('Anonymous'),
  color: z.string().regex(HEX_COLOR).catch(FALLBACK_COLOR),
  text: text(MAX_COMMENT_TEXT_LENGTH),
  createdAt: isoish.catch(''),
  mentions: z.array(text(MAX_AUTHOR_NAME_LENGTH)).max(MAX_MENTIONS_PER_MESSAGE).catch([]),
  editedAt: isoish.catch(''),
});
const coordinate = z.number().finite().min(-MAX_COORDINATE).max(MAX_COORDINATE);

function plain(map: Y.Map<unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  map.forEach((value, key) => {
    out[key] = value instanceof Y.Text ? value.toString() : value;
  });
  return out;
}

function readAnchor(raw: Record<string, unknown>): CommentAnchor | null {
  if (raw.anchorKind === 'task') return isValidId(raw.taskId) ? { kind: 'task', taskId: raw.taskId } : null;
  if (raw.anchorKind === 'point') {
    const x = coordinate.safeParse(raw.x);
    const y = coordinate.safeParse(raw.y);
    return x.success && y.success ? { kind: 'point', x: x.data, y: y.data } : null;
  }
  return null;
}

function readMessages(value: unknown, threadId: string, report: (p: CommentProblem) => void): CommentMessage[] {
  if (!(value instanceof Y.Array)) return [];
  const out: CommentMessage[] = [];
  const items = value.toArray().slice(0, MAX_MESSAGES_PER_THREAD);
  for (const item of items) {
    const parsed = item instanceof Y.Map ? messageSchema.safeParse(plain(item)) : null;
    if (parsed?.success) out.push(parsed.data);
    else report({ threadId, message: 'a message is not readable; skipped' });
  }
  if (value.length > MAX_MESSAGES_PER_THREAD) report({ threadId, message: `more than ${MAX_MESSAGES_PER_THREAD} messages; the rest are not shown` });
  return out;
}

/** One thread, or null (and a problem) when it cannot be shown: no usable anchor or no readable message. */
export function readThread(doc: Y.Doc, threadId: string, value: unknown, report: (p: CommentProblem) => void = () => {}): CommentThread | null {
  if (!(value instanceof Y.Map) || !isValidId(threadId)) {
    report({ threadId, message: 'entry is not a thread; skipped' });
    return null;
  }
  const raw = plain(value);
  const anchor = readAnchor(raw);
  if (!anchor) {
    report({ threadId, message: 'thread without a usable anchor; skipped' });
    return null;
  }
  const messages = readMessages(raw.messages, threadId, report);
  if (messages.length === 0) {
    report({ threadId, message: 'thread without a readable message; skipped' });
    return null;
  }
  const createdBy = z.object({ name: z.string(), color: z.string() }).safeParse(raw.createdBy);
  return {
    id: threadId,
    anchor,
    resolved: raw.resolved === true,
    resolvedBy: raw.resolved === true && typeof raw.resolvedBy === 'string' ? raw.resolvedBy.slice(0, MAX_AUTHOR_NAME_LENGTH) : '',
    createdAt: typeof raw.createdAt === 'string' ? raw.createdAt.slice(0, 40) : messages[0]!.createdAt,
    createdBy: createdBy.success ? cleanAuthor(createdBy.data) : { name: messages[0]!.author, color: messages[0]!.color },
    messages,
    taskDeleted: anchor.kind === 'task' && !(boardMaps(doc).tasks.get(anchor.taskId) instanceof Y.Map),
  };
}

/**
 * Every readable thread, oldest first (ties by id), at most MAX_THREADS_PER_BOARD. Bad
 * entries are skipped and reported, never thrown: the document is written by untrusted peers.
 */
export function readComments(doc: Y.Doc, report: (p: CommentProblem) => void = () => {}): CommentThread[] {
  const out: CommentThread[] = [];
  commentsMap(doc).forEach((value, id) => {
    if (out.length >= MAX_THREADS_PER_BOARD) return;
    const thread = readThread(doc, id, value, report);
    if (thread) out.push(thread);
  });
  return out.sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * Per task id, the number of its open (unresolved) threads: what cards and the timeline grid
 * show, as Figma and Miro do. Resolved threads do not count.
 */
export function openThreadCounts(threads: readonly CommentThread[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const thread of threads) {
    if (thread.resolved || thread.anchor.kind !== 'task') continue;
    counts.set(thread.anchor.taskId, (counts.get(thread.anchor.taskId) ?? 0) + 1);
  }
  return counts;
}

/**
 * Names that count as @mentions besides the people present: every task assignee and every
 * comment author on the board (so a reply can mention whoever wrote before, even offline).
 */
export function boardPeopleNames(doc: Y.Doc): Set<string> {
  const names = new Set<string>();
  boardMaps(doc).tasks.forEach((task) => {
    if (!(task instanceof Y.Map)) return;
    const assignees = task.get('assignees');
    if (Array.isArray(assignees)) for (const a of assignees.slice(0, 50)) if (typeof a === 'string' && a.trim()) names.add(a.trim().slice(0, MAX_AUTHOR_NAME_LENGTH));
    const legacy = task.get('assignee');
    if (typeof legacy === 'string' && legacy.trim()) names.add(legacy.trim().slice(0, MAX_AUTHOR_NAME_LENGTH));
  });
  for (const thread of readComments(doc)) for (const m of thread.messages) names.add(m.author);
  return names;
}
