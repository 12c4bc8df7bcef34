import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, fetchBlob, saveBlob } from './api';
import { bytes, dateTime, explainError, words } from './format';
import type { QuarantineItem } from './types';

interface Props {
  onClose: () => void;
  /** Opens the ticket a released message went to. */
  onOpenTicket: (ticketId: string) => void;
}

type State = 'open' | 'resolved';

function problem(e: unknown): string {
  return e instanceof ApiError ? explainError(e.code, e.message) : 'Something went wrong.';
}

/**
 * The supervisors' quarantine: inbound mail that was held instead of becoming a ticket message (unparseable,
 * too large, automatic replies, unknown senders...). Release lets a message into intake once; discard keeps it
 * stored, with the reason, and takes it off the list.
 */
export function QuarantineView({ onClose, onOpenTicket }: Props) {
  const [state, setState] = useState<State>('open');
  const [items, setItems] = useState<QuarantineItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string; ticketId?: string } | null>(null);
  const reasonField = useRef<HTMLInputElement>(null);

  const load = useCallback(
    async (cursor: string | null = null) => {
      setLoading(true);
      try {
        const page = await api.quarantine(state, cursor);
        setItems((before) => (cursor ? [...before, ...page.items] : page.items));
        setNext(page.next);
        setLoadError(null);
      } catch (e) {
        setLoadError(problem(e));
      } finally {
        setLoading(false);
      }
    },
    [state],
  );

  useEffect(() => {
    void load();
  }, [load]);

  const release = async (item: QuarantineItem) => {
    if (busy) return;
    setBusy(item.id);
    setMessage(null);
    try {
      const { ticketId } = await api.release(item.id);
      setMessage({ tone: 'ok', text: `Released: the message went into intake and is a ticket message now.`, ticketId });
      setItems((list) => list.filter((i) => i.id !== item.id));
    } catch (e) {
      setMessage({ tone: 'error', text: problem(e) });
      if (e instanceof ApiError && e.code === 'QUARANTINE_ALREADY_RESOLVED') await load();
    } finally {
      setBusy(null);
    }
  };

  const openDiscard = (item: QuarantineItem) => {
    setDiscarding(item.id);
    setReason('');
    setMessage(null);
    setTimeout(() => reasonField.current?.focus(), 0);
  };

  const discard = async (item: QuarantineItem) => {
    const why = reason.trim();
    if (!why || busy) return;
    setBusy(item.id);
    setMessage(null);
    try {
      await api.discard(item.id, why);
      setMessage({ tone: 'ok', text: 'Discarded. The message stays stored with your reason.' });
      setItems((list) => list.filter((i) => i.id !== item.id));
      setDiscarding(null);
    } catch (e) {
      setMessage({ tone: 'error', text: problem(e) });
      if (e instanceof ApiError && e.code === 'QUARANTINE_ALREADY_RESOLVED') await load();
    } finally {
      setBusy(null);
    }
  };

  const raw = async (item: QuarantineItem) => {
    try {
      saveBlob(await fetchBlob(item.rawPath), `quarantine-${item.id}.eml`);
    } catch (e) {
      setMessage({ tone: 'error', text: problem(e) });
    }
  };

  return (
    <section class="quarantine" aria-label="Quarantine" data-testid="quarantine">
      <div class="briefing-head">
        <button class="link" onClick={onClose} title="Back to the inbox (Esc)">
          ←
        </button>
        <h2>Quarantined mail</h2>
        <div class="badges">
          {(['open', 'resolved'] as State[]).map((s) => (
            <button
              key={s}
              class={`chip ${state === s ? 'active' : ''}`}
              onClick={() => setState(s)}
              data-testid={`quarantine-${s}`}
            >
              {s === 'open' ? 'Waiting' : 'Released or discarded'}
            </button>
          ))}
        </div>
      </div>
      <p class="muted">
        Mail held instead of becoming a ticket message. Release lets a message into intake once (it joins or opens its
        ticket); discard keeps it stored, with your reason, and takes it off this list.
      </p>
      {message ? (
        <p
          class={message.tone === 'ok' ? 'success' : 'error'}
          role={message.tone === 'ok' ? 'status' : 'alert'}
          data-testid="quarantine-message"
        >
          {message.text}
          {message.ticketId ? (
            <>
              {' '}
              <button
                class="link"
                data-testid="quarantine-open-ticket"
                onClick={() => onOpenTicket(message.ticketId as string)}
              >
                Open the ticket
              </button>
            </>
          ) : null}
        </p>
      ) : null}
      {loadError ? (
        <p class="error" role="alert" data-testid="quarantine-error">
          {loadError}
        </p>
      ) : null}
      {!loading && !loadError && items.length === 0 ? (
        <p class="empty" data-testid="quarantine-empty">
          {state === 'open' ? 'Nothing in quarantine.' : 'Nothing released or discarded yet.'}
        </p>
      ) : null}
      <ol class="quarantine-list" data-testid="quarantine-list">
        {items.map((item) => (
          <li key={item.id} class="card" data-quarantine-id={item.id}>
            <div class="msg-head">
              <strong>{item.subject || '(no subject)'}</strong>
              <span class="badge">{words(item.reason)}</span>
            </div>
            <div class="muted">
              from {item.from ?? item.envelopeFrom ?? 'an unknown sender'} · {item.channel} · {bytes(item.sizeBytes)} ·
              received {dateTime(item.receivedAt)}
              {item.deliveries > 1 ? ` · delivered ${item.deliveries} times` : ''}
            </div>
            <p class="quarantine-detail">{item.detail}</p>
            {item.resolution ? (
              <p class="muted" data-testid="quarantine-resolution">
                {item.resolution === 'released' ? 'Released' : 'Discarded'}
                {item.resolvedAt ? ` ${dateTime(item.resolvedAt)}` : ''}
                {item.resolutionReason ? `: “${item.resolutionReason}”` : ''}
                {item.releasedTicketId ? (
                  <>
                    {' '}
                    <button class="link" onClick={() => onOpenTicket(item.releasedTicketId as string)}>
                      Open the ticket
                    </button>
                  </>
                ) : null}
              </p>
            ) : (
              <div class="actions">
                <button
                  class="primary"
                  data-testid="quarantine-release"
                  onClick={() => void release(item)}
                  disabled={busy !== null}
                >
                  Release
                </button>
                <button data-testid="quarantine-discard" onClick={() => openDiscard(item)} disabled={busy !== null}>
                  Discard…
                </button>
                <button class="link" onClick={() => void raw(item)}>
                  Download the raw message
                </button>
              </div>
            )}
            {discarding === item.id && !item.resolution ? (
              <div class="panel">
                <label>
                  Why is it discarded? (kept with the message)
                  <input
                    ref={reasonField}
                    value={reason}
                    maxLength={1000}
                    onInput={(e) => setReason(e.currentTarget.value)}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') void discard(item);
                    }}
                    data-testid="quarantine-discard-reason"
                  />
                </label>
                <div class="actions">
                  <button
                    class="danger"
                    data-testid="quarantine-discard-confirm"
                    onClick={() => void discard(item)}
                    disabled={!reason.trim() || busy !== null}
                  >
                    Discard
                  </button>
                  <button class="link" onClick={() => setDiscarding(null)}>
                    Cancel
                  </button>
                </div>
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      {next ? (
        <button onClick={() => void load(next)} disabled={loading}>
          Load more
        </button>
      ) : null}
      {loading ? <p class="muted">Loading…</p> : null}
    </section>
  );
}
