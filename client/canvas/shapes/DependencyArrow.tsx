import { memo } from 'react';
import { Arrow, Group, Rect, Text } from 'react-konva';
import type Konva from 'konva';
import type { Dependency, Task } from '../../../shared/schema/entities.ts';
import { arrowPoints } from '../geometry.ts';
import { dependencyLabel } from './dependencyLabel.ts';
import { ARROW_SELECTED, LINK_LABEL_FONT, LINK_LABEL_HEIGHT, LINK_TONE_COLORS, linkLabelWidth } from './linkStyle.ts';
import type { LinkTone } from '../../plan/cardInfo.ts';

export { ARROW_COLOR, ARROW_SELECTED } from './linkStyle.ts';

interface Props {
  dep: Dependency;
  from: Task;
  to: Task;
  selected: boolean;
  /** Draw the type/lag label (not when zoomed out to the low level of detail). */
  showLabel: boolean;
  register(id: string, node: Konva.Group | null): void;
  /** On the critical path (red) or on a dependency loop (dashed orange). */
  tone: LinkTone;
}

function midpoint(points: readonly number[] | null): { x: number; y: number } {
  if (!points) return { x: 0, y: 0 };
  return { x: (points[0]! + points[2]!) / 2, y: (points[1]! + points[3]!) / 2 };
}

/**
 * A dependency: from the border of the predecessor card to the border of the successor,
 * with a small 'SS +2d' label at its midpoint unless it is a plain finish-to-start link.
 * Re-rendered when either task object changes; during a drag the canvas moves it directly
 * with `placeDependency`.
 */
export const DependencyArrow = memo(function DependencyArrow({ dep, from, to, selected, showLabel, register, tone }: Props) {
  const points = arrowPoints(from, to);
  const label = showLabel ? dependencyLabel(dep) : null;
  const labelWidth = label ? linkLabelWidth(label) : 0;
  const mid = midpoint(points);
  const color = selected ? ARROW_SELECTED : LINK_TONE_COLORS[tone];
  return (
    // The group's own visibility belongs to draw culling (drawCulling.ts): a link without points
    // hides its arrow and label instead.
    <Group id={dep.id} name="dep" ref={(node) => register(dep.id, node)}>
      <Arrow
        name="dep-arrow"
        visible={points !== null}
        points={points ?? [0, 0, 0, 0]}
        stroke={color}
        fill={color}
        strokeWidth={selected ? 3 : 2}
        dash={tone === 'cycle' ? [8, 6] : undefined}
        hitStrokeWidth={14}
        pointerLength={10}
        pointerWidth={10}
        perfectDrawEnabled={false}
      />
      {label && (
        <Group name="dep-label" visible={points !== null} x={mid.x} y={mid.y} offsetX={labelWidth / 2} offsetY={LINK_LABEL_HEIGHT / 2}>
          <Rect width={labelWidth} height={LINK_LABEL_HEIGHT} cornerRadius={LINK_LABEL_HEIGHT / 2} fill="#ffffff" stroke={color} strokeWidth={1} perfectDrawEnabled={false} />
          <Text
            width={labelWidth}
            height={LINK_LABEL_HEIGHT}
            text={label}
            align="center"
            verticalAlign="middle"
            fontSize={LINK_LABEL_FONT}
            fontStyle="600"
            fontFamily="Inter, system-ui, sans-serif"
            fill={selected ? ARROW_SELECTED : '#334155'}
            listening={false}
            perfectDrawEnabled={false}
          />
        </Group>
      )}
    </Group>
  );
});

/** Moves a drawn dependency (arrow and label) to `points`; hides it when null. */
export function placeDependency(node: Konva.Group, points: [number, number, number, number] | null): void {
  const arrow = node.findOne<Konva.Arrow>('.dep-arrow');
  const label = node.findOne('.dep-label');
  arrow?.visible(points !== null);
  label?.visible(points !== null);
  if (!points) return;
  arrow?.points(points);
  label?.position(midpoint(points));
}
