import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A reply the workflow decided to send, keyed by a deterministic business key so it is recorded once. */
@Entity('outbox')
export class OutboxEntity {
  @PrimaryColumn({ name: 'idempotency_key', type: 'text' })
  idempotencyKey!: string;

  @Column({ name: 'ticket_id', type: 'uuid' })
  ticketId!: string;

  @Column({ name: 'draft_version', type: 'int' })
  draftVersion!: number;

  @Column({ name: 'message_id', type: 'text' })
  messageId!: string;

  @Column({ name: 'sent_by', type: 'text' })
  sentBy!: 'auto' | 'agent';

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
