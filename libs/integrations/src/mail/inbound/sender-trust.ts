/**
 * Sender trust: may routing believe the From address? VIP treatment and order lookup by sender are decisions
 * about a *person*, and a From header is one line anyone can write. So the sender must be a known customer, and
 * for mail that reached Seamline's own SMTP listener straight from the internet, when configured, the From domain
 * must pass DMARC (aligned SPF or DKIM) as verified here with mailauth. Mail from the provider webhook or the MIME
 * endpoint arrives over an authenticated channel whose operator did the SMTP-level checks.
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
  /** Require a DMARC pass for mail from the SMTP listener. */
  dmarcRequired: boolean;
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
    if (input.channel !== 'smtp' || !this.options.dmarcRequired) {
      return {
        verified: true,
        knownCustomer: true,
        dmarc: 'not_checked',
        domain,
        reason:
          input.channel === 'smtp'
            ? 'known customer (DMARC is not required by configuration)'
            : `known customer; received over the authenticated ${input.channel === 'postmark' ? 'Postmark webhook' : 'MIME endpoint'}`,
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
          'it may be spoofed, so no VIP treatment and no order lookup by sender address',
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

/** DNS for mailauth through Node's resolver, with a per-query timeout and optional explicit servers. */
export function systemResolver(servers: string[] | null, timeoutMs: number): DNSResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  if (servers?.length) resolver.setServers(servers);
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
}
