import type { Request, Response } from 'express';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { UserRole } from '../../../../libs/persistence';

/**
 * Temporal UI's codec requests cannot carry the inbox's bearer token: the UI knows nothing of Seamline's sign-in.
 * They can carry cookies (the UI's "include cross-origin credentials" codec setting), so signing in as a supervisor
 * or admin also sets this cookie, readable by the codec endpoint only: HttpOnly (no script reads it), Path limited to
 * the codec routes (no other route accepts it, so it cannot ride a cross-site form into the inbox's actions) and
 * SameSite=Strict (sent only from the same site: Temporal UI on the same host, another port). Signing out, or
 * revoking the user's sessions, ends it like the token it holds.
 */
export const CODEC_COOKIE = 'seamline_codec';
export const CODEC_COOKIE_PATH = '/api/v1/codec';

/** Who may read decrypted payloads: the codec routes admit these roles, and only their sign-in sets the cookie. */
export const CODEC_ROLES: readonly UserRole[] = ['supervisor', 'admin'];

/** Sets the cookie after a sign-in of a role that may decode; clears a stale one for any other role. */
export function setCodecCookie(req: Request, res: Response, role: UserRole, token: string, maxAgeSeconds: number) {
  if (!CODEC_ROLES.includes(role)) return clearCodecCookie(req, res);
  res.append('Set-Cookie', serialise(req, token, maxAgeSeconds));
}

export function clearCodecCookie(req: Request, res: Response): void {
  res.append('Set-Cookie', serialise(req, '', 0));
}

/** The token in the request's codec cookie, if it has one. */
export function codecCookieToken(req: Request): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  const token = parseCookie(header)[CODEC_COOKIE];
  return token ? token : undefined;
}

function serialise(req: Request, value: string, maxAge: number): string {
  return stringifySetCookie(CODEC_COOKIE, value, {
    httpOnly: true,
    sameSite: 'strict',
    path: CODEC_COOKIE_PATH,
    maxAge,
    // over TLS (directly, or behind a proxy Express trusts) the cookie never travels in clear
    secure: req.secure,
  });
}
