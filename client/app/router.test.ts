import { describe, expect, it } from 'vitest';
import { parseRoute } from './router.ts';

const ID = 'V1StGXR8_Z5jdHi6B-myT';

describe('parseRoute', () => {
  it.each([
    ['/', '', { name: 'home' }],
    ['', '', { name: 'home' }],
    ['/index.html', '', { name: 'home' }],
    [`/b/${ID}`, '?token=abc.def', { name: 'board', id: ID, token: 'abc.def' }],
    [`/b/${ID}/`, '?token=abc', { name: 'board', id: ID, token: 'abc' }],
    [`/b/${ID}`, '', { name: 'board', id: ID, token: null }],
    [`/b/${ID}`, '?token=', { name: 'board', id: ID, token: null }],
    [`/b/${ID}`, '?x=1&token=a%2Bb', { name: 'board', id: ID, token: 'a+b' }],
  ])('%s%s', (path, search, route) => {
    expect(parseRoute(path, search)).toEqual(route);
  });

  it.each([
    '/b/short',
    '/b/..%2F..%2Fetc%2Fpasswd',
    `/b/${ID}/extra`,
    '/b/%E0%A4%A',
    '/boards',
    '/b/',
  ])('refuses %s as not found (board ids are validated, no path tricks)', (path) => {
    expect(parseRoute(path, '?token=t').name).toBe('not-found');
  });
});
