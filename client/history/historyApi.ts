import type { ApiError } from '../../shared/protocol/api.ts';
import { readVersionList, type VersionInfo } from '../../shared/history/versions.ts';

/**
 * The version-history REST endpoints (docs/api.md "Versions"). Every call returns a value,
 * never throws: `{ok: false, error}` carries a message for people.
 */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: string };

const base = (boardId: string) => `/api/boards/${encodeURIComponent(boardId)}/versions`;

async function call(url: string, token: string, init: RequestInit = {}): Promise<ApiResult<Response>> {
  let response: Response;
  try {
    response = await fetch(url, { cache: 'no-store', ...init, headers: { ...(init.headers ?? {}), Authorization: `Bearer ${token}` } });
  } catch {
    return { ok: false, error: "Can't reach the server. Version history needs a connection." };
  }
  if (response.ok) return { ok: true, value: response };
  let detail: string | undefined;
  try {
    detail = ((await response.json()) as Partial<ApiError>).error;
  } catch {
    detail = undefined;
  }
  return { ok: false, error: detail ? `${detail.charAt(0).toUpperCase()}${detail.slice(1)}.` : `The server answered ${response.status}.` };
}

export async function listVersions(boardId: string, token: string): Promise<ApiResult<VersionInfo[]>> {
  const res = await call(base(boardId), token);
  if (!res.ok) return res;
  try {
    return { ok: true, value: readVersionList(await res.value.json()) };
  } catch {
    return { ok: false, error: 'The server sent an unreadable version list.' };
  }
}

/** "Save version" (kind 'named'), or with `restoredFrom` the backup taken before a restore. */
export async function saveVersion(boardId: string, token: string, name: string, restoredFrom?: string): Promise<ApiResult<VersionInfo>> {
  const res = await call(base(boardId), token, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(restoredFrom ? { name, restoredFrom } : { name }),
  });
  if (!res.ok) return res;
  const [saved] = readVersionList([await res.value.json().catch(() => null)]);
  return saved ? { ok: true, value: saved } : { ok: false, error: 'The server sent an unreadable answer.' };
}

/** The stored state of a version (a Yjs update), for preview and restore. */
export async function fetchVersionState(boardId: string, token: string, versionId: string): Promise<ApiResult<Uint8Array>> {
  const res = await call(`${base(boardId)}/${encodeURIComponent(versionId)}/state`, token);
  if (!res.ok) return res;
  return { ok: true, value: new Uint8Array(await res.value.arrayBuffer()) };
}
