/* R-CASE-040: the notices as a reader of the PDF sees them (pdftotext, pdfinfo, pdftoppm). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <qrencode.h>

#include "cases/cases.h"

#define URL "https://yiwang.example.gov.cn/progress?serial=341302-20261130-000001-7"

static yw_notice base_notice(yw_notice_kind kind)
{
	return (yw_notice){
		.kind = kind,
		.department = "宿州市市场监督管理局",
		.serial = "341302-20261130-000001-7",
		.date = "2026-11-30",
		.applicant = "张三",
		.item_name = "食品经营许可（新办）",
		.progress_url = URL,
	};
}

/* The PDF written to a temporary file; the path is returned (the caller unlinks it). */
static char *write_pdf(const yw_notice *n)
{
	yw_arena *a = yw_arena_new(0);
	const char *pdf = NULL;
	size_t len = 0;
	assert_int_equal(yw_notice_pdf(a, n, &pdf, &len), YW_E_OK);
	assert_non_null(pdf);
	assert_true(len > 1000);
	assert_memory_equal(pdf, "%PDF-", 5);
	static char path[64];
	strcpy(path, "/tmp/yw-notice-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, pdf, len), (ssize_t)len);
	close(fd);
	yw_arena_free(a);
	return path;
}

static char *run(const char *cmd)
{
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t cap = 1 << 16, n = 0;
	char *out = malloc(cap);
	size_t got;
	while ((got = fread(out + n, 1, cap - n - 1, p)) > 0) {
		n += got;
		if (n + 1 == cap)
			out = realloc(out, cap *= 2);
	}
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	return out;
}

/* The text of the PDF with all white space removed, so that a phrase wrapped across lines is
 * still found. */
static char *pdf_text(const char *path)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "pdftotext -layout -enc UTF-8 '%s' -", path);
	char *t = run(cmd);
	size_t o = 0;
	for (size_t i = 0; t[i]; i++)
		if (t[i] != ' ' && t[i] != '\n' && t[i] != '\t' && t[i] != '\f' && t[i] != '\r')
			t[o++] = t[i];
	t[o] = '\0';
	return t;
}

static int pdf_pages(const char *path)
{
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "pdfinfo '%s'", path);
	char *info = run(cmd);
	const char *p = strstr(info, "Pages:");
	assert_non_null(p);
	int pages = atoi(p + 6);
	free(info);
	return pages;
}

#define assert_has(text, needle)                                                                    \
	do {                                                                                        \
		if (!strstr((text), (needle)))                                                      \
			fail_msg("missing \"%s\" in: %s", (needle), (text));                       \
	} while (0)

/* What every notice carries: department, title, serial, addressee, date, the QR caption. */
static void assert_heading(const char *t, const char *title)
{
	assert_has(t, "宿州市市场监督管理局");
	assert_has(t, title);
	assert_has(t, "办件编号：341302-20261130-000001-7");
	assert_has(t, "张三：");
	assert_has(t, "2026年11月30日");
	assert_has(t, "食品经营许可（新办）");
	assert_has(t, "扫码查询办理进度");
}

static void kind_names(void **state)
{
	(void)state;
	const char *names[] = {"accept", "reject", "supplement", "approve", "deny"};
	const char *titles[] = {"受理通知书", "不予受理决定书", "补正材料通知书", "准予许可决定书", "不予许可决定书"};
	for (int k = 0; k < YW_NOTICE__COUNT; k++) {
		assert_string_equal(yw_notice_kind_name((yw_notice_kind)k), names[k]);
		assert_string_equal(yw_notice_kind_title((yw_notice_kind)k), titles[k]);
		yw_notice_kind back;
		assert_true(yw_notice_kind_from_name(names[k], &back));
		assert_int_equal(back, k);
	}
	yw_notice_kind x;
	assert_false(yw_notice_kind_from_name("Accept", &x));
	assert_false(yw_notice_kind_from_name("", &x));
	assert_false(yw_notice_kind_from_name(NULL, &x));
	assert_null(yw_notice_kind_name(YW_NOTICE__COUNT));
}

static void accept_notice(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_ACCEPT);
	n.due = "2026-12-28";
	char *path = write_pdf(&n);
	char *t = pdf_text(path);
	assert_heading(t, "受理通知书");
	assert_has(t, "申请材料齐全、符合法定形式");
	assert_has(t, "决定予以受理");
	assert_has(t, "本机关将于2026年12月28日前作出决定");
	assert_has(t, "特此通知");
	assert_null(strstr(t, "不予受理"));
	assert_int_equal(pdf_pages(path), 1);
	free(t);
	unlink(path);
}

static void reject_notice(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_REJECT);
	n.reason = "申请事项依法不属于本机关职权范围，请向宿州市埇桥区数据资源管理局提出申请。";
	n.legal_basis = "《中华人民共和国行政许可法》第三十二条第一款第二项";
	char *path = write_pdf(&n);
	char *t = pdf_text(path);
	assert_heading(t, "不予受理决定书");
	assert_has(t, "申请事项依法不属于本机关职权范围，请向宿州市埇桥区数据资源管理局提出申请。");
	assert_has(t, "根据《中华人民共和国行政许可法》第三十二条第一款第二项的规定，本机关决定不予受理。");
	assert_has(t, "六十日内依法申请行政复议");
	assert_has(t, "六个月内依法向人民法院提起行政诉讼");
	free(t);
	unlink(path);
}

static void supplement_notice(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_SUPPLEMENT);
	const char *missing[] = {
		"营业执照副本复印件：未加盖公章",
		"经营场所平面图：未标明食品处理区与非食品处理区",
		"法定代表人身份证复印件：已过有效期，请提供有效期内的身份证",
	};
	n.missing = missing;
	n.nmissing = 3;
	char *path = write_pdf(&n);
	char *t = pdf_text(path);
	assert_heading(t, "补正材料通知书");
	assert_has(t, "1．营业执照副本复印件：未加盖公章");
	assert_has(t, "2．经营场所平面图：未标明食品处理区与非食品处理区");
	assert_has(t, "3．法定代表人身份证复印件：已过有效期，请提供有效期内的身份证");
	assert_has(t, "一次性告知");
	assert_has(t, "一次性补正全部材料");
	/* The list comes in its order, after the opening and before the closing sentence. */
	char *p1 = strstr(t, "1．"), *p3 = strstr(t, "3．"), *end = strstr(t, "以上为需要补正的全部内容");
	assert_true(strstr(t, "一次性告知") < p1 && p1 < p3 && p3 < end);
	free(t);
	unlink(path);
}

static void approve_notice(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_APPROVE);
	n.legal_basis = "《中华人民共和国食品安全法》第三十五条";
	char *path = write_pdf(&n);
	char *t = pdf_text(path);
	assert_heading(t, "准予许可决定书");
	assert_has(t, "符合法定条件、标准，根据《中华人民共和国食品安全法》第三十五条的规定，本机关决定准予许可。");
	assert_null(strstr(t, "行政复议"));
	free(t);
	unlink(path);
	/* an item that is no licence (户口迁移, a 行政确认) is granted, not licensed */
	n.not_licence = true;
	path = write_pdf(&n);
	t = pdf_text(path);
	assert_heading(t, "准予办理决定书");
	assert_has(t, "本机关决定准予办理。");
	assert_null(strstr(t, "准予许可"));
	assert_null(strstr(t, "许可证件"));
	free(t);
	unlink(path);
	n.kind = YW_NOTICE_DENY;
	n.reason = "迁入地址与户籍登记信息不符。";
	path = write_pdf(&n);
	t = pdf_text(path);
	assert_heading(t, "不予办理决定书");
	assert_has(t, "本机关决定不予办理。");
	free(t);
	unlink(path);
}

static void deny_notice(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_DENY);
	n.reason = "现场核查发现经营场所与住宅相连，未设置有效隔离。\n食品处理区面积不足，不符合许可条件。";
	n.legal_basis = "《食品经营许可和备案管理办法》第十二条";
	char *path = write_pdf(&n);
	char *t = pdf_text(path);
	assert_heading(t, "不予许可决定书");
	assert_has(t, "不符合法定条件、标准，理由如下：");
	assert_has(t, "现场核查发现经营场所与住宅相连，未设置有效隔离。");
	assert_has(t, "食品处理区面积不足，不符合许可条件。");
	assert_has(t, "根据《食品经营许可和备案管理办法》第十二条的规定，本机关决定不予许可。");
	assert_has(t, "行政复议");
	assert_has(t, "行政诉讼");
	free(t);
	unlink(path);
}

/* A long statement of reasons flows on: two pages, numbered, nothing lost at the break. */
static void long_reason_flows_to_a_second_page(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_DENY);
	char reason[20000] = "";
	for (int i = 1; i <= 40; i++) {
		char one[256];
		snprintf(one, sizeof(one), "第%d项：经现场核查，该项条件不符合《食品经营许可审查通则》的相关要求，需整改后重新申请。\n",
		         i);
		strcat(reason, one);
	}
	n.reason = reason;
	char *path = write_pdf(&n);
	int pages = pdf_pages(path);
	assert_true(pages >= 2);
	char *t = pdf_text(path);
	for (int i = 1; i <= 40; i++) {
		char one[64];
		snprintf(one, sizeof(one), "第%d项：经现场核查", i);
		assert_has(t, one);
	}
	assert_has(t, "—1—");
	assert_has(t, "—2—");
	assert_has(t, "行政诉讼");
	assert_has(t, "2026年11月30日");
	free(t);
	unlink(path);
}

/* What a person typed is text, never markup; bad bytes do not stop the notice. */
static void user_text_shows_literally(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_REJECT);
	n.applicant = "<b>&amp;张三</b>";
	n.item_name = "<span foreground=\"red\">登记</span>";
	n.reason = "含有\x01控制字符与非法字节\xff\xfe的理由";
	char *path = write_pdf(&n);
	char *t = pdf_text(path);
	assert_has(t, "<b>&amp;张三</b>：");
	assert_has(t, "<spanforeground=\"red\">登记</span>");
	assert_has(t, "控制字符与非法字节");
	free(t);
	unlink(path);
}

static unsigned char *read_pgm(const char *path, int *w, int *h)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	int maxval;
	assert_int_equal(fscanf(f, "P5 %d %d %d", w, h, &maxval), 3);
	fgetc(f);
	unsigned char *px = malloc((size_t)*w * *h);
	assert_int_equal(fread(px, 1, (size_t)*w * *h, f), (size_t)*w * *h);
	fclose(f);
	return px;
}

/* The QR code on the page is the one of the progress URL: the page is rendered, the code found
 * above its caption, and every module compared with what libqrencode makes of the URL. */
static void qr_code_encodes_the_progress_url(void **state)
{
	(void)state;
	yw_notice n = base_notice(YW_NOTICE_ACCEPT);
	char *path = write_pdf(&n);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "pdftotext -bbox '%s' -", path);
	char *html = run(cmd);
	char *cap = strstr(html, "扫码查询办理进度");
	assert_non_null(cap);
	while (cap > html && strncmp(cap, "<word", 5) != 0)
		cap--;
	double cap_ymin = atof(strstr(cap, "yMin=\"") + 6);
	free(html);

	const double dpi = 288, scale = dpi / 72;
	snprintf(cmd, sizeof(cmd), "pdftoppm -r %d -gray -singlefile '%s' '%s-page'", (int)dpi, path, path);
	free(run(cmd));
	char pgm[128];
	snprintf(pgm, sizeof(pgm), "%s-page.pgm", path);
	int w, h;
	unsigned char *px = read_pgm(pgm, &w, &h);

	/* The code is the dark square in the left column just above the caption. */
	const double mm = 72 / 25.4;
	int x0 = (int)(20 * mm * scale), x1 = (int)(60 * mm * scale);
	int y1 = (int)((cap_ymin - 0.5) * scale), y0 = (int)((cap_ymin - 30 * mm) * scale);
	int bx0 = w, bx1 = -1, by0 = h, by1 = -1;
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++)
			if (px[(size_t)y * w + x] < 128) {
				bx0 = x < bx0 ? x : bx0;
				bx1 = x > bx1 ? x : bx1;
				by0 = y < by0 ? y : by0;
				by1 = y > by1 ? y : by1;
			}
	assert_true(bx1 > bx0 && by1 > by0);
	QRcode *q = QRcode_encodeString8bit(URL, 0, QR_ECLEVEL_M);
	assert_non_null(q);
	double mw = (double)(bx1 - bx0 + 1) / q->width, mh = (double)(by1 - by0 + 1) / q->width;
	assert_true(mw > 3 && mh > 3 && mw / mh > 0.95 && mw / mh < 1.05);   /* square, resolvable */
	int wrong = 0;
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width; c++) {
			int x = bx0 + (int)((c + 0.5) * mw), y = by0 + (int)((r + 0.5) * mh);
			bool dark = px[(size_t)y * w + x] < 128;
			wrong += dark != (bool)(q->data[r * q->width + c] & 1);
		}
	assert_int_equal(wrong, 0);
	QRcode_free(q);
	free(px);
	unlink(pgm);
	unlink(path);
}

/* Several workers make notices at once (pango keeps a font map per thread). */
static void *maker(void *arg)
{
	long id = (long)arg;
	for (int i = 0; i < 3; i++) {
		yw_arena *a = yw_arena_new(0);
		yw_notice n = base_notice((yw_notice_kind)((id + i) % YW_NOTICE__COUNT));
		const char *missing[] = {"申请书：未签字"};
		n.missing = missing;
		n.nmissing = 1;
		n.reason = "不符合条件。";
		const char *pdf;
		size_t len;
		if (yw_notice_pdf(a, &n, &pdf, &len) != YW_E_OK || len < 1000 || memcmp(pdf, "%PDF-", 5) != 0 ||
		    !memmem(pdf, len, "%%EOF", 5)) {
			yw_arena_free(a);
			return (void *)1;
		}
		yw_arena_free(a);
	}
	return NULL;
}

static void notices_from_four_threads(void **state)
{
	(void)state;
	pthread_t t[4];
	for (long i = 0; i < 4; i++)
		assert_int_equal(pthread_create(&t[i], NULL, maker, (void *)i), 0);
	for (int i = 0; i < 4; i++) {
		void *res;
		assert_int_equal(pthread_join(t[i], &res), 0);
		assert_null(res);
	}
}

static int release_fonts(void **state)
{
	(void)state;
	yw_notice_shutdown();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kind_names),
		cmocka_unit_test(accept_notice),
		cmocka_unit_test(reject_notice),
		cmocka_unit_test(supplement_notice),
		cmocka_unit_test(approve_notice),
		cmocka_unit_test(deny_notice),
		cmocka_unit_test(long_reason_flows_to_a_second_page),
		cmocka_unit_test(user_text_shows_literally),
		cmocka_unit_test(qr_code_encodes_the_progress_url),
		cmocka_unit_test(notices_from_four_threads),
	};
	return cmocka_run_group_tests(tests, NULL, release_fonts);
}
