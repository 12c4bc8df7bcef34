import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, newIdempotencyKey } from './api';
import { countdown, dateTime, explainError, money, percent, words } from './format';
import { Attachments } from './attachments';
import { MessageFrame } from './message-frame';
import { isTyping, useKeydown } from './shortcuts';
import {
  INTENTS,
  QUEUES,
  intentLabel,
  type DecisionResult,
  type Intent,
  type Me,
  type Queue,
  type Ticket,
} from './types';
import { useNow } from './use-inbox';

interface Props {
  ticketId: string;
  user: Me;
  /** Bumped by live events about this ticket: reload the briefing. */
  version: number;
  onClose: () => void;
  /** After a successful action; `leftQueue` when the ticket no longer waits in this user's inbox. */
  onResult: (text: string, leftQueue: boolean) => void;
}

type Panel = 'reject' | 'reassign' | 'note' | null;
const WAITING = ['awaiting_review', 'escalated'];

/** The briefing: why the ticket is here, the thread beside the draft editor, and the decisions. */
export function BriefingView({ ticketId, user, version, onClose, onResult }: Props) {
  const [ticket, setTicket] = useState<Ticket | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [baseVersion, setBaseVersion] = useState(0);
  const [newerDraft, setNewerDraft] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [panel, setPanel] = useState<Panel>(null);
  const [reason, setReason] = useState('');
  const [queue, setQueue] = useState<Queue | ''>('');
  const [note, setNote] = useState('');
  const editor = useRef<HTMLTextAreaElement>(null);
  const panelField = useRef<HTMLTextAreaElement | HTMLSelectElement | HTMLInputElement | null>(null);
  const now = useNow(1000);
  /** The key of an action whose answer was lost (network): clicking again retries the same Update, not a new one. */
  const unanswered = useRef<{ intent: string; key: string } | null>(null);
  const state = useRef({ text, baseVersion, ticket });
  state.current = { text, baseVersion, ticket };

  const load = useCallback(async () => {
    try {
      const next = await api.ticket(ticketId);
      const { text: current, baseVersion: base, ticket: previous } = state.current;
      setTicket(next);
      setLoadError(null);
      const draftBody = next.draft?.body ?? '';
      const untouched = !previous || current === (previous.draft?.body ?? '');
      if (!previous || (next.draftVersion !== base && untouched)) {
        setText(draftBody);
        setBaseVersion(next.draftVersion);
        setNewerDraft(false);
      } else if (next.draftVersion !== base) {
        setNewerDraft(true);
      }
    } catch (e) {
      setLoadError(e instanceof ApiError ? explainError(e.code, e.message) : 'The ticket could not be loaded.');
    }
  }, [ticketId]);

  useEffect(() => {
    void load();
  }, [load, version]);

  const edited = ticket !== null && text !== (ticket.draft?.body ?? '');
  const waiting = ticket !== null && WAITING.includes(ticket.status);

  const act = useCallback(
    async (
      action: string,
      body: Record<string, unknown>,
      done: (r: DecisionResult) => { text: string; left: boolean },
    ) => {
      if (busy) return;
      setBusy(action);
      setMessage(null);
      const intent = `${action}:${JSON.stringify(body)}`;
      const key = unanswered.current?.intent === intent ? unanswered.current.key : newIdempotencyKey();
      unanswered.current = { intent, key };
      try {
        const result = await api.act(ticketId, action, body, key);
        unanswered.current = null;
        const outcome = done(result);
        setPanel(null);
        if (outcome.left) {
          onResult(outcome.text, true);
          return;
        }
        setMessage({ tone: 'ok', text: outcome.text });
        onResult(outcome.text, false);
        await load();
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', 'Something went wrong.');
        if (err.status !== 0 && err.status < 500) unanswered.current = null; // a definite answer: the next click is new
        setMessage({ tone: 'error', text: explainError(err.code, err.message) });
        if (
          ['STALE_DRAFT_VERSION', 'TICKET_CLOSED', 'TICKET_NOT_AWAITING_REVIEW', 'TICKET_CLAIMED_BY_OTHER'].includes(
            err.code,
          )
        )
          await load();
      } finally {
        setBusy(null);
      }
    },
    [busy, ticketId, onResult, load],
  );

  const to = ticket?.customerEmail ?? 'the customer';
  const approve = () =>
    ticket?.draft &&
    !edited &&
    act('approve', { draftVersion: ticket.draftVersion }, () => ({
      text: `Draft approved: the reply is on its way to ${to}.`,
      left: true,
    }));
  const sendEdited = () =>
    edited &&
    text.trim() &&
    act('edit', { draftVersion: baseVersion, text }, () => ({
      text: `Your edited reply is on its way to ${to}.`,
      left: true,
    }));
  const send = () => (edited ? sendEdited() : approve());
  const claim = (takeOver = false) =>
    act('claim', takeOver ? { takeOver: true } : {}, () => ({
      text: takeOver ? 'You took the ticket over.' : 'You hold this ticket now.',
      left: false,
    }));
  const reject = (withReply: boolean) =>
    reason.trim() &&
    act('reject', { reason: reason.trim(), ...(withReply ? { reply: text } : {}) }, () => ({
      text: withReply
        ? `Draft rejected; your reply is on its way to ${to}.`
        : 'Draft rejected; the ticket is closed without a reply.',
      left: true,
    }));
  const reassign = () =>
    queue &&
    reason.trim() &&
    act('reassign', { queue, reason: reason.trim() }, () => ({
      text: `Moved to the ${queue} queue.`,
      left: user.role === 'agent' && !user.queues.includes(queue),
    }));
  const addNote = () =>
    note.trim() &&
    act('note', { text: note.trim() }, () => ({ text: 'Note added to the audit trail.', left: false })).then(() =>
      setNote(''),
    );
  const cancelAutoSend = () =>
    act('cancel-auto-send', {}, () => ({
      text: 'Automatic reply cancelled; the draft waits for review.',
      left: false,
    }));

  const openPanel = (next: Panel) => {
    setPanel(next);
    setReason('');
    setTimeout(() => panelField.current?.focus(), 0);
  };

  useKeydown((e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      if (panel === 'note') void addNote();
      else if (panel === 'reject') void reject(false);
      else if (panel === 'reassign') void reassign();
      else void send();
      return;
    }
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    const handlers: Record<string, () => void> = {
      c: () => void claim(),
      a: () => void approve(),
      e: () => editor.current?.focus(),
      x: () => openPanel('reject'),
      m: () => openPanel('reassign'),
      n: () => openPanel('note'),
    };
    const handler = handlers[e.key];
    if (handler) {
      e.preventDefault();
      handler();
    }
  });

  if (loadError) {
    return (
      <section class="briefing" aria-label="Briefing">
        <div class="briefing-head">
          <button class="link" onClick={onClose}>
            ← Back to the inbox
          </button>
        </div>
        <p class="error" role="alert" data-testid="briefing-error">
          {loadError}
        </p>
      </section>
    );
  }
  if (!ticket) return <section class="briefing loading">Loading the briefing…</section>;

  const b = ticket.briefing;
  const due = countdown(ticket.sla.deadline, now);
  const heldByOther = ticket.claimedBy !== null && ticket.claimedBy !== user.id;
  const canTakeOver = heldByOther && user.role !== 'agent';

  return (
    <section class="briefing" aria-label="Briefing" data-testid="briefing" data-ticket-id={ticket.ticketId}>
      <div class="briefing-head">
        <button class="link" onClick={onClose} title="Back to the inbox (Esc)">
          ←
        </button>
        <h2 data-testid="briefing-subject">{ticket.subject || '(no subject)'}</h2>
        <span class={`sla ${due.tone}`}>{due.text}</span>
        <div class="badges">
          <span class="badge status">{words(ticket.status)}</span>
          {ticket.priority ? <span class={`badge p-${ticket.priority}`}>{ticket.priority}</span> : null}
          {ticket.queue ? <span class={`badge q-${ticket.queue}`}>{ticket.queue}</span> : null}
          {ticket.escalated ? <span class="badge escalated">escalated</span> : null}
          {ticket.claimedByName ? (
            <span class="badge claimed">held by {ticket.claimedBy === user.id ? 'you' : ticket.claimedByName}</span>
          ) : null}
        </div>
      </div>

      {b ? (
        <div class="summary" data-testid="summary">
          <p class="explanation">{b.summary}</p>
          <div class="flags">
            <span class="flag intent" data-testid="primary-intent">
              {words(b.primaryIntent)}
            </span>
            {b.sentimentFlags.map((f) => (
              <span key={f.code} class={`flag f-${f.code}`} title={f.evidence.join(', ')}>
                {f.label}
              </span>
            ))}
          </div>
          <IntentCorrectionControl ticket={ticket} user={user} onCorrected={load} />
        </div>
      ) : null}

      <div class="briefing-grid">
        <div class="context">
          <h3>Conversation</h3>
          <ol class="thread" data-testid="thread">
            {ticket.thread.map((m) => (
              <li key={m.messageId} class={`msg ${m.direction}`}>
                <div class="msg-head">
                  <strong>
                    {m.direction === 'inbound'
                      ? (m.from?.name ?? m.from?.email ?? 'Customer')
                      : m.kind === 'acknowledgement'
                        ? 'Support (acknowledgement sent)'
                        : 'Support (sent)'}
                  </strong>
                  <span class="muted">{dateTime(m.receivedAt)}</span>
                </div>
                <div class="msg-subject">{m.subject}</div>
                {m.html ? (
                  <>
                    <MessageFrame html={m.html} />
                    <details>
                      <summary>Plain text</summary>
                      <pre class="msg-text">{m.text}</pre>
                    </details>
                  </>
                ) : (
                  <pre class="msg-text">{m.text}</pre>
                )}
                {m.attachments?.length ? <Attachments items={m.attachments} /> : null}
              </li>
            ))}
          </ol>

          {ticket.order ? (
            <OrderCard order={ticket.order} />
          ) : b ? (
            <div class="card muted">No order found for this customer's message.</div>
          ) : null}

          {b ? (
            <div class="card" data-testid="reasons">
              <h3>Why it is here</h3>
              <ul class="reasons">
                {b.reasons.map((r) => (
                  <li key={r.code}>
                    <strong>{words(r.code)}</strong> — {r.detail}
                    {r.evidence.length ? <span class="muted"> (“{r.evidence.slice(0, 3).join('”, “')}”)</span> : null}
                  </li>
                ))}
              </ul>
              <h3>
                How sure the draft is: <span data-testid="confidence-words">{b.confidence.inWords}</span>
              </h3>
              <ul class="confidence">
                {b.confidence.components.map((c) => (
                  <li key={c.key}>
                    <div class="bar" aria-hidden="true">
                      <span
                        style={{ width: `${Math.round(c.score * 100)}%` }}
                        class={c.score >= 0.7 ? 'hi' : c.score >= 0.4 ? 'mid' : 'lo'}
                      />
                    </div>
                    <div>
                      <strong>{c.label}</strong> {percent(c.score)} — {c.meaning}
                    </div>
                  </li>
                ))}
              </ul>
              {b.confidence.concerns.length ? (
                <p class="concerns">
                  <strong>What lowered it:</strong> {b.confidence.concerns.join('; ')}
                </p>
              ) : null}
            </div>
          ) : null}

          <details class="card audit" open={ticket.audit.length <= 6}>
            <summary>
              <h3>Audit trail ({ticket.audit.length})</h3>
            </summary>
            <ol data-testid="audit">
              {ticket.audit.map((a, i) => (
                <li key={i}>
                  <span class="muted">{dateTime(a.at)}</span> <strong>{a.actorName ?? a.actor}</strong>{' '}
                  {words(a.action)}
                  {a.action === 'note' && a.after && typeof a.after.text === 'string' ? <q>{a.after.text}</q> : null}
                  {a.action === 'reassign' && a.after ? <span> → {String(a.after.queue)}</span> : null}
                  {a.action === 'correct_intent' && a.after && typeof a.after.intent === 'string' ? (
                    <span> → {intentLabel(a.after.intent)}</span>
                  ) : null}
                </li>
              ))}
            </ol>
          </details>
        </div>

        <aside class="reply">
          <div class="card reply-card">
            <div class="reply-head">
              <h3>Reply</h3>
              <span class="muted">
                draft v{ticket.draftVersion}
                {edited ? ' · edited' : ''}
              </span>
            </div>
            {b ? (
              <div class="opening">
                <span class="muted">Suggested opening:</span> <em>{b.suggestedOpening}</em>
                <button class="link" onClick={() => setText(`${b.suggestedOpening}\n\n${text}`)} disabled={!waiting}>
                  Insert
                </button>
              </div>
            ) : null}
            {newerDraft ? (
              <p class="warning" role="status">
                A newer draft (v{ticket.draftVersion}) arrived while you edited.{' '}
                <button
                  class="link"
                  onClick={() => {
                    setText(ticket.draft?.body ?? '');
                    setBaseVersion(ticket.draftVersion);
                    setNewerDraft(false);
                  }}
                >
                  Use the new draft
                </button>
              </p>
            ) : null}
            {ticket.draft && !ticket.draft.selfCheck.passed ? (
              <p class="warning">Self-check: {ticket.draft.selfCheck.findings.map((f) => f.detail).join('; ')}</p>
            ) : null}
            <textarea
              ref={editor}
              class="editor"
              data-testid="draft-editor"
              aria-label="Reply to the customer"
              value={text}
              onInput={(e) => setText(e.currentTarget.value)}
              disabled={!waiting}
              rows={14}
              maxLength={20000}
            />
            <div class="actions">
              <button
                class="primary"
                data-testid="approve"
                onClick={() => void approve()}
                disabled={!waiting || edited || !ticket.draft || busy !== null}
                title="Approve and send the draft as it is (a)"
              >
                Approve &amp; send <kbd>a</kbd>
              </button>
              <button
                class="primary"
                data-testid="send-edited"
                onClick={() => void sendEdited()}
                disabled={!waiting || !edited || !text.trim() || busy !== null}
                title="Send your edited text (Ctrl+Enter)"
              >
                Send edited <kbd>Ctrl+↵</kbd>
              </button>
              <button
                data-testid="claim"
                onClick={() => void claim()}
                disabled={!waiting || heldByOther || ticket.claimedBy === user.id || busy !== null}
                title="Hold this ticket (c)"
              >
                Claim <kbd>c</kbd>
              </button>
              {canTakeOver ? (
                <button data-testid="take-over" onClick={() => void claim(true)} disabled={busy !== null}>
                  Take over
                </button>
              ) : null}
              <button
                data-testid="reject"
                onClick={() => openPanel('reject')}
                disabled={!waiting || busy !== null}
                title="Reject the draft (x)"
              >
                Reject <kbd>x</kbd>
              </button>
              <button
                data-testid="reassign"
                onClick={() => openPanel('reassign')}
                disabled={busy !== null || ['resolved', 'closed'].includes(ticket.status)}
                title="Move to another queue (m)"
              >
                Reassign <kbd>m</kbd>
              </button>
              <button
                data-testid="note"
                onClick={() => openPanel('note')}
                disabled={busy !== null}
                title="Internal note (n)"
              >
                Note <kbd>n</kbd>
              </button>
              {ticket.status === 'auto_send_pending' ? (
                <button
                  class="danger"
                  data-testid="cancel-auto-send"
                  onClick={() => void cancelAutoSend()}
                  disabled={busy !== null}
                >
                  Stop the automatic reply
                </button>
              ) : null}
            </div>

            {panel === 'reject' ? (
              <div class="panel">
                <label>
                  Why is the draft wrong? (kept in the audit trail)
                  <input
                    ref={(el) => {
                      panelField.current = el;
                    }}
                    value={reason}
                    maxLength={1000}
                    onInput={(e) => setReason(e.currentTarget.value)}
                    data-testid="reject-reason"
                  />
                </label>
                <div class="actions">
                  <button class="danger" onClick={() => void reject(false)} disabled={!reason.trim() || busy !== null}>
                    Reject &amp; close without reply
                  </button>
                  <button
                    onClick={() => void reject(true)}
                    disabled={!reason.trim() || !edited || !text.trim() || busy !== null}
                    title="Send the text in the editor instead"
                  >
                    Reject &amp; send my text
                  </button>
                  <button class="link" onClick={() => setPanel(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : null}
            {panel === 'reassign' ? (
              <div class="panel">
                <label>
                  Move to queue
                  <select
                    ref={(el) => {
                      panelField.current = el;
                    }}
                    value={queue}
                    onChange={(e) => setQueue(e.currentTarget.value as Queue)}
                    data-testid="reassign-queue"
                  >
                    <option value="">Choose…</option>
                    {QUEUES.filter((q) => q !== ticket.queue).map((q) => (
                      <option key={q} value={q}>
                        {q}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  Reason
                  <input
                    value={reason}
                    maxLength={1000}
                    onInput={(e) => setReason(e.currentTarget.value)}
                    data-testid="reassign-reason"
                  />
                </label>
                <div class="actions">
                  <button
                    class="primary"
                    onClick={() => void reassign()}
                    disabled={!queue || !reason.trim() || busy !== null}
                  >
                    Move
                  </button>
                  <button class="link" onClick={() => setPanel(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : null}
            {panel === 'note' ? (
              <div class="panel">
                <label>
                  Internal note (never sent to the customer)
                  <textarea
                    ref={(el) => {
                      panelField.current = el;
                    }}
                    value={note}
                    rows={3}
                    maxLength={5000}
                    onInput={(e) => setNote(e.currentTarget.value)}
                    data-testid="note-text"
                  />
                </label>
                <div class="actions">
                  <button class="primary" onClick={() => void addNote()} disabled={!note.trim() || busy !== null}>
                    Add note
                  </button>
                  <button class="link" onClick={() => setPanel(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : null}

            {busy ? <p class="muted">Working…</p> : null}
            {message ? (
              <p
                class={message.tone === 'ok' ? 'success' : 'error'}
                role={message.tone === 'ok' ? 'status' : 'alert'}
                data-testid="action-message"
              >
                {message.text}
              </p>
            ) : null}
            {!waiting ? (
              <p class="muted">This ticket is {words(ticket.status)}; there is no decision to make.</p>
            ) : null}
          </div>
          {ticket.acknowledgement && ticket.acknowledgement.status !== 'none' ? (
            <AcknowledgementCard acknowledgement={ticket.acknowledgement} />
          ) : null}
        </aside>
      </div>
    </section>
  );
}

/** The latest "wrong intent" on the ticket's current draft, from its audit trail: who said what it really is. */
function latestCorrection(ticket: Ticket): { intent: string; actor: string; actorName: string | null } | null {
  for (let i = ticket.audit.length - 1; i >= 0; i--) {
    const a = ticket.audit[i];
    if (a?.action !== 'correct_intent' || !a.after || typeof a.after.intent !== 'string') continue;
    const version = a.after.draftVersion;
    if (typeof version === 'number' && version !== ticket.draftVersion) return null; // a newer draft was triaged anew
    return { intent: a.after.intent, actor: a.actor, actorName: a.actorName };
  }
  return null;
}

/**
 * "Wrong intent?": the agent names what the customer really wants. It is recorded on the routed draft as evidence
 * for earned autonomy (the ticket keeps its course), and shows as "Corrected to … by …" from the audit trail.
 */
function IntentCorrectionControl({
  ticket,
  user,
  onCorrected,
}: {
  ticket: Ticket;
  user: Me;
  onCorrected: () => Promise<void>;
}) {
  const [choice, setChoice] = useState<Intent | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const corrected = latestCorrection(ticket);
  const current = corrected?.intent ?? ticket.briefing?.primaryIntent;

  const submit = async () => {
    if (!choice || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.correctIntent(ticket.ticketId, choice);
      setChoice('');
      await onCorrected();
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(0, 'UNKNOWN', 'Something went wrong.');
      setError(explainError(err.code, err.message));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="intent-correction" data-testid="intent-correction">
      {corrected ? (
        <span class="corrected" data-testid="intent-corrected" data-intent={corrected.intent}>
          Corrected to <strong>{intentLabel(corrected.intent)}</strong> by{' '}
          {corrected.actor === user.id ? 'you' : (corrected.actorName ?? corrected.actor)}
        </span>
      ) : null}
      <label>
        <span class="muted">{corrected ? 'Still wrong?' : 'Wrong intent?'}</span>
        <select
          value={choice}
          onChange={(e) => setChoice(e.currentTarget.value as Intent | '')}
          disabled={busy}
          data-testid="intent-select"
          aria-label="The intent the customer really has"
        >
          <option value="">It is really…</option>
          {INTENTS.filter((i) => i !== current).map((i) => (
            <option key={i} value={i}>
              {intentLabel(i)}
            </option>
          ))}
        </select>
      </label>
      <button onClick={() => void submit()} disabled={!choice || busy} data-testid="intent-correct">
        {busy ? 'Saving…' : 'Correct the intent'}
      </button>
      {error ? (
        <span class="error" role="alert" data-testid="intent-error">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** What the customer hears at handoff: the note already sent, or a preview of the one that goes out if nobody answers. */
function AcknowledgementCard({ acknowledgement: ack }: { acknowledgement: NonNullable<Ticket['acknowledgement']> }) {
  return (
    <div class="card acknowledgement" data-testid="acknowledgement" data-status={ack.status}>
      <h3>What the customer hears</h3>
      <p class="muted">
        {ack.status === 'sent'
          ? `Acknowledgement sent${ack.at ? ` ${dateTime(ack.at)}` : ''}: the customer knows a person has the request.`
          : 'Preview: if nobody replies first, the customer gets this acknowledgement (your reply replaces it).'}
      </p>
      <pre class="msg-text" data-testid="acknowledgement-text">
        {ack.text}
      </pre>
    </div>
  );
}

const CUSTOMS_WORDS: Record<string, string> = {
  held: 'held',
  duties_unpaid: 'duties to pay',
  returned: 'returned by customs',
  cleared: 'cleared',
};

function OrderCard({ order }: { order: NonNullable<Ticket['order']> }) {
  return (
    <div class="card order" data-testid="order-card">
      <h3>
        Order {order.orderNumber} <span class="badge status">{words(order.status)}</span>
        {order.customer.vip ? <span class="badge vip">VIP</span> : null}
      </h3>
      <dl>
        <dt>Customer</dt>
        <dd>
          {order.customer.name} · {order.customer.email}
          {order.customer.recentContacts > 0 ? (
            <span class="muted"> · {order.customer.recentContacts} earlier contact(s)</span>
          ) : null}
        </dd>
        <dt>Placed</dt>
        <dd>{dateTime(order.placedAt)}</dd>
        <dt>Total</dt>
        <dd>
          {money(order.total, order.currency)} · ships to {order.shippingCountry}
          {order.international ? ' (international)' : ''}
        </dd>
      </dl>
      <ul class="lines">
        {order.lines.map((l) => (
          <li key={l.sku}>
            {l.quantity} × {l.name} <span class="muted">({l.sku})</span> —{' '}
            {money(l.unitPrice * l.quantity, order.currency)}
          </li>
        ))}
      </ul>
      {order.shipments.length ? (
        <ul class="shipments">
          {order.shipments.map((s) => (
            <li key={s.trackingNumber}>
              {s.carrier} {s.trackingNumber}: <strong>{words(s.status)}</strong>
              {s.estimatedDelivery ? <span class="muted"> · expected {dateTime(s.estimatedDelivery)}</span> : null}
              {s.customs ? (
                <span class={`customs c-${s.customs.status}`} data-testid="shipment-customs">
                  {' '}
                  · customs: <strong>{CUSTOMS_WORDS[s.customs.status] ?? words(s.customs.status)}</strong>
                  {s.customs.detail ? <span class="muted"> (“{s.customs.detail}”)</span> : null}
                  {s.customs.since ? <span class="muted"> since {dateTime(s.customs.since)}</span> : null}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">Not shipped yet.</p>
      )}
    </div>
  );
}
