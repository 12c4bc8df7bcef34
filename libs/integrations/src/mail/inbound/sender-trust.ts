/**
 * Sender trust: may routing believe the From address? VIP treatment, order lookup by sender and auto-send are
 * decisions about a *person*, and a From header is one line anyone can write. So the sender must be a known
 * customer AND the From domain must pass DMARC, i.e. an SPF or DKIM result aligned with it:
 *
 * - mail at Seamline's own SMTP listener: SPF (connecting address, HELO, envelope), DKIM and DMARC, checked here
 *   with mailauth;
 * - mail through the MIME endpoint or the Postmark webhook: the `Authentication-Results` of a relay configured as
 *   trusted (INBOUND_TRUSTED_AUTHSERV_IDS) when it reports `dmarc=pass` for the From domain; otherwise DKIM and
 *   DMARC checked here (SPF cannot be: the connecting address is the relay's). An authenticated channel proves
 *   who posted the mail, not who wrote its From line.
 */
import { promises as dns } from 'node:dns';
import { authenticate, type AuthenticateResult, type DNSResolver } from 'mailauth';

export type InboundChannel = 'smtp' | 'mime' | 'postmark';

export interface SenderTrust {
  /** True: routing may use VIP status and look orders up by the sender's address. */
  verified: boolean;
  knownCustomer: boolean;
  /** DMARC as checked here; 'not_checked' when not required for this channel or the sender is unknown anyway. */
  dmarc: 'pass' | 'fail' | 'none' | 'temperror' | 'permerror' | 'not_checked';
  /** The From domain DMARC was evaluated for. */
  domain: string | null;
  /** One sentence for the briefing: why the sender is (not) trusted. */
  reason: string;
}

export interface SenderTrustOptions {
  /** Require a DMARC pass (default). Off only by explicit configuration, for a closed test set-up. */
  dmarcRequired: boolean;
  /** `authserv-id`s whose Authentication-Results headers are believed (the relay in front of the MIME endpoint). */
  trustedAuthservIds?: readonly string[];
  /** Custom DNS answers (tests); otherwise a resolver with `dnsServers` (default: the system's) and `dnsTimeoutMs`. */
  resolver?: DNSResolver;
  dnsServers?: string[] | null;
  dnsTimeoutMs?: number;
  /** Upper bound on the whole check; past it the result is a temporary error (not trusted). */
  timeoutMs?: number;
  /** This MTA's host name, for the Authentication-Results it computes. */
  mta?: string;
}

export interface SmtpContext {
  remoteAddress: string;
  helo: string;
  mailFrom: string | null;
}

export class SenderTrustEvaluator {
  private readonly resolver: DNSResolver;

  constructor(private readonly options: SenderTrustOptions) {
    this.resolver = options.resolver ?? systemResolver(options.dnsServers ?? null, options.dnsTimeoutMs ?? 2_000);
  }

  async evaluate(input: {
    raw: Buffer;
    channel: InboundChannel;
    fromEmail: string;
    knownCustomer: boolean;
    smtp?: SmtpContext;
  }): Promise<SenderTrust> {
    const domain = input.fromEmail.split('@').pop()?.toLowerCase() ?? null;
    if (!input.knownCustomer) {
      return {
        verified: false,
        knownCustomer: false,
        dmarc: 'not_checked',
        domain,
        reason: `${input.fromEmail} is not a known customer: no VIP treatment and no order lookup by sender address`,
      };
    }
    if (!this.options.dmarcRequired) {
      return {
        verified: true,
        knownCustomer: true,
        dmarc: 'not_checked',
        domain,
        reason: 'known customer (DMARC is not required by configuration)',
      };
    }
    const relayed = input.channel === 'smtp' ? null : trustedDmarc(input.raw, this.options.trustedAuthservIds ?? []);
    if (relayed && domain && relayed.domain === domain && relayed.result === 'pass') {
      return {
        verified: true,
        knownCustomer: true,
        dmarc: 'pass',
        domain,
        reason: `known customer; DMARC pass for ${domain} reported by ${relayed.authservId}`,
      };
    }
    const dmarc = await this.dmarc(input.raw, input.smtp);
    const verified = dmarc.result === 'pass';
    return {
      verified,
      knownCustomer: true,
      dmarc: dmarc.result,
      domain: dmarc.domain ?? domain,
      reason: verified
        ? `known customer; DMARC pass for ${dmarc.domain ?? domain} (${dmarc.detail})`
        : `From address not authenticated: DMARC ${dmarc.result} for ${dmarc.domain ?? domain} (${dmarc.detail}); ` +
          'it may be spoofed, so no VIP treatment, no order lookup by sender address and no automatic reply',
    };
  }

  private async dmarc(
    raw: Buffer,
    smtp?: SmtpContext,
  ): Promise<{ result: SenderTrust['dmarc']; domain: string | null; detail: string }> {
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const result = await Promise.race([
        authenticate(raw, {
          ip: smtp?.remoteAddress,
          helo: smtp?.helo || undefined,
          sender: smtp?.mailFrom ?? undefined,
          mta: this.options.mta,
          resolver: this.resolver,
          disableArc: true,
          disableBimi: true,
        }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(new Error(`authentication checks took longer than ${timeoutMs} ms`)),
            timeoutMs,
          );
        }),
      ]);
      return summarize(result);
    } catch (error) {
      return {
        result: 'temperror',
        domain: null,
        detail: error instanceof Error ? error.message.slice(0, 200) : 'authentication failed',
      };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }
}

function summarize(result: AuthenticateResult): {
  result: SenderTrust['dmarc'];
  domain: string | null;
  detail: string;
} {
  const dmarc = result.dmarc;
  const spf = result.spf ? result.spf.status.result : 'none';
  const dkim =
    (result.dkim.results ?? []).map((r) => `${r.signingDomain ?? '?'}=${r.status.result}`).join(',') || 'none';
  const detail = `spf=${spf} dkim=${dkim}`;
  if (!dmarc) return { result: 'none', domain: null, detail: `no From domain to check; ${detail}` };
  const raw = dmarc.status.result;
  const mapped: SenderTrust['dmarc'] =
    raw === 'pass'
      ? 'pass'
      : raw === 'fail'
        ? 'fail'
        : raw === 'none'
          ? 'none'
          : raw === 'permerror'
            ? 'permerror'
            : 'temperror';
  return { result: mapped, domain: dmarc.domain ?? null, detail };
}

/**
 * The DMARC result a trusted relay wrote (RFC 8601 `Authentication-Results: <authserv-id>; dmarc=pass
 * header.from=<domain>`), from the topmost header of a trusted authserv-id, or null. Only the header section is read.
 */
export function trustedDmarc(
  raw: Buffer,
  trusted: readonly string[],
): { authservId: string; result: string; domain: string | null } | null {
  if (trusted.length === 0) return null;
  const ids = new Set(trusted.map((id) => id.toLowerCase()));
  const end = raw.indexOf('\r\n\r\n');
  const head = raw.subarray(0, end < 0 ? Math.min(raw.length, 256 * 1024) : end).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const match = /^authentication-results:\s*(.*)$/i.exec(line);
    if (!match) continue;
    const [authserv, ...results] = (match[1] as string).replace(/\([^)]*\)/g, ' ').split(';');
    const authservId = (authserv ?? '').trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    if (!ids.has(authservId)) continue;
    for (const result of results) {
      const dmarc = /^\s*dmarc\s*=\s*([a-z]+)/i.exec(result);
      if (!dmarc) continue;
      const from = /header\.from\s*=\s*([^\s;]+)/i.exec(result);
      return { authservId, result: (dmarc[1] as string).toLowerCase(), domain: from?.[1]?.toLowerCase() ?? null };
    }
    return { authservId, result: 'none', domain: null };
  }
  return null;
}

/** DNS for mailauth through Node's resolver, with a per-query timeout and optional explicit servers. */
export function systemResolver(servers: string[] | null, timeoutMs: number): DNSResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers?.length) resolver.setServers(servers);
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
}
