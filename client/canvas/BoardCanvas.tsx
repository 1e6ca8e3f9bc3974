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
import { detailFor } from './lod.ts';
import { ShapeList } from './ShapeList.tsx';
import { cullRect } from './culling.ts';
import { bindDrawCulling } from './drawCulling.ts';
import { bindPanCache, type AreaInvalidator, type PanCache } from './panCache.ts';
import { mountedItems } from './mountedItems.ts';
import { FitPicture } from './fitPicture.ts';
import { keepFitPicture } from './fitPictureScheduler.ts';
import { useRetiredDetail } from './useRetiredDetail.ts';
import { contentExtents } from './nodeExtents.ts';
import { dotGridStyle } from './dotGrid.ts';
import { PresenceLayer } from './PresenceLayer.ts';
import { PointerController } from './interactions/pointer.ts';
import { ResizeController } from './interactions/resize.ts';
import { bindKeyboard } from './interactions/keyboard.ts';
import { bindWheel } from './interactions/wheel.ts';
import { TextEditorOverlay } from './TextEditorOverlay.tsx';
import { Toolbar } from './Toolbar.tsx';
import { CommentLayer } from '../comments/CommentLayer.tsx';
import { useCommentTool } from '../comments/useCommentTool.ts';
import { ZoomControls } from './ZoomControls.tsx';
import { installTestHooks } from './testHooks.ts';
import { useCanvasFollow } from '../follow/useCanvasFollow.ts';
import { installLaserTestHook } from '../follow/testHooks.ts';
import { hasRememberedViewport, rememberCanvasView, rememberedCanvasView } from './viewMemory.ts';
import { CanvasAutoFit } from './autoFit.ts';
import { importFlowFor } from '../views/io/importFlow.ts';
import { followFor } from '../follow/followController.ts';
import { commentsModelFor } from '../comments/commentsModel.ts';
import { VIEWERS_CANNOT_COMMENT } from '../comments/CommentsPanel.tsx';
import { screenToCanvas, visibleRect } from './viewport.ts';
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
  // imperatively (the store subscription below), so a pan frame costs no React render.
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
  const shapeNodes = useRef(new Map<string, Konva.Group>());
  const arrowNodes = useRef(new Map<string, Konva.Group>());
  /** Ids of the full-detail cards and arrows kept mounted, hidden, after a zoom-out (useRetiredDetail.ts). */
  const retiredIds = useRef<ReadonlySet<string>>(new Set());
  const retiredSinceZoomOut = useRef(new Set<string>());
  // A hidden, retired node is not the shape's node: drags, resizes and tests use the shown one (if any).
  const liveShapeNode = useMemo(() => (id: string) => (retiredIds.current.has(id) ? undefined : shapeNodes.current.get(id)), []);
  const liveArrowNode = useMemo(() => (id: string) => (retiredIds.current.has(id) ? undefined : arrowNodes.current.get(id)), []);
  const spaceHeld = useRef(false);
  const presenceLayer = useRef<PresenceLayer | null>(null);

  const registerShape = useMemo(
    () => (id: string, node: Konva.Group | null) => {
      // React detaches the old ref (null) before attaching the new one, so delete is safe.
      if (node) shapeNodes.current.set(id, node);
      else shapeNodes.current.delete(id);
    },
    [],
  );
  const registerArrow = useMemo(
    () => (id: string, node: Konva.Group | null) => {
      if (node) arrowNodes.current.set(id, node);
      else arrowNodes.current.delete(id);
    },
    [],
  );

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

  // Keyboard, clipboard, wheel.
  useEffect(
    () =>
      bindKeyboard(
        () => ctxRef.current!,
        (held) => {
          spaceHeld.current = held;
          pointer.updateCursor();
        },
      ),
    [pointer],
  );
  useEffect(() => bindWheel(containerRef.current!, store), [store]);
  useEffect(() => () => pointer.destroy(), [pointer]);
  useEffect(() => pointer.updateCursor(), [pointer, tool]);

  // Presence: remote cursors/selections in, own cursor/selection/viewport out.
  const stageReady = size.width > 0;
  useEffect(() => {
    const layer = presenceRef.current;
    if (!layer) return;
    const p = new PresenceLayer(layer, session.awareness, model);
    p.setZoom(store.getState().viewport.zoom);
    presenceLayer.current = p;
    const unhookLaser = installLaserTestHook(() => p.laserSnapshot());
    return () => {
      unhookLaser();
      p.destroy();
      presenceLayer.current = null;
    };
  }, [session.awareness, model, store, stageReady]);
  useEffect(() => presenceLayer.current?.setZoom(viewport.zoom), [viewport.zoom]);
  // Draw only the mounted cards that are on screen (see drawCulling.ts); selected and edited
  // cards are always drawn.
  useEffect(() => {
    const layer = contentRef.current;
    if (!layer) return;
    return bindDrawCulling(
      layer,
      () => shapeNodes.current,
      () => arrowNodes.current,
      () => {
        const { selection: selected, editingId: editing } = store.getState();
        return { has: (id: string) => id === editing || selected.has(id) };
      },
      () => retiredIds.current,
    );
  }, [store, stageReady]);
  // A pan redraws only the strips it exposes, a remote move (batched or a mounted card and its
  // arrows) only where the card was and is (see panCache.ts).
  const panCache = useRef<PanCache | null>(null);
  useEffect(() => {
    const layer = contentRef.current;
    if (!layer) return;
    // Retired full-detail nodes (useRetiredDetail.ts) are always hidden: their changes draw nothing.
    const cache = bindPanCache(
      layer,
      contentExtents((id) => {
        if (!retiredSinceZoomOut.current.has(id)) return false;
        // Selected or edited ones are drawn whatever their zoom (draw culling pins them): not hidden for good.
        const { selection: selected, editingId: editing } = store.getState();
        return id !== editing && !selected.has(id);
      }),
    );
    panCache.current = cache;
    return () => {
      panCache.current = null;
      cache.destroy();
    };
  }, [stageReady, store]);
  const invalidate: AreaInvalidator = useMemo(
    () => ({
      rects: (rects) => (panCache.current ? panCache.current.invalidate(rects) : contentRef.current?.batchDraw()),
      all: () => (panCache.current ? panCache.current.invalidateAll() : contentRef.current?.batchDraw()),
    }),
    [],
  );
  // The arrows of the zoom-to-fit view, stroked ahead in idle time (fitPicture.ts).
  // State, not a memo: React may drop a memo value, and the batches and the scheduler must share one picture.
  const fitPicture = useState(() => new FitPicture())[0];
  const linkTonesRef = useRef(linkTones);
  linkTonesRef.current = linkTones;
  const fitPictureKeeper = useRef<{ poke(): void } | null>(null);
  useEffect(() => {
    const keeper = keepFitPicture({ model, store, picture: fitPicture, layer: () => contentRef.current, size: () => sizeRef.current, tones: () => linkTonesRef.current });
    fitPictureKeeper.current = keeper;
    return () => {
      fitPictureKeeper.current = null;
      keeper.destroy();
    };
  }, [model, store, fitPicture, stageReady]);
  useEffect(() => fitPictureKeeper.current?.poke(), [size, linkTones]);
  // Follow mode (the viewport tracks the followed person) and the laser tool (K).
  const laserPoint = useMemo(() => (e: PointerEvent) => pointer.canvasPoint(e), [pointer]);
  useCanvasFollow(session, store, containerRef, size, laserPoint);
  const placeComment = useCommentTool(session, store, model);
  useEffect(() => session.presence.setSelection([...selection]), [session, selection]);
  useEffect(() => {
    const publish = (vp: Viewport) => {
      const current = sizeRef.current;
      if (current.width === 0) return;
      const r = visibleRect(vp, current);
      session.presence.setViewport({ x: r.x, y: r.y, zoom: vp.zoom, width: r.w, height: r.h });
    };
    publish(store.getState().viewport);
    return store.subscribe((state, previous) => {
      if (state.viewport === previous.viewport) return;
      const vp = state.viewport;
      // What a render would set, set at once (a render follows only when viewKey changes).
      stageRef.current?.setAttrs({ x: vp.x, y: vp.y, scaleX: vp.zoom, scaleY: vp.zoom });
      const grid = gridRef.current;
      if (grid) Object.assign(grid.style, dotGridStyle(vp));
      publish(vp);
    });
  }, [session, store, size]);
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
  }, [session, pointer]);

  useEffect(
    () => installTestHooks(store, model, () => containerRef.current, () => ctxRef.current!, liveShapeNode, () => ({
        cards: shapeNodes.current.size,
        arrows: arrowNodes.current.size,
        retired: retiredIds.current.size,
        fitPictureCopies: fitPicture.copies,
      })),
    [store, model, liveShapeNode, fitPicture],
  );

  // Drop selected ids whose entities were deleted (locally or by a peer).
  useEffect(() => {
    const alive = [...selection].filter((id) => model.shape(id) || model.deps.has(id));
    if (alive.length !== selection.size) store.getState().select(alive);
    if (editingId && !model.shape(editingId)) store.getState().setEditing(null);
  });

  // What to draw: shapes in a tile-quantized margin around the viewport, plus the selection.
  const cull = cullRect(viewport, size);
  const cullKey = `${cull.x},${cull.y},${cull.w},${cull.h}`;
  const selectionIds = [...selection].join(',');
  const detail = detailFor(viewport.zoom);
  const { visible, arrows } = useMemo(
    () => mountedItems(model, cull, selectionIds ? selectionIds.split(',') : []),
    // cull is represented by cullKey; model.version covers every document change.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [cullKey, model, model.version, selectionIds],
  );
  // After a zoom-out, the full-detail nodes stay mounted (hidden) until idle time; never the selected ones.
  const retired = useRetiredDetail(detail, visible, arrows);
  const { retiredShapes, retiredArrows } = useMemo(
    () => ({
      retiredShapes: retired ? retired.shapes.filter((s) => !selection.has(s.id)) : undefined,
      retiredArrows: retired ? retired.arrows.filter((a) => !selection.has(a.dep.id)) : undefined,
    }),
    [retired, selection],
  );
  retiredIds.current = new Set([...(retiredShapes ?? []).map((s) => s.id), ...(retiredArrows ?? []).map((a) => a.dep.id)]);
  // Every id retired since the zoom-out: a chunk's nodes are re-rendered and unmounted in the same
  // commit that drops them from `retiredIds`, and the pan cache must still know they draw nothing.
  if (retired) for (const id of retiredIds.current) retiredSinceZoomOut.current.add(id);
  else retiredSinceZoomOut.current.clear();

  // Attach the transformer to the selected shapes after each render.
  const selectedShapes = [...selection].filter((id) => model.shape(id));
  const selectionKey = selectedShapes.join(',');
  useEffect(() => {
    const tr = transformerRef.current;
    if (!tr) return;
    const nodes = session.readOnly || editingId ? [] : selectedShapes.map((id) => shapeNodes.current.get(id)).filter((n) => n !== undefined);
    // Unchanged nodes: leave the transformer alone (it follows their attributes by itself), so
    // the live writes of a drag or resize never re-attach it mid-gesture.
    const current = tr.nodes();
    if (current.length === nodes.length && current.every((n, i) => n === nodes[i])) return;
    tr.nodes(nodes);
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
              registerShape={registerShape}
              registerArrow={registerArrow}
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
