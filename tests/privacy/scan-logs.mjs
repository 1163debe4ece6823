// Scans log files for full citizen ID numbers (GB 11643: 17 digits and a valid MOD 11-2 check
// character, a real-looking birth date) and full mainland mobile numbers. Logs must hold neither:
// the access log names routes, not paths, and the modules log masked forms only.
//
//   node tests/privacy/scan-logs.mjs FILE…   exits 1 and names each finding
import { readFileSync } from 'node:fs';

const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';
const isId = (s) => {
  const sum = [...s.slice(0, 17)].reduce((acc, c, i) => acc + Number(c) * W[i], 0);
  return CHECK[sum % 11] === s[17].toUpperCase();
};

// Digits not touching other digits, so timestamps and hashes do not count.
const ID_RE = /(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g;
const MOBILE_RE = /(?<![0-9A-Za-z])1[3-9]\d{9}(?![0-9A-Za-z])/g;

let findings = 0;
let files = 0;
for (const file of process.argv.slice(2)) {
  files++;
  const lines = readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(ID_RE)) {
      if (!isId(m[0])) continue;
      findings++;
      console.log(`${file}:${i + 1}: a full ID number (${m[0].slice(0, 4)}…) in the log`);
    }
    for (const m of line.matchAll(MOBILE_RE)) {
      findings++;
      console.log(`${file}:${i + 1}: a full mobile number (${m[0].slice(0, 3)}…) in the log`);
    }
  });
}
console.log(`scanned ${files} log file(s): ${findings} finding(s)`);
process.exit(findings ? 1 : 0);
