/**
 * Which plan formats the client imports, and how a file is recognised: by extension first,
 * then by the type the browser gives, then by its first character (a `{` is JSON, a `<` XML).
 */
export type ImportFormat = 'csv' | 'json' | 'mspdi';

export const IMPORT_FORMAT_LABELS: Record<ImportFormat, string> = {
  csv: 'CSV',
  json: 'Planvas JSON',
  mspdi: 'MS Project XML',
};

/** What the file picker offers. */
export const IMPORT_ACCEPT = '.csv,.json,.xml,.mspdi,text/csv,application/json,application/xml,text/xml';

/** The format of a file, or null when it is clearly none of ours (an image, a PDF…). */
export function importFormatOf(file: { name: string; type: string }, head = ''): ImportFormat | null {
  const name = file.name.toLowerCase();
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  if (name.endsWith('.json')) return 'json';
  if (name.endsWith('.xml') || name.endsWith('.mspdi')) return 'mspdi';
  const type = file.type.toLowerCase();
  if (type === 'text/csv' || type === 'application/vnd.ms-excel') return 'csv';
  if (type === 'application/json') return 'json';
  if (type === 'application/xml' || type === 'text/xml') return 'mspdi';
  if (type !== '' && !type.startsWith('text/')) return null;
  const first = head.replace(/^\uFEFF/, '').trimStart()[0];
  if (first === '{') return 'json';
  if (first === '<') return 'mspdi';
  return 'csv';
}
