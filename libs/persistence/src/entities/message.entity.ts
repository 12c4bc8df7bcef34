import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One email in a ticket's thread, inbound or outbound. `messageId` is the RFC 5322 Message-ID and deduplicates. */
@Entity('messages')
@Index('messages_ticket_idx', ['ticketId', 'receivedAt'])
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'message_id', type: 'text', unique: true })
  messageId!: string;

  @Column({ type: 'text' })
  direction!: 'inbound' | 'outbound';

  @Column({ name: 'from_email', type: 'text' })
  fromEmail!: string;

  @Column({ name: 'from_name', type: 'text', nullable: true })
  fromName!: string | null;

  @Column({ name: 'to_email', type: 'text', nullable: true })
  toEmail!: string | null;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'body_text', type: 'text' })
  bodyText!: string;

  @Column({ name: 'body_html', type: 'text', nullable: true })
  bodyHtml!: string | null;

  @Column({ name: 'order_number', type: 'text', nullable: true })
  orderNumber!: string | null;

  @Column({ name: 'in_reply_to', type: 'text', nullable: true })
  inReplyTo!: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  references!: string[];

  /** False when the sender's address could not be trusted (e.g. failed DMARC): no VIP, no order lookup by sender. */
  @Column({ name: 'sender_verified', type: 'boolean', default: true })
  senderVerified!: boolean;

  @Column({ name: 'sender_trust_reason', type: 'text', nullable: true })
  senderTrustReason!: string | null;

  @Column({ name: 'received_at', type: 'timestamptz' })
  receivedAt!: Date;

  /** `acknowledgement`: the note that a person has the request; it answers nothing. */
  @Column({ type: 'text', default: 'message' })
  kind!: 'message' | 'acknowledgement';

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
