// The applicant's own material space (我的材料): files uploaded once and picked again for the
// next application. The server checks each file's content against the four types it takes.
import { deleteJSON, getJSON, postBytes } from './http.js';

const enc = encodeURIComponent;

export const ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png,application/ofd';
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

const BY_EXT = { pdf: 'application/pdf', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', ofd: 'application/ofd' };

/** The type a file is sent as: what the browser says, else what its name suggests. */
export function uploadType(file) {
  if (file.type && file.type !== 'application/octet-stream') return file.type;
  const ext = String(file.name || '').split('.').pop().toLowerCase();
  return BY_EXT[ext] || 'application/octet-stream';
}

/** `owner`: '' for oneself, or 'person:<id>' / 'org:<id>' for someone one acts for. */
export async function listMaterials(owner = '', opts) {
  const b = await getJSON('/api/v1/materials', owner ? { for: owner } : null, opts);
  return Array.isArray(b.items) ? b.items : [];
}

export async function uploadMaterial(file, title, owner = '') {
  const b = await postBytes('/api/v1/materials', { title: title || file.name, for: owner || undefined }, file, uploadType(file));
  return b && b.material ? b.material : b;
}

export function deleteMaterial(id) {
  return deleteJSON(`/api/v1/materials/${enc(id)}`);
}

export const materialContentUrl = (id) => `/api/v1/materials/${enc(id)}/content`;

/** "1.2 MB" */
export function sizeText(n) {
  if (!(n >= 0)) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

export const TYPE_NAME = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG', 'application/ofd': 'OFD' };
