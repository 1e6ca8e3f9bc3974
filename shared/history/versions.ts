import { readSummary, type VersionSummary } from './summary.ts';

/**
 * One version of a board as the REST API returns it (GET /api/boards/:id/versions, docs/api.md
 * "Versions"): the record without its state.
 */
export interface VersionInfo {
  id: string;
  /** '' for an automatic checkpoint (shown as "Autosave"). */
  name: string;
  kind: 'auto' | 'named' | 'restore';
  /** ISO 8601. */
  createdAt: string;
  /** People (and "API") who changed the board since the version before. */
  authors: string[];
  summary: VersionSummary;
  /** For kind 'restore': the version that was restored. */
  restoredFrom?: string;
}

export const MAX_VERSION_NAME_LENGTH = 120;

/** The name people see: the given one, or "Autosave" for an automatic checkpoint. */
export function versionDisplayName(v: Pick<VersionInfo, 'name' | 'kind'>): string {
  return v.name.trim() || (v.kind === 'auto' ? 'Autosave' : 'Version');
}

/** A version list from the network (untrusted): unusable entries are dropped, never thrown on. */
export function readVersionList(value: unknown): VersionInfo[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item): VersionInfo[] => {
    if (!item || typeof item !== 'object') return [];
    const r = item as Record<string, unknown>;
    if (typeof r.id !== 'string' || typeof r.createdAt !== 'string') return [];
    const kind = r.kind === 'named' || r.kind === 'restore' ? r.kind : 'auto';
    const info: VersionInfo = {
      id: r.id,
      name: typeof r.name === 'string' ? r.name : '',
      kind,
      createdAt: r.createdAt,
      authors: Array.isArray(r.authors) ? r.authors.filter((a): a is string => typeof a === 'string') : [],
      summary: readSummary(r.summary),
    };
    if (typeof r.restoredFrom === 'string') info.restoredFrom = r.restoredFrom;
    return [info];
  });
}
