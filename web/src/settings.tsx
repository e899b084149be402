/** The municipality settings from the server (`GET /api/settings`): its name for the header and the login page. */
import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { useFetch } from './useFetch.ts';
import type { Settings } from '../../src/core/notifications/schema.ts';

let cached: Promise<Settings> | null = null;

/** Loads once per page load; null until it arrives (or when the server is unreachable). */
export function useSettings(): Settings | null {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    let cancelled = false;
    cached ??= api.get<Settings>('/api/settings');
    cached.then((s) => !cancelled && setSettings(s)).catch(() => {
      cached = null;
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return settings;
}

export function MunicipalityName() {
  const s = useSettings();
  return <>{s?.municipality.name ?? ''}</>;
}

/** The regional analyst's region (issue 9): they work above the municipalities, so the header names the region. */
export function RegionName() {
  const r = useFetch<{ name: string }>('/api/region/me');
  return <>{r.data?.name ?? ''}</>;
}
