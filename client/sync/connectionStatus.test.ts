import { describe, expect, it } from 'vitest';
import { deriveStatus, describeStatus, type ConnectionFacts } from './connectionStatus.ts';

const base: ConnectionFacts = { browserOnline: true, socket: 'connecting', everConnected: false, failedAttempts: 0 };

describe('deriveStatus', () => {
  it.each<[Partial<ConnectionFacts>, string]>([
    [{}, 'connecting'],
    [{ socket: 'connected', everConnected: true }, 'connected'],
    [{ socket: 'disconnected', everConnected: true }, 'reconnecting'],
    [{ socket: 'connecting', everConnected: true, failedAttempts: 3 }, 'reconnecting'],
    [{ socket: 'connecting', failedAttempts: 1 }, 'reconnecting'],
    [{ browserOnline: false }, 'offline'],
    [{ browserOnline: false, socket: 'connected', everConnected: true }, 'connected'],
    [{ browserOnline: false, socket: 'disconnected', everConnected: true }, 'offline'],
    [{ socket: 'disconnected', everConnected: true, closedForGood: true }, 'closed'],
    [{ browserOnline: false, socket: 'disconnected', closedForGood: true }, 'closed'],
  ])('%j -> %s', (facts, status) => {
    expect(deriveStatus({ ...base, ...facts })).toBe(status);
  });
});

describe('describeStatus', () => {
  it('tells offline users their edits are kept', () => {
    expect(describeStatus('offline', false).detail).toBe('Offline — edits are saved in this browser and will sync.');
  });
  it('says when connected changes are still being sent', () => {
    expect(describeStatus('connected', true).label).toBe('Syncing…');
    expect(describeStatus('connected', false).label).toBe('Connected');
  });
});
