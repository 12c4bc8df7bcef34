import { Inject, Injectable, Logger } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { createHash } from 'node:crypto';
import { SEAMLINE_CONFIG, type SeamlineConfig } from '../../../../libs/config';
import { DomainError } from '../../../../libs/domain';
import {
  ParserBusyError,
  ParserPool,
  SenderTrustEvaluator,
  SupportAddresses,
  type InboundChannel,
  type InboundMail,
  type QuarantineVerdict,
  type SenderTrust,
} from '../../../../libs/integrations/mail-inbound';
import { IntakeRepository, TicketRepository, type StoredRaw } from '../../../../libs/persistence';
import { TicketWorkflowClient } from '../../../../libs/temporal';
import { ticketWorkflowId } from '../../../../workflows/ticket/ticket.messages';
import { CreateTicketDto } from '../tickets/tickets.dto';
import { withoutNul } from '../common/nul';
import { IngestMessage } from '../tickets/ingest-message';

/**
 * A released message under its own key: when it was held because its Message-ID was used before, that id names
 * another message, so the released one must not reuse it.
 */
function released(mail: InboundMail, quarantineId: string): InboundMail {
  return { ...mail, messageKey: `<released-${quarantineId}@seamline.invalid>`, keySource: 'derived' };
}

/** Message-IDs of our own replies and acknowledgements quoted anywhere in a mail (a report's returned headers). */
function ownMessageIds(raw: Buffer, domain: string): string[] {
  const text = raw.toString('latin1', 0, Math.min(raw.length, 512 * 1024));
  const escaped = domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`<(?:reply|ack)-\\d+\\.[0-9a-f-]{36}@${escaped}>`, 'gi');
  return [...new Set(text.match(pattern) ?? [])];
}

/** Where a raw message came from, as far as the pipeline cares. */
export interface InboundSource {
  channel: InboundChannel;
  /** SMTP envelope (or the provider's reported recipients). */
  envelope?: { mailFrom: string | null; rcptTo: string[] };
  /** SMTP client details, for DMARC (SPF needs the connecting IP and HELO). */
  smtp?: { remoteAddress: string; helo: string };
}

export type InboundOutcome =
  | {
      status: 'accepted';
      /** False when this message (same identity, same content) was taken in before. */
      created: boolean;
      messageKey: string;
      ticketId: string;
      workflowId: string;
      threaded: boolean;
      senderVerified: boolean;
    }
  | { status: 'quarantined'; quarantineId: string; reason: string; detail: string; messageKey: string | null };

/**
 * What the pipeline hands to ticket ingestion on top of CreateTicketDto: sender trust for routing (VIP status
 * and order lookup by sender only when `senderVerified`), with the reason the briefing shows.
 */
export interface InboundIngestExtras {
  senderVerified: boolean;
  senderTrustReason: string;
}

const MAX_SUBJECT = 998;
const MAX_TEXT = 100_000;
const MAX_HTML = 200_000;

/**
 * The one inbound-mail pipeline behind SMTP, raw MIME and the Postmark webhook:
 *
 *   store raw (durable) → parse in a bounded worker → quarantine or record (dedupe by identity) →
 *   sender trust → IngestMessage (stores the ticket message, starts/signals the workflow) → mark accepted.
 *
 * Nothing is acknowledged before the raw bytes are stored, and a message that cannot become a ticket message is
 * quarantined, never dropped. Every step is idempotent, so a redelivery (SMTP retry, webhook retry) finishes
 * whatever a failed attempt left undone and answers the same.
 */
@Injectable()
export class InboundMailService {
  private readonly logger = new Logger('InboundMail');
  readonly support: SupportAddresses;

  constructor(
    @Inject(SEAMLINE_CONFIG) private readonly config: SeamlineConfig,
    private readonly intake: IntakeRepository,
    private readonly parsers: ParserPool,
    private readonly trust: SenderTrustEvaluator,
    private readonly ingestMessage: IngestMessage,
    private readonly tickets: TicketRepository,
    private readonly workflows: TicketWorkflowClient,
  ) {
    this.support = new SupportAddresses(config.inbound.supportAddresses);
  }

  /**
   * `size`: the message's full size when `raw` is only its first bytes (an HTTP body over what is kept). Over the
   * limit, SMTP refuses (552: the sending server keeps the mail and tells its sender); every other channel stores
   * what it got and quarantines it, because refusing there would lose the mail unseen.
   */
  async receive(raw: Buffer, source: InboundSource, size = raw.length): Promise<InboundOutcome> {
    const limit = this.config.inbound.maxBytes;
    if (size > limit) {
      if (source.channel === 'smtp') {
        throw new DomainError('INBOUND_TOO_LARGE', `the message is ${size} bytes; the limit is ${limit}`);
      }
      return this.keepOversized(raw, source, size);
    }
    const stored = await this.storage(() =>
      this.intake.storeRaw({
        sha256: createHash('sha256').update(raw).digest('hex'),
        channel: source.channel,
        raw,
        envelopeFrom: source.envelope?.mailFrom ?? null,
        envelopeTo: source.envelope?.rcptTo ?? [],
        remoteAddress: source.smtp?.remoteAddress ?? null,
      }),
    );
    if (stored.status === 'quarantined' && stored.quarantine) {
      return { status: 'quarantined', ...stored.quarantine, messageKey: stored.messageKey };
    }
    if (stored.status === 'accepted' && stored.ticketId && stored.messageKey) return this.acceptedBefore(stored);

    let parsed;
    try {
      parsed = withoutNul(await this.parsers.parse(raw));
    } catch (error) {
      if (error instanceof ParserBusyError)
        throw new DomainError('INBOUND_BUSY', 'every parser is busy; retry shortly (the message is stored)');
      throw error;
    }
    if (!parsed.ok) return this.quarantine(stored, parsed);
    return this.ingest(raw, stored, parsed.mail, source);
  }

  /**
   * A supervisor releases a quarantined message: it re-enters intake once. What held it for policy (written by a
   * machine, a message id used before) is the supervisor's call to overrule; what makes it unsafe or unreadable
   * (no sender, injected headers, too large, a MIME bomb) holds it again, and the entry stays open. Releasing the
   * same entry again answers what the first release did.
   */
  async release(quarantineId: string, by: string): Promise<{ ticketId: string; messageKey: string }> {
    const entry = await this.storage(() =>
      this.intake.resolveQuarantine(quarantineId, { kind: 'released', by, reason: null }),
    );
    if (!entry) throw new DomainError('QUARANTINE_ENTRY_NOT_FOUND', `no quarantine entry ${quarantineId}`);
    if (entry.resolution === 'discarded') {
      throw new DomainError('QUARANTINE_ALREADY_RESOLVED', 'this message was discarded; it cannot be released');
    }
    if (!entry.first && entry.releasedTicketId) {
      return { ticketId: entry.releasedTicketId, messageKey: '' };
    }
    const source: InboundSource = {
      channel: entry.channel === 'api' ? 'mime' : entry.channel,
      envelope: entry.envelope,
    };
    const stored: StoredRaw = {
      rawId: entry.rawId,
      status: 'stored',
      deliveries: 1,
      ticketId: null,
      messageKey: null,
      quarantine: null,
    };
    const parsed = withoutNul(await this.parsers.parse(entry.raw));
    const outcome: InboundOutcome = parsed.ok
      ? await this.ingest(entry.raw, stored, released(parsed.mail, quarantineId), source, true)
      : { status: 'quarantined', quarantineId, reason: parsed.reason, detail: parsed.detail, messageKey: null };
    if (outcome.status !== 'accepted') {
      await this.storage(() => this.intake.reopenQuarantine(quarantineId));
      const { reason } = outcome;
      throw new DomainError('QUARANTINE_NOT_RELEASABLE', `intake holds this message again (${reason})`, { reason });
    }
    await this.storage(() => this.intake.noteReleasedTicket(quarantineId, outcome.ticketId));
    this.logger.log(`quarantine entry ${quarantineId} released into ticket ${outcome.ticketId}`);
    return { ticketId: outcome.ticketId, messageKey: outcome.messageKey };
  }

  /** A supervisor discards a quarantined message, with a reason; it stays stored, for the record. */
  async discard(quarantineId: string, by: string, reason: string): Promise<void> {
    const entry = await this.storage(() =>
      this.intake.resolveQuarantine(quarantineId, { kind: 'discarded', by, reason }),
    );
    if (!entry) throw new DomainError('QUARANTINE_ENTRY_NOT_FOUND', `no quarantine entry ${quarantineId}`);
    if (entry.resolution !== 'discarded') {
      throw new DomainError('QUARANTINE_ALREADY_RESOLVED', 'this message was released; it cannot be discarded');
    }
  }

  private async ingest(
    raw: Buffer,
    stored: StoredRaw,
    mail: InboundMail,
    source: InboundSource,
    releasedByPerson = false,
  ): Promise<InboundOutcome> {
    if (mail.automated && !releasedByPerson) return this.automated(raw, stored, mail);
    const token =
      mail.subjectToken ?? this.support.tokenAmong([...(source.envelope?.rcptTo ?? []), ...mail.recipients]);
    const tokenTicketId = token
      ? await this.storage(() => this.intake.findTicketByToken(token, mail.from.email))
      : null;
    const knownCustomer = await this.storage(() => this.intake.isKnownCustomer(mail.from.email));
    const trust: SenderTrust = await this.trust.evaluate({
      raw,
      channel: source.channel,
      fromEmail: mail.from.email,
      knownCustomer,
      ...(source.smtp ? { smtp: { ...source.smtp, mailFrom: source.envelope?.mailFrom ?? null } } : {}),
    });

    const dto = this.toDto(mail, tokenTicketId);
    const problems = await validate(plainToInstance(CreateTicketDto, dto));
    if (problems.length) {
      const fields = problems.map(
        (p) => `${p.property}: ${Object.values(p.constraints ?? {}).join(', ') || 'invalid'}`,
      );
      return this.quarantine(stored, {
        ok: false,
        reason: 'invalid_message',
        detail: `the message does not fit a ticket message: ${fields.join('; ')}`.slice(0, 1_000),
        seen: { from: mail.from.email, subject: mail.subject, messageId: mail.messageKey },
      });
    }

    const recorded = await this.storage(() =>
      this.intake.recordMessage(stored.rawId, {
        messageKey: mail.messageKey,
        keySource: mail.keySource,
        contentHash: mail.contentHash,
        fromEmail: mail.from.email,
        fromName: mail.from.name,
        subject: mail.subject.slice(0, MAX_SUBJECT),
        text: mail.text,
        html: mail.html,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
        tokenTicketId,
        senderVerified: trust.verified,
        senderTrust: { ...trust },
        stats: { ...mail.stats, attachments: mail.attachments.length, channel: source.channel },
        attachments: mail.attachments,
      }),
    );
    if (!recorded.inserted && recorded.existing.contentHash !== mail.contentHash) {
      return this.quarantine(stored, {
        ok: false,
        reason: 'message_id_conflict',
        // Never which ticket holds the other message: the quarantine list is seen by more people than that ticket.
        detail: `Message-ID ${mail.messageKey.slice(0, 300)} was received before with different content; not merged`,
        seen: { from: mail.from.email, subject: mail.subject, messageId: mail.messageKey },
      });
    }
    // A duplicate keeps the trust decided the first time, so a redelivery cannot change routing.
    const extras: InboundIngestExtras = recorded.inserted
      ? { senderVerified: trust.verified, senderTrustReason: trust.reason }
      : {
          senderVerified: recorded.existing.senderVerified,
          senderTrustReason: String(recorded.existing.senderTrust.reason ?? trust.reason),
        };
    const trusted = { verified: extras.senderVerified, reason: extras.senderTrustReason };
    const result = await this.storage(() => this.ingestMessage.execute(dto, trusted, 'mail')).catch(
      (error: unknown) => {
        if (!(error instanceof DomainError) || error.code !== 'MESSAGE_ID_CONFLICT') throw error;
        return null;
      },
    );
    if (!result) {
      return this.quarantine(stored, {
        ok: false,
        reason: 'message_id_conflict',
        detail: `Message-ID ${mail.messageKey.slice(0, 300)} was taken in before from another sender or with other content; not merged`,
        seen: { from: mail.from.email, subject: mail.subject, messageId: mail.messageKey },
      });
    }
    await this.storage(() => this.intake.markAccepted(stored.rawId, mail.messageKey, result.ticketId));
    const created = recorded.inserted && result.created;
    if (created) {
      this.logger.debug(
        `accepted ${mail.messageKey} via ${source.channel} → ticket ${result.ticketId}${result.threaded ? ' (thread)' : ''}`,
      );
    }
    return {
      status: 'accepted',
      created,
      messageKey: mail.messageKey,
      ticketId: result.ticketId,
      workflowId: result.workflowId,
      threaded: result.threaded,
      senderVerified: extras.senderVerified,
    };
  }

  /** The ticket message: the NEW text is what gets classified; the full message stays stored and in the HTML. */
  private toDto(mail: InboundMail, tokenTicketId: string | null): CreateTicketDto {
    const attachmentNote = mail.attachments.length
      ? `[${mail.attachments.length} attachment(s): ${mail.attachments
          .map((a) => a.filename ?? a.contentType)
          .join(', ')
          .slice(0, 500)}]`
      : '';
    const text = (mail.text.new || mail.text.full || attachmentNote || '(no text)').slice(0, MAX_TEXT);
    const html = mail.html && mail.html.length <= MAX_HTML ? mail.html : null;
    return {
      messageId: mail.messageKey,
      from: { email: mail.from.email, ...(mail.from.name ? { name: mail.from.name } : {}) },
      subject: mail.subject.slice(0, MAX_SUBJECT),
      text,
      ...(html ? { html } : {}),
      ...(mail.inReplyTo ? { inReplyTo: mail.inReplyTo } : {}),
      ...(mail.references.length ? { references: mail.references } : {}),
      receivedAt: new Date().toISOString(),
      ...(tokenTicketId ? { ticketId: tokenTicketId } : {}),
    };
  }

  private async quarantine(stored: StoredRaw, verdict: QuarantineVerdict): Promise<InboundOutcome> {
    const ref = await this.storage(() =>
      this.intake.quarantine(stored.rawId, {
        reason: verdict.reason,
        detail: verdict.detail,
        messageKey: verdict.seen.messageId,
        fromEmail: verdict.seen.from,
        subject: verdict.seen.subject,
      }),
    );
    if (!ref) return this.acceptedBefore(stored);
    this.logger.warn(`quarantined raw message ${stored.rawId}: ${verdict.reason} (${verdict.detail.slice(0, 200)})`);
    return { status: 'quarantined', ...ref, messageKey: verdict.seen.messageId };
  }

  /**
   * Mail no person wrote never opens a ticket or gets a reply (no loops with out-of-office robots); it is kept in
   * quarantine for people to see. A delivery report on one of our own replies also hands that reply's ticket back
   * to people, with what the report said.
   */
  private async automated(raw: Buffer, stored: StoredRaw, mail: InboundMail): Promise<InboundOutcome> {
    const automated = mail.automated as NonNullable<InboundMail['automated']>;
    let detail = `written by a machine (${automated.evidence}); no ticket, no reply`;
    if (automated.kind === 'delivery_report') {
      const ours = new Set([...automated.reportedMessageIds, ...ownMessageIds(raw, this.config.messageIdDomain)]);
      const reason = `delivery failed: ${automated.diagnostic ?? 'the receiving server returned the reply'}`;
      let handedBack = 0;
      for (const messageId of ours) {
        const ticketId = await this.storage(() => this.tickets.recordBounce(messageId, reason));
        if (!ticketId) continue;
        handedBack += 1;
        await this.workflows.reportBounce(ticketId, messageId, reason).catch((error: unknown) => {
          this.logger.warn(`a bounce could not reach its ticket's workflow: ${(error as Error).name}`);
        });
      }
      detail = handedBack
        ? `a delivery report on ${handedBack} of our replies: ${reason}; the ticket went back to an agent`
        : `a delivery report on no reply of ours (${automated.evidence})`;
    }
    return this.quarantine(stored, {
      ok: false,
      reason: automated.kind,
      detail: detail.slice(0, 1_000),
      seen: { from: mail.from.email, subject: mail.subject, messageId: mail.messageKey },
    });
  }

  /** Stores an oversized message (or its first bytes) and quarantines it as too large. */
  private async keepOversized(raw: Buffer, source: InboundSource, size: number): Promise<InboundOutcome> {
    const stored = await this.storage(() =>
      this.intake.storeRaw({
        sha256: createHash('sha256').update(raw).update(`:${size}`).digest('hex'),
        channel: source.channel,
        raw,
        envelopeFrom: source.envelope?.mailFrom ?? null,
        envelopeTo: source.envelope?.rcptTo ?? [],
        remoteAddress: source.smtp?.remoteAddress ?? null,
      }),
    );
    const kept = raw.length < size ? `; the first ${raw.length} bytes are kept` : '';
    return this.quarantine(stored, {
      ok: false,
      reason: 'too_large',
      detail: `the message is ${size} bytes; the limit is ${this.config.inbound.maxBytes}${kept}`,
      seen: { from: null, subject: null, messageId: null },
    });
  }

  private acceptedBefore(stored: StoredRaw): InboundOutcome {
    return {
      status: 'accepted',
      created: false,
      messageKey: stored.messageKey ?? '',
      ticketId: stored.ticketId ?? '',
      workflowId: stored.ticketId ? ticketWorkflowId(stored.ticketId) : '',
      threaded: false,
      senderVerified: false,
    };
  }

  /** A PostgreSQL failure here is temporary for the sender: 503 over HTTP, 451 over SMTP. */
  private async storage<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError) throw error;
      this.logger.error(`inbound storage failed: ${error instanceof Error ? error.message : String(error)}`);
      throw new DomainError('INBOUND_STORAGE_UNAVAILABLE', 'the message could not be stored; retry later');
    }
  }
}
