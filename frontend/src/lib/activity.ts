// Reports user activity to the backend so that its idle timer restarts,
// at most once per interval (the backend decides when to lock).

export const TOUCH_INTERVAL_MS = 30_000;

const EVENTS = ['keydown', 'mousedown', 'wheel'] as const;

/**
 * Calls touch() on keydown, mousedown or wheel, at most once every
 * intervalMs. Returns a function that stops tracking.
 */
export function trackActivity(
  touch: () => Promise<unknown> | unknown,
  intervalMs: number = TOUCH_INTERVAL_MS,
  target: EventTarget = window,
): () => void {
  let last = -Infinity;
  const onActivity = () => {
    const now = Date.now();
    if (now - last < intervalMs) return;
    last = now;
    try {
      // A failed Touch needs no handling here: if the session is gone the
      // backend says so with "session:locked".
      Promise.resolve(touch()).catch(() => {});
    } catch {
      // same
    }
  };
  const opts: AddEventListenerOptions = { capture: true, passive: true };
  for (const ev of EVENTS) target.addEventListener(ev, onActivity, opts);
  return () => {
    for (const ev of EVENTS) target.removeEventListener(ev, onActivity, opts);
  };
}
