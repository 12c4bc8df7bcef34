import { useEffect, useRef } from 'preact/hooks';

/**
 * Listens to keydown on the window with the handler of the latest render. Preact runs effects after paint, so a
 * listener re-added by an effect would, for one frame, still see the state before the last keystroke: Ctrl+Enter
 * right after typing would approve the old draft, and Enter right after j would open the previous ticket.
 */
export function useKeydown(handler: (e: KeyboardEvent) => void): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const listener = (e: KeyboardEvent) => latest.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}

/** True while the user types in a field: single-key shortcuts then stay out of the way. */
export function isTyping(e: KeyboardEvent): boolean {
  const target = e.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export const SHORTCUTS: [string, string][] = [
  ['j / ↓', 'next ticket in the list'],
  ['k / ↑', 'previous ticket'],
  ['Enter / o', 'open the selected ticket'],
  ['Esc', 'close the ticket (back to the list)'],
  ['c', 'claim the open ticket'],
  ['e', 'edit the draft'],
  ['a', 'approve and send the draft as it is'],
  ['Ctrl / ⌘ + Enter', 'send: the edited text, or the draft if unchanged'],
  ['x', 'reject (asks for a reason)'],
  ['m', 'move to another queue'],
  ['n', 'write an internal note'],
  ['Shift + R', 'reload the list'],
  ['?', 'show or hide this help'],
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <div class="overlay" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" onClick={onClose}>
      <div class="dialog" onClick={(e) => e.stopPropagation()}>
        <h2>Keyboard shortcuts</h2>
        <table class="shortcuts">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys}>
                <td>
                  <kbd>{keys}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button onClick={onClose}>Close</button>
      </div>
    </div>
  );
}
