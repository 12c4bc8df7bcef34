import { countdown, percent, words } from './format';
import type { Queue } from './types';
import { useNow, type InboxState } from './use-inbox';

interface Props {
  inbox: InboxState;
  queues: Queue[];
  queueFilter: string | null;
  onQueueFilter: (queue: string | null) => void;
  selectedIndex: number;
  openTicketId: string | null;
  onOpen: (ticketId: string) => void;
}

/** The queue list: most urgent SLA first, with countdowns and priority / queue badges. */
export function InboxList({ inbox, queues, queueFilter, onQueueFilter, selectedIndex, openTicketId, onOpen }: Props) {
  const now = useNow(1000);
  const total = inbox.counts.reduce((sum, c) => sum + c.waiting, 0);
  const breached = inbox.counts.reduce((sum, c) => sum + c.breached, 0);
  return (
    <section class="inbox" aria-label="Inbox">
      <nav class="queues" aria-label="Queues">
        <button class={`chip ${queueFilter === null ? 'active' : ''}`} onClick={() => onQueueFilter(null)}>
          All <span class="count">{total}</span>
          {breached > 0 ? <span class="count late">{breached} late</span> : null}
        </button>
        {queues.map((queue) => {
          const count = inbox.counts.find((c) => c.queue === queue);
          return (
            <button
              key={queue}
              class={`chip q-${queue} ${queueFilter === queue ? 'active' : ''}`}
              onClick={() => onQueueFilter(queue)}
            >
              {queue} <span class="count">{count?.waiting ?? 0}</span>
              {count && count.breached > 0 ? <span class="count late">{count.breached}</span> : null}
            </button>
          );
        })}
      </nav>
      {inbox.error ? (
        <p class="error" role="alert">
          {inbox.error}
        </p>
      ) : null}
      {!inbox.loading && inbox.items.length === 0 && !inbox.error ? (
        <p class="empty">Nothing waiting. Nice work.</p>
      ) : null}
      <ol class="tickets" data-testid="ticket-list">
        {inbox.items.map((item, index) => {
          const due = countdown(item.sla.deadline, now);
          return (
            <li
              key={item.ticketId}
              class={`ticket-row ${index === selectedIndex ? 'selected' : ''} ${item.ticketId === openTicketId ? 'open' : ''}`}
              data-ticket-id={item.ticketId}
              onClick={() => onOpen(item.ticketId)}
            >
              <div class="row-main">
                <div class="subject">{item.subject || '(no subject)'}</div>
                <div class="meta">
                  <span class="customer">{item.customerEmail}</span>
                  {item.primaryIntent ? <span class="intent">{words(item.primaryIntent)}</span> : null}
                  <span class="confidence" title="Confidence of the AI draft">
                    {percent(item.confidence)}
                  </span>
                </div>
              </div>
              <div class="row-side">
                <span class={`sla ${due.tone}`} data-testid="sla-countdown">
                  {due.text}
                </span>
                <div class="badges">
                  {item.priority ? <span class={`badge p-${item.priority}`}>{item.priority}</span> : null}
                  <span class={`badge q-${item.queue}`}>{item.queue}</span>
                  {item.escalated ? <span class="badge escalated">escalated</span> : null}
                  {item.claimedByName ? <span class="badge claimed">held by {item.claimedByName}</span> : null}
                </div>
              </div>
            </li>
          );
        })}
      </ol>
      {inbox.hasMore ? (
        <button class="more" onClick={inbox.loadMore}>
          Load more
        </button>
      ) : null}
    </section>
  );
}
