/**
 * A real OpenID Provider (the `oidc-provider` package, certified; provider.mjs) on 127.0.0.1 at a
 * random port, for the single sign-on tests: one confidential client with the redirect URI given,
 * and the accounts given (sub → claims). Its development login page accepts any password;
 * consent is granted by itself, as a company provider does for a first-party app. ID tokens carry
 * the email, name and groups claims.
 */
export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[] | string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Adds or changes an account (sub → claims). */
  setAccount(sub: string, claims: TestAccount): void;
  /**
   * Follows the authorization URL through the provider's login as `sub` (cookie jar kept per
   * call) and returns the redirect back to the client: the callback URL with code and state.
   */
  signIn(authorizationUrl: string, sub: string): Promise<URL>;
  close(): Promise<void>;
}

interface StartedProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  setAccount(sub: string, claims: TestAccount): void;
  close(): Promise<void>;
}

/** provider.mjs, through Node's own loader (see there why not Jest's). */
const { startProvider } = process.getBuiltinModule('node:module').createRequire(__filename)(
  './provider.mjs',
) as {
  startProvider(props: {
    redirectUri: string;
    accounts?: Record<string, TestAccount>;
    idTokenTtl?: number;
  }): Promise<StartedProvider>;
};

export async function startTestProvider(props: {
  redirectUri: string;
  accounts?: Record<string, TestAccount>;
  /** Seconds an ID token lives (default 60). */
  idTokenTtl?: number;
}): Promise<TestProvider> {
  const started = await startProvider(props);
  return {
    issuer: started.issuer,
    clientId: started.clientId,
    clientSecret: started.clientSecret,
    setAccount: (sub, claims) => started.setAccount(sub, claims),
    signIn: (authorizationUrl, sub) => driveSignIn(authorizationUrl, sub, props.redirectUri),
    close: () => started.close(),
  };
}

/** Plain HTTP through the provider: redirects, the login form, until the redirect to the client. */
async function driveSignIn(authorizationUrl: string, sub: string, redirectUri: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  const keep = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
  };
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | undefined;
  for (let step = 0; step < 12; step += 1) {
    if (url.href.startsWith(redirectUri)) return url;
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      headers: {
        cookie: cookieHeader(),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body,
      redirect: 'manual',
    });
    keep(response);
    body = undefined;
    const location = response.headers.get('location');
    if (location) {
      url = new URL(location, url);
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !html.includes('name="login"'))
      throw new Error(`the provider answered ${response.status} without a login form: ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, '&'), url);
    body = new URLSearchParams({ prompt: 'login', login: sub, password: 'any password' });
  }
  throw new Error('the provider never redirected back to the client');
}
