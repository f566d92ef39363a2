// The webview never navigates away from the app (security checklist #35).
// A click on a link to the web opens the system browser instead; every
// other kind of link (javascript:, file:, data:, same-origin paths) does
// nothing, except in-page "#..." links.

import { openExternal } from './api';

const EXTERNAL_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

function onClick(ev: MouseEvent): void {
  const target = ev.target;
  if (!(target instanceof Element)) return;
  const a = target.closest('a[href]');
  if (!a) return;
  const href = a.getAttribute('href') ?? '';
  if (href.startsWith('#')) return;
  ev.preventDefault();
  let url: URL;
  try {
    url = new URL(href, window.location.href);
  } catch {
    return;
  }
  if (!EXTERNAL_PROTOCOLS.has(url.protocol)) return;
  if (url.protocol !== 'mailto:' && url.origin === window.location.origin) return;
  openExternal(url.href);
}

/** Installs the interceptor on the document. Returns a function that removes it. */
export function interceptExternalLinks(doc: Document = document): () => void {
  doc.addEventListener('click', onClick, true);
  doc.addEventListener('auxclick', onClick, true);
  return () => {
    doc.removeEventListener('click', onClick, true);
    doc.removeEventListener('auxclick', onClick, true);
  };
}
