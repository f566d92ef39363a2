import { afterEach, describe, expect, it, vi } from 'vitest';
import { bindKeys, handlerFor, isTypingTarget, SHORTCUTS } from '../lib/keys';

function key(key: string, target: EventTarget = document.body, init: KeyboardEventInit = {}): KeyboardEvent {
  const ev = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
  target.dispatchEvent(ev);
  return ev;
}

/** Adds elements built from [tag, attributes] to the body (no HTML parsing). */
function add(...els: [string, Record<string, string>][]) {
  for (const [tag, attrs] of els) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    document.body.append(el);
  }
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('isTypingTarget', () => {
  it('is true for text fields and false for buttons, rows and read-only fields', () => {
    add(
      ['input', { id: 't', type: 'text' }],
      ['input', { id: 's', type: 'search' }],
      ['textarea', { id: 'a' }],
      ['select', { id: 'sel' }],
      ['div', { id: 'ce', contenteditable: 'true' }],
      ['input', { id: 'cb', type: 'checkbox' }],
      ['button', { id: 'b' }],
      ['input', { id: 'ro', type: 'text', readonly: '' }],
    );
    const el = (id: string) => document.getElementById(id);
    for (const id of ['t', 's', 'a', 'sel', 'ce']) expect(isTypingTarget(el(id)), id).toBe(true);
    for (const id of ['cb', 'b', 'ro']) expect(isTypingTarget(el(id)), id).toBe(false);
    expect(isTypingTarget(document.body)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe('bindKeys', () => {
  it('runs the handler of a key and stops after cleanup', () => {
    const a = vi.fn();
    const off = bindKeys({ a });
    const ev = key('a');
    expect(a).toHaveBeenCalledTimes(1);
    expect(ev.defaultPrevented).toBe(true);
    off();
    key('a');
    expect(a).toHaveBeenCalledTimes(1);
  });

  it('does not fire while typing, except Escape', () => {
    add(['input', { id: 't', type: 'text' }]);
    const input = document.getElementById('t')!;
    const a = vi.fn();
    const esc = vi.fn();
    const off = bindKeys({ a, Escape: esc, '?': a });
    const ev = key('a', input);
    key('?', input);
    expect(a).not.toHaveBeenCalled();
    expect(ev.defaultPrevented).toBe(false); // the letter reaches the field
    key('Escape', input);
    expect(esc).toHaveBeenCalledTimes(1);
    off();
  });

  it('leaves Ctrl, Alt and Meta combinations and handled events alone', () => {
    const a = vi.fn();
    const off = bindKeys({ a });
    key('a', document.body, { ctrlKey: true });
    key('a', document.body, { altKey: true });
    key('a', document.body, { metaKey: true });
    expect(a).not.toHaveBeenCalled();
    const ev = new KeyboardEvent('keydown', { key: 'a', cancelable: true });
    ev.preventDefault();
    expect(handlerFor(ev, { a })).toBeUndefined();
    off();
  });
});

describe('SHORTCUTS', () => {
  it('lists every review key once per group', () => {
    const review = SHORTCUTS.find((g) => g.title === 'Invoice review')!;
    const keys = review.items.flatMap((i) => i.keys);
    for (const k of ['j', 'k', 'a', 'r', 'h', 'f', 'e', 'Esc']) expect(keys).toContain(k);
    expect(new Set(keys).size).toBe(keys.length);
    expect(SHORTCUTS.flatMap((g) => g.items).some((i) => i.keys.includes('?'))).toBe(true);
  });
});
