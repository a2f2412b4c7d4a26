import { describe, expect, it } from 'vitest';
import { apiKeyList, csvList, hostPortList, pairList } from '../../src/config/parsers.js';

describe('comma-separated config values', () => {
  it('read every entry, trimmed, empty entries dropped', () => {
    expect(csvList.parse(' a, ,b,')).toEqual(['a', 'b']);
    expect(hostPortList.parse('redis-1:6379, [::1]:6380')).toEqual([
      { host: 'redis-1', port: 6379 },
      { host: '::1', port: 6380 },
    ]);
    expect(apiKeyList.parse('alice:k1,bob:k:2')).toEqual([
      { userId: 'alice', key: 'k1' },
      { userId: 'bob', key: 'k:2' },
    ]);
    expect(pairList('queue=number', /^[a-z]+$/, (v) => (/^\d+$/.test(v) ? Number(v) : undefined)).parse('csv=4, jil = 2')).toEqual([
      ['csv', 4],
      ['jil', 2],
    ]);
    expect(apiKeyList.parse('')).toEqual([]);
  });

  it('refuse the whole value at the first bad entry, naming it (never a key)', () => {
    expect(hostPortList.safeParse('a:1,b:0').error?.issues[0]?.message).toBe('"b:0" is not host:port');
    const keys = apiKeyList.safeParse('alice:s3cret,bob');
    expect(keys.error?.issues[0]?.message).toBe('each entry must be userId:key (the key is not shown)');
    expect(JSON.stringify(keys.error?.issues)).not.toContain('s3cret');
    expect(pairList('queue=number', /^[a-z]+$/, (v) => (/^\d+$/.test(v) ? Number(v) : undefined)).safeParse('csv=4,jil=x').error?.issues[0]?.message).toBe(
      '"jil=x" is not queue=number',
    );
  });
});
