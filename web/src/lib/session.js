// Who is signed in, as far as this tab knows: the person (from login, register or GET /api/v1/me)
// and the CSRF token every POST must echo. The session cookie itself is HttpOnly and never seen
// here. Kept free of imports from api/ so that api/http.js can read the token.
import { reactive, readonly } from 'vue';

const state = reactive({
  checked: false, // GET /api/v1/me has answered once (either way)
  person: null, // { id, name, id_number_masked, mobile_masked, gender, birth_date, … } or null
  csrfToken: '',
});

export const session = readonly(state);

// Anonymous POSTs (send a code, log in, register) need a non-empty header, not a real token.
export function csrfHeader() {
  return state.csrfToken || '1';
}

/** Record a signed-in person (login, register, me). */
export function signIn(person, csrfToken) {
  state.person = person ? { ...person } : null;
  if (csrfToken) state.csrfToken = String(csrfToken);
  state.checked = true;
}

/** Forget the person (logout, or the server said 401). */
export function signOut() {
  state.person = null;
  state.csrfToken = '';
  state.checked = true;
}

let pending = null;

/** Resolves once the app knows whether someone is signed in; `check` asks the server. */
export function whenChecked(check) {
  if (state.checked) return Promise.resolve();
  if (!pending) {
    pending = Promise.resolve()
      .then(check)
      .catch(() => signOut())
      .finally(() => {
        state.checked = true;
        pending = null;
      });
  }
  return pending;
}
