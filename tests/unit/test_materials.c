/* Materials (src/materials): R-MAT-002 the type by content, on real small files and their
 * lookalikes; R-MAT-003 claims; R-MAT-004 the files on disk; R-MAT-006 the download name; and
 * R-MAT-005 the SQL of the material space on SQLite and PostgreSQL. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <zip.h>
#include <cmocka.h>

#include "audit/audit.h"
#include "materials/internal.h"
#include "store_fixture.h"

/* ---- the files ----------------------------------------------------------------------------- */

/* A 1×1 RGB PNG: signature, IHDR, IDAT, IEND with their CRCs (decodes in any viewer). */
static const unsigned char png[] = {
	0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
	0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53,
	0xde, 0x00, 0x00, 0x00, 0x0c, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0xf8, 0xcf, 0xc0, 0x00,
	0x00, 0x03, 0x01, 0x01, 0x00, 0xf7, 0x03, 0x41, 0x43, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e,
	0x44, 0xae, 0x42, 0x60, 0x82,
};

/* A 1×1 grey baseline JPEG: SOI, DQT, SOF0, two one-code Huffman tables, SOS, one block, EOI
 * (libjpeg decodes it without a warning). */
static unsigned char jpeg[141];
static void make_jpeg(void)
{
	static const unsigned char head[] = { 0xff, 0xd8, 0xff, 0xdb, 0x00, 0x43, 0x00 };
	static const unsigned char tail[] = {
		0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x01, 0x00, 0x01, 0x01, 0x01, 0x11, 0x00,
		/* DHT DC: one code (length 1) for category 0 */
		0xff, 0xc4, 0x00, 0x14, 0x00, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* DHT AC: one code for end-of-block */
		0xff, 0xc4, 0x00, 0x14, 0x10, 0x01,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		/* SOS, the one block (DC 0, EOB), EOI */
		0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x3f, 0xff, 0xd9,
	};
	memcpy(jpeg, head, sizeof head);
	memset(jpeg + sizeof head, 1, 64);
	memcpy(jpeg + sizeof head + 64, tail, sizeof tail);
	assert_int_equal(sizeof head + 64 + sizeof tail, sizeof jpeg);
}

static const char pdf[] =
	"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
	"1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
	"2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n"
	"3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]>> endobj\n"
	"xref\n0 4\n0000000000 65535 f \n0000000015 00000 n \n0000000062 00000 n \n"
	"0000000117 00000 n \ntrailer <</Size 4 /Root 1 0 R>>\nstartxref\n188\n%%EOF\n";

/* A ZIP archive made by libzip in memory with these entries (name, content) → malloc'd bytes. */
static unsigned char *make_zip(size_t *n, const char *const *entries)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	assert_non_null(src);
	zip_source_keep(src);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	for (const char *const *e = entries; *e; e += 2) {
		zip_source_t *f = zip_source_buffer(z, e[1], strlen(e[1]), 0);
		assert_non_null(f);
		assert_true(zip_file_add(z, e[0], f, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	assert_int_equal(zip_source_open(src), 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_END), 0);
	zip_int64_t len = zip_source_tell(src);
	assert_true(len > 0);
	assert_int_equal(zip_source_seek(src, 0, SEEK_SET), 0);
	unsigned char *buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(zip_source_read(src, buf, (zip_uint64_t)len), len);
	zip_source_close(src);
	zip_source_free(src);
	*n = (size_t)len;
	return buf;
}

static const char ofd_xml[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<ofd:OFD xmlns:ofd=\"http://www.ofdspec.org/2016\" Version=\"1.0\" DocType=\"OFD\">"
	"<ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>";

/* ---- R-MAT-002 ------------------------------------------------------------------------------ */

static void test_sniff_real_files(void **state)
{
	(void)state;
	make_jpeg();
	assert_string_equal(yw_mat_sniff(png, sizeof png), "image/png");
	assert_string_equal(yw_mat_sniff(jpeg, sizeof jpeg), "image/jpeg");
	assert_string_equal(yw_mat_sniff(pdf, strlen(pdf)), "application/pdf");
	size_t n;
	unsigned char *ofd = make_zip(&n, (const char *const[]){ "OFD.xml", ofd_xml, "Doc_0/Document.xml",
	                                                         "<ofd:Document/>", NULL });
	assert_string_equal(yw_mat_sniff(ofd, n), "application/ofd");
	free(ofd);
	/* OFD.xml need not be the first entry. */
	ofd = make_zip(&n, (const char *const[]){ "Doc_0/Document.xml", "<d/>", "OFD.xml", ofd_xml, NULL });
	assert_string_equal(yw_mat_sniff(ofd, n), "application/ofd");
	free(ofd);
}

static void test_sniff_realistic_variants(void **state)
{
	(void)state;
	make_jpeg();
	unsigned char buf[512];
	/* A scanner's padding after the JPEG's EOI. */
	memcpy(buf, jpeg, sizeof jpeg);
	memset(buf + sizeof jpeg, 0, 37);
	assert_string_equal(yw_mat_sniff(buf, sizeof jpeg + 37), "image/jpeg");
	/* A PDF with a CRLF after %%EOF, and one with a few bytes before its header. */
	char p[1400];
	snprintf(p, sizeof p, "%s\r\n", pdf);
	assert_string_equal(yw_mat_sniff(p, strlen(p)), "application/pdf");
	snprintf(p, sizeof p, "junk-before%s", pdf);
	assert_string_equal(yw_mat_sniff(p, strlen(p)), "application/pdf");
	/* …but not more than 1024 bytes of it. */
	memset(p, ' ', 1030);
	memcpy(p + 1030, "%PDF-1.4\n%%EOF\n", 16);
	assert_null(yw_mat_sniff(p, 1030 + 15));
	/* PDF 2.0. */
	const char *v2 = "%PDF-2.0\n1 0 obj <<>> endobj\n%%EOF";
	assert_string_equal(yw_mat_sniff(v2, strlen(v2)), "application/pdf");
}

static void test_sniff_lookalikes(void **state)
{
	(void)state;
	make_jpeg();
	/* Refused whatever a name might say: an HTML page, plain text, nothing at all. */
	const char *html = "<!DOCTYPE html><html><body><script>alert(1)</script>%PDF-1.4</body></html>";
	assert_null(yw_mat_sniff(html, strlen(html)));
	assert_null(yw_mat_sniff("hello", 5));
	assert_null(yw_mat_sniff("", 0));
	assert_null(yw_mat_sniff(NULL, 0));
	/* A zip that is not an OFD: a .docx-like archive, or OFD.xml only in a folder. */
	size_t n;
	unsigned char *z = make_zip(&n, (const char *const[]){ "[Content_Types].xml", "<Types/>", "word/document.xml",
	                                                        "<w/>", NULL });
	assert_null(yw_mat_sniff(z, n));
	free(z);
	z = make_zip(&n, (const char *const[]){ "Doc_0/OFD.xml", ofd_xml, "ofd.xml", ofd_xml, NULL });
	assert_null(yw_mat_sniff(z, n));
	free(z);
	/* A real OFD cut short: the central directory is gone. */
	z = make_zip(&n, (const char *const[]){ "OFD.xml", ofd_xml, NULL });
	assert_null(yw_mat_sniff(z, n - 30));
	/* …or with its entry's offset pointing off: no local header there. */
	unsigned char *cd = NULL;
	for (size_t i = 0; i + 4 <= n; i++)
		if (!memcmp(z + i, "PK\1\2", 4))
			cd = z + i;
	assert_non_null(cd);
	cd[42] = 5;
	assert_null(yw_mat_sniff(z, n));
	free(z);
	/* A PDF without its end, or with a page glued after it. */
	char p[1400];
	snprintf(p, sizeof p, "%.*s", (int)(strlen(pdf) - 6), pdf);
	assert_null(yw_mat_sniff(p, strlen(p)));
	snprintf(p, sizeof p, "%s<html><script>x</script></html>", pdf);
	assert_null(yw_mat_sniff(p, strlen(p)));
	assert_null(yw_mat_sniff("%PDF-x.y\n%%EOF", 14));
	/* A JPEG cut short (no EOI), or a PNG without IEND or with a broken IHDR. */
	assert_null(yw_mat_sniff(jpeg, sizeof jpeg - 2));
	assert_null(yw_mat_sniff(jpeg, 3));
	assert_null(yw_mat_sniff(png, sizeof png - 12));
	unsigned char bad[sizeof png];
	memcpy(bad, png, sizeof png);
	bad[25] = 7;                                   /* no such colour type */
	assert_null(yw_mat_sniff(bad, sizeof bad));
	memcpy(bad, png, sizeof png);
	memset(bad + 16, 0, 4);                        /* width 0 */
	assert_null(yw_mat_sniff(bad, sizeof bad));
	memcpy(bad, png, sizeof png);
	memcpy(bad + 12, "IDAT", 4);                   /* IHDR must come first */
	assert_null(yw_mat_sniff(bad, sizeof bad));
	/* PNG bytes are a PNG whatever follows the signature is not: never then taken for a PDF. */
	unsigned char mixed[256];
	memcpy(mixed, png, 8);
	const char *rest = "%PDF-1.4\n%%EOF";
	memcpy(mixed + 8, rest, strlen(rest));
	assert_null(yw_mat_sniff(mixed, 8 + strlen(rest)));
}

/* Every prefix of every file is read safely (ASan watches), and none is taken for the whole. */
static void test_sniff_truncations(void **state)
{
	(void)state;
	make_jpeg();
	size_t n;
	unsigned char *ofd = make_zip(&n, (const char *const[]){ "OFD.xml", ofd_xml, NULL });
	struct {
		const void *p;
		size_t n;
	} files[] = { { png, sizeof png }, { jpeg, sizeof jpeg }, { pdf, strlen(pdf) - 1 }, { ofd, n } };
	for (size_t f = 0; f < 4; f++)
		for (size_t k = 0; k < files[f].n; k++) {
			unsigned char *copy = malloc(k ? k : 1);
			memcpy(copy, files[f].p, k);
			assert_null(yw_mat_sniff(copy, k));
			free(copy);
		}
	free(ofd);
}

/* ---- R-MAT-003, R-MAT-006 ------------------------------------------------------------------ */

static void test_claims(void **state)
{
	(void)state;
	assert_string_equal(yw_mat_claim("application/pdf"), "application/pdf");
	assert_string_equal(yw_mat_claim("Application/PDF; charset=binary"), "application/pdf");
	assert_string_equal(yw_mat_claim("image/jpeg"), "image/jpeg");
	assert_string_equal(yw_mat_claim("image/jpg"), "image/jpeg");
	assert_string_equal(yw_mat_claim("image/png"), "image/png");
	assert_string_equal(yw_mat_claim("application/ofd"), "application/ofd");
	assert_string_equal(yw_mat_claim("application/octet-stream"), YW_MAT_ANY);
	assert_null(yw_mat_claim(NULL));
	assert_null(yw_mat_claim(""));
	assert_null(yw_mat_claim("text/html"));
	assert_null(yw_mat_claim("application/pdfx"));
	assert_null(yw_mat_claim("image/svg+xml"));
	assert_string_equal(yw_mat_ext("image/jpeg"), ".jpg");
	assert_string_equal(yw_mat_ext("text/html"), "");
}

static void test_names(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(1024);
	const char *sha = "ab12cd34ef567890ab12cd34ef567890ab12cd34ef567890ab12cd34ef567890";
	assert_string_equal(yw_mat_blob_path(a, "/d", sha),
	                    "/d/materials/ab/12/ab12cd34ef567890ab12cd34ef567890ab12cd34ef567890ab12cd34ef567890");
	assert_null(yw_mat_blob_path(a, "/d", "../../etc/passwd"));
	assert_null(yw_mat_blob_path(a, "/d", "AB12cd34ef567890ab12cd34ef567890ab12cd34ef567890ab12cd34ef567890"));
	assert_string_equal(yw_mat_disposition(a, "身份证", "image/png"),
	                    "inline; filename=\"material.png\"; "
	                    "filename*=UTF-8''%E8%BA%AB%E4%BB%BD%E8%AF%81.png");
	/* A title ending in its extension keeps one; quotes, semicolons, slashes and line breaks
	 * are encoded, so the header ends where we end it. */
	assert_string_equal(yw_mat_disposition(a, "营业执照.PDF", "application/pdf"),
	                    "inline; filename=\"material.pdf\"; filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7.PDF");
	assert_string_equal(yw_mat_disposition(a, "a\"b;c/../d\r\nX: y", "application/ofd"),
	                    "inline; filename=\"material.ofd\"; filename*=UTF-8''a%22b%3Bc%2F..%2Fd%0D%0AX%3A%20y.ofd");
	yw_arena_free(a);
}

/* ---- R-MAT-004: files on disk ---------------------------------------------------------------- */

static int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.' || (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."));
	closedir(d);
	return n;
}

static void test_blob_files(void **state)
{
	store_env *env = *state;
	yw_arena *a = yw_arena_new(1024);
	char sha[65];
	yw_sha256_hex((const char *)png, sizeof png, sha);
	assert_int_equal(yw_mat_blob_write(a, env->dir, sha, png, sizeof png), YW_E_OK);
	const char *path = yw_mat_blob_path(a, env->dir, sha);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, sizeof png);
	/* The same bytes again: nothing new, no temporary file left. */
	assert_int_equal(yw_mat_blob_write(a, env->dir, sha, png, sizeof png), YW_E_OK);
	char folder[600];
	snprintf(folder, sizeof folder, "%s/materials/%.2s/%.2s", env->dir, sha, sha + 2);
	assert_int_equal(count_entries(folder), 1);
	const char *back;
	assert_int_equal(yw_mat_blob_read(a, env->dir, sha, sizeof png, &back), YW_E_OK);
	assert_memory_equal(back, png, sizeof png);
	/* A damaged file (wrong size) is replaced whole, and a read of the wrong size refused. */
	FILE *f = fopen(path, "wb");
	fputs("x", f);
	fclose(f);
	assert_int_equal(yw_mat_blob_read(a, env->dir, sha, sizeof png, &back), YW_E_IO);
	assert_int_equal(yw_mat_blob_write(a, env->dir, sha, png, sizeof png), YW_E_OK);
	assert_int_equal(yw_mat_blob_read(a, env->dir, sha, sizeof png, &back), YW_E_OK);
	assert_memory_equal(back, png, sizeof png);
	assert_int_equal(count_entries(folder), 1);
	/* A missing file is an IO error, never a crash. */
	char other[65];
	yw_sha256_hex("other", 5, other);
	assert_int_equal(yw_mat_blob_read(a, env->dir, other, 5, &back), YW_E_IO);
	yw_arena_free(a);
}

/* ---- R-MAT-005: the material space in SQL, on both backends --------------------------------- */

typedef struct {
	yw_material m;
	bool inserted;
} ins_arg;

static yw_err ins_write(yw_db *tx, void *arg)
{
	ins_arg *g = arg;
	return yw_mat_insert(tx, &g->m, "person:p1", &g->inserted);
}

typedef struct {
	const char *id;
	bool done;
} hide_arg;

static yw_err hide_write(yw_db *tx, void *arg)
{
	hide_arg *g = arg;
	return yw_mat_hide(tx, g->id, 5000, &g->done);
}

static yw_material mat(const char *id, const char *kind, const char *owner, const char *sha, long long size,
                       yw_ms at)
{
	return (yw_material){ .id = id, .owner_kind = kind, .owner_id = owner, .sha256 = sha,
	                      .media_type = "image/png", .title = "照片", .size = size, .created_at = at };
}

static void test_space_sql(void **state)
{
	store_env *env = *state;
	yw_store *s = env_open(env);
	yw_arena *a = yw_arena_new(4096);
	char s1[65], s2[65];
	yw_sha256_hex("one", 3, s1);
	yw_sha256_hex("two", 3, s2);
	ins_arg g = { .m = mat("m_1", "person", "p1", s1, 100, 1000) };
	assert_int_equal(yw_store_write(s, ins_write, &g), YW_E_OK);
	assert_true(g.inserted);
	/* The same file in the same space: nothing inserted (the partial unique index). */
	g.m = mat("m_2", "person", "p1", s1, 100, 1001);
	assert_int_equal(yw_store_write(s, ins_write, &g), YW_E_OK);
	assert_false(g.inserted);
	/* In another space: a second material over the one blob. */
	g.m = mat("m_3", "org", "o1", s1, 100, 1002);
	assert_int_equal(yw_store_write(s, ins_write, &g), YW_E_OK);
	assert_true(g.inserted);
	g.m = mat("m_4", "person", "p1", s2, 50, 1003);
	assert_int_equal(yw_store_write(s, ins_write, &g), YW_E_OK);
	assert_true(g.inserted);
	assert_int_equal(read_int(s, "SELECT COUNT(*) FROM material_blobs", YW_NOPARAMS), 2);

	/* Another person's material over the same file, written as another module never could. */
	sql_write(s, "INSERT INTO materials (id, owner_kind, owner_id, sha256, media_type, size, title, "
	             "uploaded_by, created_at) SELECT 'm_9', 'person', 'p9', sha256, media_type, size, "
	             "'x', 'person:p9', 9999 FROM material_blobs WHERE size = 50", NULL);
	yw_db *db = yw_store_reader(s);
	yw_material *ms;
	int n;
	assert_int_equal(yw_mat_list(db, a, "person", "p1", &ms, &n), YW_E_OK);
	assert_int_equal(n, 2);
	assert_string_equal(ms[0].id, "m_4");          /* newest first */
	assert_string_equal(ms[1].id, "m_1");
	yw_material m;
	assert_int_equal(yw_mat_live_by_sha(db, a, "person", "p1", s1, &m), YW_E_OK);
	assert_string_equal(m.id, "m_1");
	assert_int_equal(yw_mat_live_by_sha(db, a, "person", "p2", s1, &m), YW_E_NOT_FOUND);

	/* Owned: every id live and the owner's; sizes once each; another's id named as bad. */
	long long total;
	const char *bad;
	assert_int_equal(yw_materials_owned(db, a, "person", "p1", (const char *const[]){ "m_1", "m_4", "m_1" }, 3,
	                                    &total, &bad), YW_E_OK);
	assert_int_equal(total, 150);
	assert_int_equal(yw_materials_owned(db, a, "person", "p1", (const char *const[]){ "m_1", "m_3" }, 2, &total,
	                                    &bad), YW_E_NOT_FOUND);
	assert_string_equal(bad, "m_3");
	assert_int_equal(yw_materials_owned(db, a, "person", "p1", (const char *const[]){ "m_9" }, 1, &total,
	                                    &bad), YW_E_NOT_FOUND);
	assert_int_equal(yw_materials_owned(db, a, "person", "p1", (const char *const[]){ "m_nope" }, 1, &total,
	                                    &bad), YW_E_NOT_FOUND);

	/* Hidden: out of the list and of owned, still got by id (a case keeps it), and the same
	 * bytes may then be uploaded anew. */
	hide_arg h = { "m_1", false };
	assert_int_equal(yw_store_write(s, hide_write, &h), YW_E_OK);
	assert_true(h.done);
	assert_int_equal(yw_store_write(s, hide_write, &h), YW_E_OK);
	assert_false(h.done);
	assert_int_equal(yw_mat_list(db, a, "person", "p1", &ms, &n), YW_E_OK);
	assert_int_equal(n, 1);
	assert_int_equal(yw_materials_owned(db, a, "person", "p1", (const char *const[]){ "m_1" }, 1, &total, &bad),
	                 YW_E_NOT_FOUND);
	assert_int_equal(yw_materials_get(db, a, "m_1", &m), YW_E_OK);
	assert_true(m.deleted);
	g.m = mat("m_5", "person", "p1", s1, 100, 1004);
	assert_int_equal(yw_store_write(s, ins_write, &g), YW_E_OK);
	assert_true(g.inserted);
	yw_arena_free(a);
	yw_store_close(s);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_sniff_real_files),
		cmocka_unit_test(test_sniff_realistic_variants),
		cmocka_unit_test(test_sniff_lookalikes),
		cmocka_unit_test(test_sniff_truncations),
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_names),
	};
	const struct CMUnitTest stored[] = {
		cmocka_unit_test(test_blob_files),
		cmocka_unit_test(test_space_sql),
	};
	int failed = cmocka_run_group_tests(pure, NULL, NULL);
	return failed + run_on_backends("materials", stored, sizeof stored / sizeof stored[0]);
}
