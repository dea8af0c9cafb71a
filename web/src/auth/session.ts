import { createContext, useContext } from 'react';
import { api, ApiError, setCsrfToken } from '../api/client';
import type { Me } from '../api/types';

export const ME_QUERY_KEY = ['me'] as const;

/** Who is signed in, or null when nobody is. Never asks to sign in: a 401 here is the answer. */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api<Me>('GET', '/api/v1/me', undefined, { reauthenticate: false });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export interface Credentials {
  company: string;
  email: string;
  password: string;
}

export async function signIn(credentials: Credentials): Promise<void> {
  const session = await api<{ csrfToken: string }>('POST', '/api/v1/auth/login', credentials, {
    reauthenticate: false,
  });
  setCsrfToken(session.csrfToken);
}

export async function signOut(): Promise<void> {
  try {
    await api<void>('POST', '/api/v1/auth/logout', undefined, { reauthenticate: false });
  } finally {
    setCsrfToken(null);
  }
}

const COMPANY_KEY = 'kura.company';

export function rememberedCompany(): string {
  try {
    return window.localStorage.getItem(COMPANY_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberCompany(slug: string): void {
  try {
    window.localStorage.setItem(COMPANY_KEY, slug);
  } catch {
    // private mode
  }
}

/** The signed-in caller, for every page inside the console's frame. */
export const MeContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(MeContext);
  if (!me) throw new Error('useMe() outside the signed-in console');
  return me;
}
