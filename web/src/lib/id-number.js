// Residents' identity numbers (GB 11643-1999): 17 digits and a check character computed with
// ISO 7064 MOD 11-2. Used only for immediate feedback in forms: the server decides.

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** The check character for the first 17 digits. */
export function checkCharacter(first17) {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}

/** '' when `value` looks like a valid number, else a Chinese explanation. */
export function idNumberProblem(value) {
  const v = String(value || '').trim().toUpperCase();
  if (!v) return '请输入身份证号';
  if (v.length !== 18) return `身份证号应为 18 位，当前 ${v.length} 位`;
  if (!/^\d{17}[\dX]$/.test(v)) return '身份证号前 17 位应为数字，最后一位为数字或 X';
  if (checkCharacter(v) !== v[17]) return '身份证号校验位不正确，请核对';
  return '';
}

export const MOBILE_RE = /^1\d{10}$/;
