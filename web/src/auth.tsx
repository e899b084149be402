/** Current user: loaded once from /api/auth/me, changed by login and logout. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, resetCsrf } from './api.ts';
import type { Role, User } from './types.ts';

interface AuthState {
  user: User | null;
  loading: boolean;
  login(login: string, password: string): Promise<User>;
  logout(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    api
      .get<{ user: User }>('/api/auth/me')
      .then((r) => !cancelled && setUser(r.user))
      .catch((err: unknown) => {
        if (!cancelled && !(err instanceof ApiError && err.status === 401)) console.error(err);
      })
      .finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, []);

  const login = useCallback(async (loginName: string, password: string) => {
    const r = await api.post<{ user: User }>('/api/auth/login', { login: loginName, password });
    resetCsrf();
    setUser(r.user);
    return r.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api.post('/api/auth/logout');
    } finally {
      resetCsrf();
      setUser(null);
    }
  }, []);

  const value = useMemo(() => ({ user, loading, login, logout }), [user, loading, login, logout]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}

/** What each role may open in the interface (the server enforces the same rules). */
export const can = {
  viewAudit: (r: Role) => r === 'admin',
  manageOrganisations: (r: Role) => r === 'admin',
  viewMethodologies: (r: Role) => r === 'admin' || r === 'analyst' || r === 'working_group',
  editMethodologies: (r: Role) => r === 'admin' || r === 'analyst',
};
