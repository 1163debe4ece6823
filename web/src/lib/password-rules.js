// The el-form rules of a password being set: the new one against its policy, then the same
// typed again. Every page that sets a password uses these, so the messages read the same.

// `model.confirm` must equal `model.password`; `required` is the message for an empty field.
export function confirmRules(model, required = '请再次输入新密码') {
  return [
    { required: true, message: required, trigger: 'blur' },
    { trigger: 'blur', validator: (_r, v, done) => done(v === model.password ? undefined : new Error('两次输入的密码不一致')) },
  ];
}

// `problemOf(password)` answers why a password is refused, or '' when it is fine.
export function policyRule(problemOf) {
  return {
    trigger: 'blur',
    validator: (_r, v, done) => {
      const why = problemOf(v || '');
      done(why ? new Error(why) : undefined);
    },
  };
}
