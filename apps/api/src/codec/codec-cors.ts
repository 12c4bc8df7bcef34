import type { NextFunction, Request, Response } from 'express';

const CODEC_PATH = /^\/api\/v1\/codec\/(en|de)code(\?|$)/;

/**
 * CORS for the codec endpoint only, and only for the configured origins (Temporal UI): the browser may send the
 * caller's Authorization header and the UI's X-Namespace. Preflights are answered here, before the 405 check.
 */
export function codecCors(origins: readonly string[]) {
  const allowed = new Set(origins);
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!CODEC_PATH.test(req.url)) return next();
    const origin = req.headers.origin;
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.vary('Origin');
      if (req.method === 'OPTIONS' && req.headers['access-control-request-method']) {
        res.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
        res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace');
        res.setHeader('Access-Control-Max-Age', '600');
        res.status(204).end();
        return;
      }
    }
    next();
  };
}
