// What every form with an SMS code shares (login, registration, recovery): the mobile field is
// checked before a code is requested, a sent code is announced, a refused request replaces the
// announcement, and submitting validates, shows progress and turns a failure into the problem
// shown (lib/form-submit.js). The page keeps its own problem, notice and busy refs; this wires
// them up.
import { useFormSubmit } from './form-submit.js';

export function useSmsCodeForm(formRef, problem, notice, busy) {
  async function mobileOk() {
    try {
      await formRef.value.validateField('mobile');
      return true;
    } catch {
      return false;
    }
  }

  function onSent(answer) {
    const minutes = Math.round((answer?.expires_in || 300) / 60);
    notice.value = { title: '验证码已发送', detail: `请查看手机短信，验证码 ${minutes} 分钟内有效。`, code: 'SENT' };
  }

  function onCodeProblem(p) {
    if (p) notice.value = null;
    problem.value = p;
  }

  return { mobileOk, onSent, onCodeProblem, submitForm: useFormSubmit(problem, busy, notice) };
}
