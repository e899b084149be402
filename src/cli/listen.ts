/** Where `msoko serve` listens: the flag wins, then the environment (`PORT`, `HOST`), then the default. */

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = '127.0.0.1';

export type ListenAddress = { ok: true; port: number; host: string } | { ok: false; error: string };

export function resolveListenAddress(flags: { port?: string; host?: string }, env: Record<string, string | undefined>): ListenAddress {
  const rawPort = flags.port ?? (env.PORT?.trim() || undefined);
  const host = flags.host ?? (env.HOST?.trim() || DEFAULT_HOST);
  if (rawPort === undefined) return { ok: true, port: DEFAULT_PORT, host };
  const source = flags.port !== undefined ? '--port' : 'PORT';
  const port = /^\d+$/.test(rawPort) ? Number(rawPort) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) return { ok: false, error: `Неверный порт (${source}): ${rawPort}` };
  return { ok: true, port, host };
}
