/**
 * RFC 5545 content-line helpers: TEXT escaping (3.3.11) and line folding (3.1). Pure.
 */

/** Longest content line in octets, CRLF excluded (RFC 5545 3.1). */
export const MAX_LINE_OCTETS = 75;

/**
 * Escapes a TEXT value: backslash, semicolon, comma and newlines (as `\n`); other control
 * characters are dropped, since a calendar line cannot carry them.
 *
 * @example escapeText('Plan; review, 2\nnotes') // 'Plan\\; review\\, 2\\nnotes'
 */
export function escapeText(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(/[\\;,]/g, (c) => `\\${c}`)
    .replace(/\n/g, '\\n')
    .replace(/\p{Cc}/gu, '');
}

/**
 * Folds a content line into lines of at most 75 octets of UTF-8, each continuation starting
 * with one space, never splitting a character. Returns the lines joined with CRLF.
 *
 * @example foldLine('SUMMARY:' + 'x'.repeat(100)) // 'SUMMARY:xxx…x\r\n xxx…'
 */
export function foldLine(line: string): string {
  const encoder = new TextEncoder();
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = encoder.encode(char).length;
    // Continuation lines begin with a space, which counts toward their 75 octets.
    if (octets + size > MAX_LINE_OCTETS) {
      parts.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join('\r\n');
}

/** `YYYYMMDD` of an ISO date (a DATE value). */
export function icalDate(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** `YYYYMMDDTHHMMSSZ` of an ISO timestamp (a UTC DATE-TIME value). */
export function icalDateTime(isoTimestamp: string): string {
  return new Date(isoTimestamp).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** The calendar day after an ISO date (an all-day event's exclusive DTEND). */
export function nextDay(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}
