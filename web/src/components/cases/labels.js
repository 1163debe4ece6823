// Words the case pages share: states, transitions, urgency, delivery methods, notices, dates.
// The server sends state_name and action_name too; these are for filters and buttons.

export const STATES = [
  { value: 'draft', label: '草稿' },
  { value: 'submitted', label: '已提交' },
  { value: 'pre_review', label: '预审中' },
  { value: 'supplement', label: '待补正' },
  { value: 'not_accepted', label: '不予受理' },
  { value: 'accepted', label: '已受理' },
  { value: 'review', label: '审查中' },
  { value: 'suspended', label: '中止' },
  { value: 'decided', label: '已决定' },
  { value: 'result_made', label: '已制证' },
  { value: 'delivered', label: '已送达' },
  { value: 'completed', label: '办结' },
  { value: 'withdrawn', label: '已撤回' },
  { value: 'terminated', label: '已终止' },
];
export const STATE_NAME = Object.fromEntries(STATES.map((s) => [s.value, s.label]));

const FINAL = new Set(['not_accepted', 'completed', 'withdrawn', 'terminated']);
/** Whether a case in this state has ended (its clock no longer runs). */
export const isFinal = (state) => FINAL.has(state);
/** The tag colour of a state: asked of the applicant → danger/warning, final → info, else primary. */
export function stateTagType(state) {
  if (state === 'supplement') return 'danger';
  if (state === 'delivered') return 'warning';
  if (state === 'completed') return 'success';
  if (FINAL.has(state) || state === 'draft') return 'info';
  return 'primary';
}

export const ACTION_NAME = {
  claim: '认领预审',
  accept: '受理',
  reject: '不予受理',
  request_supplement: '一次性告知补正',
  resubmit: '重新提交',
  suspend: '中止',
  resume: '恢复',
  extend: '延期',
  decide: '作出决定',
  make_result: '制作结果',
  deliver: '送达',
  complete: '办结',
  withdraw: '撤回申请',
  terminate: '终止',
};

export const URGENCY = {
  red: { label: '已超期', tag: 'danger' },
  yellow: { label: '临近到期', tag: 'warning' },
  green: { label: '正常', tag: 'success' },
  none: { label: '无时限', tag: 'info' },
};

export const CHANNELS = [
  { value: 'online', label: '网上申请' },
  { value: 'window', label: '窗口申请' },
];
export const CHANNEL_NAME = Object.fromEntries(CHANNELS.map((c) => [c.value, c.label]));

export const DELIVERY = [
  { value: 'pickup', label: '窗口领取' },
  { value: 'post', label: '邮寄' },
  { value: 'electronic', label: '电子送达' },
];
export const DELIVERY_NAME = Object.fromEntries(DELIVERY.map((d) => [d.value, d.label]));

export const NOTICE_TITLE = {
  accept: '受理通知书',
  reject: '不予受理决定书',
  supplement: '补正材料通知书',
  approve: '准予许可决定书',
  deny: '不予许可决定书',
};

// Whether the case's item is a 行政许可: 事项类型 01 in its basic code (the last 12 characters of
// the implementation code: SS TT MMMMM sss). Other items (户口迁移 is a 行政确认) are granted or
// refused 办理, and their decision notices say so, as the server's do.
export const isLicence = (kase) => (kase?.item_code || '').slice(-10, -8) === '01';
export const noticeTitle = (name, kase) => (isLicence(kase) ? NOTICE_TITLE[name]
  : { approve: '准予办理决定书', deny: '不予办理决定书' }[name] || NOTICE_TITLE[name]) || name;
export const decisionText = (decision, kase) => (decision === 'approve' ? '准予' : '不予') + (isLicence(kase) ? '许可' : '办理');

export const TASK_STATE = {
  open: '办理中',
  approved: '通过',
  denied: '不通过',
  closed: '已关闭',
  done: '已完成',
};
export const taskTagType = (s) => ({ open: 'primary', approved: 'success', denied: 'danger', closed: 'info', done: 'success' })[s] || 'info';

export const STAGE_NAME = {
  pre_review: '预审',
  accept: '受理',
  review: '审查',
  decide: '决定',
  make_license: '制证',
  deliver: '送达',
};

const fmt = (opts) => new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', ...opts });
const dateFmt = fmt({ year: 'numeric', month: 'long', day: 'numeric' });
const timeFmt = fmt({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false });

/** epoch ms → "2026年11月30日" */
export const msDay = (ms) => (ms ? dateFmt.format(new Date(ms)) : '');
/** epoch ms → "2026/11/30 14:05" */
export const msTime = (ms) => (ms ? timeFmt.format(new Date(ms)) : '');
/** "2026-11-30" → "2026年11月30日" */
export function dayText(d) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(d || ''));
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : '';
}

/** "剩 3 个工作日" / "今日到期" / "超期 2 个工作日" / "" (no due day) */
export function daysLeftText(left, paused = false) {
  if (paused) return '已暂停计时';
  if (left === null || left === undefined) return '';
  if (left > 0) return `剩 ${left} 个工作日`;
  if (left === 0) return '今日到期';
  return `超期 ${-left} 个工作日`;
}

/** What happens next after a state, for the applicant. */
export function nextStepText(c) {
  switch (c?.state) {
    case 'submitted':
    case 'pre_review':
      return `${c.department?.name || '办理部门'}将在 5 个工作日内进行预审：材料齐全的予以受理；需要补正的，将一次性告知您需要补正的全部内容。请留意短信和“我的办件”。`;
    case 'supplement':
      return '请按补正清单补齐材料后重新提交。补正期间不计算办理时限。';
    case 'accepted':
    case 'review':
      return '申请已受理，正在审查。请留意办理时限和审查进度。';
    case 'suspended':
      return '办理已中止，中止期间不计算办理时限。';
    case 'decided':
      return '已作出决定，正在制作办理结果。';
    case 'result_made':
      return c.delivery?.method === 'pickup'
        ? `办理结果已制作完成，请申请人本人（或代为申请的代理人）持身份证到${c.department?.name || '办理部门'}的出件窗口领取。`
        : '办理结果已制作完成，正在送达。';
    case 'delivered':
      return '办理结果已送达，请确认收件。';
    default:
      return '';
  }
}

/** A delivery as recorded: "2026/11/30 14:05 邮寄，邮件号 SF1234567890". */
export function deliveryRecordText(rec) {
  if (!rec) return '';
  const how = DELIVERY_NAME[rec.method] || rec.method || '';
  return [msTime(rec.at), how].filter(Boolean).join(' ') + (rec.tracking_number ? `，邮件号 ${rec.tracking_number}` : '');
}
