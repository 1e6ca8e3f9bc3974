import type { LinkTone } from '../../plan/cardInfo.ts';

/**
 * How a dependency arrow looks, shared by the Konva arrow, the batched low-detail arrows and
 * the SVG/PNG export, so an exported board looks like the canvas.
 */
export const ARROW_COLOR = '#64748b';
export const ARROW_SELECTED = '#2563eb';
/** Normal grey, critical path red, a link on a dependency loop orange (drawn dashed). */
export const LINK_TONE_COLORS: Record<LinkTone, string> = { normal: ARROW_COLOR, critical: '#dc2626', cycle: '#f97316' };
export const LINK_LABEL_FONT = 11;
export const LINK_LABEL_HEIGHT = 18;

/** Width of the pill that holds a link label ("SS +2d"), estimated from its length. */
export function linkLabelWidth(label: string): number {
  return Math.ceil(label.length * LINK_LABEL_FONT * 0.62) + 12;
}
