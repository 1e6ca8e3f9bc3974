import type { BoardSession } from '../board/session.ts';
import { BoardCanvas } from '../canvas/BoardCanvas.tsx';

/** The canvas fills the board body; it has its own toolbar and zoom widget. */
export function CanvasHost({ session }: { session: BoardSession }) {
  return (
    <div className="canvas-host">
      <BoardCanvas session={session} />
    </div>
  );
}
