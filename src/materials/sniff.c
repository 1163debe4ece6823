/*
 * R-MAT-002, pure: what a file is by its bytes, what a client claims it is by its Content-Type,
 * and the names a stored file is known by (its extension, its download name, its path).
 * Nothing here reads a file name: an applicant's "证明.pdf" that is really a web page stays a
 * web page, and is refused.
 *
 * Each check reads only inside [data, data + n) and allocates nothing, so the fuzzer can feed
 * it anything.
 */
#include <string.h>

#include "materials/materials.h"

/* ---- the four types ------------------------------------------------------------------------ */

/* Trailing bytes some writers leave after a file's end mark (padding to a block, a line end):
 * NULs and ASCII white space. Anything else after the end is not that kind of file. */
static size_t trim_tail(const unsigned char *p, size_t n)
{
	while (n && (p[n - 1] == 0 || p[n - 1] == ' ' || p[n - 1] == '\r' || p[n - 1] == '\n' ||
	             p[n - 1] == '\t'))
		n--;
	return n;
}

static const unsigned char *find(const unsigned char *hay, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k <= n && i <= n - k; i++)
		if (hay[i] == (unsigned char)needle[0] && !memcmp(hay + i, needle, k))
			return hay + i;
	return NULL;
}

/* ISO 32000: the header "%PDF-x.y" may follow up to 1024 bytes of something else (Acrobat's
 * rule), and the file ends with "%%EOF" and a line end. Incremental updates append sections,
 * each ending in %%EOF: the last one is the file's end. */
static bool is_pdf(const unsigned char *p, size_t n)
{
	const unsigned char *h = find(p, n < 1024 ? n : 1024, "%PDF-");
	if (!h || (size_t)(h - p) + 8 > n || h[5] < '1' || h[5] > '2' || h[6] != '.' || h[7] < '0' ||
	    h[7] > '9')
		return false;
	size_t end = trim_tail(p, n);
	/* The end mark is the last thing but for white space: a page glued behind it is refused. */
	return end >= (size_t)(h - p) + 8 + 5 && !memcmp(p + end - 5, "%%EOF", 5);
}

/* JPEG (ITU T.81): SOI FF D8, then a marker (FF and a code from C0 on: APP0 JFIF, APP1 Exif,
 * DQT …), and EOI FF D9 at the end. Cameras and scanners often pad after EOI with NULs. */
static bool is_jpeg(const unsigned char *p, size_t n)
{
	if (n < 6 || p[0] != 0xFF || p[1] != 0xD8 || p[2] != 0xFF || p[3] < 0xC0 || p[3] == 0xFF)
		return false;
	size_t end = n;
	while (end && p[end - 1] == 0)
		end--;
	return end >= 6 && p[end - 2] == 0xFF && p[end - 1] == 0xD9;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* PNG (ISO/IEC 15948): the 8-byte signature, an IHDR chunk of 13 bytes first with a size and a
 * bit depth / colour type pair the standard allows, and the IEND chunk at the end. */
static bool is_png(const unsigned char *p, size_t n)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	static const unsigned char iend[12] = { 0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82 };
	if (n < 8 + 25 + 12 || memcmp(p, sig, 8) || be32(p + 8) != 13 || memcmp(p + 12, "IHDR", 4))
		return false;
	uint32_t w = be32(p + 16), h = be32(p + 20);
	unsigned depth = p[24], colour = p[25];
	if (!w || !h || w > 0x7FFFFFFFu || h > 0x7FFFFFFFu)
		return false;
	bool ok;
	switch (colour) {
	case 0:
		ok = depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16;
		break;
	case 3:
		ok = depth == 1 || depth == 2 || depth == 4 || depth == 8;
		break;
	case 2:
	case 4:
	case 6:
		ok = depth == 8 || depth == 16;
		break;
	default:
		ok = false;
	}
	if (!ok || p[26] != 0 || p[27] != 0 || p[28] > 1)
		return false;
	size_t end = n;
	while (end > 45 && p[end - 1] == 0)
		end--;
	return end >= 45 && !memcmp(p + end - 12, iend, 12);
}

/* OFD (GB/T 33190-2016) is a ZIP archive whose root holds OFD.xml, the document's entry point.
 * The archive is read from its end, as unzip does: the end-of-central-directory record (within
 * the last 64 KiB + 22 bytes, for its comment), then the central directory it points at, entry by
 * entry, every length checked against the buffer. ZIP64 archives are refused: an OFD within our
 * 10 MiB limit never needs one. */
static bool is_ofd(const unsigned char *p, size_t n)
{
	if (n < 30 + 46 + 22 || memcmp(p, "PK\3\4", 4))
		return false;
	size_t eocd = 0;
	bool found = false;
	size_t lowest = n > 22 + 65535 ? n - 22 - 65535 : 0;
	for (size_t i = n - 22 + 1; i-- > lowest;) {
		/* The comment length must reach exactly to the end: a stray "PK\5\6" inside the
		 * comment or the data is not the record. */
		if (!memcmp(p + i, "PK\5\6", 4) && i + 22 + le16(p + i + 20) == n) {
			eocd = i;
			found = true;
			break;
		}
	}
	if (!found)
		return false;
	const unsigned char *e = p + eocd;
	uint16_t entries = le16(e + 10);
	uint32_t cd_size = le32(e + 12), cd_off = le32(e + 16);
	if (le16(e + 4) != 0 || le16(e + 6) != 0 || entries != le16(e + 8) || !entries ||
	    cd_off == 0xFFFFFFFFu || (size_t)cd_off > eocd || (size_t)cd_size > eocd - cd_off)
		return false;
	size_t pos = cd_off, end = (size_t)cd_off + cd_size;
	for (unsigned k = 0; k < entries; k++) {
		if (end - pos < 46 || memcmp(p + pos, "PK\1\2", 4))
			return false;
		size_t name_len = le16(p + pos + 28), extra = le16(p + pos + 30), comment = le16(p + pos + 32);
		size_t rec = 46 + name_len + extra + comment;
		if (rec > end - pos)
			return false;
		uint32_t local = le32(p + pos + 42);
		if (name_len == 7 && !memcmp(p + pos + 46, "OFD.xml", 7)) {
			/* The entry must point at a real local header of the same name. */
			return (size_t)local + 30 + 7 <= cd_off && !memcmp(p + local, "PK\3\4", 4) &&
			       le16(p + local + 26) == 7 && !memcmp(p + local + 30, "OFD.xml", 7);
		}
		pos += rec;
	}
	return false;
}

const char *yw_mat_sniff(const void *data, size_t n)
{
	const unsigned char *p = data;
	if (!p || !n)
		return NULL;
	/* A file is judged by the signature it starts with and only by that: bytes that start
	 * like a PNG and are not one are not then tried as a PDF. */
	if (n >= 8 && p[0] == 0x89 && !memcmp(p + 1, "PNG", 3))
		return is_png(p, n) ? "image/png" : NULL;
	if (n >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return is_jpeg(p, n) ? "image/jpeg" : NULL;
	if (n >= 4 && !memcmp(p, "PK\3\4", 4))
		return is_ofd(p, n) ? "application/ofd" : NULL;
	return is_pdf(p, n) ? "application/pdf" : NULL;
}

/* ---- claims and names ---------------------------------------------------------------------- */

static const struct {
	const char *type, *ext, *zh;
} kinds[] = {
	{ "application/pdf", ".pdf", "PDF 文档" },
	{ "image/jpeg", ".jpg", "JPEG 图片" },
	{ "image/png", ".png", "PNG 图片" },
	{ "application/ofd", ".ofd", "OFD 版式文档" },
};

static bool ieq(const char *a, size_t n, const char *b)
{
	if (strlen(b) != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = a[i] >= 'A' && a[i] <= 'Z' ? (char)(a[i] + 32) : a[i];
		if (c != b[i])
			return false;
	}
	return true;
}

const char *yw_mat_claim(const char *content_type)
{
	if (!content_type)
		return NULL;
	const char *s = content_type, *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s;
	while (*end && *end != ';' && *end != ' ' && *end != '\t')
		end++;
	size_t n = (size_t)(end - s);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (ieq(s, n, kinds[i].type))
			return kinds[i].type;
	/* Names browsers and old scanners still send for the same two formats. */
	if (ieq(s, n, "image/jpg") || ieq(s, n, "image/pjpeg"))
		return "image/jpeg";
	if (ieq(s, n, "application/x-pdf"))
		return "application/pdf";
	if (ieq(s, n, "application/octet-stream"))
		return YW_MAT_ANY;
	return NULL;
}

const char *yw_mat_ext(const char *media_type)
{
	for (size_t i = 0; media_type && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].type, media_type))
			return kinds[i].ext;
	return "";
}

const char *yw_mat_type_zh(const char *media_type)
{
	for (size_t i = 0; media_type && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].type, media_type))
			return kinds[i].zh;
	return "未知类型";
}

bool yw_mat_sha256_ok(const char *s)
{
	if (!s || strlen(s) != 64)
		return false;
	for (int i = 0; i < 64; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

char *yw_mat_blob_path(yw_arena *a, const char *data_dir, const char *sha256)
{
	if (!yw_mat_sha256_ok(sha256))
		return NULL;
	return yw_sprintf(a, "%s/materials/%.2s/%.2s/%s", data_dir, sha256, sha256 + 2, sha256);
}

/* RFC 6266 / RFC 8187: filename*=UTF-8''<pct-encoded>, with only attr-chars left bare, so a
 * quote, a semicolon, a line break or a slash in a title cannot end the header or name a path.
 * The plain filename= fallback is ASCII of our choosing. */
char *yw_mat_disposition(yw_arena *a, const char *title, const char *media_type)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *ext = yw_mat_ext(media_type);
	size_t tl = title ? strlen(title) : 0, el = strlen(ext);
	/* A title that already ends in its extension ("营业执照.pdf") keeps just the one. */
	if (tl >= el && el && ieq(title + tl - el, el, ext))
		el = 0;
	char *out = yw_alloc(a, 60 + 3 * (tl + el) + el + 1);
	if (!out)
		return NULL;
	char *o = out + sprintf(out, "inline; filename=\"material%s\"; filename*=UTF-8''", ext);
	for (size_t pass = 0; pass < 2; pass++) {
		const unsigned char *s = (const unsigned char *)(pass ? ext : title);
		size_t n = pass ? el : tl;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = s[i];
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
			    strchr("!#$&+-.^_`|~", c)) {
				*o++ = (char)c;
			} else {
				*o++ = '%';
				*o++ = hex[c >> 4];
				*o++ = hex[c & 15];
			}
		}
	}
	*o = '\0';
	return out;
}
