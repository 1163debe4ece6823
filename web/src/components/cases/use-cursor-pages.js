// A list read a page at a time by cursor (the staff inbox, 办件查询): this page's rows, the
// cursors of the pages before it (to go back to the first), the next page's cursor, and a
// search that starts again from the first page and keeps its filters in the URL, so that a
// reload or a shared link shows the same list. Only the latest answer is shown.
import { ref } from 'vue';
import { toProblem } from '../../api/http.js';

// fetchPage(cursor) → {items, nextCursor, …}; params() → the filters, as the URL keeps them.
export function useCursorPages({ fetchPage, params, router, onPage = () => {} }) {
  const rows = ref([]);
  const loading = ref(false);
  const problem = ref(null);
  const cursors = ref([]);   // the cursors of the pages before this one
  const cursor = ref('');    // this page's
  const nextCursor = ref(null);
  let seq = 0;

  async function load() {
    const mine = ++seq;
    loading.value = true;
    problem.value = null;
    try {
      const page = await fetchPage(cursor.value || undefined);
      if (mine !== seq) return;
      rows.value = page.items;
      nextCursor.value = page.nextCursor;
      onPage(page);
    } catch (err) {
      if (mine === seq) {
        problem.value = toProblem(err);
        rows.value = [];
      }
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  function firstPage() {
    cursors.value = [];
    cursor.value = '';
    return load();
  }

  function search() {
    router.replace({ query: Object.fromEntries(Object.entries(params()).filter(([, v]) => v)) });
    return firstPage();
  }

  function nextPage() {
    cursors.value.push(cursor.value);
    cursor.value = nextCursor.value;
    return load();
  }

  return { rows, loading, problem, cursors, nextCursor, load, search, firstPage, nextPage };
}
