// What every form with an SMS code shares (login, registration, recovery): the mobile field is
// checked before a code is requested, a sent code is announced, and a refused request replaces
// the announcement. The form keeps its own problem and notice refs; this wires the code button
// (SmsCodeButton's before-send, @sent and @problem) to them.
export function useSmsCodeForm(formRef, problem, notice) {
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

  return { mobileOk, onSent, onCodeProblem };
}
