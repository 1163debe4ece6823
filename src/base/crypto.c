/*
 * Secrets: sealing personal numbers at rest, keyed lookup hashes, random tokens.
 *
 * One key file holds two independent 32-byte keys: the first seals (AES-256-GCM), the second
 * keys the lookup hash (HMAC-SHA256). Separate keys, because the lookup hash is deterministic by
 * design and must not share a key with the cipher. A sealed value carries a version prefix so a
 * future key rotation can tell old values from new ones.
 */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_LEN 32
#define NONCE_LEN 12
#define TAG_LEN 16
#define SEAL_PREFIX "v1."

struct yw_keys {
	unsigned char seal[KEY_LEN];
	unsigned char lookup[KEY_LEN];
};

static int read_exact(int fd, unsigned char *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);
		if (r <= 0)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

static int create_key_file(const char *path)
{
	unsigned char fresh[2 * KEY_LEN];
	if (RAND_bytes(fresh, sizeof(fresh)) != 1)
		return -1;
	/* O_EXCL: two processes starting at once must not each write a different key. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0 : -1;
	int rc = write(fd, fresh, sizeof(fresh)) == (ssize_t)sizeof(fresh) && fsync(fd) == 0 ? 0 : -1;
	close(fd);
	OPENSSL_cleanse(fresh, sizeof(fresh));
	if (rc)
		unlink(path);
	return rc;
}

yw_err yw_keys_open(const char *data_dir, yw_keys **out, char *err, size_t errlen)
{
	char dir[700], path[760];
	snprintf(dir, sizeof(dir), "%s/keys", data_dir);
	snprintf(path, sizeof(path), "%s/field.key", dir);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "无法创建密钥目录 %s：%s", dir, strerror(errno));
		return YW_E_IO;
	}
	if (access(path, F_OK) && create_key_file(path)) {
		snprintf(err, errlen, "无法创建密钥文件 %s：%s", path, strerror(errno));
		return YW_E_IO;
	}
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) || st.st_size != 2 * KEY_LEN) {
		snprintf(err, errlen, "密钥文件 %s 无法读取或长度不对（应为 %d 字节）", path, 2 * KEY_LEN);
		if (fd >= 0)
			close(fd);
		return YW_E_IO;
	}
	if (st.st_mode & 077)
		yw_log(YW_LOG_WARN, "key file %s is readable by others (mode %o): chmod 600 it", path,
		       (unsigned)(st.st_mode & 0777));
	yw_keys *k = calloc(1, sizeof(*k));
	if (!k || read_exact(fd, k->seal, KEY_LEN) || read_exact(fd, k->lookup, KEY_LEN)) {
		close(fd);
		free(k);
		snprintf(err, errlen, "无法读取密钥文件 %s", path);
		return YW_E_IO;
	}
	close(fd);
	*out = k;
	return YW_E_OK;
}

void yw_keys_close(yw_keys *k)
{
	if (!k)
		return;
	OPENSSL_cleanse(k, sizeof(*k));
	free(k);
}

/* ---- base64url ---------------------------------------------------------------------------- */

/* One codec for sealed fields, tokens and JWS (RFC 7515 §2): the same bytes must come out the
 * same everywhere, and a second decoder would be a second place for a lenient bug. */
static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

size_t yw_b64url_encode_to(const void *data, size_t n, char *out)
{
	const unsigned char *p = data;
	char *o = out;
	size_t i = 0;
	for (; i + 2 < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = b64[(v >> 6) & 63];
		*o++ = b64[v & 63];
	}
	if (n - i >= 1) {
		uint32_t v = (uint32_t)p[i] << 16 | (n - i == 2 ? (uint32_t)p[i + 1] << 8 : 0);
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		if (n - i == 2)
			*o++ = b64[(v >> 6) & 63];
	}
	*o = '\0';
	return (size_t)(o - out);
}

static char *b64url_encode(yw_arena *a, const void *p, size_t n, const char *prefix)
{
	size_t plen = strlen(prefix);
	char *out = yw_alloc(a, plen + (n * 4 + 2) / 3 + 1);
	if (!out)
		return NULL;
	memcpy(out, prefix, plen);
	yw_b64url_encode_to(p, n, out + plen);
	return out;
}

char *yw_b64url_encode(yw_arena *a, const void *data, size_t n)
{
	return b64url_encode(a, data, n, "");
}

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '-' ? 62 : c == '_' ? 63 : -1;
}

bool yw_b64url_char(char c)
{
	return b64val((unsigned char)c) >= 0;
}

bool yw_b64url_shaped(const char *s, size_t n)
{
	if (!s || strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!yw_b64url_char(s[i]))
			return false;
	return true;
}

unsigned char *yw_b64url_decode(yw_arena *a, const char *s, size_t n, size_t *out_len)
{
	if (n % 4 == 1)
		return NULL;
	unsigned char *out = yw_alloc(a, n * 3 / 4 + 3);
	if (!out)
		return NULL;
	size_t k = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		int v = b64val((unsigned char)s[i]);
		if (v < 0)
			return NULL;
		acc = acc << 6 | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(acc >> bits);
		}
	}
	/* leftover bits must be zero, or two strings would decode to the same bytes */
	if (bits && (acc & ((1u << bits) - 1)))
		return NULL;
	out[k] = 0;
	*out_len = k;
	return out;
}

/* ---- sealing ------------------------------------------------------------------------------ */

char *yw_seal(yw_keys *k, yw_arena *a, const char *plaintext)
{
	size_t n = strlen(plaintext);
	unsigned char *buf = yw_alloc(a, NONCE_LEN + n + TAG_LEN);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	char *out = NULL;
	int len = 0;
	if (!buf || !ctx || RAND_bytes(buf, NONCE_LEN) != 1)
		goto out;
	if (EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->seal, buf) != 1 ||
	    EVP_EncryptUpdate(ctx, buf + NONCE_LEN, &len, (const unsigned char *)plaintext, (int)n) != 1 ||
	    EVP_EncryptFinal_ex(ctx, buf + NONCE_LEN + len, &len) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, buf + NONCE_LEN + n) != 1)
		goto out;
	out = b64url_encode(a, buf, NONCE_LEN + n + TAG_LEN, SEAL_PREFIX);
out:
	EVP_CIPHER_CTX_free(ctx);
	return out;
}

char *yw_unseal(yw_keys *k, yw_arena *a, const char *sealed)
{
	size_t n = 0;
	if (!sealed || strncmp(sealed, SEAL_PREFIX, strlen(SEAL_PREFIX)))
		return NULL;
	const char *body = sealed + strlen(SEAL_PREFIX);
	unsigned char *buf = yw_b64url_decode(a, body, strlen(body), &n);
	if (!buf || n < NONCE_LEN + TAG_LEN)
		return NULL;
	size_t clen = n - NONCE_LEN - TAG_LEN;
	char *plain = yw_alloc(a, clen + 1);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int len = 0, ok = 0;
	if (plain && ctx && EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), NULL, k->seal, buf) == 1 &&
	    EVP_DecryptUpdate(ctx, (unsigned char *)plain, &len, buf + NONCE_LEN, (int)clen) == 1 &&
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, buf + NONCE_LEN + clen) == 1 &&
	    EVP_DecryptFinal_ex(ctx, (unsigned char *)plain + len, &len) == 1)
		ok = 1;
	EVP_CIPHER_CTX_free(ctx);
	if (!ok || memchr(plain, '\0', clen))
		return NULL;
	plain[clen] = '\0';
	return plain;
}

/* ---- hashes and tokens -------------------------------------------------------------------- */

static void hex(const unsigned char *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

void yw_lookup_hash(yw_keys *k, const char *purpose, const char *value, char out[65])
{
	unsigned char mac[32];
	unsigned int len = 0;
	/* purpose, a separator no purpose contains, then the value */
	size_t pl = strlen(purpose), vl = strlen(value);
	unsigned char *msg = malloc(pl + 1 + vl);
	if (!msg) {
		memset(out, '0', 64);
		out[64] = '\0';
		return;
	}
	memcpy(msg, purpose, pl);
	msg[pl] = 0x1f;
	memcpy(msg + pl + 1, value, vl);
	HMAC(EVP_sha256(), k->lookup, KEY_LEN, msg, pl + 1 + vl, mac, &len);
	free(msg);
	hex(mac, 32, out);
}

char *yw_random_token(yw_arena *a, size_t nbytes)
{
	unsigned char buf[64];
	if (nbytes > sizeof(buf) || RAND_bytes(buf, (int)nbytes) != 1)
		return NULL;
	return b64url_encode(a, buf, nbytes, "");
}

/* The base64url alphabet in ASCII order: a number written with it sorts like the number. */
static const char b64_sorted[] = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

yw_err yw_sortable_ids(yw_arena *a, const char *prefix, const char **out, size_t n)
{
	enum { TIME_CHARS = 8, RND_BYTES = 9, PER_DRAW = 64 };
	unsigned char rnd[RND_BYTES * PER_DRAW];
	size_t plen = strlen(prefix);
	uint64_t ms = (uint64_t)yw_now_ms();
	char stamp[TIME_CHARS];

	for (int i = TIME_CHARS - 1; i >= 0; i--, ms >>= 6)
		stamp[i] = b64_sorted[ms & 63];
	for (size_t k = 0; k < n; k++) {
		size_t slot = k % PER_DRAW;
		if (slot == 0 && RAND_bytes(rnd, (int)sizeof(rnd)) != 1)
			return YW_E_INTERNAL;
		char *id = yw_alloc(a, plen + TIME_CHARS + RND_BYTES * 4 / 3 + 1);
		if (!id)
			return YW_E_NO_MEMORY;
		memcpy(id, prefix, plen);
		memcpy(id + plen, stamp, TIME_CHARS);
		yw_b64url_encode_to(rnd + slot * RND_BYTES, RND_BYTES, id + plen + TIME_CHARS);
		out[k] = id;
	}
	OPENSSL_cleanse(rnd, sizeof(rnd));
	return YW_E_OK;
}

void yw_sha256_hex(const char *s, size_t n, char out[65])
{
	unsigned char md[32];
	unsigned int len = 0;
	EVP_Digest(s, n, md, &len, EVP_sha256(), NULL);
	hex(md, 32, out);
}
