import { pngSize, type PngSize } from './pngSize.ts';

/**
 * Renders an SVG string into a PNG blob on a white background, at the size `pngSize`
 * chooses. Browser only (Image, canvas). The SVG is self-contained (no external resources),
 * so the canvas is not tainted and `toBlob` is allowed.
 */
export async function svgToPng(svg: string, width: number, height: number): Promise<{ blob: Blob; size: PngSize }> {
  const size = pngSize(width, height);
  // Give the image its final pixel size, so the vector drawing is rasterised at that size
  // rather than drawn small and stretched.
  const sized = svg.replace(/^<svg ([^>]*?)width="[\d.]+" height="[\d.]+"/, `<svg $1width="${size.width}" height="${size.height}" preserveAspectRatio="none"`);
  const url = URL.createObjectURL(new Blob([sized], { type: 'image/svg+xml;charset=utf-8' }));
  try {
    const image = new Image();
    image.decoding = 'async';
    image.src = url;
    await image.decode().catch(() => {
      throw new Error('the drawing could not be rendered as an image');
    });
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('this browser cannot create an image of this size');
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.drawImage(image, 0, 0, size.width, size.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (!blob) throw new Error('this browser could not encode the image');
    // Free the bitmap now rather than at the next garbage collection: it can be 256 MB.
    canvas.width = 0;
    canvas.height = 0;
    return { blob, size };
  } finally {
    URL.revokeObjectURL(url);
  }
}

let measureContext: CanvasRenderingContext2D | null = null;

/** Measures text with a 2D canvas, the metrics Konva wraps the canvas's text with. */
export function canvasMeasure(text: string, font: string): number {
  measureContext ??= document.createElement('canvas').getContext('2d');
  if (!measureContext) return text.length * 8;
  measureContext.font = font;
  return measureContext.measureText(text).width;
}
