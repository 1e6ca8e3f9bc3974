import { memo } from 'react';
import { Group, Rect, Text } from 'react-konva';
import type Konva from 'konva';
import type { Task } from '../../../shared/schema/entities.ts';
import type { CardPlanInfo } from '../../plan/cardInfo.ts';
import type { Detail } from '../lod.ts';
import { formatTaskDates } from './taskDates.ts';
import { CARD_CLIP_PAD } from '../nodeExtents.ts';

export interface ShapeProps<T> {
  shape: T;
  detail: Detail;
  /** True while the HTML overlay edits this shape's text (the canvas text is hidden). */
  editing: boolean;
  register(id: string, node: Konva.Group | null): void;
}

export interface TaskCardProps extends ShapeProps<Task> {
  /** The task's place in the schedule; undefined until the plan has been computed. */
  info?: CardPlanInfo;
}

export const STATUS_COLORS: Record<string, string> = {
  todo: '#e2e8f0',
  'in-progress': '#bfdbfe',
  blocked: '#fecaca',
  done: '#bbf7d0',
};

export const TASK_PADDING = 12;
export const TASK_TITLE_FONT = 15;

/** Height of the title block (the rest of the card holds assignee, status and dates). */
export function taskTitleHeight(t: Task): number {
  // The footer (status chip and scheduled dates) is always there once the plan is computed.
  return Math.max(0, t.h - TASK_PADDING * 2 - 28 - (t.assignees.length > 0 ? 20 : 0));
}

/** A task card: title, assignees, status chip, scheduled dates, progress, and critical / late badges. */
export const TaskCard = memo(function TaskCard({ shape: t, detail, editing, register, info }: TaskCardProps) {
  const dates = info ? formatTaskDates(info.start, info.finish) : '';
  const titleHeight = taskTitleHeight(t);
  const chip = t.status ? (info?.statusLabel ?? t.status) : '';
  const chipWidth = chip.length * 6.6 + 16;
  const badges = info ? badgesOf(info) : [];
  const badgesWidth = badges.reduce((w, b) => w + b.width + 4, 0);
  return (
    // Clipped to its box (and the stroke around it): a partial redraw covers only the card's extent (nodeExtents.ts).
    <Group
      id={t.id}
      name="shape"
      x={t.x}
      y={t.y}
      width={t.w}
      height={t.h}
      clipX={-CARD_CLIP_PAD}
      clipY={-CARD_CLIP_PAD}
      clipWidth={t.w + 2 * CARD_CLIP_PAD}
      clipHeight={t.h + 2 * CARD_CLIP_PAD}
      ref={(node) => register(t.id, node)}
    >
      <Rect
        width={t.w}
        height={t.h}
        fill={t.color}
        stroke={detail === 'full' ? '#cbd5e1' : '#94a3b8'}
        strokeWidth={1}
        strokeScaleEnabled={false}
        cornerRadius={detail === 'full' ? 10 : 0}
        perfectDrawEnabled={false}
        shadowForStrokeEnabled={false}
      />
      {detail === 'full' && (
        <>
          <Rect width={4} height={t.h} fill="#6366f1" listening={false} perfectDrawEnabled={false} cornerRadius={[10, 0, 0, 10]} />
          {!editing && (
            <Text
              x={TASK_PADDING}
              y={TASK_PADDING}
              width={Math.max(20, t.w - TASK_PADDING * 2 - badgesWidth)}
              height={titleHeight}
              text={(info?.milestone ? '◆ ' : '') + (t.title || 'Untitled task')}
              fill={t.title ? '#0f172a' : '#94a3b8'}
              fontSize={TASK_TITLE_FONT}
              fontStyle="600"
              fontFamily="Inter, system-ui, sans-serif"
              lineHeight={1.3}
              wrap="word"
              ellipsis
              listening={false}
              perfectDrawEnabled={false}
            />
          )}
          {t.assignees.length > 0 && (
            <Text
              x={TASK_PADDING}
              y={t.h - TASK_PADDING - 28 - 16}
              width={t.w - TASK_PADDING * 2}
              text={`@ ${t.assignees.join(', ')}`}
              fill="#475569"
              fontSize={12}
              fontFamily="Inter, system-ui, sans-serif"
              wrap="none"
              ellipsis
              listening={false}
              perfectDrawEnabled={false}
            />
          )}
          {badges.map((b, i) => (
            <Group key={b.label} x={t.w - TASK_PADDING - badges.slice(i).reduce((w, x) => w + x.width + 4, 0) + 4} y={TASK_PADDING} listening={false}>
              <Rect width={b.width} height={18} cornerRadius={9} fill={b.fill} perfectDrawEnabled={false} />
              <Text width={b.width} height={18} text={b.label} align="center" verticalAlign="middle" fontSize={10} fontStyle="600" fill={b.text} fontFamily="Inter, system-ui, sans-serif" perfectDrawEnabled={false} />
            </Group>
          ))}
          {info && info.progress > 0 && (
            <Group x={4} y={t.h - 4} listening={false}>
              <Rect width={t.w - 8} height={3} fill="#e2e8f0" perfectDrawEnabled={false} />
              <Rect width={((t.w - 8) * info.progress) / 100} height={3} fill={info.progress >= 100 ? '#16a34a' : '#6366f1'} perfectDrawEnabled={false} />
            </Group>
          )}
          {chip && (
            <Group x={TASK_PADDING} y={t.h - TASK_PADDING - 20} listening={false}>
              <Rect width={chipWidth} height={20} cornerRadius={10} fill={STATUS_COLORS[t.status] ?? '#e2e8f0'} perfectDrawEnabled={false} />
              <Text width={chipWidth} height={20} text={chip} align="center" verticalAlign="middle" fontSize={11} fill="#1e293b" fontFamily="Inter, system-ui, sans-serif" perfectDrawEnabled={false} />
            </Group>
          )}
          {dates && (
            <Text
              x={TASK_PADDING + (chip ? chipWidth + 8 : 0)}
              y={t.h - TASK_PADDING - 20}
              width={Math.max(0, t.w - TASK_PADDING * 2 - (chip ? chipWidth + 8 : 0))}
              height={20}
              verticalAlign="middle"
              align={chip ? 'right' : 'left'}
              text={info && info.progress > 0 ? `${dates} · ${info.progress}%` : dates}
              fill="#64748b"
              fontSize={11}
              fontFamily="Inter, system-ui, sans-serif"
              wrap="none"
              ellipsis
              listening={false}
              perfectDrawEnabled={false}
            />
          )}
        </>
      )}
    </Group>
  );
});

export interface Badge {
  label: string;
  width: number;
  fill: string;
  text: string;
}

export function badgesOf(info: CardPlanInfo): Badge[] {
  const out: Badge[] = [];
  const badge = (label: string, fill: string, text: string) => out.push({ label, width: label.length * 6 + 12, fill, text });
  if (info.warning) badge('⚠', '#ffedd5', '#9a3412');
  if (info.late) badge('Late', '#fef3c7', '#92400e');
  if (info.critical && !info.summary) badge('Critical', '#fee2e2', '#b91c1c');
  return out;
}
