import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';

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
    expect(() => loadConfig({ RATE_LIMIT_VOTE: '5/min' })).toThrow(/RATE_LIMIT_VOTE: expected PER_ACCOUNT,PER_IP\/WINDOW/);
  });
});
