import { isIsoDate } from '../../schema/validators.ts';

/**
 * Reading values out of the parsed XML tree (fast-xml-parser objects, every leaf a string:
 * the parser is told not to guess types). Anything unexpected reads as absent, never throws.
 */
export type XmlNode = Record<string, unknown>;

export function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child element(s) `name` as a list of nodes (a lone element, a list, or none). */
export function children(node: XmlNode | undefined, name: string): XmlNode[] {
  const value = node?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter(isNode);
}

export function child(node: XmlNode | undefined, name: string): XmlNode | undefined {
  return children(node, name)[0];
}

/** Text of the child element `name`, trimmed; '' when absent or not text. */
export function text(node: XmlNode | undefined, name: string): string {
  let value = node?.[name];
  if (Array.isArray(value)) value = value[0];
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (isNode(value) && typeof value['#text'] === 'string') return value['#text'].trim();
  return '';
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A finite number, or null when the element is absent or not a number. */
export function num(node: XmlNode | undefined, name: string): number | null {
  const value = text(node, name);
  if (!NUMBER.test(value)) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

export function int(node: XmlNode | undefined, name: string): number | null {
  const n = num(node, name);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** xsd:boolean as MS Project writes it ("1"/"0"; "true"/"false" from other writers). */
export function flag(node: XmlNode | undefined, name: string): boolean {
  const value = text(node, name).toLowerCase();
  return value === '1' || value === 'true';
}

/** An xsd:dateTime split into its ISO date and minutes after midnight; null when unusable. */
export function dateTime(node: XmlNode | undefined, name: string): { date: string; minutes: number } | null {
  const value = text(node, name);
  const m = /^(\d{4}-\d{2}-\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/.exec(value);
  if (!m || !isIsoDate(m[1])) return null;
  return { date: m[1]!, minutes: m[2] === undefined ? 0 : Number(m[2]) * 60 + Number(m[3]) };
}

/** The ISO date after `iso` (calendar day). */
export function nextDay(iso: string): string {
  const date = new Date(`${iso}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** "08:00:00" -> 480; null when unusable. */
export function timeOfDay(value: string): number | null {
  const m = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(value);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}
