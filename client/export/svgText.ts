/**
 * Text for exported SVG: XML escaping that keeps any title a peer wrote as plain text, and
 * word wrapping that breaks lines where the canvas (Konva `wrap="word"` + `ellipsis`) does.
 * Pure: a `TextMeasure` is injected, so the browser measures with a 2D canvas (the same
 * metrics Konva uses) and Node tests use the estimate below.
 */

/** Width in px of `text` drawn in `font` (a CSS font shorthand, e.g. '600 15px Inter'). */
export type TextMeasure = (text: string, font: string) => number;

// Code points that XML 1.0 forbids (C0 controls except tab, LF, CR; U+FFFE/FFFF) and lone
// surrogates. A document may hold them; an SVG containing them is not well-formed.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Escapes text for an SVG text node or a quoted attribute value. Characters XML cannot hold
 * become U+FFFD, so '</svg><script>' or a NUL in a title stays visible text.
 *
 * @example escapeXml('</svg><script>') // '&lt;/svg&gt;&lt;script&gt;'
 */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * An estimate of Inter / system-ui widths for environments without a canvas (tests, Node):
 * narrow letters, wide letters and the rest, scaled by the font size and weight.
 */
export const estimateTextWidth: TextMeasure = (text, font) => {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font)?.[1] ?? 16);
  const bold = /\b(600|700|bold)\b/.test(font) ? 1.06 : 1;
  let units = 0;
  for (const ch of text) {
    if (/[iljtfrI.,:;'|!\s]/.test(ch)) units += 0.32;
    else if (/[mwMW@]/.test(ch)) units += 0.86;
    else if (/[A-Z0-9]/.test(ch)) units += 0.66;
    else if (ch.codePointAt(0)! > 0x2e80) units += 1; // CJK and emoji are about one em wide.
    else units += 0.55;
  }
  return units * size * bold;
};

export interface WrapOptions {
  maxWidth: number;
  /** Lines that fit; the last one ends with '…' when text was left out. */
  maxLines: number;
  font: string;
  measure: TextMeasure;
}

/**
 * Wraps `text` into at most `maxLines` lines no wider than `maxWidth`: at spaces first, a
 * word longer than a line is broken between characters, '\n' starts a new line. When text is
 * left over the last line is cut with an ellipsis.
 *
 * @example wrapText('Design the API', { maxWidth: 60, maxLines: 2, font: '15px Inter', measure })
 */
export function wrapText(text: string, options: WrapOptions): string[] {
  const { maxWidth, maxLines, font, measure } = options;
  if (maxLines <= 0 || maxWidth <= 0) return [];
  const fits = (s: string) => measure(s, font) <= maxWidth;
  // Lay out one line more than allowed: if it exists, text was left out.
  const lines: string[] = [];
  const full = () => lines.length > maxLines;
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = '';
    for (let word of paragraph.split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (fits(candidate)) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      // A word wider than the line: break it between characters.
      while (!full() && !fits(word)) {
        const cut = longestFittingPrefix(word, fits);
        lines.push(word.slice(0, cut));
        word = word.slice(cut);
      }
      if (full()) break;
      line = word;
    }
    if (full()) break;
    lines.push(line);
  }
  if (lines.length <= maxLines) return lines;
  lines.length = maxLines;
  lines[maxLines - 1] = withEllipsis(lines[maxLines - 1]!, fits);
  return lines;
}

/** Number of UTF-16 units of the longest prefix that fits (at least one whole character). */
function longestFittingPrefix(word: string, fits: (s: string) => boolean): number {
  const chars = [...word];
  let lo = 1;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(chars.slice(0, mid).join(''))) lo = mid;
    else hi = mid - 1;
  }
  return chars.slice(0, lo).join('').length;
}

/**
 * `line` cut so that `line…` fits.
 *
 * @example withEllipsis('Quarterly review', (s) => s.length <= 8) // 'Quarter…'
 */
export function withEllipsis(line: string, fits: (s: string) => boolean): string {
  const chars = [...line.trimEnd()];
  while (chars.length > 0 && !fits(`${chars.join('')}…`)) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** One line clipped to `maxWidth` with an ellipsis, as Konva's `wrap="none" ellipsis`. */
export function clipLine(text: string, maxWidth: number, font: string, measure: TextMeasure): string {
  const line = text.replace(/\s+/g, ' ');
  if (measure(line, font) <= maxWidth) return line;
  return withEllipsis(line, (s) => measure(s, font) <= maxWidth);
}
