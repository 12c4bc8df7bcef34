import type { OpenAPIObject } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { DomainError } from '../../../../libs/domain';

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options', 'trace'] as const;

/**
 * Answers a method the API does not serve on a path it does serve with 405, an `Allow` header naming the
 * methods it serves there, and the usual error body, instead of the router's 404. The paths and their methods
 * are the OpenAPI document's, which Nest builds from the same route metadata it routes by; path templates match
 * one segment each, case-insensitively and with an optional trailing slash, as the router matches them.
 * GET routes also answer HEAD (the router serves both).
 */
export function methodNotAllowed(document: OpenAPIObject): RequestHandler {
  const routes = Object.entries(document.paths).map(([path, item]) => ({
    pattern: new RegExp(`^${path.split('/').map(segmentPattern).join('/')}/?$`, 'i'),
    methods: METHODS.filter((method) => method in item).map((method) => method.toUpperCase()),
  }));
  return (req: Request, res: Response, next: NextFunction) => {
    const matching = routes.filter((route) => route.pattern.test(req.path));
    if (matching.length === 0) return next();
    const allowed = new Set(matching.flatMap((route) => route.methods));
    if (allowed.has('GET')) allowed.add('HEAD');
    if (allowed.has(req.method)) return next();
    const allow = METHODS.map((method) => method.toUpperCase()).filter((method) => allowed.has(method));
    res.setHeader('Allow', allow.join(', '));
    next(new DomainError('METHOD_NOT_ALLOWED', `${req.method} is not allowed here`, { allow }));
  };
}

function segmentPattern(segment: string): string {
  return /^\{[^/{}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
