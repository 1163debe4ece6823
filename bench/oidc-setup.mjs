// Registers the benchmark's department system on a running yiwang the way an operator would:
// the first system admin (yiwang staff bootstrap, TOTP enrolled), then POST /api/v1/oidc/clients
// with the scope staff.read. Prints "CLIENT_ID CLIENT_SECRET".
//
//   YW_BIN=build/yiwang node bench/oidc-setup.mjs URL DATA_DIR DB
import { bootstrapAdmin } from '../tests/lib/staff.mjs';

const [url, data, db] = process.argv.slice(2);
const admin = await bootstrapAdmin({ url, data, db });
const res = await admin.post('/api/v1/oidc/clients', { name: '压测系统', scopes: ['staff.read'] });
if (res.status !== 201) throw new Error(`register client: ${res.status} ${res.text}`);
console.log(`${res.body.client.id} ${res.body.client_secret}`);
