// Vitest set-up for every test file: jest-dom matchers, and no Wails globals
// leaking from one test into the next.
import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { configure } from '@testing-library/svelte';

// findBy*/waitFor give up after 5 s rather than 1 s on a busy machine.
configure({ asyncUtilTimeout: 5000 });

afterEach(() => {
  if (typeof window === 'undefined') return; // node-environment test files
  delete window.go;
  delete window.runtime;
  delete (window as { __xss?: unknown }).__xss;
  const inner = (globalThis as { jsdom?: { window?: { __xss?: unknown } } }).jsdom?.window;
  if (inner) delete inner.__xss;
});
