// docs/identity.md's roles and actions tables are generated from src/identity/roles.def
// (scripts/gen-roles-doc.mjs). This fails when someone changes the table and not the page, or
// edits the generated block by hand; `make docs` brings the page up to date.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { root } from '../lib/server.mjs';
import { parseRolesDef, renderTables, updatedDoc } from '../../scripts/gen-roles-doc.mjs';

test('docs/identity.md matches src/identity/roles.def (make docs)', () => {
  const r = spawnSync(process.execPath, [join(root, 'scripts/gen-roles-doc.mjs'), '--check'],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
});

test('every role and action of roles.def is in the page, with the grants it states', () => {
  const def = parseRolesDef(readFileSync(join(root, 'src/identity/roles.def'), 'utf8'));
  const doc = readFileSync(join(root, 'docs/identity.md'), 'utf8');
  assert.ok(def.roles.length >= 10 && def.actions.length >= 5);
  for (const r of def.roles) assert.match(doc, new RegExp('\\| `' + r.name + '` \\| ' + r.zh + ' \\|'));
  for (const a of def.actions) assert.ok(doc.includes('| `' + a.name + '` |'), a.name);
  // system_admin is the only role that may hand out the privileged roles
  const priv = def.grants.filter((g) => g.action === 'ROLE_GRANT_PRIVILEGED').map((g) => g.role);
  assert.deepEqual(priv, ['SYSTEM_ADMIN']);
  assert.deepEqual(def.needs.map((n) => n.role).sort(), ['SUPERVISOR', 'SYSTEM_ADMIN']);
  // a machine never administers: no management action is a client scope
  for (const a of def.clientGrantable) assert.doesNotMatch(a, /MANAGE|GRANT/, a);
  assert.ok(doc.includes('| `staff.read` | 查看工作人员及其角色 | `dept_admin`, `supervisor`, `system_admin` | — | yes |'));
});

test('the check notices a stale page and a malformed table', () => {
  const def = parseRolesDef(readFileSync(join(root, 'src/identity/roles.def'), 'utf8'));
  const doc = readFileSync(join(root, 'docs/identity.md'), 'utf8');
  const block = renderTables(def);
  assert.equal(updatedDoc(doc, block), doc);
  const edited = { ...def, grants: def.grants.filter((g) => g.role !== 'SUPERVISOR') };
  assert.notEqual(updatedDoc(doc, renderTables(edited)), doc);
  assert.throws(() => parseRolesDef('YW_GRANT(NOBODY, STAFF_READ)\n'), /unknown role/);
  assert.throws(() => parseRolesDef('YW_ROLE(X, "x", "叉")\n'), /cannot read/);
  assert.throws(() => parseRolesDef('YW_CLIENT_GRANTABLE(NOTHING)\n'), /unknown action/);
});
