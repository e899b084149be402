/** The built SPA (web/dist) for non-/api GET paths, with index.html as the fallback for client-side routes. Without a
 * build the API still works and `/` explains how to build the web app. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

export async function installStatic(app: FastifyInstance, webDist: string): Promise<boolean> {
  const root = path.resolve(webDist);
  if (!existsSync(path.join(root, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="ru"><meta charset="utf-8"><title>МСОКО</title>' +
            '<p>Веб-интерфейс не собран. Выполните <code>npm run build:web</code> и перезапустите сервер. ' +
            'API работает: <a href="/api/docs">/api/docs</a>.</p></html>',
        ),
    );
    return false;
  }
  const fastifyStatic = (await import('@fastify/static')).default;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    schemaHide: true,
    cacheControl: false,
    // The build writes .br and .gz beside each asset (web/vite.config.ts): ECharts' chunk travels as ~0,18 MB, not 0,54.
    preCompressed: true,
    setHeaders(res, filePath) {
      if (filePath.endsWith('index.html')) res.setHeader('cache-control', 'no-cache');
      else if (filePath.includes(`${path.sep}assets${path.sep}`)) res.setHeader('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  return true;
}
