// The one submit path of a form on the page: the old problem goes, the el-form validates (a field
// in error stops here, marked by the form itself), the button shows progress, and a refusal
// becomes the problem shown above the form. onProblem (if given) may act on it, e.g. send the
// person back a step when a ticket has lapsed.
import { toProblem } from '../api/http.js';

// problem and busy are the page's refs; notice (optional) is an announcement such as "验证码已
// 发送" that stays while the fields are being fixed and goes once the form is sent.
export function useFormSubmit(problem, busy, notice = null) {
  return async function submitForm(form, call, onProblem) {
    problem.value = null;
    if (form && !(await form.validate().then(() => true, () => false))) return;
    if (notice) notice.value = null;
    busy.value = true;
    try {
      await call();
    } catch (err) {
      problem.value = toProblem(err);
      onProblem?.(problem.value, err);
    } finally {
      busy.value = false;
    }
  };
}
