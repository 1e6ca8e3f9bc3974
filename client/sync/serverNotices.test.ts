import { describe, expect, it } from 'vitest';
import { readPresence } from '../../shared/protocol/presence.ts';
import { readServerStatus, SERVER_STATUS_KEY } from '../../shared/protocol/serverStatus.ts';
import { CloseCode } from '../../shared/protocol/wire.ts';
import { beginLinkReset, linkResetPending, watchLinkResets } from './linkReset.ts';
import { describeNotice, noticeForClose, noticeForRefusal } from './serverNotices.ts';

describe('server notices', () => {
  it.each([
    [CloseCode.linkRevoked, 'this link was reset', 'link-revoked'],
    [CloseCode.linkRevoked, '', 'link-revoked'],
    [CloseCode.linkRevoked, 'link expired', 'link-expired'],
    [CloseCode.boardTooLarge, 'board too large', 'board-too-large'],
    [CloseCode.boardDeleted, 'board deleted', null],
    [CloseCode.tryAgainLater, 'storage unavailable', null],
    [CloseCode.goingAway, '', null],
  ])('close %i "%s" -> %s', (code, reason, notice) => {
    expect(noticeForClose(code, reason)).toBe(notice);
  });

  it('a refused reconnect explained by REST maps to the same notices', () => {
    expect(noticeForRefusal('revoked')).toBe('link-revoked');
    expect(noticeForRefusal('expired')).toBe('link-expired');
  });

  it('say what happened and what to do', () => {
    expect(describeNotice('link-revoked').title).toBe('This link was reset');
    expect(describeNotice('link-expired').title).toBe('This link has expired');
    expect(describeNotice('link-revoked').detail).toMatch(/ask the person who shared it/i);
    expect(describeNotice('board-too-large').title).toMatch(/size limit/);
    expect(describeNotice('board-too-large').detail).toMatch(/not saved on the server/);
  });

  it('the server status in awareness is read, and never taken for a person', () => {
    const serverState = { [SERVER_STATUS_KEY]: { storage: 'unavailable', since: '2026-01-05T10:00:00.000Z', heldEdits: 3 } };
    const person = { user: { name: 'Ann', color: '#123456', role: 'edit' } };
    const states = new Map<number, unknown>([[1, person], [2, serverState]]);
    expect(readServerStatus(states)).toEqual({ storage: 'unavailable', since: '2026-01-05T10:00:00.000Z', heldEdits: 3 });
    expect(readPresence(serverState)).toBeNull();
    expect(readPresence(person)?.user.name).toBe('Ann');
    expect(readServerStatus(new Map([[1, person]]))).toBeNull();
  });
});

describe('a link reset under way in this tab', () => {
  it('is pending until finished, and hands the new token to the sessions of its board only', () => {
    const seen: string[] = [];
    const stopA = watchLinkResets('board-a', { replaced: (role, token) => seen.push(`a:${role}:${token}`), settled: () => seen.push('a:settled') });
    const stopB = watchLinkResets('board-b', { replaced: (role, token) => seen.push(`b:${role}:${token}`), settled: () => seen.push('b:settled') });
    const reset = beginLinkReset('board-a');
    expect(linkResetPending('board-a')).toBe(true);
    expect(linkResetPending('board-b')).toBe(false);
    reset.finish({ role: 'edit', token: 'e2.1..new' });
    reset.finish(null); // a second finish changes nothing
    expect(linkResetPending('board-a')).toBe(false);
    expect(seen).toEqual(['a:edit:e2.1..new', 'a:settled']);
    stopA();
    stopB();
  });

  it('that failed settles without a token', () => {
    const seen: string[] = [];
    const stop = watchLinkResets('board-c', { replaced: () => seen.push('replaced'), settled: () => seen.push('settled') });
    beginLinkReset('board-c').finish(null);
    expect(seen).toEqual(['settled']);
    stop();
  });
});
