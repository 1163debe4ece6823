// Where to go after signing in: ?next= when it is an address inside this site, else /account.
export function safeNext(next, fallback = '/account') {
  const v = Array.isArray(next) ? next[0] : next;
  if (typeof v !== 'string' || !v.startsWith('/') || v.startsWith('//') || v.startsWith('/\\')) return fallback;
  return v;
}
