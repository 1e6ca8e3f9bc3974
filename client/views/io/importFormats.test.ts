import { describe, expect, it } from 'vitest';
import { calendarLink } from './calendarLink.ts';
import { describeCounts } from './importFlow.ts';
import { importFormatOf } from './importFormats.ts';
import { prepareImport } from './prepareImport.ts';

describe('import format detection', () => {
  it.each([
    [{ name: 'plan.CSV', type: '' }, '', 'csv'],
    [{ name: 'board.json', type: '' }, '', 'json'],
    [{ name: 'Project1.xml', type: '' }, '', 'mspdi'],
    [{ name: 'export.mspdi', type: '' }, '', 'mspdi'],
    [{ name: 'download', type: 'application/vnd.ms-excel' }, '', 'csv'],
    [{ name: 'download', type: 'text/xml' }, '', 'mspdi'],
    [{ name: 'download', type: '' }, '\uFEFF  {"format"', 'json'],
    [{ name: 'download', type: '' }, '<?xml', 'mspdi'],
    [{ name: 'download', type: 'text/plain' }, 'ID,Name', 'csv'],
    [{ name: 'photo.png', type: 'image/png' }, '', null],
  ])('%o starting %j is %s', (file, head, format) => {
    expect(importFormatOf(file, head)).toBe(format);
  });
});

describe('import dialog text', () => {
  it('names every non-zero count, tasks and links always', () => {
    expect(describeCounts({ tasks: 1, dependencies: 0 })).toBe('1 task and 0 links');
    expect(describeCounts({ tasks: 5000, dependencies: 4500, notes: 0, baselines: 1, comments: 2 })).toBe('5,000 tasks, 4,500 links, 1 baseline and 2 comment threads');
    expect(describeCounts({ tasks: 3, dependencies: 1, projectStart: '2026-01-05' })).toBe('3 tasks and 1 link');
  });

  it('measures the update an import would write, so large ones go through the server', () => {
    const rows = ['Name,Duration'];
    for (let i = 0; i < 50; i++) rows.push(`Task ${i},2d`);
    const prepared = prepareImport('csv', rows.join('\n'), () => {});
    expect(prepared.ok && prepared.updateBytes).toBeGreaterThan(50 * 100);
  });
});

describe('calendar subscription link', () => {
  it('prefers the view token, and says when only the edit token is known', () => {
    expect(calendarLink('https://p.example', 'B1', { viewToken: 'v t', editToken: 'e', current: 'e' })).toEqual({
      url: 'https://p.example/api/boards/B1/calendar.ics?token=v%20t',
      webcal: 'webcal://p.example/api/boards/B1/calendar.ics?token=v%20t',
      role: 'view',
    });
    expect(calendarLink('http://localhost:3000', 'B1', { editToken: 'e', current: 'e' })?.role).toBe('edit');
    expect(calendarLink('http://localhost:3000', 'B1', { current: null })).toBeNull();
  });
});
