import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SeamlineConfig } from '../../../../libs/config';

/**
 * The page's policy: scripts and styles only from this origin (styles may be inline for the message frame),
 * images also from object URLs the page made itself (attachments fetched with the agent's token),
 * no plugins, no framing by others. Customer HTML additionally gets its own `default-src 'none'` policy inside
 * a sandboxed iframe.
 */
export const INBOX_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // blob: for attachment thumbnails, fetched with the agent's token and shown through object URLs
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Where `vite build` writes the inbox: dist/inbox (this file runs as dist/apps/api/src/inbox/inbox-static.js). */
export function inboxStaticDir(config: SeamlineConfig): string {
  return config.access.staticDir ? resolve(config.access.staticDir) : join(__dirname, '..', '..', '..', '..', 'inbox');
}

/**
 * Serves the built web inbox at `/` (hashed assets cached for a year, the page never cached), with the page's
 * security headers; API answers are never cached (they carry customer data).
 */
export function serveInbox(app: NestExpressApplication, config: SeamlineConfig): void {
  app.use((req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (req.path.startsWith('/api/')) {
      res.setHeader('Cache-Control', 'no-store');
    } else if (!req.path.startsWith('/docs')) {
      res.setHeader('Content-Security-Policy', INBOX_CSP);
      res.setHeader('X-Frame-Options', 'DENY');
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    }
    next();
  });
  const dir = inboxStaticDir(config);
  const index = join(dir, 'index.html');
  if (!existsSync(index)) {
    new Logger('Inbox').warn(
      `the web inbox is not built (${index} is missing): run the build (npm start or npm test builds it)`,
    );
    app.use('/', (req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path !== '/') return next();
      res.status(503).type('text/plain').send('The web inbox is not built. Run `npm start` (or the build) first.');
    });
    return;
  }
  app.useStaticAssets(dir, {
    index: 'index.html',
    redirect: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader(
        'Cache-Control',
        /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
}
