/** The documentation inside the app (issue 10): `GET /docs/…` shows docs/*.md rendered to HTML (the user guide is
 * docs/guide, its screenshots docs/guide/img), so the «Справка» link of every page works without GitHub or internet
 * access, and the same relative links work on GitHub and here. Public (the docs hold no data); only .md, .png, .svg
 * and .json files under docs/ are served, nothing outside it. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { renderMarkdown } from '../../core/guide/markdown.ts';
import { sendError } from '../errors.ts';

export const DOCS_DIR = fileURLToPath(new URL('../../../docs/', import.meta.url));

const TYPES: Record<string, string> = { '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json; charset=utf-8' };

const STYLE = `body{font:16px/1.55 system-ui,"DejaVu Sans",sans-serif;color:#1f2933;margin:0;background:#f7f8fa}
header{background:#1d4e89;color:#fff;padding:.6rem 1.5rem;display:flex;gap:1.5rem;align-items:center}
header a{color:#fff}main{max-width:60rem;margin:0 auto;padding:1rem 1.5rem 3rem;background:#fff}
img{max-width:100%;border:1px solid #d9dee5;border-radius:4px}table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #d9dee5;padding:.3rem .6rem;text-align:left;vertical-align:top}th{background:#eef1f5}
pre{background:#eef1f5;padding:.8rem;overflow:auto}code{font-family:"DejaVu Sans Mono",monospace;font-size:.92em}
blockquote{border-left:4px solid #1d4e89;margin:1rem 0;padding:.2rem 1rem;background:#f1f5fb}`;

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${title.replace(/</g, '&lt;')} — справка МСОКО</title><style>${STYLE}</style></head><body>` +
    `<header><strong>МСОКО · Справка</strong><a href="/docs/guide/index.md">Содержание руководства</a><a href="/">Вернуться в систему</a></header>` +
    `<main>${body}</main></body></html>`
  );
}

export function docsRoutes() {
  return async function (app: FastifyInstance): Promise<void> {
    app.get('/docs/*', { schema: { hide: true } }, async (req, reply) => {
      // The router has already decoded the wildcard once; decoding again turned `/docs/%25` into a URIError (500).
      const rel = (req.params as { '*'?: string })['*'] ?? '';
      if (rel.includes('\0')) return sendError(reply, 404, 'NOT_FOUND', 'Страница справки не найдена');
      let file = path.resolve(DOCS_DIR, rel);
      if (file !== DOCS_DIR.replace(/\/$/, '') && !file.startsWith(DOCS_DIR)) return sendError(reply, 404, 'NOT_FOUND', 'Страница справки не найдена');
      const info = await stat(file).catch(() => null);
      if (info?.isDirectory()) file = path.join(file, 'index.md');
      const ext = path.extname(file).toLowerCase();
      if (ext !== '.md' && !TYPES[ext]) return sendError(reply, 404, 'NOT_FOUND', 'Страница справки не найдена');
      const content = await readFile(file).catch(() => null);
      if (!content) return sendError(reply, 404, 'NOT_FOUND', 'Страница справки не найдена');
      if (ext !== '.md') return reply.type(TYPES[ext]!).header('cache-control', 'no-cache').send(content);
      const doc = renderMarkdown(content.toString('utf8'));
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page(doc.title ?? path.basename(file), doc.html));
    });
  };
}
