import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { Priority, Queue, Route, SlaState, TicketStatus, TriageOutcome } from '../../../domain';

const numericOrNull = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** The ticket read model: what the workflow decided, for the inbox and for reconciliation. */
@Entity('tickets')
@Index('tickets_status_queue_idx', ['status', 'queue'])
export class TicketEntity {
  @PrimaryColumn('uuid')
  id!: string;

  @Column({ name: 'workflow_id', type: 'text', unique: true })
  workflowId!: string;

  @Column({ type: 'text' })
  status!: TicketStatus;

  @Column({ name: 'customer_email', type: 'text' })
  customerEmail!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ name: 'order_number', type: 'text', nullable: true })
  orderNumber!: string | null;

  @Column({ type: 'text', nullable: true })
  route!: Route | null;

  @Column({ type: 'text', nullable: true })
  queue!: Queue | null;

  @Column({ type: 'text', nullable: true })
  priority!: Priority | null;

  @Column({ type: 'numeric', precision: 4, scale: 3, nullable: true, transformer: numericOrNull })
  confidence!: number | null;

  @Column({ name: 'draft_version', type: 'int', default: 0 })
  draftVersion!: number;

  @Column({ name: 'claimed_by', type: 'text', nullable: true })
  claimedBy!: string | null;

  @Column({ type: 'boolean', default: false })
  escalated!: boolean;

  @Column({ name: 'sla_state', type: 'text', default: 'ok' })
  slaState!: SlaState;

  @Column({ name: 'sla_deadline', type: 'timestamptz', nullable: true })
  slaDeadline!: Date | null;

  /** Sequence of the last state the workflow published; older writes are ignored. */
  @Column({ name: 'state_seq', type: 'bigint', default: 0 })
  stateSeq!: string;

  @Column({ type: 'jsonb', nullable: true })
  triage!: TriageOutcome | null;

  @Column({ name: 'parent_ticket_id', type: 'uuid', nullable: true })
  parentTicketId!: string | null;

  /** Why this ticket is linked to its parent instead of part of it (`thread_sender_mismatch`, `closed_ticket_reply`). */
  @Column({ name: 'link_reason', type: 'text', nullable: true })
  linkReason!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
