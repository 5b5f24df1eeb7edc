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
});
