/**
 * A visitor with a cookie jar, talking to the real server over HTTP like a browser without
 * JavaScript: it keeps cookies, reads CSRF tokens from the forms it was served, and does not
 * follow redirects (tests look at them).
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  csrfToken = '';

  constructor(
    readonly baseUrl: string,
    readonly headers: Record<string, string> = {},
  ) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value);
    }
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async request(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const response = await fetch(this.baseUrl + path, {
      method,
      redirect: 'manual',
      body: init.body,
      headers: { ...this.headers, ...(cookie ? { cookie } : {}), ...init.headers },
    });
    this.remember(response);
    return response;
  }

  /** GETs a page and keeps the CSRF token of its forms. */
  async page(path: string): Promise<{ status: number; html: string; response: Response }> {
    const response = await this.request('GET', path);
    const html = await response.text();
    const token = /name="_csrf" value="([^"]*)"/.exec(html)?.[1];
    if (token) this.csrfToken = token;
    return { status: response.status, html, response };
  }

  /** Posts a form, with the CSRF token last seen unless `_csrf` is given. */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const body = new URLSearchParams({ _csrf: this.csrfToken, ...fields }).toString();
    return this.request('POST', path, {
      body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });
  }

  async json(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: any; response: Response }> {
    const response = await this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null, response };
  }
}

/** A fresh, unique member identity for a test. */
let sequence = 0;
export function member(prefix = 'member'): { email: string; username: string; password: string } {
  sequence++;
  const tag = `${prefix}${sequence}${Math.floor(Math.random() * 1e6)}`;
  return { email: `${tag}@example.org`, username: tag.slice(0, 32), password: `pw-${tag}-secret` };
}
