import { describe, expect, it } from 'vitest';
import { ConfigError, configWarnings, DEVELOPMENT_SECRET_KEY, loadConfig } from './index.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('./data/dailypapers.db');
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.BASE_URL).toBe('http://localhost:3000');
    expect(config.SERVICES).toEqual(['web', 'worker', 'scheduler']);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: 'eighty', BASE_URL: 'not a url', SERVICES: 'web,mailman' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('PORT');
      expect(problems).toContain('BASE_URL');
      expect(problems).toContain('SERVICES');
    }
  });

  it('strips a trailing slash from BASE_URL', () => {
    expect(loadConfig({ BASE_URL: 'https://papers.example.org/' }).BASE_URL).toBe('https://papers.example.org');
  });

  it('parses rate limits as per-account and per-IP counts over a window', () => {
    const config = loadConfig({ RATE_LIMIT_VOTE: '5,20/2m' });
    expect(config.RATE_LIMIT_VOTE).toEqual({ perAccount: 5, perIp: 20, windowSeconds: 120 });
    expect(config.RATE_LIMIT_LOGIN).toEqual({ perAccount: 10, perIp: 50, windowSeconds: 900 });
    expect(() => loadConfig({ RATE_LIMIT_VOTE: '5/min' })).toThrow(
      /RATE_LIMIT_VOTE: expected PER_ACCOUNT,PER_IP\/WINDOW/,
    );
  });
});

describe('TRUST_PROXY', () => {
  const trust = (value?: string) => loadConfig(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY;

  it('is off unless set, and takes true, a hop count or proxy addresses and ranges', () => {
    expect(trust()).toBe(false);
    expect(trust('false')).toBe(false);
    expect(trust('0')).toBe(false);
    expect(trust('true')).toBe(true);
    expect(trust('2')).toBe(2);
    expect(trust(' 10.0.0.2, 192.168.0.0/16 ,loopback,fd00::/8,::1 ')).toEqual([
      '10.0.0.2',
      '192.168.0.0/16',
      'loopback',
      'fd00::/8',
      '::1',
    ]);
  });

  it('refuses what is not an address, a range or a known range name', () => {
    for (const bad of ['yes please', '10.0.0.0/33', '::1/129', '10.0.0.1/8/8', 'localhost', ',', '-1']) {
      expect(() => trust(bad), bad).toThrow(/TRUST_PROXY/);
    }
  });
});

describe('chat model settings', () => {
  it('needs LLM_MODEL with LLM_URL, and an http(s) URL', () => {
    expect(() => loadConfig({ LLM_URL: 'http://127.0.0.1:8000' })).toThrow(/LLM_MODEL: required with LLM_URL/);
    expect(() => loadConfig({ LLM_URL: 'javascript:alert(1)', LLM_MODEL: 'm' })).toThrow(/LLM_URL/);
    expect(() => loadConfig({ LLM_DAILY_BUDGET: '-1' })).toThrow(/LLM_DAILY_BUDGET/);
    expect(loadConfig({ LLM_URL: 'http://127.0.0.1:8000', LLM_MODEL: 'm' })).toMatchObject({
      LLM_DAILY_BUDGET: 500,
      LLM_RETRIES: 2,
    });
  });
});

describe('digest and mail settings', () => {
  it('rejects a short SECRET_KEY, an unknown time zone and a malformed time', () => {
    try {
      loadConfig({ SECRET_KEY: 'short', DIGEST_TIMEZONE: 'Mars/Olympus', DIGEST_TIME: '7am' });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toContain('SECRET_KEY');
      expect(problems).toContain('DIGEST_TIMEZONE');
      expect(problems).toContain('DIGEST_TIME');
    }
  });

  it('leaves an unset SECRET_KEY to the database, and warns about a plain-http site only in production', () => {
    expect(loadConfig({}).SECRET_KEY).toBe(DEVELOPMENT_SECRET_KEY);
    expect(configWarnings({ NODE_ENV: 'production' })[0]).toContain('BASE_URL is not https');
    expect(configWarnings({ NODE_ENV: 'production', BASE_URL: 'http://papers.example.org' })[0]).toContain(
      'not marked Secure',
    );
    expect(configWarnings({ NODE_ENV: 'production', BASE_URL: 'https://papers.example.org' })).toEqual([]);
    expect(configWarnings({})).toEqual([]);
  });
});
