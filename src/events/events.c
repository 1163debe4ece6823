/*
 * The event types, the outbox writes of yw_events_emit, and the pure rules the delivery thread
 * and the routes share: the retry schedule, which URLs may be subscribed, and the signature.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "events/events.h"
#include "store/store.h"

const char *const yw_event_types[] = {
	"case.submitted", "case.accepted", "case.not_accepted", "case.supplement_requested",
	"case.resubmitted", "case.suspended", "case.resumed", "case.extended", "case.task_done",
	"case.decided", "case.result_made", "case.delivered", "case.completed", "case.withdrawn",
	"case.terminated",
};
const size_t yw_event_types_n = sizeof yw_event_types / sizeof yw_event_types[0];

bool yw_event_type_known(const char *type)
{
	for (size_t i = 0; type && i < yw_event_types_n; i++)
		if (!strcmp(yw_event_types[i], type))
			return true;
	return false;
}

/* ---- the retry schedule ------------------------------------------------------------------ */

static yw_ms retry_base = 30000;

void yw_events_set_retry_base_ms(yw_ms base)
{
	retry_base = base > 0 ? base : 30000;
}

yw_ms yw_events_retry_base_ms(void)
{
	return retry_base;
}

yw_ms yw_events_backoff_ms(int attempts, yw_ms base)
{
	if (base <= 0)
		base = 1;
	yw_ms d = base;
	/* doubling stops at the cap, so that no shift can overflow */
	for (int i = 1; i < attempts && d < YW_EVENTS_MAX_DELAY_MS; i++)
		d *= 2;
	return d < YW_EVENTS_MAX_DELAY_MS ? d : YW_EVENTS_MAX_DELAY_MS;
}

/* ---- subscription URLs ------------------------------------------------------------------- */

/* The host as curl will understand it, so that what is checked is what will be connected to. */
static bool curl_sees_host(const char *url)
{
	CURLU *u = curl_url();
	char *host = NULL, *scheme = NULL, *port = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	          curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	          curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host && *host &&
	          (!strcmp(scheme, "http") || !strcmp(scheme, "https"));
	/* A port given must be one a connection can reach: 1 to 65535 (curl parses 0 as well). */
	if (ok && curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK && port)
		ok = strtol(port, NULL, 10) >= 1;
	curl_free(port);
	curl_free(host);
	curl_free(scheme);
	curl_url_cleanup(u);
	return ok;
}

const char *yw_webhook_url_problem(const char *url)
{
	if (!url || !*url)
		return "必填";
	size_t n = strlen(url);
	if (n > YW_WEBHOOK_URL_MAX)
		return "网址不能超过 2000 个字符";
	size_t skip;
	if (!strncasecmp(url, "https://", 8))
		skip = 8;
	else if (!strncasecmp(url, "http://", 7))
		skip = 7;
	else
		return "应以 http:// 或 https:// 开头";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)url[i] <= 0x20 || url[i] == 0x7f)
			return "网址中不能有空格或控制字符";
	if (strchr(url, '#'))
		return "网址中不能有片段（#）";
	size_t auth = strcspn(url + skip, "/?");
	if (auth == 0)
		return "网址缺少主机名";
	/* a password in the URL would be shown in every list of subscriptions */
	if (memchr(url + skip, '@', auth))
		return "网址中不能含用户名或密码";
	if (!curl_sees_host(url))
		return "网址格式不正确";
	return NULL;
}

/* ---- the signature ----------------------------------------------------------------------- */

bool yw_events_signature(const char *secret, long long ts, const char *body, size_t len, char out[68])
{
	char prefix[32];
	int pn = snprintf(prefix, sizeof prefix, "%lld.", ts);
	unsigned char mac[32];
	size_t maclen = 0;
	bool ok = false;
	EVP_MAC *m = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = m ? EVP_MAC_CTX_new(m) : NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_end(),
	};
	if (ctx && EVP_MAC_init(ctx, (const unsigned char *)secret, strlen(secret), params) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)prefix, (size_t)pn) == 1 &&
	    EVP_MAC_update(ctx, (const unsigned char *)body, len) == 1 &&
	    EVP_MAC_final(ctx, mac, &maclen, sizeof mac) == 1 && maclen == sizeof mac) {
		static const char hex[] = "0123456789abcdef";
		memcpy(out, "v1=", 3);
		for (size_t i = 0; i < maclen; i++) {
			out[3 + 2 * i] = hex[mac[i] >> 4];
			out[3 + 2 * i + 1] = hex[mac[i] & 15];
		}
		out[3 + 2 * maclen] = '\0';
		ok = true;
	}
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(m);
	return ok;
}

/* ---- the outbox -------------------------------------------------------------------------- */

/* Whether a subscription's stored list (a JSON array) names type or "*". The SQL narrows with
 * LIKE; this decides, because '_' in a type is a LIKE wildcard. */
static bool wants(const char *events, const char *type)
{
	json_t *list = events ? json_loads(events, 0, NULL) : NULL;
	bool yes = false;
	size_t i;
	json_t *v;
	json_array_foreach(list, i, v) {
		const char *s = json_string_value(v);
		if (s && (!strcmp(s, "*") || !strcmp(s, type)))
			yes = true;
	}
	json_decref(list);
	return yes;
}

static yw_err emit(yw_db *tx, yw_arena *a, const char *type, const char *department_id,
                   json_t *data, bool named_only)
{
	if (!yw_event_type_known(type)) {
		yw_log(YW_LOG_ERROR, "events: emit of unknown type %s", type ? type : "(null)");
		return YW_E_INTERNAL;
	}
	yw_rows *rows = NULL;
	yw_err e = yw_db_query(tx, a, &rows,
	                       named_only
	                       ? "SELECT id, events FROM webhook_subscriptions WHERE active = 1 "
	                         "AND department_id = $1 AND (events LIKE '%\"*\"%' OR events LIKE $2)"
	                       : "SELECT id, events FROM webhook_subscriptions WHERE active = 1 "
	                         "AND (department_id IS NULL OR department_id = $1) "
	                         "AND (events LIKE '%\"*\"%' OR events LIKE $2)",
	                       YW_PARAMS(YW_VTEXT(department_id),
	                                 YW_VTEXT(yw_sprintf(a, "%%\"%s\"%%", type))));
	if (e || yw_rows_count(rows) == 0)
		return e;
	yw_ms now = yw_now_ms();
	for (int i = 0; i < yw_rows_count(rows); i++) {
		if (!wants(yw_rows_text(rows, i, 1), type))
			continue;
		/* A fresh id per row, made inside the write: if the write runs again its rows are
		 * gone with it, and nobody outside has seen an id yet. */
		const char *rnd = yw_random_token(a, 12);
		const char *id = rnd ? yw_sprintf(a, "ev_%s", rnd) : NULL;
		json_t *body = yw_arena_json(a, json_pack("{s:s, s:s, s:I, s:s?, s:O?}", "id", id, "type", type,
		                                          "created_at", (json_int_t)now, "department_id",
		                                          department_id, "data", data));
		size_t len = 0;
		const char *text = body ? yw_json_dump(a, body, &len) : NULL;
		if (!id || !text)
			return YW_E_NO_MEMORY;
		e = yw_db_exec(tx, "INSERT INTO event_outbox (id, subscription_id, event_type, body, state, "
		                   "attempts, next_at, created_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5)",
		               YW_PARAMS(YW_VTEXT(id), YW_VTEXT(yw_rows_text(rows, i, 0)), YW_VTEXT(type),
		                         YW_VTEXT(text), YW_VINT(now)),
		               NULL);
		if (e)
			return e;
	}
	return YW_E_OK;
}

yw_err yw_events_emit(yw_db *tx, yw_arena *a, const char *type, const char *department_id,
                      json_t *data)
{
	return emit(tx, a, type, department_id, data, false);
}

yw_err yw_events_emit_also(yw_db *tx, yw_arena *a, const char *type, const char *department_id,
                           json_t *data)
{
	return department_id ? emit(tx, a, type, department_id, data, true) : YW_E_OK;
}
