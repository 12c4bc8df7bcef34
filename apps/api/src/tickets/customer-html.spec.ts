import { sanitizeCustomerHtml } from './customer-html';

describe('sanitizeCustomerHtml', () => {
  it('keeps formatting and safe links', () => {
    expect(
      sanitizeCustomerHtml('<p>Hi <b>there</b></p><ul><li>one</li></ul><a href="https://shop.example/r">returns</a>'),
    ).toBe(
      '<p>Hi <b>there</b></p><ul><li>one</li></ul><a href="https://shop.example/r" title="https://shop.example/r" rel="noopener noreferrer nofollow">returns</a>',
    );
  });

  it.each([
    ['<script>alert(1)</script>ok', 'ok'],
    ['<img src=x onerror=alert(1)>ok', '<span>[image removed]</span>ok'],
    ['<img src="https://t.example/p.gif" width=1 height=1>', '<span>[image removed]</span>'],
    ['<p onclick="x()" style="background:url(https://t.example/b.png)">ok</p>', '<p>ok</p>'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="//evil.example/x">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<iframe src="https://evil.example"></iframe><object data="x"></object>ok', 'ok'],
    ['<svg><script>alert(1)</script></svg>ok', 'ok'],
    ['<style>body{background:url(https://t.example)}</style>ok', 'ok'],
    ['<form action="https://evil.example"><input name="p"><button>go</button></form>', 'go'],
    ['<base href="https://evil.example/"><link rel="stylesheet" href="https://t.example/s.css">ok', 'ok'],
    ['<meta http-equiv="refresh" content="0;url=https://evil.example">ok', 'ok'],
  ])('removes what could run or fetch: %s', (dirty, clean) => {
    expect(sanitizeCustomerHtml(dirty)).toBe(clean);
  });

  it('answers null for nothing to show', () => {
    expect(sanitizeCustomerHtml(null)).toBeNull();
    expect(sanitizeCustomerHtml('<script>x</script>')).toBeNull();
  });
});
