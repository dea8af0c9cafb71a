interface StoredCookie {
  host: string;
  name: string;
  value: string;
  path: string;
}

/**
 * Just enough of a browser for redirect flows over real HTTP: a cookie jar (keyed by host and path,
 * like a browser's, so ports share cookies) and requests that never follow redirects by themselves.
 */
export class TestBrowser {
  private cookies: StoredCookie[] = [];

  async request(
    url: string | URL,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const target = new URL(url);
    const cookie = this.cookieHeader(target);
    const response = await fetch(target, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) this.store(target, line);
    return response;
  }

  cookie(name: string): string | undefined {
    return this.cookies.find((c) => c.name === name)?.value;
  }

  private cookieHeader(url: URL): string {
    return this.cookies
      .filter(
        (c) =>
          c.host === url.hostname &&
          (url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`)),
      )
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, line: string): void {
    const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    let path = '/';
    let expired = false;
    for (const attribute of attributes) {
      const [key = '', val = ''] = attribute.split('=');
      if (key.toLowerCase() === 'path') path = val;
      if (key.toLowerCase() === 'max-age' && Number(val) <= 0) expired = true;
      if (key.toLowerCase() === 'expires' && Date.parse(val) <= Date.now()) expired = true;
    }
    this.cookies = this.cookies.filter(
      (c) => !(c.host === url.hostname && c.name === name && c.path === path),
    );
    if (!expired) this.cookies.push({ host: url.hostname, name, value, path });
  }
}

/**
 * Goes from `url` through redirects and the test IdP's login and consent forms, as a person would,
 * and stops at the first redirect to `stopAt` (e.g. Kura's SSO callback) without following it.
 */
export async function walkToRedirect(
  browser: TestBrowser,
  url: string,
  stopAt: (next: URL) => boolean,
  person: { login: string; abort?: boolean },
): Promise<URL> {
  let next = new URL(url);
  let form: Record<string, string> | undefined;
  for (let step = 0; step < 20; step++) {
    const response = await browser.request(next, form ? { form } : {});
    form = undefined;
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      next = new URL(location, next);
      if (stopAt(next)) return next;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action || !prompt) {
      throw new Error(`unexpected page at ${next.href}: ${response.status} ${html.slice(0, 300)}`);
    }
    const submit = new URL(action.replaceAll('&amp;', '&'), next);
    if (person.abort) {
      next = new URL(`${submit.pathname}/abort`, submit);
      continue;
    }
    form = prompt === 'login' ? { prompt, login: person.login, password: 'any' } : { prompt };
    next = submit;
  }
  throw new Error('too many steps');
}
