// A small in-app navigation bus, so that a toast, the exceptions screen or
// the sync indicator can lead somewhere without knowing the shell.
//
// The shell listens (onNavigate) and switches sections. Opening an invoice
// also leaves it as "pending": the invoice screen, when it mounts after the
// request (the usual case), takes it with takePendingInvoice(); when it is
// already mounted it hears the same request through onNavigate.

export type NavRequest = { kind: 'invoice'; id: string } | { kind: 'section'; section: string };

type Listener = (req: NavRequest) => void;

const listeners = new Set<Listener>();
let pendingInvoice: string | null = null;

function dispatch(req: NavRequest): void {
  for (const l of [...listeners]) {
    try {
      l(req);
    } catch {
      // one broken listener must not stop the others
    }
  }
}

/** Asks the app to show an invoice. Empty ids are ignored. */
export function openInvoice(id: string): void {
  const t = id.trim();
  if (t === '') return;
  pendingInvoice = t;
  dispatch({ kind: 'invoice', id: t });
}

/** Asks the shell to show a section (e.g. "exceptions"). */
export function openSection(section: string): void {
  dispatch({ kind: 'section', section });
}

/** Listens for navigation requests. Returns a function that stops listening. */
export function onNavigate(cb: Listener): () => void {
  listeners.add(cb);
  return () => listeners.delete(cb);
}

/** The invoice asked for last and not yet shown, once; null when none. */
export function takePendingInvoice(): string | null {
  const id = pendingInvoice;
  pendingInvoice = null;
  return id;
}

/** Forgets listeners and the pending invoice (tests, and on lock). */
export function resetNavigation(): void {
  listeners.clear();
  pendingInvoice = null;
}
