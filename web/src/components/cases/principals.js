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
