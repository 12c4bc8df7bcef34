/**
 * How Seamline's mail threads like mail: replies say `Re:` with the customer's subject and carry the ticket's
 * token, `In-Reply-To` names the newest customer message and `References` the chain, so every mail client files
 * the conversation together, and a reply whose client dropped the headers still finds its ticket by the token.
 */

const TOKEN_IN_SUBJECT = /\s*\[#SL-[0-9a-f]{8,32}\]\s*/gi;
const REPLY_PREFIXES = /^\s*(?:(?:re|aw|sv|antw|wg|fw|fwd|tr)\s*(?:\[\d+\])?\s*:\s*)+/i;
/** RFC 5322 suggests keeping References short; the first message and the latest ones carry the thread. */
const MAX_REFERENCES = 10;
const MAX_SUBJECT_CHARS = 998;

/** The ticket's token: the first 8 hex digits of its id, as `[#SL-6f1c2a3b]`. */
export function ticketToken(ticketId: string): string {
  return `[#SL-${ticketId.replace(/-/g, '').slice(0, 8).toLowerCase()}]`;
}

/** `Re: <the customer's subject> [#SL-…]`, whatever prefixes and tokens the customer's subject already had. */
export function replySubject(customerSubject: string, ticketId: string): string {
  const bare = customerSubject.replace(TOKEN_IN_SUBJECT, ' ').replace(REPLY_PREFIXES, '').replace(/\s+/g, ' ').trim();
  const token = ticketToken(ticketId);
  const room = MAX_SUBJECT_CHARS - token.length - 5;
  return `Re: ${(bare || 'Your request').slice(0, room)} ${token}`;
}

/** The References of a reply: the thread's first message and its latest ones, oldest first, without repeats. */
export function referencesChain(messageIds: readonly string[]): string[] {
  const unique = [...new Set(messageIds.filter((id) => /^<[^<>\s]+>$/.test(id)))];
  if (unique.length <= MAX_REFERENCES) return unique;
  return [unique[0] as string, ...unique.slice(unique.length - (MAX_REFERENCES - 1))];
}
