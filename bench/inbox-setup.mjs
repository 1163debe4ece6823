// Prepares a yiwang holding the demo region and its synthetic cases (`yiwang demo --cases N`)
// for the inbox benchmark, the way the region's people would be set up: the first system admin
// in the region's 政务服务管理局, then a window clerk and an approver of one district department
// of 埇桥区 (341302) — the one with the most open tasks, so that the pages are full — each logged
// in with password and TOTP (tests/lib/staff.mjs). Prints "CLERK_COOKIE APPROVER_COOKIE DEPT_ID".
//
//   YW_BIN=build/yiwang node bench/inbox-setup.mjs URL DATA_DIR DB
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bootstrapAdmin, createStaff } from '../tests/lib/staff.mjs';
import { sql } from '../tests/lib/persons.mjs';
import { root } from '../tests/lib/server.mjs';

const [url, data, db] = process.argv.slice(2);
const region = JSON.parse(readFileSync(join(root, 'data', 'demo', 'departments.json'), 'utf8'));
const zwfw = region.departments.find((d) => d.key === 'city.zwfw');
const server = { url, data, db };
const admin = await bootstrapAdmin(server, { departmentName: zwfw.name, departmentUscc: zwfw.uscc,
  division: '341300' });
const [[dept]] = sql(server, "SELECT department_id FROM case_tasks WHERE state = 'open' AND " +
  "division_code = '341302' AND stage = 'pre_review' GROUP BY department_id ORDER BY COUNT(*) DESC, department_id LIMIT 1");
if (!dept) throw new Error('no open pre-review task in 341302: was `yiwang demo --cases` run?');
const role = (r) => ({ role: r, department_id: dept, division_code: '341302' });
const clerk = await createStaff(admin, { username: 'bench_clerk', name: '压测窗口人员', department_id: dept,
  roles: [role('window_clerk')] });
const approver = await createStaff(admin, { username: 'bench_approver', name: '压测审批人员', department_id: dept,
  roles: [role('approver')] });
console.log(`${clerk.cookie} ${approver.cookie} ${dept}`);
