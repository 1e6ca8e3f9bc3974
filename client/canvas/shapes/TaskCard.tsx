import { memo } from 'react';
import { Group, Rect, Text } from 'react-konva';
import type Konva from 'konva';
import { DEFAULT_STATUSES, type Task } from '../../../shared/schema/entities.ts';
import type { Detail } from '../lod.ts';
import { formatTaskDates } from './taskDates.ts';

export interface ShapeProps<T> {
  shape: T;
  detail: Detail;
  /** True while the HTML overlay edits this shape's text (the canvas text is hidden). */
  editing: boolean;
  register(id: string, node: Konva.Group | null): void;
}

const STATUS_COLORS: Record<string, string> = {
  todo: '#e2e8f0',
  'in-progress': '#bfdbfe',
  blocked: '#fecaca',
  done: '#bbf7d0',
};

export const TASK_PADDING = 12;
export const TASK_TITLE_FONT = 15;

function statusLabel(key: string): string {
  return DEFAULT_STATUSES.find((s) => s.key === key)?.label ?? key;
}

/** Height of the title block (the rest of the card holds assignee, status and dates). */
export function taskTitleHeight(t: Task): number {
  const footer = t.status !== '' || t.start !== '';
  return Math.max(0, t.h - TASK_PADDING * 2 - (footer ? 28 : 0) - (t.assignees.length > 0 ? 20 : 0));
}

/** A task card: title, then (once set) assignee, status chip and dates. */
export const TaskCard = memo(function TaskCard({ shape: t, detail, editing, register }: ShapeProps<Task>) {
  const dates = formatTaskDates(t.start, '');
  const footer = t.status !== '' || dates !== '';
  const titleHeight = taskTitleHeight(t);
  const chip = t.status ? statusLabel(t.status) : '';
  const chipWidth = chip.length * 6.6 + 16;
  return (
    <Group id={t.id} name="shape" x={t.x} y={t.y} width={t.w} height={t.h} ref={(node) => register(t.id, node)}>
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
              width={t.w - TASK_PADDING * 2}
              height={titleHeight}
              text={t.title || 'Untitled task'}
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
              y={t.h - TASK_PADDING - (footer ? 28 : 0) - 16}
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
              text={dates}
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
