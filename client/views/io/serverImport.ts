import { getRecentBoard } from '../../app/recentBoards.ts';
import type { ImportFormat } from './importFormats.ts';

/**
 * Imports a file through the server (POST /api/boards/:id/import) instead of the local
 * document: for imports whose update is larger than one WebSocket message may be (the server
 * closes a connection that sends one, and the client would retry it forever). The server
 * validates the file again, stores the update and sends it to every client, this one too.
 */
const CONTENT_TYPES: Record<ImportFormat, string> = { csv: 'text/csv', json: 'application/json', mspdi: 'application/xml' };

export type ServerImportResult = { ok: true; counts: Record<string, number | string | undefined> } | { ok: false; lines: string[] };

export async function importThroughServer(boardId: string, format: ImportFormat, text: string): Promise<ServerImportResult> {
  const token = getRecentBoard(localStorage, boardId)?.editToken ?? new URLSearchParams(location.search).get('token');
  if (!token) return { ok: false, lines: ['this browser does not have the edit link of this board'] };
  let response: Response;
  try {
    response = await fetch(`/api/boards/${encodeURIComponent(boardId)}/import?format=${format}`, {
      method: 'POST',
      headers: { 'content-type': CONTENT_TYPES[format], authorization: `Bearer ${token}` },
      body: text,
    });
  } catch {
    return { ok: false, lines: ['the server could not be reached; a file this large is imported through the server, so try again when online'] };
  }
  const body = (await response.json().catch(() => ({}))) as { imported?: Record<string, number | string>; error?: string; problems?: unknown[] };
  if (response.ok && body.imported) return { ok: true, counts: body.imported };
  const problems = (body.problems ?? []).map((p) => (typeof p === 'string' ? p : typeof p === 'object' && p && 'message' in p ? String((p as { message: unknown }).message) : JSON.stringify(p)));
  return { ok: false, lines: [body.error ?? `the server answered ${response.status}`, ...problems] };
}
