/*
 * R-ID-011: one-time codes for staff (RFC 6238 TOTP over RFC 4226 HOTP, HMAC-SHA1), the base32
 * text of their secrets (RFC 4648), the otpauth:// URI authenticator apps read, and that URI as
 * a QR code: libqrencode computes the modules, we draw them as an SVG path so that the page can
 * show it inline without an image library.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <qrencode.h>

#include "identity/identity.h"

uint32_t yw_hotp(const unsigned char *key, size_t keylen, uint64_t counter, int digits)
{
	unsigned char msg[8], mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(counter & 0xff);
		counter >>= 8;
	}
	if (!HMAC(EVP_sha1(), key, (int)keylen, msg, sizeof(msg), mac, &maclen) || maclen < 20)
		return UINT32_MAX;
	/* RFC 4226 §5.3 dynamic truncation: 31 bits from the offset the last nibble names. */
	int off = mac[maclen - 1] & 0x0f;
	uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
	               ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
	uint32_t mod = 1;
	for (int i = 0; i < digits; i++)
		mod *= 10;
	return bin % mod;
}

int64_t yw_totp_step(yw_ms now)
{
	return now < 0 ? 0 : (int64_t)(now / 1000 / YW_TOTP_STEP_S);
}

int64_t yw_totp_match(const unsigned char *key, size_t keylen, const char *code, int digits,
                      yw_ms now, int64_t last_step)
{
	if (!code || strlen(code) != (size_t)digits || !yw_str_all_digits(code, (size_t)digits))
		return -1;
	uint32_t want = 0;
	for (int i = 0; i < digits; i++)
		want = want * 10 + (uint32_t)(code[i] - '0');
	int64_t step = yw_totp_step(now), found = -1;
	/* Every candidate is computed, so the time taken does not depend on which one matched. */
	for (int64_t s = step - YW_TOTP_DRIFT; s <= step + YW_TOTP_DRIFT; s++) {
		if (s < 0)
			continue;
		uint32_t v = yw_hotp(key, keylen, (uint64_t)s, digits);
		if (v == want && s > last_step && found < 0)
			found = s;
	}
	return found;
}

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

size_t yw_base32_encode(const unsigned char *in, size_t n, bool pad, char *out, size_t cap)
{
	size_t len = 0;
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			if (len + 1 >= cap)
				return 0;
			out[len++] = b32[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0) {
		if (len + 1 >= cap)
			return 0;
		out[len++] = b32[(acc << (5 - bits)) & 31];
	}
	while (pad && len % 8) {
		if (len + 1 >= cap)
			return 0;
		out[len++] = '=';
	}
	if (len >= cap)
		return 0;
	out[len] = '\0';
	return len;
}

long yw_base32_decode(const char *in, unsigned char *out, size_t cap)
{
	uint32_t acc = 0;
	int bits = 0;
	size_t len = 0;
	bool padding = false;
	for (const char *p = in; *p; p++) {
		char c = *p;
		if (c == ' ' || c == '-')
			continue;
		if (c == '=') {
			padding = true;
			continue;
		}
		if (padding)
			return -1;    /* data after padding */
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		const char *at = c ? strchr(b32, c) : NULL;
		if (!at)
			return -1;
		acc = (acc << 5) | (uint32_t)(at - b32);
		bits += 5;
		if (bits >= 8) {
			if (len >= cap)
				return -1;
			out[len++] = (unsigned char)(acc >> (bits - 8));
			bits -= 8;
		}
		acc &= (1u << bits) - 1;
	}
	return (long)len;
}

/* RFC 3986 unreserved characters stay; everything else, UTF-8 bytes included, is %XX. */
static char *pct(yw_arena *a, const char *s)
{
	size_t n = strlen(s);
	char *out = yw_alloc(a, 3 * n + 1), *o = out;
	if (!out)
		return NULL;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '.' || *p == '_' || *p == '~')
			*o++ = (char)*p;
		else
			o += sprintf(o, "%%%02X", *p);
	}
	*o = '\0';
	return out;
}

char *yw_totp_uri(yw_arena *a, const char *secret_b32, const char *account)
{
	char *issuer = pct(a, YW_TOTP_ISSUER), *acct = pct(a, account);
	if (!issuer || !acct)
		return NULL;
	/* The issuer both as the label prefix (older apps) and as a parameter (Key Uri Format). */
	return yw_sprintf(a, "otpauth://totp/%s:%s?secret=%s&issuer=%s&algorithm=SHA1&digits=%d&period=%d",
	                  issuer, acct, secret_b32, issuer, YW_TOTP_DIGITS, YW_TOTP_STEP_S);
}

char *yw_qr_svg(yw_arena *a, const char *text, int *modules)
{
	/* Level M: the otpauth URI of a 20-byte secret fits version 5–6, readable from a screen. */
	QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
	if (!q)
		return NULL;
	int w = q->width, quiet = 4, size = w + 2 * quiet;
	yw_buf b = { 0 };
	int rc = yw_buf_printf(&b,
	                       "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	                       "width=\"%d\" height=\"%d\" shape-rendering=\"crispEdges\" role=\"img\" "
	                       "aria-label=\"动态口令绑定二维码\">"
	                       "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	                       size, size, size * 5, size * 5, size, size);
	/* One horizontal run of dark modules per subpath keeps the path short. */
	for (int y = 0; y < w && !rc; y++) {
		for (int x = 0; x < w && !rc; x++) {
			if (!(q->data[y * w + x] & 1))
				continue;
			int run = 1;
			while (x + run < w && (q->data[y * w + x + run] & 1))
				run++;
			rc = yw_buf_printf(&b, "M%d %dh%dv1h-%dz", x + quiet, y + quiet, run, run);
			x += run - 1;
		}
	}
	if (!rc)
		rc = yw_buf_printf(&b, "\"/></svg>");
	QRcode_free(q);
	char *out = rc ? NULL : yw_strndup(a, b.data, b.len);
	yw_buf_free(&b);
	if (out && modules)
		*modules = w;
	return out;
}
