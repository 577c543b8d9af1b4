// A FranceConnect-like OpenID Provider built on node `oidc-provider` (the library the FC v2 core wraps).
//
// Run by hand (after `npm install --prefix .cache/oidc-provider oidc-provider@9`):
//   node tests/franceconnect/fc_provider.mjs
//   FC_MODULES       node_modules folder holding oidc-provider (default <repo>/.cache/oidc-provider/node_modules)
// Environment (all optional):
//   FC_PORT          port to listen on (default 4000, 0 = random); FC_HOST (default 127.0.0.1)
//   FC_ISSUER        issuer when the provider sits behind a reverse proxy (default http://FC_HOST:port/api/v2)
//   FC_RP_BASE       base URL of the CAS server (default http://127.0.0.1:8000): redirect and post-logout URIs
//   FC_KEYS          path of a private JWKS (ES256 + RS256 keys) to sign with; generated when absent
//   FC_CONTROL=1     enables POST /control {"identity": "...", "acr": "..."} (tests pick who logs in)
// Prints one JSON line {"listening": port, "issuer": ...} on stdout once ready.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// ESM ignores NODE_PATH: load the package from the cache folder the test setup installs it into.
const modules = process.env.FC_MODULES || resolve(fileURLToPath(import.meta.url), '../../../.cache/oidc-provider/node_modules');
const { default: Provider } = await import(pathToFileURL(join(modules, 'oidc-provider/lib/index.js')).href);

const HOST = process.env.FC_HOST || '127.0.0.1';
const RP = (process.env.FC_RP_BASE || 'http://127.0.0.1:8000').replace(/\/$/, '');
const PREFIX = '/api/v2';

// FranceConnect test identities (identité pivot); the first one is the FC sandbox's sample user.
const IDENTITIES = {
  angela: {
    given_name: 'Angela Claire Louise', family_name: 'DUBOIS', birthdate: '1962-08-24', gender: 'female',
    birthplace: '75107', birthcountry: '99100', email: 'wossewodda-3728@yopmail.com', preferred_username: '',
  },
  pierre: {
    given_name: 'Pierre', family_name: 'MERCIER', birthdate: '1969-03-17', gender: 'male',
    birthplace: '69383', birthcountry: '99100', email: 'pierre.mercier@example.org', preferred_username: '',
  },
};
const current = { identity: 'angela', acr: 'eidas1' };

function keys() {
  if (process.env.FC_KEYS) return JSON.parse(readFileSync(process.env.FC_KEYS, 'utf8')).keys;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  return [{ ...ec, kid: 'es256-demo', alg: 'ES256', use: 'sig' }, { ...rsa, kid: 'rs256-demo', alg: 'RS256', use: 'sig' }];
}

function client(id, secret, extra) {
  return {
    client_id: id, client_secret: secret, token_endpoint_auth_method: 'client_secret_post',
    grant_types: ['authorization_code'], response_types: ['code'],
    redirect_uris: [`${RP}/cas/franceconnect/callback`],
    post_logout_redirect_uris: [`${RP}/cas/franceconnect/logout-callback`],
    ...extra,
  };
}

const server = createServer();
await new Promise((ok) => server.listen(Number(process.env.FC_PORT ?? 4000), HOST, ok));
const port = server.address().port;
const issuer = process.env.FC_ISSUER || `http://${HOST}:${port}${PREFIX}`;

const scopeClaims = {
  given_name: ['given_name'], family_name: ['family_name'], birthdate: ['birthdate'], gender: ['gender'],
  birthplace: ['birthplace'], birthcountry: ['birthcountry'], email: ['email'], preferred_username: ['preferred_username'],
  profile: ['given_name', 'family_name', 'birthdate', 'gender', 'preferred_username'],
  birth: ['birthplace', 'birthcountry'],
  identite_pivot: ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
};

const provider = new Provider(issuer, {
  clients: [
    client('fs-v2', 'fs-v2-secret-0123456789abcdef0123456789abcdef', {
      id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256',
    }),
    client('fs-v1', 'fs-v1-secret-0123456789abcdef0123456789abcdef', { id_token_signed_response_alg: 'HS256' }),
  ],
  jwks: { keys: keys() },
  routes: {
    authorization: '/authorize', token: '/token', userinfo: '/userinfo', end_session: '/session/end',
    jwks: '/jwks', revocation: '/token/revocation',
  },
  scopes: ['openid', ...Object.keys(scopeClaims)],
  claims: { openid: ['sub'], acr: null, amr: null, ...scopeClaims },
  acrValues: ['eidas1', 'eidas2', 'eidas3'],
  subjectTypes: ['public'],
  enabledJWA: { idTokenSigningAlgValues: ['ES256', 'RS256', 'HS256'], userinfoSigningAlgValues: ['ES256', 'RS256', 'HS256'] },
  ttl: { AccessToken: 60, AuthorizationCode: 30, IdToken: 60, Session: 600, Interaction: 600, Grant: 600 },
  pkce: { required: () => false },
  features: {
    devInteractions: { enabled: false },
    claimsParameter: { enabled: true },
    jwtUserinfo: { enabled: true },
    revocation: { enabled: true },
    rpInitiatedLogout: {
      enabled: true,
      // FranceConnect asks nothing: the logout form submits itself.
      logoutSource: async (ctx, form) => {
        ctx.body = `<!DOCTYPE html><html><body>${form.replace('</form>', '<input type="hidden" name="logout" value="yes"></form>')}
          <script>document.forms[0].submit()</script></body></html>`;
      },
    },
  },
  interactions: { url: (ctx, interaction) => `${PREFIX}/interaction/${interaction.uid}` },
  findAccount: async (ctx, sub) => {
    const name = Object.keys(IDENTITIES).find((k) => subFor(k) === sub);
    if (!name) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...IDENTITIES[name] }) };
  },
});
provider.proxy = true;

// FC's sub is opaque (64 hex + "v1"); derive a stable one per identity.
function subFor(name) {
  return Buffer.from(`fc-sub-${name}`).toString('hex').padEnd(64, '0').slice(0, 64) + 'v1';
}

// FranceConnect refuses short state/nonce and a missing acr_values with error page Y000400.
provider.use(async (ctx, next) => {
  if (ctx.path === '/authorize') {
    const q = ctx.query;
    if ((q.state || '').length < 32 || (q.nonce || '').length < 32 || !q.acr_values) {
      ctx.status = 400;
      ctx.body = 'Y000400: invalid state, nonce or acr_values';
      return;
    }
  }
  await next();
});

// Automatic login (the identity chosen by /control) and consent to every requested scope.
async function interaction(req, res) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params, session } = details;
  const result = {};
  if (prompt.name === 'login') {
    result.login = { accountId: subFor(current.identity), acr: current.acr, amr: ['pwd'] };
  } else {
    const grant = details.grantId ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    grant.addOIDCScope(String(params.scope));
    if (params.claims) {
      const claims = JSON.parse(params.claims);
      if (claims.id_token) grant.addOIDCClaims(Object.keys(claims.id_token));
      if (claims.userinfo) grant.addOIDCClaims(Object.keys(claims.userinfo));
    }
    result.consent = { grantId: await grant.save() };
  }
  await provider.interactionFinished(req, res, result, { mergeWithLastSubmission: true });
}

const callback = provider.callback();
server.on('request', async (req, res) => {
  try {
    if (process.env.FC_CONTROL === '1' && req.method === 'POST' && req.url === '/control') {
      let body = '';
      for await (const chunk of req) body += chunk;
      Object.assign(current, JSON.parse(body || '{}'));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ...current, sub: subFor(current.identity) }));
      return;
    }
    if (!req.url.startsWith(`${PREFIX}/`)) {
      res.writeHead(404);
      res.end('not found');
      return;
    }
    if (req.url.startsWith(`${PREFIX}/interaction/`)) {
      await interaction(req, res);
      return;
    }
    req.originalUrl = req.url;
    req.url = req.url.slice(PREFIX.length);
    callback(req, res);
  } catch (err) {
    console.error(err);
    res.writeHead(500);
    res.end(String(err));
  }
});

console.log(JSON.stringify({ listening: port, issuer, identities: Object.fromEntries(Object.keys(IDENTITIES).map((k) => [k, subFor(k)])) }));
