import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/load-driver.js';
import { errorCode } from '../api/http-helpers.js';
import { TEST_PASSWORD } from '../helpers/factories.js';
import { multipartBody } from '../helpers/multipart.js';
import { SHARED_WORD, startSecurityWorld, type SecurityWorld } from './security-world.js';

/**
 * Abuse of the HTTP surface over a real listening socket (loopback only): cross-site requests with
 * the session cookie, oversized bodies, slow-loris clients, and a short concurrent load over two
 * companies. The isolation suite already proves every state-changing route refuses a cookie
 * without its CSRF token; here, the other ways a forged request could come.
 */

const LIMITS = { headersMs: 1_500, requestMs: 3_000, checkEveryMs: 250 };

describe('abuse of the HTTP surface', () => {
  let w: SecurityWorld;
  let url: string;
  let port: number;

  beforeAll(async () => {
    w = await startSecurityWorld({ KURA_UPLOAD_LIMIT_MB: '1' }, LIMITS);
    url = await w.app.listen({ host: '127.0.0.1', port: 0 });
    port = Number(new URL(url).port);
  });
  afterAll(() => w.close());

  describe('cross-site request forgery', () => {
    const cookieOnly = () => ({ cookie: w.a.session.cookie! });
    const rename = (headers: Record<string, string>, name = 'Forged') =>
      w.app.inject({
        method: 'PATCH',
        url: `/api/v1/companies/${w.a.company.id}`,
        headers,
        payload: { name },
      });

    it('refuses the cookie with no token, a wrong one, another session’s, or one outside the header', async () => {
      const before = (await w.services.tenancy.repos.companies.findById(w.a.company.id))!.name;
      const forged: [string, Record<string, string>, string?][] = [
        ['no token, from another site', { ...cookieOnly(), origin: 'https://evil.example' }],
        ['a wrong token', { ...cookieOnly(), 'x-csrf-token': 'A'.repeat(32) }],
        ['an empty token', { ...cookieOnly(), 'x-csrf-token': '' }],
        ["company B's session token", { ...cookieOnly(), 'x-csrf-token': w.b.session['x-csrf-token']! }],
      ];
      for (const [what, headers] of forged) {
        const response = await rename(headers);
        expect(response.statusCode, what).toBe(403);
        expect(errorCode(response), what).toBe('csrf_failed');
      }
      // A form post (what a cross-site page can send without CORS): the token in the body is not enough.
      const form = await w.app.inject({
        method: 'POST',
        url: '/api/v1/api-keys',
        headers: { ...cookieOnly(), 'content-type': 'application/x-www-form-urlencoded' },
        payload: `name=forged&role=admin&csrfToken=${w.a.session['x-csrf-token']}`,
      });
      expect(form.statusCode).toBe(403);
      const query = await w.app.inject({
        method: 'POST',
        url: `/api/v1/api-keys?csrf=${w.a.session['x-csrf-token']}`,
        headers: cookieOnly(),
        payload: { name: 'forged' },
      });
      expect(query.statusCode).toBe(403);
      expect((await w.services.tenancy.repos.companies.findById(w.a.company.id))!.name).toBe(before);
      // The real console request (cookie and token) works.
      expect((await rename(w.a.session, before)).statusCode).toBe(200);
    });

    it('the session cookie is HttpOnly and SameSite=Strict, and no cross-origin reads are allowed', async () => {
      const login = await fetch(`${url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ company: w.a.company.slug, email: w.a.adminEmail, password: TEST_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^kura_session=/);
      expect(cookie).toMatch(/;\s*HttpOnly/i);
      expect(cookie).toMatch(/;\s*SameSite=Strict/i);
      expect(cookie).toMatch(/;\s*Path=\//i);
      const me = await fetch(`${url}/api/v1/me`, {
        headers: { cookie: w.a.session.cookie!, origin: 'https://evil.example' },
      });
      expect(me.status).toBe(200);
      expect(me.headers.get('access-control-allow-origin')).toBeNull();
      expect(me.headers.get('access-control-allow-credentials')).toBeNull();
      const preflight = await fetch(`${url}/api/v1/api-keys`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://evil.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'x-csrf-token, content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      expect(preflight.headers.get('access-control-allow-headers')).toBeNull();
    });
  });

  describe('oversized bodies', () => {
    it('a JSON body over 1 MiB: 413 payload_too_large, and the server goes on', async () => {
      const response = await w.app.inject({
        method: 'POST',
        url: '/api/v1/ask',
        headers: { ...w.a.member, 'content-type': 'application/json' },
        payload: JSON.stringify({ question: 'x'.repeat(1_100_000) }),
      });
      expect(response.statusCode).toBe(413);
      expect(errorCode(response)).toBe('payload_too_large');
    });

    it('an upload over the limit: 413 file_too_large, nothing stored', async () => {
      const upload = multipartBody(w.a.admin, [
        { name: 'file', fileName: 'huge.txt', content: Buffer.alloc(1_200_000, 'a') },
      ]);
      const response = await w.app.inject({ method: 'POST', url: '/api/v1/documents', ...upload });
      expect(response.statusCode).toBe(413);
      expect(errorCode(response)).toBe('file_too_large');
      const listed = await w.app.inject({
        method: 'GET',
        url: '/api/v1/documents?q=huge',
        headers: w.a.admin,
      });
      expect(listed.json<{ documents: unknown[] }>().documents).toEqual([]);
    });

    it('a Content-Length over the limit is refused before the body is read', async () => {
      const answer = await rawExchange(
        port,
        `POST /api/v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${w.a.member.authorization}\r\n` +
          'Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n{"question":"',
        5_000,
      );
      expect(answer).toMatch(/^HTTP\/1\.1 413/);
      expect(answer).toContain('payload_too_large');
    });
  });

  describe('slow clients (slow-loris)', () => {
    it('times out trickled headers and bodies, and answers everyone else meanwhile', async () => {
      // The first search of a company is cold (seconds on a busy machine): warm it first.
      await (await fetch(`${url}/api/v1/search?q=${SHARED_WORD}`, { headers: w.a.member })).arrayBuffer();
      const opened = Date.now();
      const slow = Array.from({ length: 20 }, (_, i) =>
        trickle(port, i % 2 === 0 ? 'headers' : 'body', w.a.member.authorization!),
      );
      let firstClosed = Number.POSITIVE_INFINITY;
      for (const s of slow) void s.closed.then((ms) => (firstClosed = Math.min(firstClosed, opened + ms)));
      // Meanwhile, normal requests are answered while every slow connection is still held open.
      let answeredMeanwhile = 0;
      while (Date.now() - opened < LIMITS.requestMs) {
        const response = await fetch(`${url}/api/v1/search?q=${SHARED_WORD}`, { headers: w.a.member });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
        if (Date.now() < firstClosed) answeredMeanwhile++;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(answeredMeanwhile, 'the slow clients held everyone else up').toBeGreaterThan(0);
      // Every slow connection is closed by the server: headers by their limit, bodies by the request
      // limit (plus one check interval and slack for a busy machine), never left hanging.
      const closedAfter = await Promise.all(slow.map((s) => s.closed));
      for (const ms of closedAfter) expect(ms).toBeLessThan(LIMITS.requestMs + LIMITS.checkEveryMs + 5_000);
      // No slow connection was ever answered as if complete.
      for (const s of slow) expect(s.received()).not.toMatch(/^HTTP\/1\.1 [2-3]\d\d/);
    }, 20_000);
  });

  it('two companies under concurrent load: no 5xx, no cross-company result', async () => {
    const result = await runLoad({
      url,
      companies: [
        {
          marker: w.a.marker,
          keys: [w.a.member.authorization!.slice(7)],
          uploadKey: w.a.admin.authorization!.slice(7),
        },
        {
          marker: w.b.marker,
          keys: [w.b.member.authorization!.slice(7)],
          uploadKey: w.b.admin.authorization!.slice(7),
        },
      ],
      clients: 16,
      durationMs: 3_000,
      sharedWord: SHARED_WORD,
    });
    expect(result.serverErrors).toBe(0);
    expect(result.networkErrors).toBe(0);
    expect(result.leaks).toEqual([]);
    for (const op of ['search', 'ask', 'upload'] as const) {
      expect(result.operations[op].count, op).toBeGreaterThan(0);
      expect(
        Object.keys(result.operations[op].statuses).every((s) => Number(s) < 300),
        op,
      ).toBe(true);
    }
  }, 30_000);
});

/** Writes `request` on a fresh loopback connection and returns what comes back within `waitMs`. */
function rawExchange(port: number, request: string, waitMs: number): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (chunk) => {
      received += chunk.toString();
      if (received.includes('\r\n\r\n') && /\}\s*$/.test(received)) socket.destroy();
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on('error', () => undefined);
  });
}

/** A slow-loris client: one header line, or one body byte, every 400 ms, for at most 15 s. */
function trickle(
  port: number,
  what: 'headers' | 'body',
  authorization: string,
): { closed: Promise<number>; received: () => string } {
  const began = Date.now();
  let received = '';
  const socket = net.connect(port, '127.0.0.1');
  const head =
    what === 'headers'
      ? 'GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\n'
      : `POST /api/v1/ask HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: ${authorization}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`;
  socket.on('connect', () => socket.write(head));
  let n = 0;
  const timer = setInterval(() => {
    if (!socket.writable || Date.now() - began > 15_000) return socket.destroy();
    socket.write(what === 'headers' ? `X-Slow-${n++}: a\r\n` : 'x');
  }, 400);
  socket.on('data', (chunk) => (received += chunk.toString()));
  socket.on('error', () => undefined);
  const closed = new Promise<number>((resolve) =>
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - began);
    }),
  );
  return { closed, received: () => received };
}
