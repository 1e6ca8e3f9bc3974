import { useEffect, type RefObject } from 'react';
import type { BoardSession } from '../board/session.ts';
import type { ActionContext } from '../actions/types.ts';
import type { CanvasStore, Tool } from './store.ts';
import type { PointerController } from './interactions/pointer.ts';
import { bindKeyboard } from './interactions/keyboard.ts';
import { bindWheel } from './interactions/wheel.ts';

export interface CanvasInputDeps {
  session: BoardSession;
  store: CanvasStore;
  pointer: PointerController;
  tool: Tool;
  /** The canvas's root element; mounted before the effects run. */
  containerRef: RefObject<HTMLDivElement | null>;
  /** The current action context (keyboard shortcuts and the clipboard run actions with it). */
  ctxRef: RefObject<ActionContext | null>;
  /** Whether Space is held (a temporary hand tool), read by the pointer controller. */
  spaceHeld: RefObject<boolean>;
}

/**
 * The canvas's DOM input that is not a Konva event: keyboard shortcuts and the clipboard, the
 * wheel (zoom and pan), the cursor style, and the container's pointer moves (the last pointer, for
 * paste, and the own cursor published to presence), leaves and double clicks.
 */
export function useCanvasInput({ session, store, pointer, tool, containerRef, ctxRef, spaceHeld }: CanvasInputDeps): void {
  useEffect(
    () =>
      bindKeyboard(
        () => ctxRef.current!,
        (held) => {
          spaceHeld.current = held;
          pointer.updateCursor();
        },
      ),
    [pointer, ctxRef, spaceHeld],
  );
  useEffect(() => bindWheel(containerRef.current!, store), [store, containerRef]);
  useEffect(() => () => pointer.destroy(), [pointer]);
  useEffect(() => pointer.updateCursor(), [pointer, tool]);
  useEffect(() => {
    const el = containerRef.current!;
    const move = (e: PointerEvent) => {
      const p = pointer.canvasPoint(e);
      pointer.lastPointer = p;
      session.presence.setCursor(p);
    };
    const leave = () => {
      pointer.lastPointer = null;
      session.presence.setCursor(null);
    };
    const canvasOnly = (e: MouseEvent) => {
      if (e.target instanceof HTMLCanvasElement) pointer.doubleClick(e);
    };
    el.addEventListener('pointermove', move);
    el.addEventListener('pointerleave', leave);
    el.addEventListener('dblclick', canvasOnly);
    return () => {
      el.removeEventListener('pointermove', move);
      el.removeEventListener('pointerleave', leave);
      el.removeEventListener('dblclick', canvasOnly);
    };
  }, [session, pointer, containerRef]);
}
