/**
 * Who is signed in, per role: the bearer token lives in sessionStorage (this tab only, gone when
 * it closes; sign out forgets it). Components follow it with useToken.
 */
import { useSyncExternalStore } from 'react';

export type Role = 'ambassador' | 'ops';

const key = (role: Role) => `console.token.${role}`;
const listeners = new Set<() => void>();

export function getToken(role: Role): string | null {
  return sessionStorage.getItem(key(role));
}

export function setToken(role: Role, token: string | null): void {
  if (token) sessionStorage.setItem(key(role), token);
  else sessionStorage.removeItem(key(role));
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useToken(role: Role): string | null {
  return useSyncExternalStore(subscribe, () => getToken(role));
}
