// The signed-in user: loaded from /auth/me on start, set by sign-in, cleared by sign-out or a 401.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { ApiError, api, setCsrfToken, setUnauthenticatedHandler } from './api';
import type { Me, SessionResponse } from './types';

interface AuthValue {
  user: Me | null;
  loading: boolean;
  isAdmin: boolean;
  /** this tab signed out on purpose: the next sign-in starts afresh, not on the last user's page */
  signedOut: boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: (everywhere?: boolean) => Promise<void>;
  refresh: () => Promise<void>;
}

const AuthContext = createContext<AuthValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<Me | null>(null);
  const [loading, setLoading] = useState(true);
  const [signedOut, setSignedOut] = useState(false);

  const refresh = useCallback(async () => {
    try {
      const session = await api.get<SessionResponse>('/auth/me');
      setCsrfToken(session.csrfToken);
      setUser(session.user);
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401) console.error(error);
      setCsrfToken(null);
      setUser(null);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setCsrfToken(null);
      setUser(null);
    });
    void refresh();
    return () => setUnauthenticatedHandler(null);
  }, [refresh]);

  const login = useCallback(async (username: string, password: string) => {
    const session = await api.post<SessionResponse>('/auth/login', { username, password });
    setCsrfToken(session.csrfToken);
    setSignedOut(false);
    setUser(session.user);
    return session.user;
  }, []);

  const logout = useCallback(async (everywhere = false) => {
    try {
      await api.post(everywhere ? '/auth/logout-all' : '/auth/logout');
    } finally {
      setCsrfToken(null);
      setSignedOut(true);
      setUser(null);
    }
  }, []);

  const value = useMemo<AuthValue>(
    () => ({
      user,
      loading,
      isAdmin: !!user?.grants.some((grant) => grant.role === 'administrator'),
      signedOut,
      login,
      logout,
      refresh,
    }),
    [user, loading, signedOut, login, logout, refresh],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
