// Submitting an application once: the page's own checks first (what is missing is marked next to
// it and the request is not sent), then one request under an Idempotency-Key. A retry after a
// network failure or a 5xx reuses the key, so the server answers with the case it already made
// instead of making another; a refusal (4xx) drops it, as the next attempt sends another body.
// The refusal's fields are put next to what they name by the page's `place`. use-application.js
// (one item) and ThemeApplyPage (a theme) share it.
import { reactive, ref } from 'vue';
import { toProblem } from '../../api/http.js';
import { newIdempotencyKey } from '../../api/cases.js';

export function useSubmission() {
  const problem = ref(null);
  const errors = reactive({ form: {}, slots: {}, delivery: {} });
  const submitting = ref(false);
  let key = '';

  function clearErrors() {
    errors.form = {};
    errors.slots = {};
    errors.delivery = {};
  }

  /** Another body is another submission: the next one gets a new key. */
  function forgetKey() {
    key = '';
  }

  /**
   * `check()` resolves true when the page sees nothing missing (marking errors as it goes);
   * `send(takeKey)` makes the request, taking the key when it needs it; `place(problem)` puts a
   * refusal's fields. Resolves to what `send` resolved to, or null when it did not go through.
   */
  async function submit({ check, send, place }) {
    problem.value = null;
    clearErrors();
    if (!(await check())) {
      problem.value = { title: '请补全标红的内容后再提交', detail: '', code: 'CLIENT' };
      return null;
    }
    submitting.value = true;
    try {
      return await send(() => {
        if (!key) key = newIdempotencyKey();
        return key;
      });
    } catch (err) {
      const p = toProblem(err);
      problem.value = p;
      place(p);
      if (p.code !== 'NETWORK' && p.status < 500) key = '';
      return null;
    } finally {
      submitting.value = false;
    }
  }

  return { problem, errors, submitting, submit, clearErrors, forgetKey };
}
