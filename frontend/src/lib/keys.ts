// Keyboard shortcuts. Clerks review hundreds of invoices a day, so every
// action has a key; none fires while the user is typing in a field (only
// Escape does, to close what is open). SHORTCUTS is the single list the
// help overlay (?) shows.

export interface Shortcut {
  keys: string[];
  label: string;
}

export interface ShortcutGroup {
  title: string;
  items: Shortcut[];
}

export const SHORTCUTS: ShortcutGroup[] = [
  {
    title: 'Invoice list',
    items: [
      { keys: ['j', '↓'], label: 'Next invoice' },
      { keys: ['k', '↑'], label: 'Previous invoice' },
      { keys: ['Enter'], label: 'Open the invoice' },
      { keys: ['/'], label: 'Filter the list' },
    ],
  },
  {
    title: 'Invoice review',
    items: [
      { keys: ['j', '→'], label: 'Next invoice' },
      { keys: ['k', '←'], label: 'Previous invoice' },
      { keys: ['a'], label: 'Approve' },
      { keys: ['r'], label: 'Reject (asks for a reason)' },
      { keys: ['h'], label: 'Put on hold (asks for a reason)' },
      { keys: ['f'], label: 'Jump to the fields (again: next field)' },
      { keys: ['e'], label: 'Edit the focused field' },
      { keys: ['Esc'], label: 'Close the form, or back to the list' },
    ],
  },
  {
    title: 'Everywhere',
    items: [{ keys: ['?'], label: 'Show or hide this help' }],
  },
];

const TEXT_INPUT_TYPES = new Set([
  'text', 'search', 'email', 'password', 'number', 'tel', 'url', 'date', 'datetime-local', 'month', 'time', 'week',
]);

/** True when keys typed at t are text for a field, not commands. */
export function isTypingTarget(t: EventTarget | null): boolean {
  if (!t || typeof (t as Element).tagName !== 'string') return false;
  const el = t as HTMLElement;
  const tag = el.tagName.toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag === 'input') {
    const inp = el as HTMLInputElement;
    // A read-only field shows a value; keys there are commands (e edits it).
    return !inp.readOnly && TEXT_INPUT_TYPES.has((inp.type || 'text').toLowerCase());
  }
  return el.isContentEditable || el.getAttribute?.('contenteditable') === 'true';
}

export type KeyHandlers = Partial<Record<string, (ev: KeyboardEvent) => void>>;

/**
 * The handler for ev, if any: none with Ctrl, Alt or Meta held (those are
 * the system's and the browser's), none for an event already handled, and
 * none but Escape while typing.
 */
export function handlerFor(ev: KeyboardEvent, handlers: KeyHandlers): ((ev: KeyboardEvent) => void) | undefined {
  if (ev.defaultPrevented || ev.ctrlKey || ev.altKey || ev.metaKey || ev.isComposing) return undefined;
  if (ev.key !== 'Escape' && isTypingTarget(ev.target)) return undefined;
  return handlers[ev.key];
}

/** Listens on target (window) for the handlers' keys; returns the way to stop. */
export function bindKeys(handlers: KeyHandlers, target: Window | HTMLElement = window): () => void {
  const listener = (e: Event) => {
    const ev = e as KeyboardEvent;
    const h = handlerFor(ev, handlers);
    if (!h) return;
    ev.preventDefault();
    h(ev);
  };
  target.addEventListener('keydown', listener);
  return () => target.removeEventListener('keydown', listener);
}
