import { useStore } from 'zustand';
import { getAction, runAction } from '../actions/registry.ts';
import { formatShortcut } from '../actions/shortcuts.ts';
import type { ActionContext } from '../actions/types.ts';
import { ActionIcon } from './icons.tsx';

/** Bottom-left zoom widget: −, the zoom percentage (click: 100%), +, zoom to fit. */
export function ZoomControls({ ctx }: { ctx: ActionContext }) {
  const zoom = useStore(ctx.store, (s) => s.viewport.zoom);
  const tip = (id: string) => {
    const a = getAction(id);
    return a.shortcuts[0] ? `${a.label} (${formatShortcut(a.shortcuts[0])})` : a.label;
  };
  return (
    <div className="pv-zoom" onPointerDown={(e) => e.stopPropagation()} onMouseDown={(e) => e.preventDefault()}>
      <button type="button" className="pv-tool" data-action="view.zoomOut" aria-label="Zoom out" data-tip={tip('view.zoomOut')} onClick={() => runAction('view.zoomOut', ctx)}>
        <ActionIcon id="view.zoomOut" />
      </button>
      <button type="button" className="pv-zoom-value" data-action="view.zoomReset" data-testid="zoom-value" title="Reset to 100%" onClick={() => runAction('view.zoomReset', ctx)}>
        {Math.round(zoom * 100)}%
      </button>
      <button type="button" className="pv-tool" data-action="view.zoomIn" aria-label="Zoom in" data-tip={tip('view.zoomIn')} onClick={() => runAction('view.zoomIn', ctx)}>
        <ActionIcon id="view.zoomIn" />
      </button>
      <button type="button" className="pv-tool" data-action="view.zoomToFit" aria-label="Zoom to fit" data-tip={tip('view.zoomToFit')} onClick={() => runAction('view.zoomToFit', ctx)}>
        <ActionIcon id="view.zoomToFit" />
      </button>
    </div>
  );
}
