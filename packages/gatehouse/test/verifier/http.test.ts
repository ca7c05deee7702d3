import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { metadataUrl } from '../../src/verifier/discover.js';
import { basicAuth, FetchFailure, getJson } from '../../src/verifier/http.js';

describe('basicAuth (RFC 6749 2.3.1)', () => {
  it('encodes plain credentials', () => {
    assert.equal(basicAuth('rs-articles', 's3cret'), `Basic ${btoa('rs-articles:s3cret')}`);
  });
  it('form-encodes id and secret before base64', () => {
    assert.equal(basicAuth('a:b', 'p@ss wörd+'), `Basic ${btoa('a%3Ab:p%40ss+w%C3%B6rd%2B')}`);
  });
});

describe('metadataUrl (RFC 8414 3.1)', () => {
  it('appends the well-known path for an issuer without a path', () => {
    assert.equal(
      metadataUrl('https://auth.example'),
      'https://auth.example/.well-known/oauth-authorization-server',
    );
    assert.equal(
      metadataUrl('https://auth.example/'),
      'https://auth.example/.well-known/oauth-authorization-server',
    );
  });
  it('inserts it before the path of an issuer with one', () => {
    assert.equal(
      metadataUrl('https://example.com/tenant1'),
      'https://example.com/.well-known/oauth-authorization-server/tenant1',
    );
  });
});

describe('getJson', () => {
  const reason = (p: Promise<unknown>, expected: string) =>
    assert.rejects(p, (e: unknown) => e instanceof FetchFailure && e.reason === expected);

  it('maps failures to short reasons, never to bodies', async () => {
    const respond =
      (body: string, status = 200) =>
      async () =>
        new Response(body, { status });
    await reason(getJson('http://x/', { fetch: respond('{}', 500), timeoutMs: 1000 }), 'http_500');
    await reason(getJson('http://x/', { fetch: respond('<html>'), timeoutMs: 1000 }), 'not_json');
    await reason(
      getJson('http://x/', {
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
        timeoutMs: 1000,
      }),
      'network',
    );
    const { body } = await getJson('http://x/', { fetch: respond('{"a":1}'), timeoutMs: 1000 });
    assert.deepEqual(body, { a: 1 });
  });

  it('times out a hanging server', async () => {
    const hang = (_: unknown, init?: RequestInit) =>
      new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    // AbortSignal.timeout is unref'd (a real request holds a socket); keep the loop alive here.
    const keepAlive = setTimeout(() => {}, 5000);
    try {
      await reason(getJson('http://x/', { fetch: hang, timeoutMs: 20 }), 'timeout');
    } finally {
      clearTimeout(keepAlive);
    }
  });

  it('never follows redirects', async () => {
    let seen: RequestInit | undefined;
    await getJson('http://x/', {
      fetch: async (_u, init) => {
        seen = init;
        return new Response('{}');
      },
      timeoutMs: 1000,
    });
    assert.equal(seen?.redirect, 'error');
  });
});
