/**
 * How large a PNG of a drawing can be: 2 device pixels per canvas unit (sharp on high-DPI
 * screens and in slides), scaled down for huge boards so the bitmap stays within what
 * browsers can allocate for a canvas (16,384 px per side, and we keep to 64 megapixels so a
 * 2-CPU laptop does not run out of memory). Pure.
 */
export const PNG_PIXEL_RATIO = 2;
export const MAX_PNG_SIDE = 16_384;
export const MAX_PNG_PIXELS = 64_000_000;

export interface PngSize {
  /** Bitmap pixels per canvas unit. */
  scale: number;
  width: number;
  height: number;
  /** True when the image is smaller than PNG_PIXEL_RATIO (the user is told). */
  reduced: boolean;
}

/** @example pngSize(800, 600) // { scale: 2, width: 1600, height: 1200, reduced: false } */
export function pngSize(width: number, height: number): PngSize {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  const scale = Math.min(PNG_PIXEL_RATIO, MAX_PNG_SIDE / w, MAX_PNG_SIDE / h, Math.sqrt(MAX_PNG_PIXELS / (w * h)));
  return {
    scale,
    width: Math.max(1, Math.min(MAX_PNG_SIDE, Math.floor(w * scale + 1e-6))),
    height: Math.max(1, Math.min(MAX_PNG_SIDE, Math.floor(h * scale + 1e-6))),
    reduced: scale < PNG_PIXEL_RATIO,
  };
}
