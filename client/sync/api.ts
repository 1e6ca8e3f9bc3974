import type { ApiError, BoardInfoResponse, CreateBoardResponse } from '../../shared/protocol/api.ts';

/** Calls to the REST API (shared/protocol/api.ts). Errors are values, each with a message for people. */
export type ApiFailure =
  | { ok: false; kind: 'network'; message: string }
  | { ok: false; kind: 'unauthorized' | 'forbidden' | 'not-found' | 'server'; status: number; message: string };

export type ApiResult<T> = { ok: true; value: T } | ApiFailure;

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
  try {
    detail = ((await response.json()) as ApiError).error ?? '';
  } catch {
    detail = '';
  }
  const status = response.status;
  // A service worker or proxy answering for a server that is down.
  if (status === 502 || status === 503 || status === 504) return { ok: false, kind: 'network', message: UNREACHABLE };
  if (status === 401) return { ok: false, kind: 'unauthorized', status, message: 'This link has no access token.' };
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
