/**
 * Customer HTML, already sanitized by the API, shown in an iframe that can do nothing: `sandbox=""` (no scripts,
 * no forms, no popups, no navigation of this page, an opaque origin) and its own Content-Security-Policy
 * `default-src 'none'` (no image, font, frame or connection may load, so no tracking pixel can call home).
 */
const FRAME_POLICY = "default-src 'none'; style-src 'unsafe-inline'";
const FRAME_STYLE =
  'body{font:14px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2933;margin:0;padding:10px;overflow-wrap:anywhere}' +
  'a{color:#1d4ed8}blockquote{border-left:3px solid #d0d7de;margin:0 0 0 4px;padding-left:8px;color:#57606a}' +
  'table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:2px 6px}pre{white-space:pre-wrap}';

export function frameDocument(html: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8">` +
    `<meta http-equiv="Content-Security-Policy" content="${FRAME_POLICY}">` +
    `<meta name="referrer" content="no-referrer"><style>${FRAME_STYLE}</style></head><body>${html}</body></html>`
  );
}

export function MessageFrame({ html }: { html: string }) {
  return (
    <iframe
      class="message-frame"
      data-testid="message-frame"
      title="Customer message (sanitized HTML)"
      sandbox=""
      referrerpolicy="no-referrer"
      srcdoc={frameDocument(html)}
    />
  );
}
