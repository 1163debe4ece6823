/*
 * R-CASE-040: the written notices of a case as PDF. The page follows the habits of Chinese
 * official documents (GB/T 9704): A4, a type area of about 156 x 225 mm, the issuing department
 * and the title centred at the top, the body in a serif face with two-character first-line
 * indents, the signature (department above date) towards the right, page numbers only when the
 * notice runs over one page.
 *
 * Everything a person typed (names, reasons, missing materials) reaches pango as plain text
 * through pango_layout_set_text, never as markup, so "<b>" is printed as it was written. Layout
 * is done in two passes: first every line of every block is placed on a page (so a long list
 * of reasons flows onto the next page line by line, and the total page count is known), then
 * the pages are drawn.
 *
 * Threads: cairo is thread-safe, and pango's default font map is kept per thread, so workers
 * may make notices at the same time; each worker's font map goes when its thread ends.
 */
#include <stdatomic.h>
#include <string.h>

#include <cairo.h>
#include <cairo-pdf.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <qrencode.h>

#include "cases/cases.h"

static const struct {
	const char *name, *title;
} kinds[YW_NOTICE__COUNT] = {
	[YW_NOTICE_ACCEPT] = {"accept", "受理通知书"},
	[YW_NOTICE_REJECT] = {"reject", "不予受理决定书"},
	[YW_NOTICE_SUPPLEMENT] = {"supplement", "补正材料通知书"},
	[YW_NOTICE_APPROVE] = {"approve", "准予许可决定书"},
	[YW_NOTICE_DENY] = {"deny", "不予许可决定书"},
};

const char *yw_notice_kind_name(yw_notice_kind k)
{
	return (unsigned)k < YW_NOTICE__COUNT ? kinds[k].name : NULL;
}

/* A decision on an item that is not a 行政许可 (户口迁移 is a 行政确认) grants or refuses the
 * handling, not a licence. */
const char *yw_notice_title(const yw_notice *n)
{
	if (n->not_licence && n->kind == YW_NOTICE_APPROVE)
		return "准予办理决定书";
	if (n->not_licence && n->kind == YW_NOTICE_DENY)
		return "不予办理决定书";
	return yw_notice_kind_title(n->kind);
}

const char *yw_notice_kind_title(yw_notice_kind k)
{
	return (unsigned)k < YW_NOTICE__COUNT ? kinds[k].title : NULL;
}

bool yw_notice_kind_from_name(const char *name, yw_notice_kind *out)
{
	for (int k = 0; name && k < YW_NOTICE__COUNT; k++)
		if (strcmp(name, kinds[k].name) == 0) {
			*out = (yw_notice_kind)k;
			return true;
		}
	return false;
}

/* ---- page geometry, in PDF points ----------------------------------------------------------- */

#define MM (72.0 / 25.4)
#define PAGE_W (210.0 * MM)
#define PAGE_H (297.0 * MM)
#define MARGIN_TOP (37.0 * MM)
#define MARGIN_BOTTOM (35.0 * MM)
#define MARGIN_LEFT (28.0 * MM)
#define MARGIN_RIGHT (26.0 * MM)
#define TEXT_W (PAGE_W - MARGIN_LEFT - MARGIN_RIGHT)
#define TEXT_BOTTOM (PAGE_H - MARGIN_BOTTOM)

#define BODY_PT 16.0      /* 三号 */
#define TITLE_PT 22.0     /* 二号 */
#define DEPT_PT 20.0
#define CAPTION_PT 9.0
#define PAGENO_PT 14.0    /* 四号 */
#define QR_SIDE (24.0 * MM)

#define BODY_FONT "Noto Serif CJK SC"
#define HEAD_FONT "Noto Sans CJK SC"

/* Set when a notice was made, so that shutdown leaves fontconfig alone in processes that never
 * touched it. */
static atomic_bool fonts_used;

/* ---- text from the case -------------------------------------------------------------------- */

/* Pango wants valid UTF-8 and draws control characters as boxes: invalid bytes become U+FFFD,
 * control characters a space, and line breaks are kept only where a field may hold paragraphs. */
static char *clean(yw_arena *a, const char *s, bool paragraphs)
{
	if (!s)
		s = "";
	size_t n = strlen(s);
	char *out = yw_alloc(a, n * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	const char *p = s, *end = s + n;
	while (p < end) {
		const char *bad;
		g_utf8_validate(p, end - p, &bad);
		for (; p < bad; p++) {
			unsigned char c = (unsigned char)*p;
			if (c == '\r' && p + 1 < bad && p[1] == '\n')
				continue;
			if (c == '\n' || c == '\r')
				out[o++] = paragraphs ? '\n' : ' ';
			else if (c < 0x20 || c == 0x7f)
				out[o++] = ' ';
			else
				out[o++] = (char)c;
		}
		if (p < end) {
			memcpy(out + o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	out[o] = '\0';
	return out;
}

/* "2026-11-30" → "2026年11月30日", without leading zeros as dates in documents are written;
 * anything else is shown as given. */
static char *cn_date(yw_arena *a, const char *s)
{
	yw_date d;
	if (s && yw_date_parse(s, &d))
		return yw_sprintf(a, "%d年%d月%d日", d.y, d.m, d.d);
	return clean(a, s, false);
}

/* ---- blocks and their placement ------------------------------------------------------------ */

typedef struct {
	PangoLayout *layout;
	double x;          /* left edge of the layout box */
	double before;     /* space above the block */
} block;

typedef struct {
	PangoLayoutLine *line;
	int page;
	double x, baseline;
} placed;

typedef struct {
	yw_arena *a;
	PangoContext *ctx;
	GPtrArray *owned;  /* the layouts, released before yw_notice_pdf returns */
	block *blocks;
	int nblocks, cap;
} doc;

static PangoLayout *layout_new(doc *d, const char *font, double pt, const char *text, double width,
                               PangoAlignment align)
{
	if (!text)
		return NULL;
	PangoLayout *l = pango_layout_new(d->ctx);
	g_ptr_array_add(d->owned, l);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_font_description_set_size(fd, (gint)(pt * PANGO_SCALE));
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0)
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, align);
	pango_layout_set_text(l, text, -1);
	return l;
}

static PangoLayout *add(doc *d, const char *font, double pt, const char *text, double x, double width,
                        PangoAlignment align, double before)
{
	if (d->nblocks == d->cap) {
		int cap = d->cap ? d->cap * 2 : 32;
		block *nb = yw_alloc(d->a, sizeof(*nb) * (size_t)cap);
		if (!nb)
			return NULL;
		if (d->nblocks)
			memcpy(nb, d->blocks, sizeof(*nb) * (size_t)d->nblocks);
		d->blocks = nb;
		d->cap = cap;
	}
	PangoLayout *l = layout_new(d, font, pt, text, width, align);
	if (!l)
		return NULL;
	d->blocks[d->nblocks++] = (block){l, x, before};
	return l;
}

/* A body paragraph: full width, first line indented by two characters. */
static bool para(doc *d, const char *text)
{
	PangoLayout *l = add(d, BODY_FONT, BODY_PT, text, MARGIN_LEFT, TEXT_W, PANGO_ALIGN_LEFT, 0);
	if (!l)
		return false;
	pango_layout_set_indent(l, (int)(2 * BODY_PT * PANGO_SCALE));
	pango_layout_set_line_spacing(l, 1.25f);
	pango_layout_set_justify(l, TRUE);   /* an even right edge, as documents are set */
	return true;
}

/* One numbered entry of a list: the number hangs, the wrapped lines align with the text. */
static bool list_item(doc *d, int no, const char *text)
{
	char *label = yw_sprintf(d->a, "%d．", no);
	char *s = yw_sprintf(d->a, "%s%s", label, text);
	if (!label || !s)
		return false;
	PangoLayout *probe = layout_new(d, BODY_FONT, BODY_PT, label, -1, PANGO_ALIGN_LEFT);
	if (!probe)
		return false;
	int lw = 0;
	pango_layout_get_size(probe, &lw, NULL);
	double hang = (double)lw / PANGO_SCALE;
	double x = MARGIN_LEFT + 2 * BODY_PT + hang;
	PangoLayout *l = add(d, BODY_FONT, BODY_PT, s, x, MARGIN_LEFT + TEXT_W - x, PANGO_ALIGN_LEFT, 0);
	if (!l)
		return false;
	pango_layout_set_indent(l, -lw);
	pango_layout_set_line_spacing(l, 1.25f);
	pango_layout_set_justify(l, TRUE);
	return true;
}

/* Put every line of every block on a page; *y ends below the last one. */
static placed *paginate(doc *d, int *nplaced, int *page, double *y)
{
	int total = 0;
	for (int i = 0; i < d->nblocks; i++)
		total += pango_layout_get_line_count(d->blocks[i].layout);
	placed *out = yw_alloc(d->a, sizeof(*out) * (size_t)(total ? total : 1));
	if (!out)
		return NULL;
	int n = 0;
	*page = 0;
	*y = MARGIN_TOP;
	for (int i = 0; i < d->nblocks; i++) {
		block *b = &d->blocks[i];
		*y += b->before;
		PangoLayoutIter *it = pango_layout_get_iter(b->layout);
		do {
			int y0, y1;
			PangoRectangle logical;
			pango_layout_iter_get_line_yrange(it, &y0, &y1);
			pango_layout_iter_get_line_extents(it, NULL, &logical);
			double h = (double)(y1 - y0) / PANGO_SCALE;
			if (*y + h > TEXT_BOTTOM && *y > MARGIN_TOP) {
				(*page)++;
				*y = MARGIN_TOP;
			}
			out[n++] = (placed){
				.line = pango_layout_iter_get_line_readonly(it),
				.page = *page,
				.x = b->x + (double)logical.x / PANGO_SCALE,
				.baseline = *y + (double)(pango_layout_iter_get_baseline(it) - y0) / PANGO_SCALE,
			};
			*y += h;
		} while (pango_layout_iter_next_line(it));
		pango_layout_iter_free(it);
	}
	*nplaced = n;
	return out;
}

static double layout_height(PangoLayout *l)
{
	int h = 0;
	pango_layout_get_size(l, NULL, &h);
	return (double)h / PANGO_SCALE;
}

static double layout_width(PangoLayout *l)
{
	int w = 0;
	pango_layout_get_size(l, &w, NULL);
	return (double)w / PANGO_SCALE;
}

/* The modules as filled rectangles, one per horizontal run so that viewers show no seams
 * between neighbours. */
static void draw_qr(cairo_t *cr, const QRcode *q, double x, double y, double side)
{
	const int quiet = 2;
	double m = side / (q->width + 2 * quiet);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int r = 0; r < q->width; r++)
		for (int c = 0; c < q->width;) {
			if (!(q->data[r * q->width + c] & 1)) {
				c++;
				continue;
			}
			int run = c;
			while (run < q->width && (q->data[r * q->width + run] & 1))
				run++;
			cairo_rectangle(cr, x + (quiet + c) * m, y + (quiet + r) * m, (run - c) * m, m);
			c = run;
		}
	cairo_fill(cr);
}

static cairo_status_t write_buf(void *closure, const unsigned char *data, unsigned int length)
{
	return yw_buf_append(closure, data, length) == 0 ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

/* ---- the wording ---------------------------------------------------------------------------- */

static const char RIGHTS[] =
	"如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者自收到本决定书之日起"
	"六个月内依法向人民法院提起行政诉讼。";

/* Reasons may run to several paragraphs; each is indented like the body. */
static bool paras(doc *d, const char *text)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len > 0) {
			char *one = yw_strndup(d->a, p, len);
			if (!one || !para(d, one))
				return false;
		}
		p += len + (nl ? 1 : 0);
	}
	return true;
}

static bool body(doc *d, const yw_notice *n, bool has_qr)
{
	yw_arena *a = d->a;
	const char *item = clean(a, n->item_name, false);
	const char *reason = n->reason && *n->reason ? clean(a, n->reason, true) : NULL;
	const char *basis = n->legal_basis && *n->legal_basis ? clean(a, n->legal_basis, false) : NULL;
	const char *query = has_qr ? "你（单位）可凭办件编号，或者扫描本文书上的二维码，查询办理进度。"
	                           : "你（单位）可凭办件编号查询办理进度。";
	/* "根据《…》第…条的规定，" when the department named its basis. */
	const char *by = basis ? yw_sprintf(a, "根据%s的规定，", basis) : "";
	const char *act = n->not_licence ? "办理" : "许可";
	if (!item || !by)
		return false;

	switch (n->kind) {
	case YW_NOTICE_ACCEPT: {
		const char *due = n->due && *n->due ? cn_date(a, n->due) : NULL;
		return para(d, yw_sprintf(a, "你（单位）提出的“%s”申请，经审查，申请材料齐全、符合法定形式，"
		                             "本机关决定予以受理。", item)) &&
		       para(d, due ? yw_sprintf(a, "本机关将于%s前作出决定。依法需要听证、检验、检测、鉴定、"
		                                   "专家评审等的，所需时间不计入办理时限。", due)
		                   : "本机关将在承诺时限内作出决定。依法需要听证、检验、检测、鉴定、专家评审等的，"
		                     "所需时间不计入办理时限。") &&
		       para(d, query) && para(d, "特此通知。");
	}
	case YW_NOTICE_REJECT:
		return para(d, yw_sprintf(a, "你（单位）提出的“%s”申请，经审查，不符合受理条件%s", item,
		                          reason ? "，理由如下：" : "。")) &&
		       (!reason || paras(d, reason)) &&
		       para(d, yw_sprintf(a, "%s本机关决定不予受理。", by)) && para(d, RIGHTS);
	case YW_NOTICE_SUPPLEMENT:
		if (!para(d, yw_sprintf(a, "你（单位）提出的“%s”申请，经审查，申请材料不齐全或者不符合法定形式。"
		                           "现将需要补正的全部内容一次性告知如下：", item)))
			return false;
		for (int i = 0; i < n->nmissing; i++) {
			const char *m = clean(a, n->missing[i], true);   /* a reason keeps its lines */
			if (!m || !list_item(d, i + 1, m))
				return false;
		}
		return para(d, "以上为需要补正的全部内容。请你（单位）按照上述要求一次性补正全部材料后重新提交，"
		               "本机关收到全部补正材料后依法办理；补正期间不计入办理时限。") &&
		       para(d, query) && para(d, "特此通知。");
	case YW_NOTICE_APPROVE:
		return para(d, yw_sprintf(a, "你（单位）提出的“%s”申请，经审查，符合法定条件、标准，%s"
		                             "本机关决定准予%s。", item, by, act)) &&
		       (!reason || paras(d, yw_sprintf(a, "审查意见：%s", reason))) &&
		       para(d, n->not_licence ? "办理结果将按你（单位）选择的方式送达，请注意查收。"
		                              : "许可证件（办理结果）将按你（单位）选择的方式送达，请注意查收。") &&
		       para(d, query);
	case YW_NOTICE_DENY:
		return para(d, yw_sprintf(a, "你（单位）提出的“%s”申请，经审查，不符合法定条件、标准%s", item,
		                          reason ? "，理由如下：" : "。")) &&
		       (!reason || paras(d, reason)) &&
		       para(d, yw_sprintf(a, "%s本机关决定不予%s。", by, act)) && para(d, RIGHTS);
	default:
		return false;
	}
}

/* ---- the document --------------------------------------------------------------------------- */

yw_err yw_notice_pdf(yw_arena *a, const yw_notice *n, const char **pdf, size_t *len)
{
	*pdf = NULL;
	*len = 0;
	if ((unsigned)n->kind >= YW_NOTICE__COUNT)
		return YW_E_INTERNAL;
	atomic_store(&fonts_used, true);

	/* Nothing of pango or cairo outlives this call: a notice made on a worker thread leaves no
	 * font references behind for whoever frees the arena, or for yw_notice_shutdown. */
	yw_err err = YW_E_INTERNAL;
	yw_buf out = {0};
	QRcode *qr = NULL;
	PangoContext *ctx = NULL;
	doc d = {.a = a, .owned = g_ptr_array_new_with_free_func(g_object_unref)};
	cairo_surface_t *surface = cairo_pdf_surface_create_for_stream(write_buf, &out, PAGE_W, PAGE_H);
	cairo_t *cr = cairo_create(surface);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS)
		goto done;

	const char *title = yw_notice_title(n);
	const char *dept = clean(a, n->department, false);
	const char *serial = clean(a, n->serial, false);
	const char *applicant = clean(a, n->applicant, false);
	const char *date = cn_date(a, n->date);
	if (!dept || !serial || !applicant || !date)
		goto done;
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, dept);
	cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "yiwang");

	/* Points are the PDF's units: pango must lay out at 72 dpi, unhinted, or its metrics would
	 * be those of a screen. */
	ctx = pango_cairo_create_context(cr);
	pango_cairo_context_set_resolution(ctx, 72.0);
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(ctx, fo);
	cairo_font_options_destroy(fo);
	pango_context_set_round_glyph_positions(ctx, FALSE);
	pango_context_set_language(ctx, pango_language_from_string("zh-cn"));
	d.ctx = ctx;

	if (n->progress_url && *n->progress_url) {
		qr = QRcode_encodeString8bit(n->progress_url, 0, QR_ECLEVEL_M);
		if (!qr)
			goto done;
	}

	if (!add(&d, HEAD_FONT, DEPT_PT, dept, MARGIN_LEFT, TEXT_W, PANGO_ALIGN_CENTER, 0) ||
	    !add(&d, HEAD_FONT " Bold", TITLE_PT, title, MARGIN_LEFT, TEXT_W, PANGO_ALIGN_CENTER, 6) ||
	    !add(&d, BODY_FONT, BODY_PT, yw_sprintf(a, "办件编号：%s", serial), MARGIN_LEFT, TEXT_W,
	         PANGO_ALIGN_CENTER, 12) ||
	    !add(&d, BODY_FONT, BODY_PT, yw_sprintf(a, "%s：", applicant), MARGIN_LEFT, TEXT_W, PANGO_ALIGN_LEFT,
	         BODY_PT * 1.5))
		goto done;
	if (!body(&d, n, qr != NULL))
		goto done;

	int nplaced, page;
	double y;
	placed *lines = paginate(&d, &nplaced, &page, &y);
	if (!lines)
		goto done;

	/* The closing: department over date on the right, set in from the right edge by two
	 * characters, and the QR code with its caption on the left, kept together on one page. */
	PangoLayout *sig_dept = layout_new(&d, BODY_FONT, BODY_PT, dept, -1, PANGO_ALIGN_CENTER);
	PangoLayout *sig_date = layout_new(&d, BODY_FONT, BODY_PT, date, -1, PANGO_ALIGN_CENTER);
	PangoLayout *caption = layout_new(&d, HEAD_FONT, CAPTION_PT, "扫码查询办理进度", -1, PANGO_ALIGN_CENTER);
	if (!sig_dept || !sig_date || !caption)
		goto done;
	double sig_h = layout_height(sig_dept) + 4 + layout_height(sig_date);
	double qr_h = qr ? QR_SIDE + 2 + layout_height(caption) : 0;
	double close_h = sig_h > qr_h ? sig_h : qr_h;
	double close_y = y + 2 * BODY_PT;
	if (close_y + close_h > TEXT_BOTTOM) {
		page++;
		close_y = MARGIN_TOP;
	}
	int npages = page + 1;

	for (int p = 0, i = 0; p < npages; p++) {
		for (; i < nplaced && lines[i].page == p; i++) {
			cairo_move_to(cr, lines[i].x, lines[i].baseline);
			pango_cairo_show_layout_line(cr, lines[i].line);
		}
		if (p == page) {
			double dw = layout_width(sig_dept), tw = layout_width(sig_date);
			double sw = dw > tw ? dw : tw;
			double sx = MARGIN_LEFT + TEXT_W - 2 * BODY_PT - sw;
			double sy = close_y + (close_h - sig_h);
			cairo_move_to(cr, sx + (sw - dw) / 2, sy);
			pango_cairo_show_layout(cr, sig_dept);
			cairo_move_to(cr, sx + (sw - tw) / 2, sy + layout_height(sig_dept) + 4);
			pango_cairo_show_layout(cr, sig_date);
			if (qr) {
				draw_qr(cr, qr, MARGIN_LEFT, close_y, QR_SIDE);
				cairo_move_to(cr, MARGIN_LEFT + (QR_SIDE - layout_width(caption)) / 2, close_y + QR_SIDE + 2);
				pango_cairo_show_layout(cr, caption);
			}
		}
		if (npages > 1) {
			/* "— 1 —" at the foot, as the pages of documents are numbered. */
			PangoLayout *no = layout_new(&d, BODY_FONT, PAGENO_PT, yw_sprintf(a, "— %d —", p + 1), -1,
			                             PANGO_ALIGN_CENTER);
			if (!no)
				goto done;
			cairo_move_to(cr, (PAGE_W - layout_width(no)) / 2, TEXT_BOTTOM + 7 * MM);
			pango_cairo_show_layout(cr, no);
		}
		cairo_show_page(cr);
	}
	cairo_surface_finish(surface);
	if (cairo_status(cr) != CAIRO_STATUS_SUCCESS || cairo_surface_status(surface) != CAIRO_STATUS_SUCCESS)
		goto done;

	char *bytes = yw_alloc(a, out.len ? out.len : 1);
	if (!bytes)
		goto done;
	memcpy(bytes, out.data, out.len);
	*pdf = bytes;
	*len = out.len;
	err = YW_E_OK;
done:
	g_ptr_array_free(d.owned, TRUE);
	if (ctx)
		g_object_unref(ctx);
	if (qr)
		QRcode_free(qr);
	cairo_destroy(cr);
	/* The stream writes into out until the surface is finished. */
	cairo_surface_finish(surface);
	cairo_surface_destroy(surface);
	yw_buf_free(&out);
	return err;
}

/* gcc says "address sanitizer" with a macro, clang with __has_feature. */
#if defined(__SANITIZE_ADDRESS__)
#define NOTICE_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NOTICE_ASAN 1
#endif
#endif
#ifdef NOTICE_ASAN
/* cairo 1.16 (Debian 12) loses about 768 bytes for each font face it embeds, inside the font
 * subsetting that cairo_surface_finish runs (one lost array per face per PDF). Nothing of ours
 * can free it, and cairo is built without frame pointers, so the leak checker's stack shows only
 * the library: the suppression names the library. Our own cairo objects are all released in
 * yw_notice_pdf before it returns. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
	return "leak:libcairo.so.2\n";
}
#endif

/* Releases the caches that fontconfig, pango and cairo keep for the life of the process, so
 * that the leak checker sees a clean exit. Only once the threads that made notices are gone. */
void yw_notice_shutdown(void)
{
	if (!atomic_exchange(&fonts_used, false))
		return;
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
}
