import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, clearSession, followInbox, loadSession, saveSession, SESSION_ENDED, type Session } from './api';
import { BriefingView } from './briefing';
import { InboxList } from './inbox-list';
import { Login } from './login';
import { QuarantineView } from './quarantine';
import { RoutingView } from './routing';
import { useInbox } from './use-inbox';
import { ShortcutHelp, isTyping, useKeydown } from './shortcuts';

const TICKET_ROUTE = /^#\/tickets\/([0-9a-fA-F-]{36})$/;
const QUARANTINE_ROUTE = '#/quarantine';
const ROUTING_ROUTE = '#/routing';

function useHashRoute(): {
  ticketId: string | null;
  quarantine: boolean;
  routing: boolean;
  go: (ticketId: string | null) => void;
  goQuarantine: () => void;
  goRouting: () => void;
} {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const go = useCallback((ticketId: string | null) => {
    location.hash = ticketId ? `#/tickets/${ticketId}` : '#/';
  }, []);
  const goQuarantine = useCallback(() => {
    location.hash = QUARANTINE_ROUTE;
  }, []);
  const goRouting = useCallback(() => {
    location.hash = ROUTING_ROUTE;
  }, []);
  return {
    ticketId: TICKET_ROUTE.exec(hash)?.[1]?.toLowerCase() ?? null,
    quarantine: hash === QUARANTINE_ROUTE,
    routing: hash === ROUTING_ROUTE,
    go,
    goQuarantine,
    goRouting,
  };
}

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    const ended = () => {
      clearSession();
      setSession(null);
      setNotice('Your session ended. Sign in again.');
    };
    window.addEventListener(SESSION_ENDED, ended);
    return () => window.removeEventListener(SESSION_ENDED, ended);
  }, []);

  if (!session) {
    return (
      <Login
        notice={notice}
        onLogin={(next) => {
          saveSession(next);
          setNotice(null);
          setSession(next);
        }}
      />
    );
  }
  return (
    <Shell
      session={session}
      onLogout={async () => {
        await api.logout().catch(() => undefined);
        clearSession();
        setSession(null);
        setNotice('You are signed out.');
      }}
    />
  );
}

function Shell({ session, onLogout }: { session: Session; onLogout: () => void }) {
  const { ticketId, quarantine, routing, go, goQuarantine, goRouting } = useHashRoute();
  const [queueFilter, setQueueFilter] = useState<string | null>(null);
  const inbox = useInbox(queueFilter);
  const [selected, setSelected] = useState(0);
  const [live, setLive] = useState(false);
  const [toast, setToast] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null);
  const [ticketVersion, setTicketVersion] = useState(0);
  const [help, setHelp] = useState(false);
  const openTicket = useRef<string | null>(ticketId);
  openTicket.current = ticketId;

  // Live updates: any change in my queues reloads the list; a change to the open ticket reloads its briefing.
  useEffect(() => {
    const controller = new AbortController();
    void followInbox(
      (event) => {
        inbox.reloadSoon();
        if (event.type !== 'ticket' || event.ticketId === openTicket.current) setTicketVersion((v) => v + 1);
      },
      setLive,
      controller.signal,
    );
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (!toast) return;
    const timer = setTimeout(() => setToast(null), 6000);
    return () => clearTimeout(timer);
  }, [toast]);

  useEffect(() => {
    if (ticketId) {
      const index = inbox.items.findIndex((i) => i.ticketId === ticketId);
      if (index >= 0) setSelected(index);
    }
  }, [ticketId, inbox.items]);

  const clampedSelected = Math.min(selected, Math.max(0, inbox.items.length - 1));

  useKeydown((e) => {
    if (e.key === 'Escape') {
      if (help) setHelp(false);
      else if (ticketId || quarantine || routing) go(null);
      return;
    }
    if (isTyping(e) || e.ctrlKey || e.metaKey || e.altKey) return;
    if ((quarantine || routing) && e.key !== '?') return; // the list keys act on the inbox, which is not shown
    if (e.key === '?') {
      setHelp((h) => !h);
    } else if (e.key === 'j' || e.key === 'ArrowDown') {
      setSelected(Math.min(clampedSelected + 1, inbox.items.length - 1));
    } else if (e.key === 'k' || e.key === 'ArrowUp') {
      setSelected(Math.max(clampedSelected - 1, 0));
    } else if (e.key === 'Enter' || e.key === 'o') {
      const item = inbox.items[clampedSelected];
      if (item) go(item.ticketId);
    } else if (e.key === 'R') {
      inbox.reload();
    } else return;
    e.preventDefault();
  });

  const user = session.user;
  const queues = useMemo(() => user.visibleQueues, [user]);
  const supervises = user.role === 'supervisor' || user.role === 'admin';
  const administers = user.role === 'admin';

  return (
    <div class="shell">
      <header class="topbar">
        <div class="brand">
          Seamline <span>Inbox</span>
        </div>
        <div class={`live ${live ? 'on' : 'off'}`} title={live ? 'Live: the list updates by itself' : 'Reconnecting…'}>
          {live ? 'Live' : 'Offline'}
        </div>
        <div class="spacer" />
        {supervises ? (
          <button
            class={`link ${quarantine ? 'active' : ''}`}
            data-testid="open-quarantine"
            onClick={() => (quarantine ? go(null) : goQuarantine())}
            title="Inbound mail held in quarantine"
          >
            Quarantine
          </button>
        ) : null}
        {administers ? (
          <button
            class={`link ${routing ? 'active' : ''}`}
            data-testid="open-routing"
            onClick={() => (routing ? go(null) : goRouting())}
            title="Earned autonomy: which intents send on their own, and why"
          >
            Routing
          </button>
        ) : null}
        <button class="link" onClick={() => setHelp(true)} title="Keyboard shortcuts (?)">
          Shortcuts <kbd>?</kbd>
        </button>
        <div class="who" data-testid="who">
          {user.displayName} · <span class="role">{user.role}</span>
          {user.role === 'agent' ? <span class="muted"> · {user.queues.join(', ') || 'no queues'}</span> : null}
        </div>
        <button onClick={onLogout}>Sign out</button>
      </header>
      {toast ? (
        <div class={`toast ${toast.tone}`} role="status" data-testid="toast">
          {toast.text}
        </div>
      ) : null}
      {routing && administers ? (
        <main class="panes routing-pane">
          <RoutingView user={user} onClose={() => go(null)} />
        </main>
      ) : quarantine && supervises ? (
        <main class="panes quarantine-pane">
          <QuarantineView onClose={() => go(null)} onOpenTicket={(id) => go(id)} />
        </main>
      ) : (
        <main class={`panes ${ticketId ? 'with-ticket' : ''}`}>
          <InboxList
            inbox={inbox}
            queues={queues}
            queueFilter={queueFilter}
            onQueueFilter={setQueueFilter}
            selectedIndex={clampedSelected}
            openTicketId={ticketId}
            onOpen={(id) => go(id)}
          />
          {ticketId ? (
            <BriefingView
              key={ticketId}
              ticketId={ticketId}
              user={user}
              version={ticketVersion}
              onClose={() => go(null)}
              onResult={(text, leftQueue) => {
                setToast({ text, tone: 'ok' });
                if (leftQueue) {
                  inbox.remove(ticketId);
                  go(null);
                }
                inbox.reload();
              }}
            />
          ) : (
            <section class="empty-briefing">
              <p>Select a ticket to read its briefing.</p>
              <p class="muted">
                <kbd>j</kbd>/<kbd>k</kbd> to move, <kbd>Enter</kbd> to open, <kbd>?</kbd> for all shortcuts.
              </p>
            </section>
          )}
        </main>
      )}
      {help ? <ShortcutHelp onClose={() => setHelp(false)} /> : null}
    </div>
  );
}
