import { describe, expect, it } from 'vitest';
import { resolveListenAddress } from './listen.ts';

describe('resolveListenAddress: flag > environment > default', () => {
  it('defaults to 127.0.0.1:3000', () => {
    expect(resolveListenAddress({}, {})).toEqual({ ok: true, port: 3000, host: '127.0.0.1' });
    expect(resolveListenAddress({}, { PORT: '', HOST: ' ' })).toEqual({ ok: true, port: 3000, host: '127.0.0.1' });
  });
  it('takes PORT and HOST from the environment', () => {
    expect(resolveListenAddress({}, { PORT: '4000', HOST: '0.0.0.0' })).toEqual({ ok: true, port: 4000, host: '0.0.0.0' });
  });
  it('lets the flags win over the environment', () => {
    expect(resolveListenAddress({ port: '5000', host: '::1' }, { PORT: '4000', HOST: '0.0.0.0' })).toEqual({ ok: true, port: 5000, host: '::1' });
    expect(resolveListenAddress({ port: '0' }, { PORT: '4000' })).toEqual({ ok: true, port: 0, host: '127.0.0.1' });
  });
  it('refuses a port that is not 0…65535 and names where it came from', () => {
    expect(resolveListenAddress({}, { PORT: 'abc' })).toEqual({ ok: false, error: 'Неверный порт (PORT): abc' });
    expect(resolveListenAddress({ port: '70000' }, {})).toEqual({ ok: false, error: 'Неверный порт (--port): 70000' });
    expect(resolveListenAddress({}, { PORT: '1e3' })).toEqual({ ok: false, error: 'Неверный порт (PORT): 1e3' });
  });
});
