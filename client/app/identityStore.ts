import { createStore } from 'zustand/vanilla';
import { loadIdentity, normalizeName, saveIdentity, type Identity } from './identity.ts';

/** This browser's identity, shared by the name dialog, the presence list and the session. */
export const identityStore = createStore<Identity & { setName(name: string): void }>()((set, get) => ({
  ...loadIdentity(localStorage),
  setName(name) {
    const next = { name: normalizeName(name), color: get().color };
    if (!next.name) return;
    saveIdentity(localStorage, next);
    set(next);
  },
}));
