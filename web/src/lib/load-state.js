// What a page or section that shows a list from the server shares: a loading flag while it is
// read, the problem when it cannot be, and a confirmation before an action that cannot be undone.
import { ref } from 'vue';
import { ElMessageBox } from 'element-plus';
import 'element-plus/es/components/message-box/style/css';
import { toProblem } from '../api/http.js';

// load() runs `read` (which stores what it got) with the flag up and the old problem gone; a
// failure becomes the problem. `loading` starts as given: true where the first paint should say
// the list is being read.
export function useLoader(read, { loading = false } = {}) {
  const state = { loading: ref(loading), problem: ref(null) };
  state.load = async () => {
    state.loading.value = true;
    state.problem.value = null;
    try {
      await read();
    } catch (err) {
      state.problem.value = toProblem(err);
    } finally {
      state.loading.value = false;
    }
  };
  return state;
}

// Runs `act` with the old problem gone and its failure put into `problem` (a ref). `working` (a
// ref, optional) holds `what` (e.g. the id of the row being changed) meanwhile, then null.
export async function attempt(problem, act, working = null, what = null) {
  problem.value = null;
  if (working) working.value = what;
  try {
    await act();
  } catch (err) {
    problem.value = toProblem(err);
  } finally {
    if (working) working.value = null;
  }
}

// Whether the person confirmed `message` in a warning box titled `title`; `verb` labels the button.
export async function confirmed(message, title, verb) {
  try {
    await ElMessageBox.confirm(message, title, { confirmButtonText: verb, cancelButtonText: '取消', type: 'warning' });
    return true;
  } catch {
    return false;
  }
}

// An el-form dialog's save: `dialog` is a reactive {saving, problem, fieldErrors}; `save` does the
// work (and closes the dialog); a refusal becomes dialog.problem, and the fields the server named
// become fieldErrors, keyed and worded by `fieldError` ({field, reason} → [key, text]).
const byField = (f) => [f.field || f.name, f.reason || f.detail];
export async function saveDialog(dialog, save, fieldError = byField) {
  dialog.saving = true;
  dialog.problem = null;
  dialog.fieldErrors = {};
  try {
    await save();
  } catch (err) {
    const p = toProblem(err);
    dialog.problem = p;
    for (const f of p.fields || []) {
      const [key, text] = fieldError(f);
      dialog.fieldErrors[key] = text;
    }
  } finally {
    dialog.saving = false;
  }
}
