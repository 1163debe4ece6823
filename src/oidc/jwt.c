/*
 * The pure parts of the provider: JWS signing and verification (RS256, ES256) with
 * OpenSSL 3 EVP, JWK export, PKCE S256 and the redirect-URI rules. No database, no globals, so
 * tests/unit/test_oidc.c drives all of it directly.
 */
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include "oidc/oidc.h"

/* ---- PKCE -------------------------------------------------------------------------------- */

bool yw_oidc_pkce_verifier_ok(const char *v)
{
	size_t n = v ? strlen(v) : 0;
	if (n < 43 || n > 128)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)v[i];
		if (!yw_b64url_char((char)c) && c != '.' && c != '~')
			return false;
	}
	return true;
}

void yw_oidc_pkce_s256(const char *verifier, char out[44])
{
	unsigned char md[32];
	unsigned int len = 0;
	EVP_Digest(verifier, strlen(verifier), md, &len, EVP_sha256(), NULL);
	yw_b64url_encode_to(md, sizeof md, out);
}

bool yw_oidc_pkce_check(const char *verifier, const char *challenge)
{
	if (!yw_oidc_pkce_verifier_ok(verifier) || !challenge || strlen(challenge) != 43)
		return false;
	char s[44];
	yw_oidc_pkce_s256(verifier, s);
	return CRYPTO_memcmp(s, challenge, 43) == 0;
}

/* ---- redirect URIs ----------------------------------------------------------------------- */

const char *yw_oidc_redirect_uri_problem(const char *uri)
{
	if (!uri || !*uri)
		return "回调地址不能为空";
	size_t n = strlen(uri);
	if (n > 2000)
		return "回调地址不能超过 2000 个字符";
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)uri[i] <= 0x20 || uri[i] == 0x7f)
			return "回调地址不能含空格或控制字符";
	if (strchr(uri, '#'))
		return "回调地址不能含片段（#）";
	bool https = yw_str_has_prefix(uri, "https://");
	if (!https && !yw_str_has_prefix(uri, "http://"))
		return "回调地址应为以 https:// 开头的绝对地址";
	const char *host = uri + (https ? 8 : 7);
	size_t hlen = strcspn(host, "/?");
	if (memchr(host, '@', hlen))
		return "回调地址不能含用户信息（@）";
	/* the host without its port; an IPv6 literal keeps its brackets */
	size_t name_len = hlen;
	if (host[0] == '[') {
		const char *close = memchr(host, ']', hlen);
		if (!close)
			return "回调地址的主机名不正确";
		name_len = (size_t)(close - host) + 1;
	} else {
		const char *colon = memchr(host, ':', hlen);
		if (colon)
			name_len = (size_t)(colon - host);
	}
	if (name_len == 0)
		return "回调地址缺少主机名";
	if (!https) {
		/* plain http only where the traffic never leaves the machine (RFC 8252 §7.3) */
		static const char *const loopback[] = { "localhost", "127.0.0.1", "[::1]" };
		bool ok = false;
		for (size_t i = 0; i < 3; i++)
			ok |= name_len == strlen(loopback[i]) && !strncmp(host, loopback[i], name_len);
		if (!ok)
			return "回调地址须使用 https（仅本机回环地址可用 http）";
	}
	return NULL;
}

bool yw_oidc_redirect_uri_listed(const char *uri, const json_t *registered)
{
	size_t i;
	json_t *v;
	if (!uri)
		return false;
	json_array_foreach(registered, i, v)
		if (json_is_string(v) && !strcmp(json_string_value(v), uri))
			return true;
	return false;
}

/* ---- keys -------------------------------------------------------------------------------- */

static bool is_rs(const char *alg) { return !strcmp(alg, "RS256"); }
static bool is_es(const char *alg) { return !strcmp(alg, "ES256"); }

int yw_oidc_key_generate(const char *alg, yw_oidc_key *out)
{
	memset(out, 0, sizeof(*out));
	if (!is_rs(alg) && !is_es(alg))
		return -1;
	unsigned char rnd[8];
	if (RAND_bytes(rnd, sizeof rnd) != 1)
		return -1;
	char hex[17];
	for (int i = 0; i < 8; i++)
		snprintf(hex + 2 * i, 3, "%02x", rnd[i]);
	snprintf(out->kid, sizeof out->kid, "%s-%s", alg, hex);
	snprintf(out->alg, sizeof out->alg, "%s", alg);
	out->pkey = is_rs(alg) ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048)
	                       : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	return out->pkey ? 0 : -1;
}

char *yw_oidc_key_pem(yw_arena *a, const yw_oidc_key *k)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *out = NULL;
	if (b && PEM_write_bio_PrivateKey(b, k->pkey, NULL, NULL, 0, NULL, NULL) == 1) {
		char *p = NULL;
		long n = BIO_get_mem_data(b, &p);
		if (n > 0)
			out = yw_strndup(a, p, (size_t)n);
	}
	BIO_free(b);
	return out;
}

int yw_oidc_key_from_pem(const char *pem, const char *alg, const char *kid, yw_oidc_key *out)
{
	memset(out, 0, sizeof(*out));
	if ((!is_rs(alg) && !is_es(alg)) || strlen(kid) >= sizeof out->kid)
		return -1;
	BIO *b = BIO_new_mem_buf(pem, -1);
	out->pkey = b ? PEM_read_bio_PrivateKey(b, NULL, NULL, NULL) : NULL;
	BIO_free(b);
	if (!out->pkey)
		return -1;
	/* a key of the other kind under this alg would sign what its header does not say */
	if (EVP_PKEY_is_a(out->pkey, is_rs(alg) ? "RSA" : "EC") != 1) {
		EVP_PKEY_free(out->pkey);
		out->pkey = NULL;
		return -1;
	}
	snprintf(out->kid, sizeof out->kid, "%s", kid);
	snprintf(out->alg, sizeof out->alg, "%s", alg);
	return 0;
}

void yw_oidc_key_free(yw_oidc_key *k)
{
	if (k && k->pkey) {
		EVP_PKEY_free(k->pkey);
		k->pkey = NULL;
	}
}

/* A big number as base64url of its big-endian bytes, padded to width (0: minimal). */
static json_t *bn_b64(yw_arena *a, const EVP_PKEY *pk, const char *param, int width)
{
	BIGNUM *bn = NULL;
	json_t *j = NULL;
	if (EVP_PKEY_get_bn_param(pk, param, &bn) != 1)
		return NULL;
	int n = width ? width : BN_num_bytes(bn);
	unsigned char *buf = yw_alloc(a, (size_t)n + 1);
	if (buf && BN_bn2binpad(bn, buf, n) == n)
		j = json_string(yw_b64url_encode(a, buf, (size_t)n));
	BN_free(bn);
	return j;
}

json_t *yw_oidc_key_jwk(const yw_oidc_key *k)
{
	yw_arena *a = yw_arena_new(1024);
	json_t *j = NULL;
	if (!a)
		return NULL;
	if (is_rs(k->alg)) {
		json_t *n = bn_b64(a, k->pkey, OSSL_PKEY_PARAM_RSA_N, 0);
		json_t *e = bn_b64(a, k->pkey, OSSL_PKEY_PARAM_RSA_E, 0);
		if (n && e)
			j = json_pack("{s:s, s:s, s:s, s:s, s:O, s:O}", "kty", "RSA", "kid", k->kid, "alg",
			              k->alg, "use", "sig", "n", n, "e", e);
		json_decref(n);
		json_decref(e);
	} else {
		json_t *x = bn_b64(a, k->pkey, OSSL_PKEY_PARAM_EC_PUB_X, 32);
		json_t *y = bn_b64(a, k->pkey, OSSL_PKEY_PARAM_EC_PUB_Y, 32);
		if (x && y)
			j = json_pack("{s:s, s:s, s:s, s:s, s:s, s:O, s:O}", "kty", "EC", "kid", k->kid, "alg",
			              k->alg, "use", "sig", "crv", "P-256", "x", x, "y", y);
		json_decref(x);
		json_decref(y);
	}
	yw_arena_free(a);
	return j;
}

/* ---- JWS --------------------------------------------------------------------------------- */

char *yw_jwt_sign(yw_arena *a, const yw_oidc_key *k, const char *typ, const json_t *claims)
{
	json_t *hdr = json_pack("{s:s, s:s, s:s}", "alg", k->alg, "kid", k->kid, "typ", typ);
	if (!hdr)
		return NULL;
	size_t hl = 0, cl = 0;
	char *hj = yw_json_dump(a, hdr, &hl);
	json_decref(hdr);
	char *cj = yw_json_dump(a, claims, &cl);
	if (!hj || !cj)
		return NULL;
	char *h64 = yw_b64url_encode(a, hj, hl), *c64 = yw_b64url_encode(a, cj, cl);
	char *input = h64 && c64 ? yw_sprintf(a, "%s.%s", h64, c64) : NULL;
	if (!input)
		return NULL;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char *sig = NULL;
	size_t slen = 0;
	char *out = NULL;
	if (!ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, k->pkey) != 1 ||
	    EVP_DigestSign(ctx, NULL, &slen, (const unsigned char *)input, strlen(input)) != 1 ||
	    !(sig = yw_alloc(a, slen)) ||
	    EVP_DigestSign(ctx, sig, &slen, (const unsigned char *)input, strlen(input)) != 1)
		goto done;
	if (is_es(k->alg)) {
		/* JWS wants R || S, 32 bytes each (RFC 7518 §3.4); OpenSSL gives DER */
		const unsigned char *p = sig;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)slen);
		unsigned char *raw = yw_alloc(a, 64);
		if (!es || !raw || BN_bn2binpad(ECDSA_SIG_get0_r(es), raw, 32) != 32 ||
		    BN_bn2binpad(ECDSA_SIG_get0_s(es), raw + 32, 32) != 32) {
			ECDSA_SIG_free(es);
			goto done;
		}
		ECDSA_SIG_free(es);
		sig = raw;
		slen = 64;
	}
	char *s64 = yw_b64url_encode(a, sig, slen);
	out = s64 ? yw_sprintf(a, "%s.%s", input, s64) : NULL;
done:
	EVP_MD_CTX_free(ctx);
	return out;
}

static bool verify_sig(yw_arena *a, const yw_oidc_key *k, const char *input, size_t ilen,
                       const unsigned char *sig, size_t slen)
{
	unsigned char *der = NULL;
	if (is_es(k->alg)) {
		if (slen != 64)
			return false;
		ECDSA_SIG *es = ECDSA_SIG_new();
		BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
		if (!es || !r || !s || ECDSA_SIG_set0(es, r, s) != 1) {
			ECDSA_SIG_free(es);
			BN_free(r);
			BN_free(s);
			return false;
		}
		int n = i2d_ECDSA_SIG(es, NULL);
		der = n > 0 ? yw_alloc(a, (size_t)n) : NULL;
		unsigned char *p = der;
		if (!der || i2d_ECDSA_SIG(es, &p) != n) {
			ECDSA_SIG_free(es);
			return false;
		}
		ECDSA_SIG_free(es);
		sig = der;
		slen = (size_t)n;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, k->pkey) == 1 &&
	          EVP_DigestVerify(ctx, sig, slen, (const unsigned char *)input, ilen) == 1;
	EVP_MD_CTX_free(ctx);
	return ok;
}

static json_t *decode_part(yw_arena *a, const char *s, size_t n)
{
	size_t len = 0;
	unsigned char *raw = yw_b64url_decode(a, s, n, &len);
	const char *why = NULL;
	json_t *j = NULL;
	if (!raw || yw_json_parse_object(a, (const char *)raw, len, &j, &why))
		return NULL;
	return j;
}

yw_jwt_verdict yw_jwt_verify(yw_arena *a, const char *jwt, const yw_oidc_key *const *keys, int nkeys,
                             json_t **claims, const char **typ)
{
	*claims = NULL;
	if (typ)
		*typ = NULL;
	if (!jwt || strlen(jwt) > 16384)
		return YW_JWT_MALFORMED;
	const char *d1 = strchr(jwt, '.');
	const char *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
	if (!d1 || !d2 || strchr(d2 + 1, '.'))
		return YW_JWT_MALFORMED;
	json_t *hdr = decode_part(a, jwt, (size_t)(d1 - jwt));
	json_t *payload = decode_part(a, d1 + 1, (size_t)(d2 - d1 - 1));
	size_t slen = 0;
	unsigned char *sig = yw_b64url_decode(a, d2 + 1, strlen(d2 + 1), &slen);
	const char *alg = NULL, *kid = NULL;
	if (!hdr || !payload || !sig || !yw_json_str(hdr, "alg", &alg) || !yw_json_str(hdr, "kid", &kid))
		return YW_JWT_MALFORMED;
	/* a critical extension we do not know must make the token fail (RFC 7515 §4.1.11) */
	if (json_object_get(hdr, "crit"))
		return YW_JWT_MALFORMED;
	const yw_oidc_key *k = NULL;
	for (int i = 0; i < nkeys && !k; i++)
		if (keys[i] && !strcmp(keys[i]->kid, kid))
			k = keys[i];
	if (!k)
		return YW_JWT_UNKNOWN_KEY;
	/* the header's alg must be the key's own: no "none", no RS/HS confusion */
	if (strcmp(alg, k->alg))
		return YW_JWT_BAD_SIGNATURE;
	if (!verify_sig(a, k, jwt, (size_t)(d2 - jwt), sig, slen))
		return YW_JWT_BAD_SIGNATURE;
	*claims = payload;
	if (typ)
		yw_json_str(hdr, "typ", typ);
	return YW_JWT_OK;
}
