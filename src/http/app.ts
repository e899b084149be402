/** The HTTP application: `buildApp` (for `app.inject` tests, on an open database) and `startApp` (opens the
 * database, migrates, seeds the demo when asked, listens). */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { openDatabase, type DatabaseHandle } from '../db/connection.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { DEFAULT_AUTH_SETTINGS, prepareAuth, sessionSettingsFromEnv, type AuthSettings } from '../services/admin/auth.ts';
import type { AppContext } from './context.ts';
import { MESSAGES, installErrorHandlers, sendError, validatorCompiler } from './errors.ts';
import { CSRF_HMAC_KEY, cookieNames, csrfBinding, installGuard, installPolicyRegistry } from './guard.ts';
import { installMunicipalScope } from './municipal-scope.ts';
import { installBodyGuard } from './body-guard.ts';
import { installNulGuard } from './nul-guard.ts';
import { POLICY, type Rule } from './policy.ts';
import { authRoutes } from './routes/admin/auth.ts';
import { campaignRoutes } from './routes/collection/campaigns.ts';
import { importRoutes } from './routes/imports/imports.ts';
import { campaignAnalysisRoutes } from './routes/analysis/campaign-analysis.ts';
import { printedReportRoutes } from './routes/analysis/printed-reports.ts';
import { cycleRoutes } from './routes/cycle/cycle.ts';
import { cycleEffectRoutes } from './routes/cycle/cycle-effect.ts';
import { methodologyRoutes } from './routes/methodology/methodologies.ts';
import { organisationRoutes } from './routes/registry/organisations.ts';
import { surveyRoutes } from './routes/surveys/surveys.ts';
import { regionRoutes } from './routes/region/region.ts';
import { regionCampaignRoutes } from './routes/region/region-campaigns.ts';
import { adminRoutes } from './routes/admin/admin.ts';
import { notificationRoutes } from './routes/notifications/notifications.ts';
import { systemRoutes } from './routes/admin/system.ts';
import { docsRoutes } from './routes/docs.ts';
import { documentRoutes } from './routes/documents/documents.ts';
import { installStatic } from './static.ts';
import { INLINE_DIMENSIONAL_ROWS } from '../core/analysis/dimensional-compact.ts';
import { keepWorkViews, WORK_VIEW_CELLS } from '../services/analysis/work-views.ts';
import { keepOutcomes, keepParts, KEPT_PARTS, KEPT_RESULTS } from '../services/analysis/kept-outcomes.ts';

export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface BuildAppOptions {
  database: DatabaseHandle;
  demo?: boolean;
  logLevel?: string;
  webDist?: string;
  /** `Secure` flag on cookies; default from MSOKO_COOKIE_SECURE, else true. */
  cookieSecure?: boolean;
  auth?: Partial<AuthSettings>;
  trustProxy?: boolean;
  /** Extra routes registered after the built-in ones (tests); they need rules in `policy`. */
  extraRoutes?: (app: FastifyInstance) => Promise<void> | void;
  policy?: Readonly<Record<string, Rule>>;
  /** Per-dimension rows the analysis page receives whole (`getCampaignAnalysis`'s `inlineRows`); default from
   * MSOKO_ANALYSIS_INLINE_ROWS, else INLINE_DIMENSIONAL_ROWS. */
  analysisInlineRows?: number;
  /** The cells the analysis keeps of computed work views (work-views.ts); default from MSOKO_WORK_VIEW_CELLS, else
   * WORK_VIEW_CELLS; 0 keeps none. */
  workViewCells?: number;
  /** The results the analysis keeps of the page's per-dimension computations (kept-outcomes.ts); default from
   * MSOKO_KEPT_RESULTS, else KEPT_RESULTS; 0 keeps none. */
  keptResults?: number;
  /** The results and rows kept of the per-work parts of every per-dimension computation (kept-outcomes.ts); default
   * from MSOKO_KEPT_PARTS, else KEPT_PARTS; 0 keeps none. */
  keptParts?: number;
}

export interface BuiltApp {
  app: FastifyInstance;
  /** Route ids (`METHOD /url`) of every registered route, HEAD excluded. */
  routes: string[];
}

function envBool(name: string): boolean | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  return !/^(0|false|no|off)$/i.test(v);
}

/** A whole number ≥ 0 from the environment; unset or empty: undefined; anything else stops the start with its name. */
function envCount(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+$/.test(v.trim())) throw new Error(`${name}: ожидается целое число ≥ 0, получено «${v}»`);
  return Number(v.trim());
}

export async function buildApp(opts: BuildAppOptions): Promise<BuiltApp> {
  const cookieSecure = opts.cookieSecure ?? envBool('MSOKO_COOKIE_SECURE') ?? true;
  const ctx: AppContext = {
    db: opts.database.db,
    kind: opts.database.kind,
    demo: opts.demo ?? false,
    auth: { ...DEFAULT_AUTH_SETTINGS, ...sessionSettingsFromEnv(), ...opts.auth },
    cookieSecure,
    cookies: cookieNames(cookieSecure),
    analysisInlineRows: opts.analysisInlineRows ?? envCount('MSOKO_ANALYSIS_INLINE_ROWS') ?? INLINE_DIMENSIONAL_ROWS,
  };
  keepWorkViews(ctx.db, opts.workViewCells ?? envCount('MSOKO_WORK_VIEW_CELLS') ?? WORK_VIEW_CELLS);
  keepOutcomes(ctx.db, opts.keptResults ?? envCount('MSOKO_KEPT_RESULTS') ?? KEPT_RESULTS);
  keepParts(ctx.db, opts.keptParts ?? envCount('MSOKO_KEPT_PARTS') ?? KEPT_PARTS);
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info' },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: opts.trustProxy ?? envBool('MSOKO_TRUST_PROXY') ?? false,
    routerOptions: { ignoreTrailingSlash: false },
    // Errors the router raises before any route or hook (a malformed percent-encoding: FST_ERR_BAD_URL; a failing
    // async constraint) get the one documented error shape too (issue 25).
    frameworkErrors: (err, request, reply) => {
      // No hooks run for these: the request id header is set here.
      reply.header('x-request-id', request.id);
      if (err.code === 'FST_ERR_BAD_URL') return sendError(reply, 400, 'BAD_URL', 'Некорректный адрес запроса: проверьте кодировку символов (%XX)');
      return sendError(reply, err.statusCode && err.statusCode < 500 ? err.statusCode : 400, err.code || 'BAD_REQUEST', 'Некорректный запрос');
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandlers(app);
  const policy = opts.policy ?? POLICY;
  const routes = installPolicyRegistry(app, policy);
  installBodyGuard(app);
  installNulGuard(app);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Answers to a signed-in caller hold non-public data: no browser or proxy cache keeps them (issue 25).
    if (request.user && request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });

  await app.register((await import('@fastify/helmet')).default, {
    contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null, 'img-src': ["'self'", 'data:'] } },
  });
  await app.register((await import('@fastify/cookie')).default);
  await app.register((await import('@fastify/csrf-protection')).default, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: ctx.cookies.csrf,
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: ctx.cookieSecure },
    // Tokens are bound to the session cookie (issue 25): see csrfBinding in guard.ts.
    csrfOpts: { hmacKey: CSRF_HMAC_KEY },
    getUserInfo: (req) => csrfBinding(req.cookies[ctx.cookies.session]),
    getToken: (req) => {
      const h = req.headers['x-csrf-token'];
      return Array.isArray(h) ? h[0] : h;
    },
  });
  await app.register((await import('@fastify/swagger')).default, {
    openapi: {
      info: { title: 'МСОКО API', version: '0.1.0', description: 'Муниципальная система оценки качества образования' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: ctx.cookies.session } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register((await import('@fastify/swagger-ui')).default, { routePrefix: '/api/docs', staticCSP: true });

  installGuard(app, { db: ctx.db, auth: ctx.auth, cookies: ctx.cookies, policy });
  installMunicipalScope(app, ctx.db);
  await app.register(systemRoutes(ctx));
  await app.register(docsRoutes());
  await app.register(authRoutes(ctx));
  await app.register(organisationRoutes(ctx));
  await app.register(methodologyRoutes(ctx));
  await app.register(campaignRoutes(ctx));
  await app.register(importRoutes(ctx));
  await app.register(campaignAnalysisRoutes(ctx));
  await app.register(printedReportRoutes(ctx));
  await app.register(cycleRoutes(ctx));
  await app.register(cycleEffectRoutes(ctx));
  await app.register(surveyRoutes(ctx));
  await app.register(regionRoutes(ctx));
  await app.register(regionCampaignRoutes(ctx));
  await app.register(adminRoutes(ctx));
  await app.register(notificationRoutes(ctx));
  await app.register(documentRoutes(ctx));
  if (opts.extraRoutes) await app.register(async (scope) => opts.extraRoutes?.(scope));
  const hasWeb = await installStatic(app, opts.webDist ?? DEFAULT_WEB_DIST);

  app.setNotFoundHandler(async (request, reply) => {
    const url = request.url.split('?')[0] ?? '';
    if (hasWeb && (request.method === 'GET' || request.method === 'HEAD') && !url.startsWith('/api/') && url !== '/api') {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return sendError(reply, 404, 'NOT_FOUND', url.startsWith('/api') ? 'Метод API не найден' : MESSAGES.notFound);
  });

  await Promise.all([app.ready(), prepareAuth()]);
  return { app, routes };
}

export interface StartAppOptions {
  databaseUrl?: string;
  dataDir?: string;
  port?: number;
  host?: string;
  demo?: boolean;
  /** With `demo`: seed the whole demo year too (campaigns, survey, recommendations, road maps — `serve --demo`). */
  demoYear?: boolean;
  logLevel?: string;
  webDist?: string;
  cookieSecure?: boolean;
  analysisInlineRows?: number;
}

export interface StartedApp {
  url: string;
  app: FastifyInstance;
  db: DatabaseHandle['db'];
  kind: DatabaseHandle['kind'];
  close(): Promise<void>;
}

export async function startApp(opts: StartAppOptions = {}): Promise<StartedApp> {
  const database = await openDatabase({
    databaseUrl: opts.databaseUrl ?? process.env.DATABASE_URL,
    dataDir: opts.dataDir ?? process.env.MSOKO_DATA_DIR ?? path.resolve('data'),
  });
  try {
    await migrateToLatest(database.db);
    if (opts.demo) {
      const { seedDemo } = await import('../services/demo/demo.ts');
      const any = await database.db.selectFrom('organisations').select('id').limit(1).executeTakeFirst();
      if (!any) await seedDemo(database.db, { year: opts.demoYear ?? false });
    }
    const { app } = await buildApp({ database, demo: opts.demo, logLevel: opts.logLevel, webDist: opts.webDist, cookieSecure: opts.cookieSecure, ...(opts.analysisInlineRows !== undefined ? { analysisInlineRows: opts.analysisInlineRows } : {}) });
    const host = opts.host ?? '127.0.0.1';
    await app.listen({ port: opts.port ?? 3000, host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : opts.port;
    const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
    // Background jobs (imports…): every server process runs one worker over the jobs table (MSOKO_JOB_WORKER=0: none).
    const { startJobWorker } = await import('../services/imports/job-worker.ts');
    const jobs = await startJobWorker(database, { log: (message) => app.log.error(message) });
    // Maintenance (expired sessions, old sign-in attempts, the reminder pass…): at start and every 15 minutes
    // (src/services/admin/maintenance.ts).
    const { startMaintenance } = await import('../services/admin/maintenance.ts');
    const maintenance = startMaintenance(database.db, { log: (level, message) => app.log[level](message), auth: { ...DEFAULT_AUTH_SETTINGS, ...sessionSettingsFromEnv() } });
    return {
      url: `http://${shownHost}:${port}/`,
      app,
      db: database.db,
      kind: database.kind,
      close: async () => {
        await jobs?.stop();
        await maintenance.stop();
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close();
    throw err;
  }
}
