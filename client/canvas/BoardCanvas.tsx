import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Arrow, Layer, Rect, Circle, Stage, Transformer } from 'react-konva';
import type Konva from 'konva';
import { useStore } from 'zustand';
import { MIN_SHAPE_SIZE } from '../../shared/schema/entities.ts';
import type { BoardSession } from '../board/session.ts';
import type { ActionContext } from '../actions/types.ts';
import { useBoardModel } from './useBoardModel.ts';
import { usePlan } from '../plan/usePlan.ts';
import { planDecorations } from '../plan/cardInfo.ts';
import { createCanvasStore, type Viewport } from './store.ts';
import { ShapeList } from './ShapeList.tsx';
import { cullRect } from './culling.ts';
import { useCanvasNodes } from './useCanvasNodes.ts';
import { useMountedContent } from './useMountedContent.ts';
import { useContentLayerCaches } from './useContentLayerCaches.ts';
import { useCanvasInput } from './useCanvasInput.ts';
import { useCanvasPresence } from './useCanvasPresence.ts';
import { useViewportMirror } from './useViewportMirror.ts';
import { dotGridStyle } from './dotGrid.ts';
import { PointerController } from './interactions/pointer.ts';
import { ResizeController } from './interactions/resize.ts';
import { TextEditorOverlay } from './TextEditorOverlay.tsx';
import { Toolbar } from './Toolbar.tsx';
import { CommentLayer } from '../comments/CommentLayer.tsx';
import { useCommentTool } from '../comments/useCommentTool.ts';
import { ZoomControls } from './ZoomControls.tsx';
import { installTestHooks } from './testHooks.ts';
import { useCanvasFollow } from '../follow/useCanvasFollow.ts';
import { hasRememberedViewport, rememberCanvasView, rememberedCanvasView } from './viewMemory.ts';
import { CanvasAutoFit } from './autoFit.ts';
import { importFlowFor } from '../views/io/importFlow.ts';
import { followFor } from '../follow/followController.ts';
import { commentsModelFor } from '../comments/commentsModel.ts';
import { VIEWERS_CANNOT_COMMENT } from '../comments/CommentsPanel.tsx';
import { screenToCanvas } from './viewport.ts';
import './canvas.css';

/**
 * The plan canvas of one board: fills its parent, with its own toolbar, zoom widget and
 * text editor overlay. Layers: content (shapes and arrows), overlay (transformer, marquee,
 * link preview, connector handle) and presence (remote cursors and selections, imperative).
 */
export function BoardCanvas({ session }: { session: BoardSession }) {
  // The store starts where this board's canvas was left in this session (a tab switch unmounts
  // it), with the selection the other views share through presence.
  const store = useMemo(
    () => createCanvasStore({ ...rememberedCanvasView(session.boardId), selection: new Set(session.presence.getLocal().selection) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one store for the canvas's lifetime
    [],
  );
  const model = useBoardModel(session.doc);
  const plan = usePlan(session.doc);
  const { infos: planInfo, tones: linkTones } = planDecorations(plan);
  const containerRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  const sizeRef = useRef(size);
  sizeRef.current = size;
  // The viewport changes on every frame of a pan or zoom gesture, but React re-renders the canvas
  // only when what it mounts changes: the zoom, or the tile-quantized rectangle of mounted cards
  // (culling.ts). The stage position, the dot grid and the published viewport follow every change
  // imperatively (useViewportMirror.ts), so a pan frame costs no React render.
  useStore(store, (s) => viewKey(s.viewport, sizeRef.current));
  const viewport = store.getState().viewport;
  const selection = useStore(store, (s) => s.selection);
  const editingId = useStore(store, (s) => s.editingId);
  const notice = useStore(store, (s) => s.notice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => store.getState().setNotice(null), 4000);
    return () => clearTimeout(timer);
  }, [notice, store]);
  const tool = useStore(store, (s) => s.tool);
  const stageRef = useRef<Konva.Stage>(null);
  const contentRef = useRef<Konva.Layer>(null);
  const overlayRef = useRef<Konva.Layer>(null);
  const presenceRef = useRef<Konva.Layer>(null);
  const transformerRef = useRef<Konva.Transformer>(null);
  const marqueeRef = useRef<Konva.Rect>(null);
  const ghostRef = useRef<Konva.Rect>(null);
  const linkRef = useRef<Konva.Arrow>(null);
  // The mounted cards' and arrows' Konva nodes, and which are retired full-detail ones.
  const nodes = useCanvasNodes();
  const { shapeNodes, arrowNodes, retiredIds, liveShapeNode, liveArrowNode } = nodes;
  const spaceHeld = useRef(false);

  const pointer = useMemo(
    () =>
      new PointerController({
        session,
        store,
        model,
        container: () => containerRef.current,
        shapeNode: liveShapeNode,
        arrowNode: liveArrowNode,
        overlay: () =>
          overlayRef.current && marqueeRef.current && ghostRef.current && linkRef.current
            ? { layer: overlayRef.current, marquee: marqueeRef.current, ghost: ghostRef.current, link: linkRef.current }
            : null,
        contentLayer: () => contentRef.current,
        spaceHeld: () => spaceHeld.current,
      }),
    [session, store, model, liveShapeNode, liveArrowNode],
  );

  const resize = useMemo(
    () =>
      new ResizeController({
        session,
        store,
        model,
        nodes: () => transformerRef.current?.nodes() ?? [],
        previewArrows: (ids, rectOf) => pointer.previewArrows(ids, rectOf),
        contentLayer: () => contentRef.current,
      }),
    [session, store, model, pointer],
  );
  // After every commit (a peer's edit, the echo of our own live write): keep a running drag or
  // resize where the pointer has it, before the browser paints.
  useLayoutEffect(() => {
    pointer.reapply();
    resize.reapply();
  });

  const ctxRef = useRef<ActionContext | null>(null);
  const ctx: ActionContext = useMemo(
    () => ({
      doc: session.doc,
      origin: session.localOrigin,
      undoManager: session.undoManager,
      readOnly: session.readOnly,
      store,
      model,
      stageSize: () => sizeRef.current,
      pastePoint: () => {
        if (pointer.lastPointer) return pointer.lastPointer;
        return screenToCanvas(store.getState().viewport, { x: sizeRef.current.width / 2, y: sizeRef.current.height / 2 });
      },
      writeClipboard: (text) => navigator.clipboard?.writeText(text),
      readClipboard: () => navigator.clipboard.readText(),
    }),
    [session, store, model, pointer],
  );
  ctxRef.current = ctx;

  useEffect(() => rememberCanvasView(session.boardId, store), [session.boardId, store]);
  // Zoom to fit on first open and after an import made here; nothing per frame goes through React.
  const autoFit = useRef<CanvasAutoFit | null>(null);
  useEffect(() => {
    const fit = new CanvasAutoFit({
      doc: session.doc,
      model,
      store,
      size: () => sizeRef.current,
      following: () => followFor(session)?.state.getState().target != null,
      fitOnOpen: !hasRememberedViewport(session.boardId),
    });
    autoFit.current = fit;
    const offImport = importFlowFor(session).onImported((event) => fit.imported(event));
    return () => {
      offImport();
      fit.destroy();
      autoFit.current = null;
    };
  }, [session, model, store]);
  useEffect(() => autoFit.current?.sizeChanged(), [size]);
  // A viewer on a board where viewers may not comment can still press C: say so at once rather
  // than swallowing their next click on the canvas.
  useEffect(() => {
    if (tool !== 'comment' || !session.readOnly || commentsModelFor(session.doc).getSnapshot().viewersMayComment) return;
    store.getState().setNotice(VIEWERS_CANNOT_COMMENT);
    store.getState().setTool('select');
  }, [tool, session, store]);

  // Fill the parent: measure it.
  useEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (!entry) return;
      const { width, height } = entry.contentRect;
      setSize((s) => (s.width === width && s.height === height ? s : { width, height }));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Keyboard, clipboard, wheel, the cursor and the container's pointer moves.
  useCanvasInput({ session, store, pointer, tool, containerRef, ctxRef, spaceHeld });

  // Presence: remote cursors/selections in, own selection out.
  const stageReady = size.width > 0;
  useCanvasPresence({ session, store, model, presenceRef, stageReady, zoom: viewport.zoom, selection });
  // Draw culling, the pan cache and the zoom-to-fit picture of the content layer.
  const { invalidate, fitPicture } = useContentLayerCaches({ contentRef, stageReady, nodes, store, model, size, sizeRef, linkTones });
  // Follow mode (the viewport tracks the followed person) and the laser tool (K).
  const laserPoint = useMemo(() => (e: PointerEvent) => pointer.canvasPoint(e), [pointer]);
  useCanvasFollow(session, store, containerRef, size, laserPoint);
  const placeComment = useCommentTool(session, store, model);
  // Stage position, dot grid and the published viewport follow every viewport change at once.
  useViewportMirror({ session, store, stageRef, gridRef, size, sizeRef });

  useEffect(
    () => installTestHooks(store, model, () => containerRef.current, () => ctxRef.current!, liveShapeNode, () => ({
        cards: shapeNodes.current.size,
        arrows: arrowNodes.current.size,
        retired: retiredIds.current.size,
        fitPictureCopies: fitPicture.copies,
      })),
    [store, model, liveShapeNode, fitPicture, shapeNodes, arrowNodes, retiredIds],
  );

  // Drop selected ids whose entities were deleted (locally or by a peer).
  useEffect(() => {
    const alive = [...selection].filter((id) => model.shape(id) || model.deps.has(id));
    if (alive.length !== selection.size) store.getState().select(alive);
    if (editingId && !model.shape(editingId)) store.getState().setEditing(null);
  });

  // What to mount: viewport culling, level of detail, and the full-detail nodes retired by a zoom-out.
  const { cull, detail, visible, arrows, retiredShapes, retiredArrows } = useMountedContent(model, viewport, size, selection, nodes);

  // Attach the transformer to the selected shapes after each render.
  const selectedShapes = [...selection].filter((id) => model.shape(id));
  const selectionKey = selectedShapes.join(',');
  useEffect(() => {
    const tr = transformerRef.current;
    if (!tr) return;
    const attach = session.readOnly || editingId ? [] : selectedShapes.map((id) => shapeNodes.current.get(id)).filter((n) => n !== undefined);
    // Unchanged nodes: leave the transformer alone (it follows their attributes by itself), so
    // the live writes of a drag or resize never re-attach it mid-gesture.
    const current = tr.nodes();
    if (current.length === attach.length && current.every((n, i) => n === attach[i])) return;
    tr.nodes(attach);
    tr.getLayer()?.batchDraw();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectionKey, editingId, session.readOnly, model.version]);

  const single = selectedShapes.length === 1 ? model.tasks.get(selectedShapes[0]!) : undefined;
  const zoom = viewport.zoom;

  return (
    <div ref={containerRef} className="pv-canvas" data-testid="board-canvas">
      <div ref={gridRef} className="pv-canvas-grid" style={dotGridStyle(viewport)} />
      {size.width > 0 && (
        <Stage
          ref={stageRef}
          width={size.width}
          height={size.height}
          x={viewport.x}
          y={viewport.y}
          scaleX={zoom}
          scaleY={zoom}
          onPointerDown={(e) => (tool === 'comment' && e.evt.button === 0 ? placeComment(pointer.canvasPoint(e.evt)) : pointer.down(e.evt, e.target))}
        >
          <Layer ref={contentRef}>
            <ShapeList
              shapes={visible}
              arrows={arrows}
              selection={selection}
              detail={detail}
              editingId={editingId}
              registerShape={nodes.registerShape}
              registerArrow={nodes.registerArrow}
              planInfo={planInfo}
              linkTones={linkTones}
              invalidate={invalidate}
              fitPicture={fitPicture}
              retiredShapes={retiredShapes}
              retiredArrows={retiredArrows}
            />
          </Layer>
          <CommentLayer session={session} store={store} model={model} modelVersion={model.version} cull={cull} zoom={zoom} size={size} />
          <Layer ref={overlayRef}>
            {session.readOnly &&
              selectedShapes.map((id) => {
                const s = model.shape(id)!;
                return <Rect key={id} x={s.x} y={s.y} width={s.w} height={s.h} stroke="#2563eb" strokeWidth={2 / zoom} listening={false} />;
              })}
            <Transformer
              ref={transformerRef}
              rotateEnabled={false}
              flipEnabled={false}
              ignoreStroke
              keepRatio={false}
              anchorSize={9}
              anchorCornerRadius={2}
              borderStroke="#2563eb"
              anchorStroke="#2563eb"
              boundBoxFunc={(oldBox, newBox) =>
                Math.abs(newBox.width) < MIN_SHAPE_SIZE * zoom || Math.abs(newBox.height) < MIN_SHAPE_SIZE * zoom ? oldBox : newBox
              }
              onTransformStart={() => {
                pointer.setConnectorVisible(false);
                resize.start();
              }}
              onTransform={() => resize.transform()}
              onTransformEnd={() => {
                resize.end();
                pointer.setConnectorVisible(true);
              }}
            />
            {single && !session.readOnly && !editingId && (
              <Circle
                name="connector"
                x={single.x + single.w + 18 / zoom}
                y={single.y + single.h / 2}
                radius={7 / zoom}
                fill="#2563eb"
                stroke="#ffffff"
                strokeWidth={2 / zoom}
                hitStrokeWidth={10 / zoom}
              />
            )}
            <Rect ref={marqueeRef} visible={false} fill="rgba(37, 99, 235, 0.08)" stroke="#2563eb" listening={false} />
            <Rect ref={ghostRef} visible={false} fill="rgba(99, 102, 241, 0.08)" stroke="#6366f1" dash={[6, 4]} listening={false} />
            <Arrow ref={linkRef} visible={false} points={[0, 0, 0, 0]} stroke="#2563eb" fill="#2563eb" dash={[8, 6]} pointerLength={10} pointerWidth={10} listening={false} />
          </Layer>
          <Layer ref={presenceRef} listening={false} />
        </Stage>
      )}
      <TextEditorOverlay session={session} store={store} model={model} />
      <Toolbar ctx={ctx} undoManager={session.undoManager} />
      <ZoomControls ctx={ctx} />
      {notice && (
        <div className="toast" role="status">
          {notice}
        </div>
      )}
      {session.readOnly && <div className="pv-readonly-badge">View only</div>}
    </div>
  );
}

/** What the canvas renders depends on this much of the viewport: the zoom and the mounted tiles. */
function viewKey(vp: Viewport, size: { width: number; height: number }): string {
  const c = cullRect(vp, size);
  return `${vp.zoom}|${c.x},${c.y},${c.w},${c.h}`;
}
