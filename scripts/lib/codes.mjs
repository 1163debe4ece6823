// The codes a client of yiwang computes for itself, shared by the demo seed (scripts/seed-demo.mjs)
// and the tests: unified social credit codes (GB 32100-2015) and TOTP codes (RFC 6238) as an
// authenticator app makes them.
import { createHmac, randomInt } from 'node:crypto';

// ---- unified social credit codes ---------------------------------------------------------------

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

// The check character of a GB 11714 organisation code (positions 9–17 of a USCC): MOD 11 over the
// first eight characters, letters valued 10–35; 10 is written X, 11 is 0.
export function orgCodeCheck(org8) {
  const w = [3, 7, 9, 10, 5, 8, 4, 2];
  const value = (c) => (c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 55);
  const r = 11 - ([...org8].reduce((s, c, i) => s + value(c) * w[i], 0) % 11);
  return r === 11 ? '0' : r === 10 ? 'X' : String(r);
}

// The 18th character (GB/T 17710 MOD 31-3): weights 3^i mod 31 over the first 17.
export function usccCheck(body17) {
  let s = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(body17[i]);
    if (v < 0) throw new Error(`not a USCC character: ${body17[i]}`);
    s += v * ((3 ** i) % 31);
  }
  return USCC_CHARS[(31 - (s % 31)) % 31];
}

// A complete USCC: authority and type ("11": 机构编制, 机关; "91": 工商, 企业), the division, and an
// organisation code of eight characters.
export function uscc(kind2, division6, org8) {
  const body = kind2 + division6 + org8 + orgCodeCheck(org8);
  return body + usccCheck(body);
}

// A valid USCC with a random organisation code.
export function randomUscc(kind2 = '11', division6 = '341300') {
  let org8 = '';
  for (let i = 0; i < 8; i++) org8 += String(randomInt(0, 10));
  return uscc(kind2, division6, org8);
}

// ---- citizen ID numbers (GB 11643-1999) ---------------------------------------------------------

// The 18th character: ISO 7064 MOD 11-2 over the first 17 digits.
export function idCheckChar(body17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(body17[i]) * w[i];
  return '10X98765432'[s % 11];
}

// ---- TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits) ------------------------------------

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text) {
  let bits = 0, acc = 0;
  const out = [];
  for (const ch of text.replace(/[=\s-]/g, '').toUpperCase()) {
    const v = B32.indexOf(ch);
    if (v < 0) throw new Error('not base32: ' + text);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function hotp(secret, counter, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = mac.readUInt32BE(off) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

export const totpStep = (ms = Date.now()) => Math.floor(ms / 1000 / 30);
export const totp = (secret, ms = Date.now()) => hotp(secret, totpStep(ms));
