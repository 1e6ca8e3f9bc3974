import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useStore } from 'zustand';
import { CHANGE_KINDS, changeLabel, settingLabel, summaryLine, type ChangeKind, type ChangeRef } from '../../shared/history/summary.ts';
import { MAX_VERSION_NAME_LENGTH, versionDisplayName, type VersionInfo } from '../../shared/history/versions.ts';
import type { BoardSession } from '../board/session.ts';
import { fetchVersionState, listVersions, saveVersion } from './historyApi.ts';
import { historyUiFor } from './historyUi.ts';
import { absoluteTime, relativeTime } from './relativeTime.ts';
import { API_AUTHOR_HINT, API_AUTHOR_TEXT, versionAuthors } from './versionAuthors.ts';

/** How often the open panel refreshes the list (automatic checkpoints appear by themselves). */
const REFRESH_MS = 15_000;

/**
 * The History side panel: versions newest first, each with its name ("Autosave" for automatic
 * checkpoints), when, who, and a one-line "what changed" that expands to the task names.
 * Editors can save a named version. Choosing a version previews it (VersionPreview).
 */
export function HistoryPanel({ session, editToken, viewToken }: { session: BoardSession; editToken?: string; viewToken?: string }) {
  const ui = historyUiFor(session.doc);
  const open = useStore(ui, (s) => s.panelOpen);
  const preview = useStore(ui, (s) => s.preview);
  const token = editToken ?? viewToken;
  const canEdit = !session.readOnly && !!editToken;
  const [versions, setVersions] = useState<VersionInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingId, setLoadingId] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  const refresh = useCallback(async () => {
    if (!token) return;
    const result = await listVersions(session.boardId, token);
    setNow(Date.now());
    if (result.ok) {
      setVersions(result.value);
      setError(null);
    } else setError(result.error);
  }, [session.boardId, token]);

  useEffect(() => {
    if (!open) return;
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [open, refresh]);

  // Someone's restore or edits may have made versions: refresh a little after the document changes.
  useEffect(() => {
    if (!open) return;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const onUpdate = () => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => void refresh(), 1500);
    };
    session.doc.on('update', onUpdate);
    return () => {
      session.doc.off('update', onUpdate);
      if (timer) clearTimeout(timer);
    };
  }, [open, refresh, session.doc]);

  // A restore or a save elsewhere in this tab asks for a refresh through the notice.
  const notice = useStore(ui, (s) => s.notice);
  useEffect(() => {
    if (open && notice) void refresh();
  }, [open, notice, refresh]);

  if (!open) return null;

  const select = async (version: VersionInfo) => {
    if (!token) return;
    if (preview?.version.id === version.id) return;
    setLoadingId(version.id);
    const state = await fetchVersionState(session.boardId, token, version.id);
    setLoadingId(null);
    if (!state.ok) return setError(state.error);
    try {
      ui.getState().startPreview(version, state.value);
    } catch {
      setError('This version could not be read.');
    }
  };

  return (
    <aside className="history-panel" aria-label="Version history" data-testid="history-panel">
      <div className="history-panel-header">
        <h2>Version history</h2>
        <button type="button" className="icon-button" aria-label="Close history" onClick={() => ui.getState().closePanel()}>
          ×
        </button>
      </div>
      {canEdit && editToken && <SaveVersionForm boardId={session.boardId} editToken={editToken} onSaved={() => void refresh()} />}
      {!token && <p className="history-empty">This browser has no link for this board’s history.</p>}
      {error && (
        <p className="history-error" role="alert">
          {error}
        </p>
      )}
      {versions && versions.length === 0 && (
        <p className="history-empty">No versions yet. Planvas saves one automatically every few minutes while people edit{canEdit ? ', or save one yourself' : ''}.</p>
      )}
      {versions === null && !error && token && <p className="history-empty">Loading…</p>}
      <ol className="history-list">
        {versions?.map((v) => (
          <VersionItem
            key={v.id}
            version={v}
            now={now}
            selected={preview?.version.id === v.id}
            loading={loadingId === v.id}
            onSelect={() => void select(v)}
          />
        ))}
      </ol>
    </aside>
  );
}

function VersionItem({ version, now, selected, loading, onSelect }: { version: VersionInfo; now: number; selected: boolean; loading: boolean; onSelect(): void }) {
  const [expanded, setExpanded] = useState(false);
  const line = summaryLine(version.summary);
  const kinds = CHANGE_KINDS.filter((k) => version.summary.counts[k] > 0);
  const { people, viaApi } = versionAuthors(version.authors);
  return (
    <li className={`history-item kind-${version.kind}${selected ? ' is-selected' : ''}`} data-testid="history-item" data-version-id={version.id}>
      <button type="button" className="history-item-main" onClick={onSelect} aria-current={selected ? 'true' : undefined}>
        <span className="history-item-top">
          <span className="history-item-name" title={versionDisplayName(version)}>
            {versionDisplayName(version)}
          </span>
          {version.kind === 'named' && <span className="tag history-tag">Named</span>}
          {version.kind === 'restore' && <span className="tag history-tag restore">Backup</span>}
        </span>
        <span className="history-item-meta">
          <time dateTime={version.createdAt} title={absoluteTime(version.createdAt)}>
            {relativeTime(version.createdAt, now)}
          </time>
          {people && <span className="history-authors"> · {people}</span>}
          {viaApi && (
            <span className="history-authors history-authors-api" title={API_AUTHOR_HINT}>
              {' '}
              · {API_AUTHOR_TEXT}
            </span>
          )}
          {loading && <span> · opening…</span>}
        </span>
        <span className="history-item-summary">{line}</span>
      </button>
      {kinds.length > 0 && (
        <button type="button" className="link-button history-details-toggle" aria-expanded={expanded} onClick={() => setExpanded((e) => !e)}>
          {expanded ? 'Hide details' : 'Details'}
        </button>
      )}
      {expanded && (
        <ul className="history-details">
          {kinds.map((kind) => {
            const items = version.summary[kind];
            const more = version.summary.counts[kind] - items.length;
            return (
              <li key={kind}>
                <strong>{changeLabel(kind, version.summary.counts[kind])}:</strong>{' '}
                {items.map((item) => changeRefText(kind, item)).join(', ')}
                {more > 0 && ` and ${more} more`}
              </li>
            );
          })}
        </ul>
      )}
    </li>
  );
}

/** One entry of the details: a title, "Old → New" for a rename, a setting by its name. */
function changeRefText(kind: ChangeKind, item: ChangeRef): string {
  // By id, not the stored title: versions saved before settings were named hold the raw field.
  if (kind === 'settingsChanged') return settingLabel(item.id);
  return item.from !== undefined ? `${item.from || 'Untitled'} → ${item.title || 'Untitled'}` : item.title || 'Untitled';
}

function SaveVersionForm({ boardId, editToken, onSaved }: { boardId: string; editToken: string; onSaved(): void }) {
  const [naming, setNaming] = useState(false);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (!naming) {
    return (
      <div className="history-save">
        <button
          type="button"
          className="button small primary"
          data-testid="history-save-version"
          onClick={() => {
            setName(`Version of ${new Date().toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}`);
            setNaming(true);
          }}
        >
          Save version
        </button>
      </div>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Give the version a name.');
    setBusy(true);
    const result = await saveVersion(boardId, editToken, trimmed);
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setNaming(false);
    setError(null);
    onSaved();
  };
  return (
    <form className="history-save" onSubmit={(e) => void submit(e)}>
      <label className="history-save-label" htmlFor="history-version-name">
        Name this version
      </label>
      <input
        id="history-version-name"
        className="input"
        autoFocus
        maxLength={MAX_VERSION_NAME_LENGTH}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onFocus={(e) => e.target.select()}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setNaming(false);
        }}
        data-testid="history-version-name"
      />
      <div className="history-save-actions">
        <button type="button" className="button small" onClick={() => setNaming(false)}>
          Cancel
        </button>
        <button type="submit" className="button small primary" disabled={busy} data-testid="history-save-confirm">
          {busy ? 'Saving…' : 'Save'}
        </button>
      </div>
      {error && (
        <p className="history-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
