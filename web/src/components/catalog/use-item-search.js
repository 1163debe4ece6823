// A remote item picker's search (el-select remote-method): published items by name or code, the
// latest answer only (a slower earlier one is dropped), with extra filters such as a division and
// a test an item must pass to be offered (`keep`).
import { ref } from 'vue';
import { searchItems } from '../../api/catalog.js';

export function useItemSearch(filters = () => ({}), keep = () => true) {
  const found = ref([]);
  const searching = ref(false);
  let seq = 0;
  async function find(q) {
    const mine = ++seq;
    const text = String(q || '').trim();
    if (!text) { found.value = []; return; }
    searching.value = true;
    try {
      const r = await searchItems({ q: text, limit: 20, ...filters() });
      if (mine === seq) found.value = r.items.filter(keep);
    } catch {
      if (mine === seq) found.value = [];
    } finally {
      if (mine === seq) searching.value = false;
    }
  }
  return { found, searching, find };
}

/** An item as a picker names it: items of the same name are told apart by their department. */
export const itemLabel = (it) => (it.department?.name ? `${it.name}（${it.department.name}）` : it.name);
