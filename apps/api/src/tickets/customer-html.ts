import sanitizeHtml from 'sanitize-html';

/**
 * Customer HTML as the inbox may show it: formatting only. No script, style, form, frame or media element, no
 * event handler or style attribute, no image (a tracking pixel or remote image is replaced by a visible note),
 * links kept as inert text targets (http, https and mailto only). The inbox additionally renders the result in a
 * sandboxed iframe with a `default-src 'none'` policy, so a sanitizer miss still cannot run or fetch anything.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'p',
    'br',
    'div',
    'span',
    'b',
    'strong',
    'i',
    'em',
    'u',
    's',
    'small',
    'sub',
    'sup',
    'mark',
    'blockquote',
    'pre',
    'code',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'hr',
    'table',
    'thead',
    'tbody',
    'tfoot',
    'tr',
    'th',
    'td',
    'caption',
    'a',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], td: ['colspan', 'rowspan'], th: ['colspan', 'rowspan'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowedStyles: {},
  parseStyleAttributes: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'title',
    'head',
    'template',
    'object',
    'iframe',
    'svg',
    'math',
  ],
  nestingLimit: 50,
  transformTags: {
    img: () => ({ tagName: 'span', attribs: {}, text: '[image removed]' }),
    a: (_tag, attribs) => {
      const href = attribs.href?.trim() ?? '';
      const safe = /^(https?:|mailto:)/i.test(href);
      return { tagName: 'a', attribs: { ...(safe ? { href, title: href } : {}), rel: 'noopener noreferrer nofollow' } };
    },
  },
};

/** At most this much HTML is sanitized and shown; the plain text stays complete. */
const MAX_HTML_CHARS = 200_000;

export function sanitizeCustomerHtml(html: string | null): string | null {
  if (!html) return null;
  const clean = sanitizeHtml(html.slice(0, MAX_HTML_CHARS), OPTIONS).trim();
  return clean.length > 0 ? clean : null;
}
