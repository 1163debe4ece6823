/*
 * Personal numbers in a case (R-CASE-050): the values of the form's id_number and mobile fields
 * and the delivery's phone are stored sealed (yw_seal, "v1.…") and shown in full only to the
 * applicant's side; staff and department systems see them masked. Every path that stores a form
 * or a delivery goes through yw_case_pii_seal, every path that returns one through
 * yw_case_pii_show, so the rule lives here and nowhere else.
 *
 * The definition says which members are numbers. Showing does not trust it alone: a value that
 * unseals was a number when it was stored (a later item version may have retyped the field), so
 * it is masked like one; a value of a number field still in clear (stored before this rule) is
 * shown as a number too, and without a definition (a theme's parent) so is any value that reads
 * as an ID or a mobile number.
 */
#include <string.h>

#include "cases/internal.h"

/* Whether member `name` of the form is a personal number under definition def. */
static bool is_number_field(const json_t *def, const char *name)
{
	json_t *fields = json_object_get(def, "fields");
	for (size_t i = 0; i < json_array_size(fields); i++) {
		json_t *f = json_array_get(fields, i);
		if (!yw_str_eq(json_string_value(json_object_get(f, "name")), name))
			continue;
		const char *t = json_string_value(json_object_get(f, "type"));
		return yw_str_eq(t, "id_number") || yw_str_eq(t, "mobile");
	}
	return false;
}

json_t *yw_case_delivery_def(yw_arena *a)
{
	return yw_arena_json(a, json_pack("{s:[{s:s, s:s}]}", "fields", "name", "phone", "type",
	                                  "mobile"));
}

/* What staff see of a number: the masks of base for a valid ID or mobile; of anything else (a
 * landline, a half-typed draft) only the last four characters, when they are plain ASCII. */
static const char *mask_any(yw_arena *a, const char *s)
{
	char id18[19], m11[12], out[19];
	if (strlen(s) <= 32 && !yw_id_check(s, id18)) {
		yw_mask_id(id18, out);
		return yw_strdup(a, out);
	}
	if (strlen(s) <= 16 && !yw_mobile_check(s, m11)) {
		yw_mask_mobile(m11, out);
		return yw_strdup(a, out);
	}
	size_t n = strlen(s);
	bool tail = n > 6;
	for (size_t i = n > 4 ? n - 4 : 0; tail && i < n; i++)
		tail = (unsigned char)s[i] > 0x20 && (unsigned char)s[i] < 0x7f;
	return tail ? yw_sprintf(a, "****%s", s + n - 4) : "****";
}

/* Without a definition (a theme's parent case has no item), whatever reads as an ID or a mobile
 * number is taken for one. */
static bool looks_like_number(const json_t *v)
{
	char id18[19], m11[12];
	const char *s = json_string_value(v);
	return s && strlen(s) <= 32 && (!yw_id_check(s, id18) || (strlen(s) <= 16 && !yw_mobile_check(s, m11)));
}

static bool is_sealed(const char *s)
{
	return yw_str_has_prefix(s, "v1.");
}

/* The clear text of one stored value: *clear NULL when it was sealed but does not open. */
static bool open_value(yw_req *r, const json_t *v, bool number, const char **clear)
{
	*clear = NULL;
	if (!json_is_string(v))
		return false;
	const char *s = json_string_value(v);
	if (is_sealed(s)) {
		*clear = yw_unseal(r->app->keys, r->arena, s);
		return *clear || number;
	}
	*clear = s;
	return number;
}

json_t *yw_case_pii_show(yw_req *r, const json_t *def, const json_t *values, bool full)
{
	if (!json_is_object(values))
		return yw_arena_json(r->arena, json_deep_copy(values));
	json_t *out = yw_arena_json(r->arena, json_deep_copy(values));
	if (!out)
		return NULL;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)values, k, v) {
		const char *clear;
		bool number = def ? is_number_field(def, k) : looks_like_number(v);
		if (!open_value(r, v, number, &clear))
			continue;      /* not a number: shown as stored */
		json_object_set_new(out, k, !clear ? json_null()
		                            : json_string(full || !clear[0] ? clear : mask_any(r->arena, clear)));
	}
	return out;
}

bool yw_case_pii_full(yw_req *r, const yw_case_row *c)
{
	/* The applicant's side: the applicant, or a person acting for them (an agent, an
	 * organisation's handler). A clerk — even one filing at the window — and a department
	 * system see the masks. */
	if (!yw_str_eq(r->principal.kind, "person"))
		return false;
	yw_object o = yw_case_object(c);
	return yw_authz_allows(r, YW_ACT_CASE_READ, &o);
}

json_t *yw_case_pii_seal(yw_req *r, const json_t *def, const json_t *values, const json_t *stored)
{
	if (!json_is_object(values))
		return yw_arena_json(r->arena, json_deep_copy(values));
	json_t *out = yw_arena_json(r->arena, json_deep_copy(values));
	if (!out)
		return NULL;
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)values, k, v) {
		if (!is_number_field(def, k) || json_is_null(v) ||
		    (json_is_string(v) && !json_string_value(v)[0]) ||
		    (json_is_array(v) && !json_array_size(v)))
			continue;     /* not a number, or nothing filled */
		/* A draft is not checked yet: a number typed as a JSON number (or anything else) is
		 * sealed as its JSON text, rather than left in clear; submit refuses it if wrong. */
		const char *text = json_is_string(v) ? json_string_value(v)
		                                     : yw_json_dump(r->arena, v, NULL);
		/* The mask of the stored value sent back (a clerk's form reloaded) means "unchanged". */
		const char *old;
		if (stored && json_is_string(v) && strchr(text, '*') &&
		    open_value(r, json_object_get(stored, k), true, &old) && old && old[0] &&
		    yw_str_eq(mask_any(r->arena, old), text))
			text = old;
		const char *s = text ? yw_seal(r->app->keys, r->arena, text) : NULL;
		if (!s)
			return NULL;
		json_object_set_new(out, k, json_string(s));
	}
	return out;
}
