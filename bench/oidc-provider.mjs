// The reference for the client-credentials benchmark: npm oidc-provider with one client that may
// use client_credentials, issuing JWT access tokens signed with ES256 for one resource server —
// the same work yiwang does for POST /oauth/token (client_secret_basic, scope staff.read, ES256
// JWT with aud, exp, jti). One Node process, its usual deployment.
//
//   node bench/oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, clientId, clientSecret] = process.argv.slice(2);
const issuer = `http://127.0.0.1:${port}`;
const audience = `${issuer}/api`;
const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    grant_types: ['client_credentials'],
    redirect_uris: [],
    response_types: [],
    token_endpoint_auth_method: 'client_secret_basic',
    scope: 'staff.read',
    id_token_signed_response_alg: 'ES256',   // the only key is an EC one
  }],
  jwks: { keys: [{ ...key, kid: 'bench-es256', alg: 'ES256', use: 'sig' }] },
  scopes: ['staff.read'],
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'staff.read',
        audience,
        accessTokenTTL: 600,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});
provider.listen(Number(port), '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
