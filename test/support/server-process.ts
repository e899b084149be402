/** A real msoko server in a child process (`node bin/msoko.js serve --port 0 …`), for the tests that kill it or run
 * two of them: resolves with the URL it prints once it listens; rejects with its output when it exits first or does
 * not start in time. Errors it logs (level 50) are copied to this process's stderr. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/msoko.js', import.meta.url));

export interface ServerProcess {
  child: ChildProcess;
  url: string;
}

export function startServerProcess(opts: { env: Record<string, string>; args?: string[]; timeoutMs?: number }): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...(opts.args ?? ['--log-level', 'warn'])], {
    env: { ...process.env, MSOKO_COOKIE_SECURE: 'false', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const timeoutMs = opts.timeoutMs ?? 180_000;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`сервер не запустился за ${timeoutMs / 1000} с: ${out}`));
    }, timeoutMs);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/"level":50/.test(d.toString())) process.stderr.write(d);
      const m = /МСОКО работает: (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: m[1].replace(/\/$/, '') });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`сервер завершился (${code}): ${out}`));
    });
  });
}

/** Kills the process with SIGKILL (or the signal given) and waits for it to exit. */
export async function stopServerProcess(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill(signal);
  await exited;
}
