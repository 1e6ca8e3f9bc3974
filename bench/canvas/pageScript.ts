/**
 * Code that runs inside the page, as plain JavaScript source (tsx would otherwise add
 * helpers such as __name to functions handed to page.evaluate, which the page lacks).
 * Installed with addInitScript, so it exists from navigation start on every page load:
 *
 * - window.__bench.firstGantt: ms from navigation start until the timeline test hook exists,
 *   the Gantt stage's canvas is in the DOM and the frame after it has been presented
 *   (a rAF, then a task after that frame's paint).
 * - window.__bench.drive(kind, opts): drives a canvas pan (setting the canvas store's viewport)
 *   or a Gantt scroll (.gantt-scroll scrollLeft/Top) every animation frame for opts.durationMs;
 *   resolves with the rAF deltas and the long-animation-frame entries of that window.
 */
export const PAGE_SCRIPT = String.raw`
(() => {
  const types = (typeof PerformanceObserver !== 'undefined' && PerformanceObserver.supportedEntryTypes) || [];
  const loafSupported = types.includes('long-animation-frame');
  const bench = { loafSupported, firstGantt: null, hookAt: null };
  window.__bench = bench;

  if (location.hash === '#timeline') {
    const probe = () => {
      const hooks = window.planvas;
      const canvas = document.querySelector('[data-testid="gantt"] canvas');
      if (hooks && hooks.timeline && canvas) {
        bench.hookAt = performance.now();
        requestAnimationFrame(() => setTimeout(() => { bench.firstGantt = performance.now(); }, 0));
        return;
      }
      requestAnimationFrame(probe);
    };
    requestAnimationFrame(probe);
  }

  bench.drive = (kind, opts) => new Promise((resolve, reject) => {
    const loaf = [];
    let observer = null;
    if (loafSupported) {
      observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) loaf.push(e);
      });
      observer.observe({ type: 'long-animation-frame' });
    }
    let apply;
    if (kind === 'pan') {
      const store = window.planvas && window.planvas.canvas && window.planvas.canvas.store;
      if (!store) return reject(new Error('no canvas store'));
      const v0 = opts.from;
      apply = (t) => store.getState().setViewport({
        x: v0.x - opts.vx * t,
        y: v0.y - opts.vy * t + opts.amp * Math.sin(2 * Math.PI * t / opts.period),
        zoom: v0.zoom,
      });
    } else {
      const el = document.querySelector('.gantt-scroll');
      if (!el) return reject(new Error('no .gantt-scroll'));
      const left0 = el.scrollLeft, top0 = el.scrollTop;
      apply = (t) => {
        el.scrollTop = top0 + opts.vy * t;
        el.scrollLeft = left0 + opts.vx * t + opts.amp * Math.sin(2 * Math.PI * t / opts.period);
      };
    }
    const deltas = [];
    let start = null;
    let last = null;
    const step = (now) => {
      if (start === null) start = now;
      else deltas.push(now - last);
      last = now;
      if (now - start >= opts.durationMs) {
        // Let the last frame's long-animation-frame entry arrive.
        setTimeout(() => {
          if (observer) {
            for (const e of observer.takeRecords()) loaf.push(e);
            observer.disconnect();
          }
          const inWindow = loaf.filter((e) => e.startTime + e.duration >= start && e.startTime <= last);
          resolve({
            deltas,
            loaf: inWindow.map((e) => ({
              duration: e.duration,
              blocking: e.blockingDuration,
              render: e.renderStart ? (e.startTime + e.duration) - e.renderStart : 0,
              style: e.styleAndLayoutStart ? (e.startTime + e.duration) - e.styleAndLayoutStart : 0,
              scripts: (e.scripts || []).map((s) => ({ fn: s.sourceFunctionName, src: s.sourceURL, invoker: s.invoker, duration: s.duration })),
            })),
          });
        }, 150);
        return;
      }
      apply((now - start) / 1000);
      requestAnimationFrame(step);
    };
    requestAnimationFrame(step);
  });
})();
`;

export interface LoafEntry {
  duration: number;
  blocking: number;
  render: number;
  style: number;
  scripts: Array<{ fn: string; src: string; invoker: string; duration: number }>;
}

export interface DriveResult {
  deltas: number[];
  loaf: LoafEntry[];
}

export interface PanOptions {
  from: { x: number; y: number; zoom: number };
  /** Screen pixels per second (the viewport offset moves the other way). */
  vx: number;
  vy: number;
  /** A vertical wobble, screen pixels, with this period in seconds. */
  amp: number;
  period: number;
  durationMs: number;
}

export interface ScrollOptions {
  vx: number;
  vy: number;
  amp: number;
  period: number;
  durationMs: number;
}
