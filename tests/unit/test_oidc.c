/* The pure parts of the OIDC provider: base64url, JWS (RS256, ES256) signing and verification,
 * PKCE S256 and the redirect-URI rules (src/oidc/jwt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "oidc/oidc.h"

/* ---- base64url ------------------------------------------------------------------------- */

static void test_b64url_vectors(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(1024);
	/* RFC 4648 §10, without padding */
	static const char *in[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
	static const char *out[] = { "", "Zg", "Zm8", "Zm9v", "Zm9vYg", "Zm9vYmE", "Zm9vYmFy" };
	for (int i = 0; i < 7; i++) {
		assert_string_equal(yw_b64url_encode(a, in[i], strlen(in[i])), out[i]);
		size_t n = 99;
		unsigned char *d = yw_b64url_decode(a, out[i], strlen(out[i]), &n);
		assert_non_null(d);
		assert_int_equal(n, strlen(in[i]));
		assert_memory_equal(d, in[i], n);
	}
	/* the URL-safe alphabet: 0xfb 0xff encode to "-_8", never "+/8" */
	unsigned char bytes[] = { 0xfb, 0xff };
	assert_string_equal(yw_b64url_encode(a, bytes, 2), "-_8");
	yw_arena_free(a);
}

static void test_b64url_strict(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(1024);
	size_t n;
	assert_null(yw_b64url_decode(a, "Zg==", 4, &n));      /* padding */
	assert_null(yw_b64url_decode(a, "+/8", 3, &n));       /* the other alphabet */
	assert_null(yw_b64url_decode(a, "Zm9vY", 5, &n));     /* a length no encoder makes */
	assert_null(yw_b64url_decode(a, "Zh", 2, &n));        /* "f" with stray low bits */
	assert_null(yw_b64url_decode(a, "Zm 9v", 5, &n));
	yw_arena_free(a);
}

/* ---- PKCE ------------------------------------------------------------------------------ */

static void test_pkce_rfc7636_appendix_b(void **state)
{
	(void)state;
	const char *verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
	char ch[44];
	yw_oidc_pkce_s256(verifier, ch);
	assert_string_equal(ch, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
	assert_true(yw_oidc_pkce_check(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
	/* one character off on either side */
	assert_false(yw_oidc_pkce_check("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXj",
	                                "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"));
	assert_false(yw_oidc_pkce_check(verifier, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cN"));
	/* "plain" would compare the verifier itself: refused */
	assert_false(yw_oidc_pkce_check(verifier, verifier));
}

static void test_pkce_verifier_shape(void **state)
{
	(void)state;
	char v[130];
	memset(v, 'a', 129);
	v[42] = '\0';
	assert_false(yw_oidc_pkce_verifier_ok(v));           /* 42: too short */
	v[42] = 'a';
	v[43] = '\0';
	assert_true(yw_oidc_pkce_verifier_ok(v));            /* 43 */
	v[43] = 'a';
	v[128] = '\0';
	assert_true(yw_oidc_pkce_verifier_ok(v));            /* 128 */
	v[128] = 'a';
	v[129] = '\0';
	assert_false(yw_oidc_pkce_verifier_ok(v));           /* 129 */
	assert_true(yw_oidc_pkce_verifier_ok("abcdefghijklmnopqrstuvwxyz-._~0123456789ABCDEFG"));
	assert_false(yw_oidc_pkce_verifier_ok("abcdefghijklmnopqrstuvwxyz+/=0123456789ABCDEFG"));
	assert_false(yw_oidc_pkce_verifier_ok(NULL));
}

/* ---- redirect URIs --------------------------------------------------------------------- */

static void test_redirect_uri_rules(void **state)
{
	(void)state;
	static const char *ok[] = {
		"https://gs.example.gov.cn/callback", "https://gs.example.gov.cn:8443/cb?x=1",
		"http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:3000/cb", "https://10.0.0.5/cb",
	};
	static const char *bad[] = {
		"http://gs.example.gov.cn/cb",          /* plain http off the machine */
		"http://localhost.evil.example/cb",     /* looks like loopback, is not */
		"http://127.0.0.1.evil.example/cb",
		"https://user:pw@gs.example.gov.cn/cb", /* user info */
		"https://gs.example.gov.cn/cb#frag",    /* fragment */
		"/cb", "gs.example.gov.cn/cb", "https:///cb", "https://:443/cb", "myapp://cb", "javascript:alert(1)",
		"https://gs.example.gov.cn/c b", "https://gs.example.gov.cn/cb\n", "",
	};
	for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
		if (yw_oidc_redirect_uri_problem(ok[i]))
			fail_msg("%s refused: %s", ok[i], yw_oidc_redirect_uri_problem(ok[i]));
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (!yw_oidc_redirect_uri_problem(bad[i]))
			fail_msg("%s accepted", bad[i]);
	assert_non_null(yw_oidc_redirect_uri_problem(NULL));
}

static void test_redirect_uri_exact_match(void **state)
{
	(void)state;
	json_t *reg = json_pack("[s, s]", "https://gs.example.gov.cn/cb", "http://127.0.0.1:9000/cb?app=1");
	assert_true(yw_oidc_redirect_uri_listed("https://gs.example.gov.cn/cb", reg));
	assert_true(yw_oidc_redirect_uri_listed("http://127.0.0.1:9000/cb?app=1", reg));
	/* no prefix, suffix, case or query leeway (RFC 6749 §3.1.2.3, OAuth 2.0 Security BCP §4.1) */
	static const char *miss[] = {
		"https://gs.example.gov.cn/cb/", "https://gs.example.gov.cn/cb?x=1", "https://GS.example.gov.cn/cb",
		"https://gs.example.gov.cn/cbx", "https://gs.example.gov.cn/c", "https://gs.example.gov.cn:443/cb",
		"http://127.0.0.1:9000/cb", "https://gs.example.gov.cn.evil.example/cb",
	};
	for (size_t i = 0; i < sizeof miss / sizeof *miss; i++)
		if (yw_oidc_redirect_uri_listed(miss[i], reg))
			fail_msg("%s matched", miss[i]);
	assert_false(yw_oidc_redirect_uri_listed(NULL, reg));
	json_decref(reg);
}

/* ---- JWS ------------------------------------------------------------------------------- */

/* Flip one character of part (0 header, 1 payload, 2 signature) of a compact JWS. */
static char *tamper(yw_arena *a, const char *jwt, int part)
{
	char *t = yw_strdup(a, jwt);
	char *p = t;
	for (int i = 0; i < part; i++)
		p = strchr(p, '.') + 1;
	p[5] = p[5] == 'A' ? 'B' : 'A';
	return t;
}

static void sign_and_verify(const char *alg)
{
	yw_arena *a = yw_arena_new(4096);
	yw_oidc_key k, other;
	assert_int_equal(yw_oidc_key_generate(alg, &k), 0);
	assert_int_equal(yw_oidc_key_generate(alg, &other), 0);
	assert_string_equal(k.alg, alg);
	json_t *claims = json_pack("{s:s, s:s, s:I}", "iss", "https://yw.example", "sub", "p_1", "exp",
	                           (json_int_t)2000000000);
	char *jwt = yw_jwt_sign(a, &k, "at+jwt", claims);
	assert_non_null(jwt);
	const yw_oidc_key *keys[] = { &other, &k };
	json_t *got = NULL;
	const char *typ = NULL;
	assert_int_equal(yw_jwt_verify(a, jwt, keys, 2, &got, &typ), YW_JWT_OK);
	assert_string_equal(typ, "at+jwt");
	assert_string_equal(json_string_value(json_object_get(got, "sub")), "p_1");
	assert_int_equal(json_integer_value(json_object_get(got, "exp")), 2000000000);
	if (!strcmp(alg, "ES256"))   /* JWS wants R||S, 64 bytes = 86 base64url characters */
		assert_int_equal(strlen(strrchr(jwt, '.') + 1), 86);

	/* tampered header, payload or signature */
	for (int part = 0; part < 3; part++) {
		yw_jwt_verdict v = yw_jwt_verify(a, tamper(a, jwt, part), keys, 2, &got, &typ);
		if (v == YW_JWT_OK)
			fail_msg("%s: tampered part %d verified", alg, part);
		assert_null(got);
	}
	/* the right kid, but only the other key's material: a key is chosen by kid, not tried */
	snprintf(other.kid, sizeof other.kid, "%s", k.kid);
	const yw_oidc_key *wrong[] = { &other };
	assert_int_equal(yw_jwt_verify(a, jwt, wrong, 1, &got, &typ), YW_JWT_BAD_SIGNATURE);
	/* nobody's key */
	assert_int_equal(yw_jwt_verify(a, jwt, wrong, 0, &got, &typ), YW_JWT_UNKNOWN_KEY);
	/* not a JWS */
	assert_int_equal(yw_jwt_verify(a, "abc.def", keys, 2, &got, &typ), YW_JWT_MALFORMED);
	assert_int_equal(yw_jwt_verify(a, "a.b.c.d", keys, 2, &got, &typ), YW_JWT_MALFORMED);

	/* the PEM that goes (sealed) into the table gives the same key back */
	char *pem = yw_oidc_key_pem(a, &k);
	assert_non_null(pem);
	assert_non_null(strstr(pem, "BEGIN PRIVATE KEY"));
	yw_oidc_key back;
	assert_int_equal(yw_oidc_key_from_pem(pem, alg, k.kid, &back), 0);
	const yw_oidc_key *again[] = { &back };
	assert_int_equal(yw_jwt_verify(a, jwt, again, 1, &got, &typ), YW_JWT_OK);
	/* under the other alg the same PEM is refused */
	yw_oidc_key mismatch;
	assert_int_equal(yw_oidc_key_from_pem(pem, !strcmp(alg, "RS256") ? "ES256" : "RS256", k.kid, &mismatch), -1);

	json_t *jwk = yw_oidc_key_jwk(&k);
	assert_string_equal(json_string_value(json_object_get(jwk, "kid")), k.kid);
	assert_string_equal(json_string_value(json_object_get(jwk, "alg")), alg);
	assert_string_equal(json_string_value(json_object_get(jwk, "use")), "sig");
	assert_null(json_object_get(jwk, "d"));      /* never the private part */
	if (!strcmp(alg, "RS256")) {
		assert_string_equal(json_string_value(json_object_get(jwk, "kty")), "RSA");
		assert_string_equal(json_string_value(json_object_get(jwk, "e")), "AQAB");
		assert_int_equal(strlen(json_string_value(json_object_get(jwk, "n"))), 342);   /* 256 bytes */
	} else {
		assert_string_equal(json_string_value(json_object_get(jwk, "crv")), "P-256");
		assert_int_equal(strlen(json_string_value(json_object_get(jwk, "x"))), 43);
		assert_int_equal(strlen(json_string_value(json_object_get(jwk, "y"))), 43);
	}
	json_decref(jwk);
	json_decref(claims);
	yw_oidc_key_free(&k);
	yw_oidc_key_free(&other);
	yw_oidc_key_free(&back);
	yw_arena_free(a);
}

static void test_jwt_rs256(void **state) { (void)state; sign_and_verify("RS256"); }
static void test_jwt_es256(void **state) { (void)state; sign_and_verify("ES256"); }

/* A token whose header names the RS256 key but claims another alg ("none", HS256, ES256) is
 * refused before any signature check. */
static void test_jwt_alg_confusion(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(4096);
	yw_oidc_key k;
	assert_int_equal(yw_oidc_key_generate("RS256", &k), 0);
	json_t *claims = json_pack("{s:s}", "sub", "x");
	char *jwt = yw_jwt_sign(a, &k, "JWT", claims);
	const char *rest = strchr(jwt, '.');
	const yw_oidc_key *keys[] = { &k };
	static const char *algs[] = { "none", "HS256", "ES256" };
	for (int i = 0; i < 3; i++) {
		char *hdr = yw_sprintf(a, "{\"alg\":\"%s\",\"kid\":\"%s\",\"typ\":\"JWT\"}", algs[i], k.kid);
		char *forged = yw_sprintf(a, "%s%s", yw_b64url_encode(a, hdr, strlen(hdr)), rest);
		json_t *got = NULL;
		assert_int_equal(yw_jwt_verify(a, forged, keys, 1, &got, NULL), YW_JWT_BAD_SIGNATURE);
	}
	/* an unsigned token (empty signature) */
	char *hdr = yw_sprintf(a, "{\"alg\":\"none\",\"kid\":\"%s\"}", k.kid);
	const char *payload = yw_b64url_encode(a, "{\"sub\":\"x\"}", 11);
	json_t *got = NULL;
	assert_int_not_equal(yw_jwt_verify(a, yw_sprintf(a, "%s.%s.", yw_b64url_encode(a, hdr, strlen(hdr)), payload),
	                                   keys, 1, &got, NULL), YW_JWT_OK);
	json_decref(claims);
	yw_oidc_key_free(&k);
	yw_arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_b64url_vectors),
		cmocka_unit_test(test_b64url_strict),
		cmocka_unit_test(test_pkce_rfc7636_appendix_b),
		cmocka_unit_test(test_pkce_verifier_shape),
		cmocka_unit_test(test_redirect_uri_rules),
		cmocka_unit_test(test_redirect_uri_exact_match),
		cmocka_unit_test(test_jwt_rs256),
		cmocka_unit_test(test_jwt_es256),
		cmocka_unit_test(test_jwt_alg_confusion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
