import { memo, useEffect } from 'react';
import { Circle, Group, Layer, Path, Text } from 'react-konva';
import type Konva from 'konva';
import { useStore } from 'zustand';
import type { CommentThread } from '../../shared/comments/types.ts';
import type { BoardSession } from '../board/session.ts';
import type { BoardModel } from '../canvas/boardModel.ts';
import type { CanvasStore } from '../canvas/store.ts';
import { rectsIntersect } from '../canvas/geometry.ts';
import { fitBounds, type Rect, type Size } from '../canvas/viewport.ts';
import { initials } from '../app/identity.ts';
import { useComments } from './commentsModel.ts';
import { commentsUiFor } from './commentsUi.ts';
import { openTaskComments } from './threadLookup.ts';

const PIN = 28;
const BADGE_H = 20;
const ACCENT = '#4f46e5';

/**
 * The comments layer of the canvas: a pin per open thread on a free point (resolved threads
 * are hidden, as in Figma), the pin of a thread being written, and a speech-bubble count of
 * open threads on each task card. Pins keep their size on screen at any zoom; only what is in
 * the culled rectangle is drawn. It also carries out the panel's "show on the board" requests.
 */
export const CommentLayer = memo(CommentLayerImpl, (a, b) =>
  // The canvas re-renders on every pan frame; the cull rectangle is tile-quantized, so redraw
  // only when it, the zoom, the size or the board really changed.
  a.session === b.session &&
  a.store === b.store &&
  a.model === b.model &&
  a.modelVersion === b.modelVersion &&
  a.zoom === b.zoom &&
  a.size.width === b.size.width &&
  a.size.height === b.size.height &&
  a.cull.x === b.cull.x &&
  a.cull.y === b.cull.y &&
  a.cull.w === b.cull.w &&
  a.cull.h === b.cull.h,
);

function CommentLayerImpl({
  session,
  store,
  model,
  cull,
  zoom,
  size,
}: {
  session: BoardSession;
  store: CanvasStore;
  model: BoardModel;
  cull: Rect;
  zoom: number;
  size: Size;
  /** model.version: task cards moved or were deleted (the counts follow them). */
  modelVersion: number;
}) {
  const comments = useComments(session.doc);
  const ui = commentsUiFor(session.doc);
  const draft = useStore(ui, (s) => s.draft);
  const focused = useStore(ui, (s) => s.focusedThreadId);
  const panelOpen = useStore(ui, (s) => s.panelOpen);
  const reveal = useStore(ui, (s) => s.reveal);

  // "Show on the board": centre the anchor (and select a task), once per request.
  useEffect(() => {
    if (!reveal || size.width === 0) return;
    const { anchor } = reveal;
    if (anchor.kind === 'task') {
      const task = model.tasks.get(anchor.taskId);
      if (task) {
        store.getState().setViewport(fitBounds(task, size, 120, Math.max(store.getState().viewport.zoom, 0.5)));
        store.getState().select([task.id]);
      }
    } else {
      const { zoom: z } = store.getState().viewport;
      store.getState().setViewport({ zoom: z, x: size.width / 2 - anchor.x * z, y: size.height / 2 - anchor.y * z });
    }
    ui.setState({ reveal: null });
  }, [reveal, size, model, store, ui]);

  const scale = 1 / zoom;
  const margin = PIN * 2 * scale;
  const pins = comments.threads.filter(
    (t): t is CommentThread & { anchor: { kind: 'point'; x: number; y: number } } =>
      t.anchor.kind === 'point' && !t.resolved && rectsIntersect({ x: t.anchor.x - margin, y: t.anchor.y - margin, w: margin * 2, h: margin * 2 }, cull),
  );
  const badges: { taskId: string; x: number; y: number; count: number }[] = [];
  for (const [taskId, count] of comments.openCounts) {
    const task = model.tasks.get(taskId);
    if (!task || !rectsIntersect(task, cull)) continue;
    badges.push({ taskId, x: task.x + task.w, y: task.y + task.h, count });
  }

  const openThread = (e: Konva.KonvaEventObject<PointerEvent>, threadId: string | null) => {
    // The click belongs to the pin: no selection, no marquee, no new pin underneath.
    e.cancelBubble = true;
    ui.getState().openPanel(threadId);
  };

  return (
    <Layer name="comments">
      {badges.map((b) => {
        const label = String(b.count);
        const w = 30 + label.length * 7;
        return (
          <Group
            key={b.taskId}
            name="comment-badge"
            x={b.x}
            y={b.y}
            scaleX={scale}
            scaleY={scale}
            onPointerDown={(e) => {
              e.cancelBubble = true;
              openTaskComments(session.doc, b.taskId);
            }}
          >
            <Group x={-w - 6} y={-BADGE_H - 6}>
              <Path data={`M4 0 H${w - 4} Q${w} 0 ${w} 4 V${BADGE_H - 4} Q${w} ${BADGE_H} ${w - 4} ${BADGE_H} H10 L4 ${BADGE_H + 5} L5 ${BADGE_H} H4 Q0 ${BADGE_H} 0 ${BADGE_H - 4} V4 Q0 0 4 0 Z`} fill={ACCENT} />
              {/* A tiny speech bubble icon (no emoji: not every system has a colour emoji font). */}
              <Path x={6} y={4} scaleX={0.5} scaleY={0.5} data="M21 12a8 8 0 0 1-11.6 7.1L4 20l1-4.6A8 8 0 1 1 21 12z" stroke="#ffffff" strokeWidth={2.4} listening={false} />
              <Text x={19} text={label} width={w - 23} height={BADGE_H} align="center" verticalAlign="middle" fontSize={11} fontStyle="600" fill="#ffffff" fontFamily="Inter, system-ui, sans-serif" listening={false} />
            </Group>
          </Group>
        );
      })}
      {pins.map((t) => (
        <Pin
          key={t.id}
          x={t.anchor.x}
          y={t.anchor.y}
          scale={scale}
          color={t.createdBy.color}
          label={initials(t.createdBy.name)}
          count={t.messages.length}
          active={panelOpen && focused === t.id}
          threadId={t.id}
          onPointerDown={(e) => openThread(e, t.id)}
        />
      ))}
      {draft?.kind === 'point' && <Pin x={draft.x} y={draft.y} scale={scale} color={ACCENT} label="+" count={0} active threadId="" />}
    </Layer>
  );
}

function Pin(props: {
  x: number;
  y: number;
  scale: number;
  color: string;
  label: string;
  count: number;
  active: boolean;
  threadId: string;
  onPointerDown?: (e: Konva.KonvaEventObject<PointerEvent>) => void;
}) {
  const { x, y, scale, color, label, count, active } = props;
  // A speech bubble whose tail tip is the anchored point.
  return (
    <Group x={x} y={y} scaleX={scale} scaleY={scale} name="comment-pin" id={props.threadId ? `pin-${props.threadId}` : undefined} onPointerDown={props.onPointerDown} listening={Boolean(props.onPointerDown)}>
      <Path
        data={`M0 0 L0 ${-PIN / 2} A${PIN / 2} ${PIN / 2} 0 1 1 ${PIN / 2} 0 Z`}
        fill="#ffffff"
        stroke={active ? ACCENT : '#cbd5e1'}
        strokeWidth={active ? 3 : 1.5}
        shadowColor="#000000"
        shadowOpacity={0.2}
        shadowBlur={6}
        shadowOffsetY={2}
        y={0}
      />
      <Circle x={PIN / 2} y={-PIN / 2} radius={PIN / 2 - 4} fill={color} listening={false} />
      <Text x={4} y={-PIN + 4} width={PIN - 8} height={PIN - 8} text={label} align="center" verticalAlign="middle" fontSize={10} fontStyle="700" fill="#ffffff" fontFamily="Inter, system-ui, sans-serif" listening={false} />
      {count > 1 && (
        <Group x={PIN - 4} y={-PIN - 2} listening={false}>
          <Circle radius={8} fill={ACCENT} stroke="#ffffff" strokeWidth={1.5} />
          <Text x={-8} y={-8} width={16} height={16} text={String(Math.min(count, 99))} align="center" verticalAlign="middle" fontSize={9} fontStyle="700" fill="#ffffff" />
        </Group>
      )}
    </Group>
  );
}
