// The state of one application being filled (online by the applicant, or at a window by a
// clerk): the form's values, the files of each material slot, the delivery choice; a draft made
// on the first change and saved as one goes (PATCH, debounced), and the submission under one
// Idempotency-Key that its retries reuse. ApplyPage and WindowApplyPage share it.
import { computed, nextTick, reactive, ref, watch } from 'vue';
import { formValues, prefillValue } from '../forms/form-rules.js';
import { toProblem } from '../../api/http.js';
import { createCase, saveCase, submitCase, uploadCaseMaterial } from '../../api/cases.js';
import { POST_FIELDS, deliveryBody, isEmpty, missingDelivery, missingSlots } from './application-rules.js';
import { useSubmission } from './use-submission.js';

const SAVE_DELAY = 800;

/** The slots of an item's materials, with the files a case already has in each. */
export function slotsOf(item, kase) {
  const mats = Array.isArray(item?.materials) ? item.materials : [];
  const have = new Map((kase?.materials || []).map((m) => [Number(m.slot), m.files || []]));
  return mats.map((m, i) => ({
    slot: i,
    name: m.name,
    required: m.required !== false,
    condition: m.condition || '',
    files: [...(have.get(i) || [])],
  }));
}

// `who()` gives what names the applicant in the draft: {for} or {applicant}.
export function useApplication({ who, onCreated }) {
  const item = ref(null);
  const kase = ref(null);            // the case as the server last answered it
  const values = ref({});
  const slots = ref([]);
  const delivery = reactive({ method: 'electronic', address: '', recipient: '', phone: '' });
  const status = ref('');            // '', 'saving', 'saved', 'failed'
  const submission = useSubmission();
  const { problem, errors, submitting } = submission;
  const submitted = ref(null);       // the case once submitted
  let ready = false;
  let baseline = '';
  let lastSaved = '';
  let creating = null;
  let timer = null;
  let saving = Promise.resolve();

  const caseId = computed(() => kase.value?.id || '');

  const payload = () => ({
    form: formValues(item.value?.form, values.value || {}),
    materials: slots.value.flatMap((s) => s.files.map((f) => ({ slot: s.slot, material_id: f.id }))),
    delivery: deliveryBody(delivery),
  });
  const snapshot = computed(() => JSON.stringify(payload()));

  /**
   * Start from the item (and a draft being resumed), the form prefilled from `context` ({person,
   * org}, as ItemForm takes it) here rather than by the form, so that the prefill is not taken
   * for a change: nothing is saved until the person changes something.
   */
  async function start(it, draft = null, context = null) {
    ready = false;
    item.value = it;
    kase.value = draft;
    const v = draft?.form ? { ...draft.form } : {};
    for (const f of it?.form?.fields || []) {
      const p = prefillValue(f.prefill, context);
      if (p !== undefined && (v[f.name] === undefined || v[f.name] === '')) v[f.name] = p;
    }
    values.value = v;
    slots.value = slotsOf(it, draft);
    const d = draft?.delivery || {};
    delivery.method = d.method || 'electronic';
    for (const k of POST_FIELDS) delivery[k] = d[k] || '';
    submitted.value = null;
    submission.forgetKey();
    await nextTick(); // let the form prefill what is empty
    await nextTick();
    baseline = snapshot.value;
    lastSaved = draft ? baseline : '';
    ready = true;
  }

  async function ensureDraft() {
    if (kase.value) return kase.value;
    if (!creating) {
      const body = payload();
      creating = createCase({ item_code: item.value.code, ...who(), ...body, submit: false })
        .then((c) => {
          kase.value = c;
          lastSaved = JSON.stringify(body);
          status.value = 'saved';
          onCreated?.(c);
          return c;
        })
        .finally(() => { creating = null; });
    }
    return creating;
  }

  async function saveNow() {
    clearTimeout(timer);
    timer = null;
    if (!kase.value) return;
    const now = snapshot.value;
    if (now === lastSaved) return;
    status.value = 'saving';
    saving = saving.catch(() => {}).then(async () => {
      try {
        const c = await saveCase(kase.value.id, JSON.parse(now));
        kase.value = c;
        lastSaved = now;
        status.value = 'saved';
      } catch (err) {
        status.value = 'failed';
        throw err;
      }
    });
    return saving;
  }

  watch(snapshot, (now) => {
    if (!ready || submitted.value) return;
    if (now !== baseline) submission.forgetKey(); // another body: another submission
    if (!kase.value) {
      if (now === baseline) return;
      status.value = 'saving';
      ensureDraft().then(() => saveNow().catch(() => {}), (err) => {
        status.value = 'failed';
        problem.value = toProblem(err);
      });
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => saveNow().catch(() => {}), SAVE_DELAY);
  });

  function addFile(slot, m) {
    const s = slots.value[slot];
    if (s && m && !s.files.some((f) => f.id === m.id)) s.files.push(m);
  }

  /** el-upload's http-request: the draft first, then the file into the slot. */
  async function upload(slot, file) {
    errors.slots = { ...errors.slots, [slot]: '' };
    const c = await ensureDraft();
    const s = slots.value[slot];
    const m = await uploadCaseMaterial(c.id, slot, file, s ? `${s.name}` : file.name);
    addFile(slot, m);
    return m;
  }

  function pick(slot, m) {
    errors.slots = { ...errors.slots, [slot]: '' };
    addFile(slot, m);
  }

  function remove(slot, id) {
    const s = slots.value[slot];
    if (s) s.files = s.files.filter((f) => f.id !== id);
  }

  // A refusal's fields put next to what they name: form.x / x (a form field), materials[N] or
  // a slot number, delivery.x; anything else stays in the problem shown above.
  function placeFields(p) {
    const names = new Set((item.value?.form?.fields || []).map((f) => f.name));
    for (const f of p.fields || []) {
      const field = String(f.field ?? f.name ?? '');
      const why = String(f.reason ?? f.detail ?? '');
      let m;
      if ((m = /^materials?\D*(\d+)/.exec(field)) || (m = /^slot\D*(\d+)/.exec(field))) {
        errors.slots = { ...errors.slots, [Number(m[1])]: why || '请上传此项材料' };
      } else if ((m = /^delivery\.?(\w*)/.exec(field))) {
        errors.delivery = { ...errors.delivery, [m[1] || 'method']: why };
      } else {
        const name = field.replace(/^form[.[]/, '').replace(/[\]"']/g, '');
        if (names.has(name)) errors.form = { ...errors.form, [name]: why };
      }
    }
  }

  /** What the page can see missing before asking the server. */
  function localProblems() {
    const slotsMissing = missingSlots(slots.value);
    const deliveryMissing = missingDelivery(delivery, { phone: true });
    errors.slots = { ...errors.slots, ...slotsMissing };
    errors.delivery = { ...errors.delivery, ...deliveryMissing };
    return !isEmpty(slotsMissing) || !isEmpty(deliveryMissing);
  }

  /** Validate, save what is pending, and submit; a network failure keeps the key for the retry. */
  function submit(formRef) {
    return submission.submit({
      check: async () => {
        const formOk = formRef ? await formRef.validate() : true;
        const bad = localProblems();
        return formOk && !bad;
      },
      send: async (takeKey) => {
        const c = await ensureDraft();
        await saveNow();
        const done = await submitCase(c.id, takeKey());
        submitted.value = done;
        kase.value = done;
        return done;
      },
      place: placeFields,
    });
  }

  return {
    item, kase, caseId, values, slots, delivery, status, problem, errors, submitting, submitted,
    start, ensureDraft, saveNow, upload, pick, remove, submit, placeFields,
  };
}
