/**
 * Support addresses and ticket tokens. A reply finds its ticket by In-Reply-To/References first; when a mail
 * client dropped those, by a token: `[#SL-6f1c2a3b]` in the subject, or a plus-addressed recipient
 * (`support+SL-6f1c2a3b@shop.example`). The token is the first 8 hex digits of the ticket id.
 */

const SUBJECT_TOKEN = /\s*\[#SL-([0-9a-f]{8,32})\]\s*/i;
const PLUS_TOKEN = /^(?:sl-)?([0-9a-f]{8,32})$/i;

/** The token outgoing subjects carry (libs/domain writes it; this side reads it). */
export { ticketToken } from '../../../../domain';

/** The token's hex ticket-id prefix and the subject without it. */
export function takeSubjectToken(subject: string): { token: string | null; subject: string } {
  const match = SUBJECT_TOKEN.exec(subject);
  if (!match) return { token: null, subject };
  const rest = `${subject.slice(0, match.index)} ${subject.slice(match.index + match[0].length)}`
    .replace(/\s+/g, ' ')
    .trim();
  return { token: (match[1] as string).toLowerCase(), subject: rest };
}

/** Accepts the configured support addresses and their plus-addressed forms (case-insensitive). */
export class SupportAddresses {
  private readonly addresses: Set<string>;

  constructor(addresses: readonly string[]) {
    this.addresses = new Set(addresses.map((a) => a.trim().toLowerCase()));
  }

  accepts(address: string): boolean {
    const parts = split(address);
    return parts !== null && this.addresses.has(`${parts.base}@${parts.domain}`);
  }

  /** The ticket-id prefix of a plus-addressed support recipient, or null. */
  tokenOf(address: string): string | null {
    const parts = split(address);
    if (!parts || parts.tag === null || !this.addresses.has(`${parts.base}@${parts.domain}`)) return null;
    const match = PLUS_TOKEN.exec(parts.tag);
    return match ? (match[1] as string).toLowerCase() : null;
  }

  /** The first plus-address token among `addresses`. */
  tokenAmong(addresses: readonly string[]): string | null {
    for (const address of addresses) {
      const token = this.tokenOf(address);
      if (token) return token;
    }
    return null;
  }

  list(): string[] {
    return [...this.addresses];
  }
}

function split(address: string): { base: string; tag: string | null; domain: string } | null {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return null;
  const local = address.slice(0, at).trim().toLowerCase();
  const domain = address
    .slice(at + 1)
    .trim()
    .toLowerCase();
  const plus = local.indexOf('+');
  return plus > 0
    ? { base: local.slice(0, plus), tag: local.slice(plus + 1), domain }
    : { base: local, tag: null, domain };
}
