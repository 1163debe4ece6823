/*
 * Signing keys: the table oidc_keys, the in-memory cache of parsed keys, JWKS and rotation.
 *
 * Why a cache that never frees until shutdown: a request may be verifying with a key while
 * another thread re-reads the table; keys are few and rotations rare, so a key once parsed
 * stays allocated (only its "published" flag changes) and no request ever holds a freed
 * handle. The table is re-read every 5 s (one small query; and when a token names an unknown kid), which is how
 * a rotation made by another process (`yiwang oidc rotate-keys`) reaches a running server.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oidc/internal.h"

#define MAX_KEYS 256
#define RELOAD_MS ((yw_ms)5 * 1000)
#define UNKNOWN_KID_RELOAD_MS ((yw_ms)2 * 1000)
/* a retired key outlives its last token by this much, for clocks that disagree */
#define SKEW_MS ((yw_ms)60 * 1000)

static const char *const algs[] = { "RS256", "ES256" };

static struct {
	pthread_mutex_t mu;
	yw_oidc_key *keys[MAX_KEYS];
	bool published[MAX_KEYS];
	int n;
	yw_ms loaded_at;
	char issuer[600];
	char audience[620];
} K = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* ---- issuer ------------------------------------------------------------------------------ */

static void set_issuer(const yw_config *c, int port)
{
	if (c->public_url[0])
		snprintf(K.issuer, sizeof K.issuer, "%s", c->public_url);
	else
		snprintf(K.issuer, sizeof K.issuer, "http://%s:%d", c->listen_host, port);
	snprintf(K.audience, sizeof K.audience, "%s/api", K.issuer);
}

const char *yw_oidc_issuer(const yw_app *app)
{
	pthread_mutex_lock(&K.mu);
	if (!K.issuer[0])
		set_issuer(app->config, app->config->listen_port);
	pthread_mutex_unlock(&K.mu);
	return K.issuer;
}

const char *yw_oidc_audience(const yw_app *app)
{
	yw_oidc_issuer(app);
	return K.audience;
}

int yw_oidc_ttl_s(const yw_app *app)
{
	return app->config->oidc_token_ttl_s > 0 ? app->config->oidc_token_ttl_s : 600;
}

/* ---- the table --------------------------------------------------------------------------- */

typedef struct {
	yw_keys *fk;
	yw_arena *a;
	const char *alg;
	yw_oidc_key *key;        /* made before the write */
	bool rotate;             /* retire the current key of alg first */
	yw_ms now, drop_after;
	bool created;            /* result */
} make_arg;

static yw_err make_write(yw_db *tx, void *arg)
{
	make_arg *m = arg;
	m->created = false;
	yw_rows *rows = NULL;
	yw_err e;
	if (m->rotate) {
		e = yw_db_exec(tx, "UPDATE oidc_keys SET retired_at = $1, drop_after = $2 "
		                   "WHERE alg = $3 AND retired_at IS NULL",
		               YW_PARAMS(YW_VINT(m->now), YW_VINT(m->drop_after), YW_VTEXT(m->alg)), NULL);
		if (!e)
			e = yw_db_exec(tx, "DELETE FROM oidc_keys WHERE drop_after IS NOT NULL AND drop_after < $1",
			               YW_PARAMS(YW_VINT(m->now)), NULL);
	} else {
		/* another process may have made the first key in the meantime */
		e = yw_db_query(tx, m->a, &rows, "SELECT kid FROM oidc_keys WHERE alg = $1 AND retired_at IS NULL",
		                YW_PARAMS(YW_VTEXT(m->alg)));
		if (!e && yw_rows_count(rows) > 0)
			return YW_E_OK;
	}
	if (e)
		return e;
	const char *pem = yw_oidc_key_pem(m->a, m->key);
	const char *sealed = pem ? yw_seal(m->fk, m->a, pem) : NULL;
	if (!sealed)
		return YW_E_NO_MEMORY;
	e = yw_db_exec(tx, "INSERT INTO oidc_keys (kid, alg, private_key_sealed, created_at) "
	                   "VALUES ($1, $2, $3, $4)",
	               YW_PARAMS(YW_VTEXT(m->key->kid), YW_VTEXT(m->alg), YW_VTEXT(sealed), YW_VINT(m->now)),
	               NULL);
	if (e)
		return e;
	json_t *nv = json_pack("{s:s, s:s, s:b}", "kid", m->key->kid, "alg", m->alg, "rotation", m->rotate);
	e = yw_audit_add(tx, "system", m->rotate ? "oidc.key.rotate" : "oidc.key.create", "oidc_key",
	                 m->key->kid, NULL, nv);
	m->created = e == YW_E_OK;
	return e;
}

/* Make (rotate = false: only when missing) a key of alg. */
static yw_err make_key(yw_store *s, yw_keys *fk, const char *alg, bool rotate, int ttl_s, char *kid,
                       size_t kidlen)
{
	yw_oidc_key k;
	if (yw_oidc_key_generate(alg, &k))
		return YW_E_INTERNAL;
	yw_arena *a = yw_arena_new(8192);
	if (!a) {
		yw_oidc_key_free(&k);
		return YW_E_NO_MEMORY;
	}
	yw_ms now = yw_now_ms();
	make_arg m = { fk, a, alg, &k, rotate, now, now + (yw_ms)ttl_s * 1000 + SKEW_MS, false };
	yw_err e = yw_store_write(s, make_write, &m);
	if (!e && kid)
		snprintf(kid, kidlen, "%s", k.kid);
	yw_arena_free(a);
	yw_oidc_key_free(&k);     /* the cache parses it again from the table */
	return e;
}

static int find(const char *kid)
{
	for (int i = 0; i < K.n; i++)
		if (!strcmp(K.keys[i]->kid, kid))
			return i;
	return -1;
}

/* Re-read the table into the cache. Called with K.mu held. */
static yw_err reload_locked(yw_store *s, yw_keys *fk)
{
	yw_arena *a = yw_arena_new(16384);
	if (!a)
		return YW_E_NO_MEMORY;
	yw_rows *rows = NULL;
	yw_ms now = yw_now_ms();
	yw_err e = yw_db_query(yw_store_reader(s), a, &rows,
	                       "SELECT kid, alg, private_key_sealed, created_at, retired_at, drop_after "
	                       "FROM oidc_keys ORDER BY created_at",
	                       YW_NOPARAMS);
	if (e)
		goto out;
	bool seen[MAX_KEYS] = { false };
	for (int i = 0; i < yw_rows_count(rows); i++) {
		const char *kid = yw_rows_text(rows, i, 0);
		int at = find(kid);
		if (at < 0) {
			if (K.n == MAX_KEYS)
				continue;
			const char *pem = yw_unseal(fk, a, yw_rows_text(rows, i, 2));
			yw_oidc_key *k = calloc(1, sizeof *k);
			if (!k)
				continue;
			if (!pem || yw_oidc_key_from_pem(pem, yw_rows_text(rows, i, 1), kid, k)) {
				/* sealed with another field key, or damaged: not ours to use */
				yw_log(YW_LOG_WARN, "oidc: signing key %s cannot be opened", kid);
				free(k);
				continue;
			}
			at = K.n++;
			K.keys[at] = k;
		}
		yw_oidc_key *k = K.keys[at];
		k->created_at = yw_rows_int(rows, i, 3);
		k->retired_at = yw_rows_int(rows, i, 4);
		k->drop_after = yw_rows_int(rows, i, 5);
		seen[at] = !k->drop_after || k->drop_after > now;
	}
	for (int i = 0; i < K.n; i++)
		K.published[i] = seen[i];
	K.loaded_at = now;
out:
	yw_arena_free(a);
	return e;
}

static const yw_oidc_key *current_locked(const char *alg)
{
	const yw_oidc_key *best = NULL;
	for (int i = 0; i < K.n; i++)
		if (K.published[i] && !K.keys[i]->retired_at && !strcmp(K.keys[i]->alg, alg) &&
		    (!best || K.keys[i]->created_at > best->created_at))
			best = K.keys[i];
	return best;
}

/* Make sure the cache is fresh and holds a current key of each alg. K.mu held. */
static yw_err ensure_locked(const yw_app *app, bool force)
{
	if (!app->store || !app->keys)
		return YW_E_UNAVAILABLE;
	yw_ms now = yw_now_ms();
	yw_err e = YW_E_OK;
	if (force || !K.loaded_at || now - K.loaded_at >= RELOAD_MS)
		e = reload_locked(app->store, app->keys);
	for (size_t i = 0; !e && i < 2; i++) {
		if (current_locked(algs[i]))
			continue;
		/* A current key in the table that we could not open was sealed with another field key:
		 * making a new one would not help (and would cost an RSA key generation per request). */
		yw_rows *rows = NULL;
		yw_arena *a = yw_arena_new(1024);
		if (!a)
			return YW_E_NO_MEMORY;
		e = yw_db_query(yw_store_reader(app->store), a, &rows,
		                "SELECT 1 FROM oidc_keys WHERE alg = $1 AND retired_at IS NULL",
		                YW_PARAMS(YW_VTEXT(algs[i])));
		bool unopenable = !e && yw_rows_count(rows) > 0;
		yw_arena_free(a);
		if (unopenable) {
			yw_log(YW_LOG_ERROR, "oidc: the current %s signing key cannot be opened with this field key",
			       algs[i]);
			return YW_E_CONFIG;
		}
		if (!e)
			e = make_key(app->store, app->keys, algs[i], false, yw_oidc_ttl_s(app), NULL, 0);
		if (!e)
			e = reload_locked(app->store, app->keys);
	}
	return e;
}

const yw_oidc_key *yw_oidc_signing_key(const yw_app *app, const char *alg, yw_err *e)
{
	pthread_mutex_lock(&K.mu);
	*e = ensure_locked(app, false);
	const yw_oidc_key *k = *e ? NULL : current_locked(alg);
	pthread_mutex_unlock(&K.mu);
	if (!k && !*e)
		*e = YW_E_INTERNAL;
	return k;
}

yw_jwt_verdict yw_oidc_jwt_verify(yw_req *r, const char *jwt, json_t **claims, const char **typ)
{
	const yw_oidc_key *set[MAX_KEYS];
	yw_jwt_verdict v = YW_JWT_UNKNOWN_KEY;
	for (int pass = 0; pass < 2 && v == YW_JWT_UNKNOWN_KEY; pass++) {
		int n = 0;
		pthread_mutex_lock(&K.mu);
		yw_ms now = yw_now_ms();
		bool force = pass == 1 && now - K.loaded_at >= UNKNOWN_KID_RELOAD_MS;
		if (pass == 1 && !force) {
			pthread_mutex_unlock(&K.mu);
			break;
		}
		yw_err e = ensure_locked(r->app, force);
		for (int i = 0; !e && i < K.n; i++)
			if (K.published[i])
				set[n++] = K.keys[i];
		pthread_mutex_unlock(&K.mu);
		if (e)
			return YW_JWT_UNKNOWN_KEY;
		v = yw_jwt_verify(r->arena, jwt, set, n, claims, typ);
	}
	return v;
}

json_t *yw_oidc_jwks(const yw_app *app, yw_err *e)
{
	json_t *keys = json_array();
	pthread_mutex_lock(&K.mu);
	*e = keys ? ensure_locked(app, false) : YW_E_NO_MEMORY;
	for (int i = 0; !*e && i < K.n; i++)
		if (K.published[i])
			json_array_append_new(keys, yw_oidc_key_jwk(K.keys[i]));
	pthread_mutex_unlock(&K.mu);
	if (*e) {
		json_decref(keys);
		return NULL;
	}
	return json_pack("{s:o}", "keys", keys);
}

/* ---- start, stop, rotate ----------------------------------------------------------------- */

yw_err yw_oidc_start(const yw_app *app, int port, char *err, size_t errlen)
{
	pthread_mutex_lock(&K.mu);
	set_issuer(app->config, port);
	yw_err e = ensure_locked(app, true);
	pthread_mutex_unlock(&K.mu);
	if (e)
		snprintf(err, errlen, "无法载入或生成 OIDC 签名密钥：%s", yw_err_title(e));
	return e;
}

void yw_oidc_stop(void)
{
	pthread_mutex_lock(&K.mu);
	for (int i = 0; i < K.n; i++) {
		yw_oidc_key_free(K.keys[i]);
		free(K.keys[i]);
		K.keys[i] = NULL;
	}
	K.n = 0;
	K.loaded_at = 0;
	pthread_mutex_unlock(&K.mu);
}

yw_err yw_oidc_rotate_keys(yw_store *s, yw_keys *k, const yw_config *c, char *summary, size_t len)
{
	char kids[2][40] = { "", "" };
	int ttl = c->oidc_token_ttl_s > 0 ? c->oidc_token_ttl_s : 600;
	for (size_t i = 0; i < 2; i++) {
		yw_err e = make_key(s, k, algs[i], true, ttl, kids[i], sizeof kids[i]);
		if (e)
			return e;
	}
	if (summary)
		snprintf(summary, len, "%s %s", kids[0], kids[1]);
	/* this process's cache, if it has one, sees the change on its next look */
	pthread_mutex_lock(&K.mu);
	K.loaded_at = 0;
	pthread_mutex_unlock(&K.mu);
	return YW_E_OK;
}
