import { describe, expect, it, vi } from 'vitest';
import { api, isApiError, onSessionLocked, openExternal, toApiError } from '../lib/api';
import { goError, installBackend } from './backend';

describe('toApiError', () => {
  it('keeps an ApiError object', () => {
    expect(toApiError({ code: 'locked', message: 'Slow down.', retry_after: 12 })).toEqual({
      code: 'locked',
      message: 'Slow down.',
      retry_after: 12,
    });
  });

  it('parses the JSON text of an ApiError', () => {
    expect(toApiError(goError('forbidden', 'No.'))).toEqual({ code: 'forbidden', message: 'No.' });
    expect(toApiError('  {"code":"locked","message":"Wait.","retry_after":"7"} ')).toEqual({
      code: 'locked',
      message: 'Wait.',
      retry_after: 7,
    });
  });

  it('turns a plain string into an internal error carrying it', () => {
    expect(toApiError('database is closed')).toEqual({
      code: 'internal',
      message: 'database is closed',
    });
    expect(toApiError('{not json')).toEqual({ code: 'internal', message: '{not json' });
  });

  it('reads JSON out of an Error and falls back to its message', () => {
    expect(toApiError(new Error(goError('not_found', 'Gone.')))).toEqual({
      code: 'not_found',
      message: 'Gone.',
    });
    expect(toApiError(new TypeError('x is not a function'))).toEqual({
      code: 'internal',
      message: 'x is not a function',
    });
  });

  it('fills in a message per code and drops a bad retry_after', () => {
    expect(toApiError({ code: 'duplicate', message: '' })).toEqual({
      code: 'duplicate',
      message: 'This already exists.',
    });
    expect(toApiError({ code: 'locked', message: 'm', retry_after: -3 })).toEqual({
      code: 'locked',
      message: 'm',
    });
    expect(toApiError({ code: 'locked', message: 'm', retry_after: 2.2 }).retry_after).toBe(3);
  });

  it('never fails on odd values', () => {
    for (const v of [undefined, null, 42, {}, [], { code: 5 }, '']) {
      const e = toApiError(v);
      expect(isApiError(e)).toBe(true);
      expect(e.code).toBe('internal');
      expect(e.message).not.toBe('');
    }
  });

  it('clips very long messages', () => {
    expect(toApiError('x'.repeat(5000)).message.length).toBeLessThanOrEqual(500);
  });
});

describe('api wrapper', () => {
  it('rejects with a normalised ApiError whatever the binding threw', async () => {
    const be = installBackend();
    be.app.Unlock.mockRejectedValueOnce(goError('forbidden', 'bad', undefined));
    await expect(api.unlock('a', 'b')).rejects.toEqual({ code: 'forbidden', message: 'bad' });
    be.app.Unlock.mockRejectedValueOnce({ code: 'locked', message: 'wait', retry_after: 30 });
    await expect(api.unlock('a', 'b')).rejects.toEqual({
      code: 'locked',
      message: 'wait',
      retry_after: 30,
    });
    be.app.Unlock.mockRejectedValueOnce('boom');
    await expect(api.unlock('a', 'b')).rejects.toEqual({ code: 'internal', message: 'boom' });
  });

  it('passes the arguments through', async () => {
    const be = installBackend();
    await api.unlock('alice', 'secret-pass');
    expect(be.app.Unlock).toHaveBeenCalledWith('alice', 'secret-pass');
    await api.listInvoices();
    expect(be.app.ListInvoices).toHaveBeenCalledWith('');
    await api.addUser('bob', 'clerk', '0123456789');
    expect(be.app.AddUser).toHaveBeenCalledWith('bob', 'clerk', '0123456789');
  });

  it('turns a Go nil slice (null) into an empty list', async () => {
    const be = installBackend();
    be.app.ListVendors.mockResolvedValueOnce(null);
    be.app.ListInvoices.mockResolvedValueOnce(null);
    be.app.ListUsers.mockResolvedValueOnce(null);
    expect(await api.listVendors()).toEqual([]);
    expect(await api.listInvoices('')).toEqual([]);
    expect(await api.listUsers()).toEqual([]);
  });

  it('says "unavailable" without the Wails bindings', async () => {
    await expect(api.state()).rejects.toMatchObject({ code: 'unavailable' });
  });
});

describe('events and links', () => {
  it('delivers session:locked with its reason and can stop listening', () => {
    const be = installBackend();
    const cb = vi.fn();
    const off = onSessionLocked(cb);
    be.emit('session:locked', { reason: 'idle' });
    be.emit('session:locked', '{"reason":"logout"}');
    be.emit('session:locked');
    expect(cb.mock.calls).toEqual([[{ reason: 'idle' }], [{ reason: 'logout' }], [{ reason: 'logout' }]]);
    off();
    expect(be.listenerCount('session:locked')).toBe(0);
  });

  it('opens URLs with the runtime', () => {
    const be = installBackend();
    openExternal('https://example.com/');
    expect(be.runtime.BrowserOpenURL).toHaveBeenCalledWith('https://example.com/');
  });
});
