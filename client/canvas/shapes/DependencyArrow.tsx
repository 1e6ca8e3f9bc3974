import { memo } from 'react';
import { Arrow } from 'react-konva';
import type Konva from 'konva';
import type { Dependency, Task } from '../../../shared/schema/entities.ts';
import { arrowPoints } from '../geometry.ts';

export const ARROW_COLOR = '#64748b';
export const ARROW_SELECTED = '#2563eb';

interface Props {
  dep: Dependency;
  from: Task;
  to: Task;
  selected: boolean;
  register(id: string, node: Konva.Arrow | null): void;
}

/**
 * A dependency: from the border of the predecessor card to the border of the successor.
 * Re-rendered when either task object changes; during a drag the canvas moves it directly.
 */
export const DependencyArrow = memo(function DependencyArrow({ dep, from, to, selected, register }: Props) {
  const points = arrowPoints(from, to);
  return (
    <Arrow
      id={dep.id}
      name="dep"
      ref={(node) => register(dep.id, node)}
      points={points ?? [0, 0, 0, 0]}
      visible={points !== null}
      stroke={selected ? ARROW_SELECTED : ARROW_COLOR}
      fill={selected ? ARROW_SELECTED : ARROW_COLOR}
      strokeWidth={selected ? 3 : 2}
      hitStrokeWidth={14}
      pointerLength={10}
      pointerWidth={10}
      perfectDrawEnabled={false}
    />
  );
});
