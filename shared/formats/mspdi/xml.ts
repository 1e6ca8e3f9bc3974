/**
 * A tiny XML writer for the export: elements with text content only (MSPDI has no
 * attributes besides the root's namespace), escaped, one per line. Characters XML 1.0 cannot
 * carry at all (most C0 controls, lone surrogates) are dropped rather than written broken.
 */

// eslint-disable-next-line no-control-regex -- matching the control characters XML 1.0 forbids is the point
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes text content: & < > and the quote characters, carriage returns kept as &#13;. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML_CHARS, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\r/g, '&#13;');
}

/** Collects lines of XML; `leaf` writes <name>text</name>, `open`/`close` nest. */
export class XmlWriter {
  private readonly lines: string[] = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'];
  private depth = 0;

  open(name: string, attributes = ''): void {
    this.lines.push(`${'\t'.repeat(this.depth)}<${name}${attributes}>`);
    this.depth++;
  }

  close(name: string): void {
    this.depth--;
    this.lines.push(`${'\t'.repeat(this.depth)}</${name}>`);
  }

  leaf(name: string, value: string | number): void {
    const text = typeof value === 'number' ? formatNumber(value) : escapeXml(value);
    this.lines.push(`${'\t'.repeat(this.depth)}<${name}>${text}</${name}>`);
  }

  toString(): string {
    return `${this.lines.join('\r\n')}\r\n`;
  }
}

/** Plain decimal, never exponent notation (xsd:decimal has none), at most 2 decimals. */
function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '0';
  const rounded = Math.round(value * 100) / 100;
  return Number.isInteger(rounded) ? rounded.toFixed(0) : rounded.toFixed(2).replace(/0$/, '');
}
