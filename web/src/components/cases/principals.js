// Whom the signed-in person may act for besides themselves: the persons who made them their
// agent (/api/v1/me/principals) and the organisations they represent or handle for. Each as
// {key: 'person:<id>' | 'org:<id>', kind, id, label, context} — context being what the item's
// form may prefill from ({name} of a person; {name, uscc, legal_representative} of an org).
// Either list failing (or being empty) leaves just 本人.
import { listOrgs, listPrincipals } from '../../api/orgs.js';

export async function actingFor() {
  const out = [];
  try {
    for (const g of await listPrincipals()) {
      // the principal's person id, as the cases API takes it in `for`
      const id = g.principal?.id || g.principal_id || g.owner_id;
      if (!id || !g.principal) continue;
      out.push({ key: `person:${id}`, kind: 'person', id,
        label: `代办：${g.principal.name}（${g.principal.id_number_masked}）`, context: { name: g.principal.name } });
    }
  } catch { /* not anyone's agent */ }
  try {
    for (const o of await listOrgs()) {
      out.push({ key: `org:${o.id}`, kind: 'org', id: o.id, label: `单位：${o.name}`,
        context: { name: o.name, uscc: o.uscc, legal_representative: o.legal_representative?.name } });
    }
  } catch { /* no organisation */ }
  return out;
}

/**
 * Whether an item serves a kind of applicant, by its service objects (GB/T 39046 A.4: 1 自然人,
 * 2–6 法人和其他组织; none stated: anyone). The server refuses the others (APPLICANT_NOT_SERVED).
 */
export function serves(objects, kind) {
  if (!Array.isArray(objects) || !objects.length) return true;
  return kind === 'org' ? objects.some((o) => o >= 2) : objects.includes(1);
}

/** Whom an application may be filed for: 本人 when `served('person')`, then those one acts for. */
export function applicantChoices(me, principals, served) {
  return [
    ...(served('person') ? [{ key: 'self', label: `本人（${me?.name || ''}）` }] : []),
    ...principals.filter((p) => served(p.kind)).map((p) => ({ key: p.key, label: p.label })),
  ];
}

/** What the form may prefill from, for whom it is filed ({person, org} as ItemForm takes it). */
export function applicantContext(me, chosen) {
  const self = me ? { name: me.name, id_number: me.id_number, mobile: me.mobile } : null;
  if (!chosen) return { person: self };
  if (chosen.kind === 'org') return { person: self, org: chosen.context };
  return { person: chosen.context };
}
