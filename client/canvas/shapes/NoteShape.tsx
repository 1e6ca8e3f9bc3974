import { memo } from 'react';
import { Group, Rect, Text } from 'react-konva';
import type { Note } from '../../../shared/schema/entities.ts';
import type { ShapeProps } from './TaskCard.tsx';

export const NOTE_PADDING = 14;
export const NOTE_FONT = 16;

/** A sticky note: its text wrapped and clipped to the square. */
export const NoteShape = memo(function NoteShape({ shape: n, detail, editing, register }: ShapeProps<Note>) {
  return (
    <Group id={n.id} name="shape" x={n.x} y={n.y} width={n.w} height={n.h} ref={(node) => register(n.id, node)}>
      <Rect
        width={n.w}
        height={n.h}
        fill={n.color}
        cornerRadius={detail === 'full' ? 4 : 0}
        shadowColor="#000"
        shadowOpacity={detail === 'full' ? 0.12 : 0}
        shadowBlur={detail === 'full' ? 8 : 0}
        shadowOffsetY={2}
        shadowForStrokeEnabled={false}
        perfectDrawEnabled={false}
      />
      {detail === 'full' && !editing && (
        <Text
          x={NOTE_PADDING}
          y={NOTE_PADDING}
          width={n.w - NOTE_PADDING * 2}
          height={n.h - NOTE_PADDING * 2}
          text={n.text}
          fill="#1f2937"
          fontSize={NOTE_FONT}
          fontFamily="Inter, system-ui, sans-serif"
          lineHeight={1.35}
          wrap="word"
          ellipsis
          listening={false}
          perfectDrawEnabled={false}
        />
      )}
    </Group>
  );
});
