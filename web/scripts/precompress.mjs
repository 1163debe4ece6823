#!/usr/bin/env node
// Writes NAME.gz next to every text asset (.js .css .html .svg .json) larger than 1 KB under the
// directory given, gzip at the highest level. The C server answers with the .gz when the request
// accepts gzip, so nothing is compressed per request. Usage: node scripts/precompress.mjs dist
import { readdir, readFile, writeFile, stat, utimes, unlink } from 'node:fs/promises';
import { join, extname, relative } from 'node:path';
import { gzipSync, constants } from 'node:zlib';

const EXTS = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json']);
const MIN_BYTES = 1024;

async function* walk(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(p);
    else if (entry.isFile()) yield p;
  }
}

async function main() {
  const root = process.argv[2];
  if (!root) {
    console.error('usage: node scripts/precompress.mjs DIR');
    process.exit(2);
  }
  const st = await stat(root).catch(() => null);
  if (!st?.isDirectory()) {
    console.error(`precompress: ${root} is not a directory`);
    process.exit(1);
  }
  let files = 0, raw = 0, packed = 0;
  for await (const file of walk(root)) {
    if (!EXTS.has(extname(file).toLowerCase())) continue;
    const info = await stat(file);
    const gzPath = `${file}.gz`;
    if (info.size <= MIN_BYTES) {
      await unlink(gzPath).catch(() => {}); // a stale .gz from an older build would be served
      continue;
    }
    const body = await readFile(file);
    const gz = gzipSync(body, { level: constants.Z_BEST_COMPRESSION, memLevel: 9 });
    if (gz.length >= body.length) {
      await unlink(gzPath).catch(() => {});
      continue;
    }
    await writeFile(gzPath, gz);
    // Same mtime as the original, so Last-Modified/ETag agree whichever file is sent.
    await utimes(gzPath, info.atime, info.mtime);
    files++;
    raw += body.length;
    packed += gz.length;
    if (process.env.PRECOMPRESS_VERBOSE) {
      console.log(`${relative(root, file)}: ${body.length} -> ${gz.length}`);
    }
  }
  const kb = (n) => (n / 1024).toFixed(1);
  console.log(`precompress: ${files} files, ${kb(raw)} KiB -> ${kb(packed)} KiB gzip`);
}

main().catch((err) => {
  console.error(`precompress: ${err.message}`);
  process.exit(1);
});
