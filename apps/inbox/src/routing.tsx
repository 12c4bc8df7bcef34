import { useCallback, useEffect, useState } from 'preact/hooks';
import { api, ApiError } from './api';
import { dateTime, explainError, percent } from './format';
import { intentLabel, type AdminAuditEntry, type AutonomyView, type IntentAutonomy, type Me } from './types';

interface Props {
  user: Me;
  onClose: () => void;
}

const MODE_WORDS: Record<IntentAutonomy['mode'], string> = {
  human: 'people only',
  shadow: 'shadow: drafts reviewed',
  auto: 'sends on its own',
};

function problem(e: unknown): string {
  if (e instanceof ApiError && e.status === 403) return 'Only admins can see and change the routing policy.';
  return e instanceof ApiError ? explainError(e.code, e.message) : 'Something went wrong.';
}

/** "0.8 %" for the small shares the policy works with (a whole percent would hide a 2 % target). */
function share(value: number | null): string {
  if (value === null) return '—';
  return `${(value * 100).toFixed(value < 0.1 ? 1 : 0)} %`;
}

/** One line of the admin audit trail in words: who changed which intent's control, from what to what. */
function describe(entry: AdminAuditEntry): string {
  const intent = typeof entry.after?.intent === 'string' ? intentLabel(entry.after.intent) : null;
  const changes: string[] = [];
  for (const key of ['pinnedHuman', 'targetRisk'] as const) {
    if (!entry.after || !(key in entry.after)) continue;
    const before = entry.before?.[key];
    const after = entry.after[key];
    if (before === after) continue;
    if (key === 'pinnedHuman') changes.push(after ? 'kept with people' : 'released from people');
    else changes.push(`target risk ${typeof after === 'number' ? share(after) : 'back to the default'}`);
  }
  const what = changes.length ? changes.join(', ') : entry.action.replace(/_/g, ' ');
  return intent ? `${intent}: ${what}` : what;
}

/**
 * The admins' view of earned autonomy: each allow-listed intent's mode, the threshold it earned, the evidence
 * behind it (outcomes, wrong ones, the upper bound against the target risk) and why, with a switch that keeps an
 * intent with people whatever the evidence; then the recent changes to these controls.
 */
export function RoutingView({ user, onClose }: Props) {
  const [view, setView] = useState<AutonomyView | null>(null);
  const [audit, setAudit] = useState<AdminAuditEntry[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);

  const load = useCallback(async () => {
    try {
      const [next, trail] = await Promise.all([api.autonomy(), api.routingAudit()]);
      setView(next);
      setAudit(trail);
      setLoadError(null);
    } catch (e) {
      setLoadError(problem(e));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  const togglePin = async (item: IntentAutonomy) => {
    if (busy) return;
    setBusy(item.intent);
    setMessage(null);
    try {
      const next = await api.setIntentControl(item.intent, { pinnedHuman: !item.pinnedHuman });
      setView(next);
      setAudit(await api.routingAudit());
      setMessage({
        tone: 'ok',
        text: item.pinnedHuman
          ? `${intentLabel(item.intent)} may earn automatic sending again.`
          : `${intentLabel(item.intent)} stays with people, whatever the evidence.`,
      });
    } catch (e) {
      setMessage({ tone: 'error', text: problem(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="routing" aria-label="Routing policy" data-testid="routing">
      <div class="briefing-head">
        <button class="link" onClick={onClose} title="Back to the inbox (Esc)">
          ←
        </button>
        <h2>Earned autonomy</h2>
        {view ? (
          <div class="badges">
            <span class="badge" data-testid="routing-autonomy">
              {view.autonomy === 'earned' ? 'earned' : 'fixed thresholds'}
            </span>
            <span class="badge" title={view.reason ?? undefined}>
              {view.version === null ? 'no policy stored yet' : `policy v${view.version}`}
            </span>
          </div>
        ) : null}
      </div>
      {view ? (
        <p class="muted">
          An intent sends on its own only once its recorded outcomes prove the share of wrong replies stays under its
          target risk (default {share(view.settings.targetRisk)}, at least {view.settings.minOutcomes} outcomes).
          {view.autonomy === 'fixed'
            ? ' Routing uses the fixed thresholds now; this policy is shown, not applied.'
            : ''}
          {view.createdAt ? ` Recomputed ${dateTime(view.createdAt)}.` : ''}
        </p>
      ) : null}
      {message ? (
        <p
          class={message.tone === 'ok' ? 'success' : 'error'}
          role={message.tone === 'ok' ? 'status' : 'alert'}
          data-testid="routing-message"
        >
          {message.text}
        </p>
      ) : null}
      {loadError ? (
        <p class="error" role="alert" data-testid="routing-error">
          {loadError}
        </p>
      ) : null}
      {!view && !loadError ? <p class="muted">Loading…</p> : null}
      {view ? (
        <table class="routing-table" data-testid="routing-table">
          <thead>
            <tr>
              <th>Intent</th>
              <th>Mode</th>
              <th>Threshold</th>
              <th>Evidence</th>
              <th title="One-sided 95 % upper bound on the share of wrong replies, against the target">
                Bound / target
              </th>
              <th>Why</th>
              <th>Keep with people</th>
            </tr>
          </thead>
          <tbody>
            {view.intents.map((item) => (
              <tr key={item.intent} data-intent={item.intent} data-mode={item.mode}>
                <td>
                  <strong>{intentLabel(item.intent)}</strong>
                </td>
                <td>
                  <span class={`badge mode-${item.mode}`} data-testid="routing-mode" title={MODE_WORDS[item.mode]}>
                    {item.mode}
                  </span>
                </td>
                <td data-testid="routing-threshold">{item.threshold === null ? '—' : percent(item.threshold)}</td>
                <td data-testid="routing-evidence">
                  {item.outcomes} outcome{item.outcomes === 1 ? '' : 's'}, {item.wrong} wrong
                </td>
                <td data-testid="routing-bound">
                  <span class={item.upperBound !== null && item.upperBound <= item.targetRisk ? 'within' : ''}>
                    {share(item.upperBound)}
                  </span>{' '}
                  / {share(item.targetRisk)}
                </td>
                <td class="routing-reason" data-testid="routing-reason">
                  {item.reason}
                </td>
                <td>
                  <label class="toggle">
                    <input
                      type="checkbox"
                      checked={item.pinnedHuman}
                      disabled={busy !== null}
                      onChange={() => void togglePin(item)}
                      data-testid="routing-pin"
                      aria-label={`Keep ${intentLabel(item.intent)} with people`}
                    />
                    {item.pinnedHuman ? 'yes' : 'no'}
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {view ? (
        <div class="card routing-audit">
          <h3>Recent changes</h3>
          {audit.length === 0 ? (
            <p class="muted" data-testid="routing-audit-empty">
              No admin has changed these controls yet.
            </p>
          ) : (
            <ol data-testid="routing-audit">
              {audit.slice(0, 20).map((entry, i) => (
                <li key={i} data-action={entry.action}>
                  <span class="muted">{dateTime(entry.createdAt)}</span>{' '}
                  <strong>{entry.actor === user.id ? 'You' : entry.actor}</strong> — {describe(entry)}
                </li>
              ))}
            </ol>
          )}
        </div>
      ) : null}
    </section>
  );
}
