/**
 * The one way the console talks to the API: same-origin fetch with the session cookie, the CSRF
 * token on state-changing requests, and errors as `ApiError` with the server's stable code.
 *
 * When a call answers 401 after the user has signed in (the session expired or was ended
 * elsewhere), the registered handler asks the user to sign in again; the call is then retried, so
 * whatever the user was doing carries on with nothing lost.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    /** From the Retry-After header of a 429 (or 503): seconds until the request may be made again. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Retry-After as seconds (it may also be an HTTP date); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

export interface RequestOptions {
  /** false: a 401 is an answer for the caller (sign-in, "am I signed in?"), not a reason to ask. */
  reauthenticate?: boolean;
  signal?: AbortSignal;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

let csrfToken: string | null = null;
let unauthenticatedHandler: (() => Promise<void>) | null = null;
let pendingReauthentication: Promise<void> | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Registers who asks the user to sign in again; its promise settles when they did (or gave up). */
export function setUnauthenticatedHandler(handler: (() => Promise<void>) | null): void {
  unauthenticatedHandler = handler;
}

const MAX_REAUTHENTICATIONS = 3;

export async function api<T>(
  method: Method,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  let reauthentications = 0;
  let csrfRefreshed = false;
  for (;;) {
    const response = await send(method, path, body, options.signal);
    if (response.ok) {
      if (response.status === 204) return undefined as T;
      return (await response.json()) as T;
    }
    const error = await toApiError(response);
    if (
      error.status === 401 &&
      options.reauthenticate !== false &&
      unauthenticatedHandler &&
      reauthentications < MAX_REAUTHENTICATIONS
    ) {
      reauthentications++;
      // Several calls failing together share one sign-in dialog.
      pendingReauthentication ??= unauthenticatedHandler().finally(() => (pendingReauthentication = null));
      await pendingReauthentication;
      continue;
    }
    if (error.status === 403 && error.code === 'csrf_failed' && !csrfRefreshed) {
      // The token changed under us (signed in again in another tab): fetch the current one, retry once.
      csrfRefreshed = true;
      const me = await send('GET', '/api/v1/me', undefined, options.signal);
      if (me.ok) {
        setCsrfToken(((await me.json()) as { csrfToken: string | null }).csrfToken);
        continue;
      }
    }
    throw error;
  }
}

async function send(
  method: Method,
  path: string,
  body: unknown,
  signal: AbortSignal | undefined,
): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (cause) {
    if (signal?.aborted) throw cause;
    throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
  }
}

async function toApiError(response: Response): Promise<ApiError> {
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
  try {
    const parsed = (await response.json()) as {
      error?: { code?: string; message?: string; details?: unknown };
    };
    if (parsed.error?.code) {
      return new ApiError(
        response.status,
        parsed.error.code,
        parsed.error.message ?? '',
        parsed.error.details,
        retryAfter,
      );
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(
    response.status,
    response.status >= 500 ? 'internal_error' : 'http_error',
    response.statusText,
    undefined,
    retryAfter,
  );
}

export interface UploadProgress {
  loaded: number;
  total: number;
}

/**
 * A multipart upload with byte progress (fetch cannot report it, XMLHttpRequest can). Same session,
 * CSRF token and sign-in-again-and-retry as `api`.
 */
export async function upload<T>(
  path: string,
  form: FormData,
  onProgress: (progress: UploadProgress) => void,
): Promise<T> {
  let reauthentications = 0;
  for (;;) {
    const response = await sendForm(path, form, onProgress);
    if (response.status >= 200 && response.status < 300) return JSON.parse(response.body) as T;
    const error = parseError(response.status, response.body, parseRetryAfter(response.retryAfter));
    if (error.status === 401 && unauthenticatedHandler && reauthentications < MAX_REAUTHENTICATIONS) {
      reauthentications++;
      pendingReauthentication ??= unauthenticatedHandler().finally(() => (pendingReauthentication = null));
      await pendingReauthentication;
      continue;
    }
    throw error;
  }
}

function sendForm(
  path: string,
  form: FormData,
  onProgress: (progress: UploadProgress) => void,
): Promise<{ status: number; body: string; retryAfter: string | null }> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.withCredentials = true;
    request.setRequestHeader('accept', 'application/json');
    if (csrfToken) request.setRequestHeader('x-csrf-token', csrfToken);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    request.onload = () =>
      resolve({
        status: request.status,
        body: request.responseText,
        retryAfter: request.getResponseHeader('retry-after'),
      });
    request.onerror = () => reject(new ApiError(0, 'network_error', 'upload failed'));
    request.send(form);
  });
}

function parseError(status: number, body: string, retryAfter: number | undefined): ApiError {
  try {
    const parsed = JSON.parse(body) as { error?: { code?: string; message?: string; details?: unknown } };
    if (parsed.error?.code)
      return new ApiError(
        status,
        parsed.error.code,
        parsed.error.message ?? '',
        parsed.error.details,
        retryAfter,
      );
  } catch {
    // not JSON
  }
  return new ApiError(status, status >= 500 ? 'internal_error' : 'http_error', '', undefined, retryAfter);
}

/**
 * A POST whose answer is read as it arrives (Server-Sent Events): the open response, once the
 * server said yes. Same session, CSRF token and sign-in-again-and-retry as `api`.
 */
export async function openStream(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  let reauthentications = 0;
  for (;;) {
    const headers: Record<string, string> = {
      accept: 'text/event-stream',
      'content-type': 'application/json',
    };
    if (csrfToken) headers['x-csrf-token'] = csrfToken;
    let response: Response;
    try {
      response = await fetch(path, {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw new ApiError(0, 'network_error', cause instanceof Error ? cause.message : String(cause));
    }
    if (response.ok) return response;
    const error = await toApiError(response);
    if (error.status === 401 && unauthenticatedHandler && reauthentications < MAX_REAUTHENTICATIONS) {
      reauthentications++;
      pendingReauthentication ??= unauthenticatedHandler().finally(() => (pendingReauthentication = null));
      await pendingReauthentication;
      continue;
    }
    throw error;
  }
}
