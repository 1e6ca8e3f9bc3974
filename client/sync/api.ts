import type { ApiError, BoardInfoResponse, BoardRole, CreateBoardResponse } from '../../shared/protocol/api.ts';
import { readLinkRefusalReason, type LinkRefusalReason, type MintLinkResponse, type ResetLinkResponse } from '../../shared/protocol/links.ts';

/** Calls to the REST API (shared/protocol/api.ts). Errors are values, each with a message for people. */
export type ApiFailure =
  | { ok: false; kind: 'network'; message: string }
  | { ok: false; kind: 'unauthorized' | 'not-found' | 'server'; status: number; message: string }
  /** `reason`: the link is valid but was reset or has expired (the server says which). */
  | { ok: false; kind: 'forbidden'; status: number; message: string; reason?: LinkRefusalReason };

export type ApiResult<T> = { ok: true; value: T } | ApiFailure;

const LINK_RESET = 'This link was reset, so it no longer opens the board. Ask the person who shared it for the new link.';
const LINK_EXPIRED = 'This link has expired. Ask the person who shared it for a new one.';

const UNREACHABLE = "Can't reach the Planvas server. Check your connection and that the server is running, then try again.";

async function request<T>(path: string, init: RequestInit): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, cache: 'no-store' });
  } catch {
    return { ok: false, kind: 'network', message: UNREACHABLE };
  }
  if (response.ok) {
    try {
      return { ok: true, value: (await response.json()) as T };
    } catch {
      return { ok: false, kind: 'server', status: response.status, message: 'The server sent an unreadable answer.' };
    }
  }
  let detail = '';
  let reason: LinkRefusalReason | null = null;
  try {
    const body: unknown = await response.json();
    detail = String((body as Partial<ApiError> | null)?.error ?? '').slice(0, 300);
    reason = readLinkRefusalReason(body);
  } catch {
    detail = '';
  }
  const status = response.status;
  // A service worker or proxy answering for a server that is down.
  if (status === 502 || status === 503 || status === 504) return { ok: false, kind: 'network', message: UNREACHABLE };
  if (status === 401) return { ok: false, kind: 'unauthorized', status, message: 'This link has no access token.' };
  if (status === 403 && reason === 'revoked') return { ok: false, kind: 'forbidden', status, reason, message: LINK_RESET };
  if (status === 403 && reason === 'expired') return { ok: false, kind: 'forbidden', status, reason, message: LINK_EXPIRED };
  if (status === 403) return { ok: false, kind: 'forbidden', status, message: 'This link is not valid for this board.' };
  if (status === 404) return { ok: false, kind: 'not-found', status, message: 'There is no board at this link.' };
  return { ok: false, kind: 'server', status, message: `The server answered ${status}${detail ? `: ${detail}` : ''}.` };
}

export function createBoard(title: string): Promise<ApiResult<CreateBoardResponse>> {
  const body = title.trim() ? { title: title.trim() } : {};
  return request<CreateBoardResponse>('/api/boards', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

export function fetchBoardInfo(id: string, token: string): Promise<ApiResult<BoardInfoResponse>> {
  return request<BoardInfoResponse>(`/api/boards/${encodeURIComponent(id)}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
}

/** Mints another link of the board (edit token needed), optionally expiring: POST /api/boards/:id/links. */
export function mintLink(id: string, editToken: string, role: BoardRole, expiresInSeconds?: number): Promise<ApiResult<MintLinkResponse>> {
  return request<MintLinkResponse>(`/api/boards/${encodeURIComponent(id)}/links`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${editToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(expiresInSeconds === undefined ? { role } : { role, expiresInSeconds }),
  });
}

/** Resets a link (edit token needed): every older token of `role` stops working. POST /api/boards/:id/links/reset. */
export function resetLink(id: string, editToken: string, role: BoardRole): Promise<ApiResult<ResetLinkResponse>> {
  return request<ResetLinkResponse>(`/api/boards/${encodeURIComponent(id)}/links/reset`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${editToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ role }),
  });
}
