import { BOARD_VIEWS, setBoardView, type BoardView } from './boardView.ts';

/** Canvas | Timeline | Board | Dashboard. Keyboard: arrow keys move between tabs (WAI-ARIA tabs). */
export function ViewTabs({ current }: { current: BoardView }) {
  return (
    <div className="view-tabs" role="tablist" aria-label="Board views">
      {BOARD_VIEWS.map((v, i) => (
        <button
          key={v.key}
          type="button"
          role="tab"
          id={`tab-${v.key}`}
          aria-selected={current === v.key}
          tabIndex={current === v.key ? 0 : -1}
          className={`view-tab${current === v.key ? ' active' : ''}`}
          onClick={() => setBoardView(v.key)}
          onKeyDown={(e) => {
            if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
            const next = BOARD_VIEWS[(i + (e.key === 'ArrowRight' ? 1 : BOARD_VIEWS.length - 1)) % BOARD_VIEWS.length]!;
            setBoardView(next.key);
            document.getElementById(`tab-${next.key}`)?.focus();
          }}
        >
          {v.label}
        </button>
      ))}
    </div>
  );
}
