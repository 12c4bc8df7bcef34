import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, ApiError } from './api';
import type { InboxItem, QueueCount } from './types';

export interface InboxState {
  items: InboxItem[];
  counts: QueueCount[];
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  reload(): void;
  /** Coalesces bursts of live events into one reload. */
  reloadSoon(): void;
  loadMore(): void;
  remove(ticketId: string): void;
}

const PAGE = 50;

/** The inbox list: first page(s) in SLA order, more on demand, reloaded on live events. */
export function useInbox(queue: string | null): InboxState {
  const [items, setItems] = useState<InboxItem[]>([]);
  const [counts, setCounts] = useState<QueueCount[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef(PAGE);
  const generation = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const reload = useCallback(() => {
    const mine = ++generation.current;
    const params = new URLSearchParams({ limit: String(Math.min(100, Math.max(PAGE, shown.current))) });
    if (queue) params.set('queue', queue);
    setLoading(true);
    Promise.all([api.inbox(params), api.counts()])
      .then(([page, queueCounts]) => {
        if (mine !== generation.current) return;
        setItems(page.items);
        setCursor(page.nextCursor);
        setCounts(queueCounts);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(e instanceof ApiError ? e.message : 'The inbox could not be loaded.');
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, [queue]);

  useEffect(() => {
    shown.current = PAGE;
    reload();
  }, [reload]);

  const reloadSoon = useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      reload();
    }, 250);
  }, [reload]);

  const loadMore = useCallback(() => {
    if (!cursor) return;
    const params = new URLSearchParams({ limit: String(PAGE), cursor });
    if (queue) params.set('queue', queue);
    const mine = generation.current;
    api
      .inbox(params)
      .then((page) => {
        if (mine !== generation.current) return;
        setItems((current) => {
          const seen = new Set(current.map((i) => i.ticketId));
          const next = [...current, ...page.items.filter((i) => !seen.has(i.ticketId))];
          shown.current = next.length;
          return next;
        });
        setCursor(page.nextCursor);
      })
      .catch((e: unknown) => setError(e instanceof ApiError ? e.message : 'More tickets could not be loaded.'));
  }, [cursor, queue]);

  const remove = useCallback(
    (ticketId: string) => setItems((current) => current.filter((i) => i.ticketId !== ticketId)),
    [],
  );

  return useMemo(
    () => ({ items, counts, loading, error, hasMore: cursor !== null, reload, reloadSoon, loadMore, remove }),
    [items, counts, loading, error, cursor, reload, reloadSoon, loadMore, remove],
  );
}

/** Re-renders every `ms` so countdowns tick. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
