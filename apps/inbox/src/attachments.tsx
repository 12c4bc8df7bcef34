import { useEffect, useState } from 'preact/hooks';
import { ApiError, fetchBlob, saveBlob } from './api';
import { bytes, explainError } from './format';
import type { Attachment } from './types';

/** Raster images the API serves under their own type: only these become thumbnails (never SVG or HTML). */
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

function problem(e: unknown): string {
  return e instanceof ApiError ? explainError(e.code, e.message) : 'The file could not be loaded.';
}

/**
 * A message's attachments. The download route needs the agent's Authorization header, which neither a link nor
 * an <img> can send, so each file is fetched into a Blob and shown or saved through an object URL: images as
 * thumbnails, everything else as a download.
 */
export function Attachments({ items }: { items: Attachment[] }) {
  if (items.length === 0) return null;
  return (
    <ul class="attachments" data-testid="attachments" aria-label="Attachments">
      {items.map((a) => (
        <AttachmentItem key={a.id} attachment={a} />
      ))}
    </ul>
  );
}

function AttachmentItem({ attachment: a }: { attachment: Attachment }) {
  const path = a.available ? a.path : null;
  const image = path !== null && THUMBNAIL_TYPES.has(a.contentType.toLowerCase());
  const [thumbnail, setThumbnail] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!image || !path) return;
    let gone = false;
    let url: string | null = null;
    fetchBlob(path)
      .then((blob) => {
        if (gone || !THUMBNAIL_TYPES.has(blob.type)) return; // served as something else: a download only
        url = URL.createObjectURL(blob);
        setThumbnail(url);
      })
      .catch((e: unknown) => {
        if (!gone) setError(problem(e));
      });
    return () => {
      gone = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [path, image]);

  const download = async () => {
    if (!path || busy) return;
    setBusy(true);
    setError(null);
    try {
      saveBlob(await fetchBlob(path), a.filename);
    } catch (e) {
      setError(problem(e));
    } finally {
      setBusy(false);
    }
  };

  const about = `${a.contentType} · ${bytes(a.size)}${a.inline ? ' · inline' : ''}`;
  return (
    <li class="attachment" data-testid="attachment" data-filename={a.filename}>
      {thumbnail ? (
        <button class="thumbnail" onClick={() => void download()} title={`Download ${a.filename}`}>
          <img src={thumbnail} alt={a.filename} data-testid="attachment-thumbnail" />
        </button>
      ) : null}
      <div class="attachment-info">
        {path ? (
          <button
            class="link"
            data-testid="attachment-download"
            onClick={() => void download()}
            disabled={busy}
            title={`Download ${a.filename}`}
          >
            {a.filename}
          </button>
        ) : (
          <span data-testid="attachment-unavailable">{a.filename}</span>
        )}
        <span class="muted"> {about}</span>
        {path ? null : <span class="muted"> · not kept, so it cannot be downloaded</span>}
        {busy ? <span class="muted"> · downloading…</span> : null}
        {error ? (
          <span class="error" role="alert">
            {' '}
            {error}
          </span>
        ) : null}
      </div>
    </li>
  );
}
