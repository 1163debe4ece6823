// What an application's page can tell is missing before asking the server, and the delivery
// choice as the server takes it. The single-item application (use-application.js) and the theme
// application (ThemeApplyPage) check the same things with the same words.

export const POST_FIELDS = ['address', 'recipient', 'phone'];

const POST_NEEDS = { address: '请填写邮寄地址', recipient: '请填写收件人', phone: '请填写联系电话' };
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;
// the phone as staff see it in a draft they resume (masked; the server keeps the number it holds)
const PHONE_MASKED = /^(1\d{2}\*{4}\d{4}|\*{4}[\x21-\x7e]{4})$/;

/** The delivery choice for a request body: the postal fields only when it goes by post. */
export function deliveryBody(delivery) {
  const d = { method: delivery.method };
  if (delivery.method === 'post') for (const k of POST_FIELDS) d[k] = delivery[k].trim();
  return d;
}

/**
 * The postal fields left empty, field → text ({} when nothing is missing). `phone` also checks
 * the number's form, which the single-item page does before the server does.
 */
export function missingDelivery(delivery, { phone = false } = {}) {
  const out = {};
  if (delivery.method !== 'post') return out;
  for (const [k, msg] of Object.entries(POST_NEEDS)) if (!delivery[k].trim()) out[k] = msg;
  const typed = delivery.phone.trim();
  if (phone && typed && !PHONE.test(typed) && !PHONE_MASKED.test(typed)) {
    out.phone = '请填写 11 位手机号码或带区号的固定电话';
  }
  return out;
}

/** The required slots without a file, slot number → text ({} when all are there). */
export function missingSlots(slots) {
  const out = {};
  for (const s of slots) if (s.required && !s.condition && !s.files.length) out[s.slot] = `请上传“${s.name}”`;
  return out;
}

export const isEmpty = (o) => Object.keys(o).length === 0;
