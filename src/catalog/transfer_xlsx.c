/*
 * The catalog's transfer document as an xlsx workbook and back (transfer.h). Writing goes
 * through libxlsxwriter; reading is our own, libzip for the package and expat for its XML,
 * because a workbook may come from Excel, WPS or any other writer: cells may hold shared
 * strings (Excel) or inline strings, rows and cells may or may not say where they are, and
 * element names may carry a namespace prefix. Nothing here knows what an item means: columns
 * are converted by their kind only, and what does not convert is handed on as text for the
 * import to name in its report.
 */
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "catalog/transfer.h"

#define SHEET_ITEMS "事项"
#define SHEET_MATERIALS "材料"
#define SHEET_ABOUT "说明"
/* What one upload may unpack to, all parts together: deflate packs repetitive XML a thousand to
 * one, so the size of the upload says little about the memory its reading takes. */
#define MAX_UNPACKED_BYTES (32u << 20)
#define MAX_SHARED_STRINGS 200000
#define MAX_COLS 128                  /* cells further right are not ours and are ignored */
#define MAX_ROWS (YW_CAT_TX_MAX_ITEMS * 20 + 10)   /* materials: up to 20 per item on average */

/* ---- writing ------------------------------------------------------------------------------ */

static const char *value_text(yw_arena *a, json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	return yw_json_dump(a, v, NULL);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* A literal "_xHHHH_" in a text would be read back (by Excel, and by us) as the character
 * HHHH; OOXML keeps it literal by writing its underscore as _x005F_. libxlsxwriter 1.1.4 does
 * not, so it is done here. */
static const char *escape_x(yw_arena *a, const char *s)
{
	if (!strstr(s, "_x"))
		return s;
	yw_buf b = { 0 };
	for (const char *p = s; *p; p++) {
		bool esc = p[0] == '_' && p[1] == 'x' && is_hex(p[2]) && is_hex(p[3]) && is_hex(p[4]) &&
		           is_hex(p[5]) && p[6] == '_';
		if (yw_buf_append(&b, esc ? "_x005F_" : p, esc ? 7 : 1)) {
			yw_buf_free(&b);
			return NULL;
		}
	}
	char *out = yw_strndup(a, b.data ? b.data : "", b.len);
	yw_buf_free(&b);
	return out;
}

/* One cell: integers as numbers, everything else as text; null and "" leave the cell empty. */
static lxw_error put(yw_arena *a, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, json_t *v)
{
	if (!v || json_is_null(v))
		return LXW_NO_ERROR;
	if (json_is_integer(v))
		return worksheet_write_number(ws, row, col, (double)json_integer_value(v), NULL);
	const char *s = value_text(a, v);
	if (s)
		s = escape_x(a, s);
	if (!s)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	return s[0] ? worksheet_write_string(ws, row, col, s, NULL) : LXW_NO_ERROR;
}

/* Row 1 the Chinese headers, row 2 the keys (hidden: the import reads them, people do not need
 * to), the panes frozen below them. */
static lxw_error headers(lxw_worksheet *ws, lxw_format *bold, const yw_tx_field *f, int n,
                         int first_col)
{
	lxw_error e = LXW_NO_ERROR;
	if (first_col) {
		e = worksheet_write_string(ws, 0, 0, "实施编码", bold);
		if (!e)
			e = worksheet_write_string(ws, 1, 0, "task_code", NULL);
	}
	for (int i = 0; !e && i < n; i++) {
		e = worksheet_write_string(ws, 0, (lxw_col_t)(i + first_col), f[i].zh, bold);
		if (!e)
			e = worksheet_write_string(ws, 1, (lxw_col_t)(i + first_col), f[i].key, NULL);
	}
	lxw_row_col_options hidden = { .hidden = 1 };
	if (!e)
		e = worksheet_set_row_opt(ws, 1, LXW_DEF_ROW_HEIGHT, NULL, &hidden);
	if (!e)
		e = worksheet_set_column(ws, 0, (lxw_col_t)(n + first_col - 1), 18, NULL);
	if (!e)
		worksheet_freeze_panes(ws, 2, 0);
	return e;
}

static lxw_error write_sheets(yw_arena *a, lxw_workbook *wb, json_t *doc, const char **why)
{
	lxw_format *bold = workbook_add_format(wb);
	lxw_worksheet *wi = workbook_add_worksheet(wb, SHEET_ITEMS),
		      *wm = workbook_add_worksheet(wb, SHEET_MATERIALS),
		      *wa = workbook_add_worksheet(wb, SHEET_ABOUT);
	if (!bold || !wi || !wm || !wa)
		return LXW_ERROR_MEMORY_MALLOC_FAILED;
	format_set_bold(bold);
	int ni = yw_cat_tx_item_nfields - 1;   /* materials are a sheet of their own */
	lxw_error e = headers(wi, bold, yw_cat_tx_item_fields, ni, 0);
	if (!e)
		e = headers(wm, bold, yw_cat_tx_material_fields, yw_cat_tx_material_nfields, 1);
	json_t *items = json_object_get(doc, "items"), *it;
	size_t i;
	lxw_row_t mrow = 2;
	json_array_foreach(items, i, it) {
		for (int c = 0; !e && c < ni; c++) {
			e = put(a, wi, (lxw_row_t)(i + 2), (lxw_col_t)c,
			        json_object_get(it, yw_cat_tx_item_fields[c].key));
			if (e == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
				*why = yw_sprintf(a, "事项 %s 的 %s 超过 32767 个字符，Excel 单元格放不下，请用 format=json 导出",
				                  json_string_value(json_object_get(it, "task_code")),
				                  yw_cat_tx_item_fields[c].key);
		}
		json_t *m;
		size_t k;
		json_array_foreach(json_object_get(it, "materials"), k, m) {
			if (!e)
				e = put(a, wm, mrow, 0, json_object_get(it, "task_code"));
			for (int c = 0; !e && c < yw_cat_tx_material_nfields; c++)
				e = put(a, wm, mrow, (lxw_col_t)(c + 1),
				        json_object_get(m, yw_cat_tx_material_fields[c].key));
			mrow++;
		}
		if (e)
			return e;
	}
	if (!e)
		e = worksheet_write_string(wa, 0, 0, "format", bold);
	if (!e)
		e = put(a, wa, 0, 1, json_object_get(doc, "format"));
	if (!e)
		e = worksheet_write_string(wa, 1, 0, "exported_at", bold);
	if (!e)
		e = put(a, wa, 1, 1, json_object_get(doc, "exported_at"));
	if (!e)
		e = worksheet_write_string(wa, 3, 0,
		                           "事项表每行一个事项，材料表每行一份材料（以实施编码对应事项）；第 2 行（隐藏）是字段名，导入按它对应各列，请勿删改。"
		                           "别名、主题分类、业务办理项、办事指南其他要素、表单定义、办理流程定义为 JSON 文本。",
		                           NULL);
	return e;
}

yw_err yw_cat_xlsx_write(yw_arena *a, json_t *doc, const char *tmpdir, const char **out,
                         size_t *len, const char **why)
{
	*why = NULL;
	char *path = yw_sprintf(a, "%s/yw-export-XXXXXX", tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	if (!path)
		return YW_E_NO_MEMORY;
	int fd = mkstemp(path);
	if (fd < 0) {
		*why = "无法创建临时文件";
		return YW_E_IO;
	}
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		unlink(path);
		*why = "无法创建工作簿";
		return YW_E_IO;
	}
	lxw_error le = write_sheets(a, wb, doc, why);
	/* Closed in every case: that is what frees the workbook. */
	lxw_error ce = workbook_close(wb);
	yw_err e = YW_E_OK;
	if (le == LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED)
		e = YW_E_BAD_REQUEST;
	else if (le == LXW_ERROR_MEMORY_MALLOC_FAILED)
		e = YW_E_NO_MEMORY;
	else if (le || ce)
		e = YW_E_IO;
	FILE *f = e ? NULL : fopen(path, "rb");
	if (!e && !f)
		e = YW_E_IO;
	if (f) {
		long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
		char *buf = size >= 0 ? yw_alloc(a, (size_t)size + 1) : NULL;
		if (size < 0 || !buf || fseek(f, 0, SEEK_SET) || fread(buf, 1, (size_t)size, f) != (size_t)size)
			e = buf || size < 0 ? YW_E_IO : YW_E_NO_MEMORY;
		fclose(f);
		*out = buf;
		*len = (size_t)size;
	}
	unlink(path);
	if (e && !*why)
		*why = yw_sprintf(a, "写出工作簿失败：%s", lxw_strerror(le ? le : ce));
	return e;
}

/* ---- reading: the package ----------------------------------------------------------------- */

/* One part of the package, NUL-terminated; *found false (and YW_E_OK) when there is none. */
static yw_err part_read(yw_arena *a, zip_t *z, const char *name, size_t *unpacked, char **out,
                        size_t *len, bool *found, const char **why)
{
	*found = false;
	zip_int64_t idx = zip_name_locate(z, name, ZIP_FL_NOCASE);
	if (idx < 0)
		return YW_E_OK;
	zip_stat_t st;
	if (zip_stat_index(z, (zip_uint64_t)idx, 0, &st) || !(st.valid & ZIP_STAT_SIZE)) {
		*why = yw_sprintf(a, "无法读取 %s", name);
		return YW_E_BAD_IMPORT;
	}
	if (st.size > MAX_UNPACKED_BYTES - *unpacked) {
		*why = yw_sprintf(a, "工作簿解压后超过 %u MiB（读到 %s 时）", MAX_UNPACKED_BYTES >> 20, name);
		return YW_E_BODY_TOO_LARGE;
	}
	*unpacked += (size_t)st.size;
	char *buf = yw_alloc(a, (size_t)st.size + 1);
	zip_file_t *f = buf ? zip_fopen_index(z, (zip_uint64_t)idx, 0) : NULL;
	if (!buf)
		return YW_E_NO_MEMORY;
	zip_int64_t got = f ? zip_fread(f, buf, st.size) : -1;
	if (f)
		zip_fclose(f);
	if (got < 0 || (zip_uint64_t)got != st.size) {
		*why = yw_sprintf(a, "无法解压 %s（文件损坏或使用了不支持的压缩方式）", name);
		return YW_E_BAD_IMPORT;
	}
	buf[got] = '\0';
	*out = buf;
	*len = (size_t)got;
	*found = true;
	return YW_E_OK;
}

/* ---- reading: the XML --------------------------------------------------------------------- */

/* The local part of a name: "x:row" and "row" are the same element to us. */
static const char *local(const char *name)
{
	const char *c = strrchr(name, ':');
	return c ? c + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (int i = 0; atts[i]; i += 2)
		if (!strcmp(local(atts[i]), name))
			return atts[i + 1];
	return NULL;
}

/* OOXML writes characters that XML cannot carry as _xHHHH_ (ECMA-376 ST_Xstring); a literal
 * "_x" is itself written _x005F_x. Decoded into UTF-8. */
static char *unescape_x(yw_arena *a, const char *s, size_t n)
{
	char *out = yw_alloc(a, n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned v = 0;
		bool hex = i + 7 <= n && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_';
		for (int k = 2; hex && k < 6; k++) {
			char c = s[i + k];
			int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
			        : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			hex = d >= 0;
			v = v * 16 + (unsigned)(d < 0 ? 0 : d);
		}
		if (!hex || v == 0) {
			*o++ = s[i++];
			continue;
		}
		i += 7;
		if (v < 0x80) {
			*o++ = (char)v;
		} else if (v < 0x800) {   /* at most 3 bytes out for 7 in: fits */
			*o++ = (char)(0xC0 | (v >> 6));
			*o++ = (char)(0x80 | (v & 0x3F));
		} else {
			*o++ = (char)(0xE0 | (v >> 12));
			*o++ = (char)(0x80 | ((v >> 6) & 0x3F));
			*o++ = (char)(0x80 | (v & 0x3F));
		}
	}
	*o = '\0';
	return out;
}

typedef struct {
	yw_arena *a;
	XML_Parser p;
	yw_buf text;
	bool collect;
	int rph;              /* inside phonetic runs (rPh), whose text is not the cell's */
	bool failed;          /* no memory, or too much */
	const char *why;
	/* workbook.xml: [{name, rid}]; rels: {rid: target} */
	json_t *sheets, *rels;
	/* sharedStrings.xml */
	json_t *sst;
	/* a sheet: rows (arrays of string|null), the cell being read */
	json_t *grid, *sst_ref;
	long row, col;
	const char *type;
	bool in_is;
	size_t unpacked;      /* bytes of the package read so far */
} xml_ctx;

static void fail_xml(xml_ctx *x, const char *why)
{
	x->failed = true;
	if (!x->why)
		x->why = why;
	XML_StopParser(x->p, XML_FALSE);
}

static void on_text(void *ud, const XML_Char *s, int n)
{
	xml_ctx *x = ud;
	if (x->collect && !x->rph && yw_buf_append(&x->text, s, (size_t)n))
		fail_xml(x, NULL);
}

static json_t *text_take(xml_ctx *x)
{
	x->collect = false;
	char *s = unescape_x(x->a, x->text.data ? x->text.data : "", x->text.len);
	return s ? json_string(s) : NULL;
}

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xml_ctx *x = ud;
	const char *n = local(name);
	if (!strcmp(n, "sheet")) {
		const char *sn = attr(atts, "name"), *rid = attr(atts, "id");
		if (sn && rid)
			json_array_append_new(x->sheets, json_pack("{s:s, s:s}", "name", sn, "rid", rid));
	} else if (!strcmp(n, "Relationship")) {
		const char *id = attr(atts, "Id"), *target = attr(atts, "Target");
		if (id && target)
			json_object_set_new(x->rels, id, json_string(target));
	}
}

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xml_ctx *x = ud;
	const char *n = local(name);
	if (!strcmp(n, "si")) {
		x->text.len = 0;
		x->collect = false;
	} else if (!strcmp(n, "rPh")) {
		x->rph++;
	} else if (!strcmp(n, "t")) {
		x->collect = true;   /* the pieces of a rich string are joined */
	}
}

static void sst_end(void *ud, const XML_Char *name)
{
	xml_ctx *x = ud;
	const char *n = local(name);
	if (!strcmp(n, "rPh")) {
		x->rph--;
	} else if (!strcmp(n, "t")) {
		x->collect = false;
	} else if (!strcmp(n, "si")) {
		json_t *s = json_array_size(x->sst) < MAX_SHARED_STRINGS ? text_take(x) : NULL;
		if (!s && json_array_size(x->sst) >= MAX_SHARED_STRINGS)
			fail_xml(x, "共享字符串过多");
		else if (!s || json_array_append_new(x->sst, s))
			fail_xml(x, NULL);
	}
}

/* "AB12" → column 27 (0-based); -1 when it is not a cell reference. */
static long ref_col(const char *ref)
{
	long c = 0;
	int n = 0;
	for (; *ref >= 'A' && *ref <= 'Z' && n < 4; ref++, n++)
		c = c * 26 + (*ref - 'A' + 1);
	return n && n < 4 ? c - 1 : -1;
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xml_ctx *x = ud;
	const char *n = local(name);
	if (!strcmp(n, "row")) {
		const char *r = attr(atts, "r");
		long long v = 0;
		x->row = r && yw_parse_int(r, 1, 1048576, &v) ? (long)v - 1 : x->row + 1;
		x->col = -1;
		if (x->row >= MAX_ROWS)
			fail_xml(x, "行数过多");
	} else if (!strcmp(n, "c")) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t");
		long c = r ? ref_col(r) : -1;
		x->col = c >= 0 ? c : x->col + 1;
		x->type = t ? yw_strdup(x->a, t) : "n";
		x->in_is = false;
		x->text.len = 0;
		x->collect = false;
	} else if (!strcmp(n, "v") || (x->in_is && !strcmp(n, "t"))) {
		x->collect = true;
	} else if (!strcmp(n, "is")) {
		x->in_is = true;
	} else if (!strcmp(n, "rPh")) {
		x->rph++;
	}
}

static void cell_put(xml_ctx *x, json_t *v)
{
	if (!v)
		return;
	if (x->row < 0 || x->col < 0 || x->col >= MAX_COLS || !json_string_length(v)) {
		json_decref(v);
		return;
	}
	while (json_array_size(x->grid) <= (size_t)x->row)
		if (json_array_append_new(x->grid, json_array())) {
			json_decref(v);
			fail_xml(x, NULL);
			return;
		}
	json_t *row = json_array_get(x->grid, (size_t)x->row);
	while (json_array_size(row) <= (size_t)x->col)
		json_array_append_new(row, json_null());
	json_array_set_new(row, (size_t)x->col, v);
}

static void sheet_end(void *ud, const XML_Char *name)
{
	xml_ctx *x = ud;
	const char *n = local(name);
	if (!strcmp(n, "v") || (x->in_is && !strcmp(n, "t"))) {
		x->collect = false;
	} else if (!strcmp(n, "rPh")) {
		x->rph--;
	} else if (!strcmp(n, "is")) {
		x->in_is = false;
	} else if (!strcmp(n, "c")) {
		json_t *s = text_take(x);
		if (s && !strcmp(x->type, "s")) {
			long long i = -1;
			json_t *ss = yw_parse_int(json_string_value(s), 0, 1LL << 30, &i)
			             ? json_array_get(x->sst, (size_t)i) : NULL;
			json_decref(s);
			s = ss ? json_incref(ss) : json_string("");
		}
		cell_put(x, s);
		x->text.len = 0;
	}
}

/* OOXML never declares a DTD; one in an upload can only be there to expand entities. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                       const XML_Char *pubid, int internal)
{
	(void)name, (void)sysid, (void)pubid, (void)internal;
	fail_xml(ud, "不允许文档类型声明（DTD）");
}

static yw_err xml_parse(xml_ctx *x, const char *data, size_t len, XML_StartElementHandler start,
                        XML_EndElementHandler end, const char *part)
{
	x->p = XML_ParserCreate("UTF-8");
	if (!x->p)
		return YW_E_NO_MEMORY;
	XML_SetUserData(x->p, x);
	XML_SetElementHandler(x->p, start, end);
	XML_SetCharacterDataHandler(x->p, on_text);
	XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
	x->collect = false;
	x->rph = 0;
	enum XML_Status st = len > INT32_MAX ? XML_STATUS_ERROR : XML_Parse(x->p, data, (int)len, 1);
	bool bad = st != XML_STATUS_OK || x->failed;
	XML_ParserFree(x->p);
	x->p = NULL;
	if (!bad)
		return YW_E_OK;
	if (x->failed && !x->why)
		return YW_E_NO_MEMORY;
	x->why = yw_sprintf(x->a, "%s 不是有效的 XML%s%s", part, x->why ? "：" : "", x->why ? x->why : "");
	return YW_E_BAD_IMPORT;
}

/* ---- reading: sheets into the document ---------------------------------------------------- */

static const char *cell(json_t *grid, size_t r, size_t c)
{
	return json_string_value(json_array_get(json_array_get(grid, r), c));
}

static int field_index(const yw_tx_field *f, int n, const char *s, bool keys_only)
{
	for (int i = 0; s && i < n; i++)
		if (!strcmp(s, f[i].key) || (!keys_only && !strcmp(s, f[i].zh)))
			return i;
	return -1;
}

/* Which field each column holds (-1: none of ours; -2: the task_code of the 材料 sheet) and the
 * first data row. The hidden key row is preferred; a sheet without it (written by something
 * else) is read by its headers, keys or Chinese names. */
static bool columns(yw_arena *a, json_t *grid, const yw_tx_field *f, int n, bool with_code,
                    int **cols, size_t *ncols, size_t *first)
{
	size_t width = json_array_size(json_array_get(grid, 0));
	if (json_array_size(json_array_get(grid, 1)) > width)
		width = json_array_size(json_array_get(grid, 1));
	int *map = yw_alloc(a, sizeof *map * (width + 1));
	if (!map)
		return false;
	bool keys = json_array_size(json_array_get(grid, 1)) > 0;
	for (size_t c = 0; keys && c < width; c++) {
		const char *s = cell(grid, 1, c);
		keys = !s || field_index(f, n, s, true) >= 0 || (with_code && !strcmp(s, "task_code"));
	}
	size_t hr = keys ? 1 : 0;
	int found = 0;
	for (size_t c = 0; c < width; c++) {
		const char *s = cell(grid, hr, c);
		map[c] = field_index(f, n, s, false);
		if (with_code && s && (!strcmp(s, "task_code") || !strcmp(s, "实施编码")))
			map[c] = -2;
		found += map[c] != -1;
	}
	*cols = map;
	*ncols = width;
	*first = hr + 1;
	return found > 0;
}

static json_t *convert(yw_tx_kind kind, const char *s)
{
	if (!s || !s[0])
		return kind == YW_TX_TEXT || kind == YW_TX_INT ? NULL : json_null();
	if (kind == YW_TX_INT || kind == YW_TX_INT_NULL) {
		/* A number cell reads "20"; one that a sheet program stored as 20.0 or 2E1 is still 20. */
		char *end;
		errno = 0;
		double d = strtod(s, &end);
		/* the range first: casting a double beyond long long is undefined */
		if (!*end && !errno && d > -1e15 && d < 1e15 && d == (double)(long long)d)
			return json_integer((json_int_t)d);
		return json_string(s);
	}
	if (kind == YW_TX_JSON) {
		json_t *j = json_loads(s, JSON_REJECT_DUPLICATES, NULL);
		return j ? j : json_string(s);
	}
	return json_string(s);
}

static bool row_empty(json_t *row)
{
	json_t *v;
	size_t i;
	json_array_foreach(row, i, v)
		if (json_string_length(v))
			return false;
	return true;
}

static yw_err sheet_load(xml_ctx *x, zip_t *z, const char *rid, json_t **grid, const char **why)
{
	const char *target = json_string_value(json_object_get(x->rels, rid));
	if (!target) {
		*why = "工作簿中的工作表引用无效";
		return YW_E_BAD_IMPORT;
	}
	const char *path = target[0] == '/' ? yw_strdup(x->a, target + 1)
	                                    : yw_sprintf(x->a, "xl/%s", target);
	char *data;
	size_t len;
	bool found;
	yw_err e = part_read(x->a, z, path, &x->unpacked, &data, &len, &found, why);
	if (e)
		return e;
	if (!found) {
		*why = yw_sprintf(x->a, "工作簿缺少 %s", path);
		return YW_E_BAD_IMPORT;
	}
	x->grid = yw_arena_json(x->a, json_array());
	x->row = -1;
	x->col = -1;
	x->type = "n";
	if ((e = xml_parse(x, data, len, sheet_start, sheet_end, path))) {
		*why = x->why;
		return e;
	}
	*grid = x->grid;
	return YW_E_OK;
}

static const char *sheet_rid(json_t *sheets, const char *name)
{
	json_t *s;
	size_t i;
	json_array_foreach(sheets, i, s)
		if (!strcmp(json_string_value(json_object_get(s, "name")), name))
			return json_string_value(json_object_get(s, "rid"));
	return NULL;
}

static yw_err build_doc(xml_ctx *x, zip_t *z, json_t *doc, json_t *rows, json_t *orphans,
                        const char **why)
{
	const char *rid = sheet_rid(x->sheets, SHEET_ITEMS);
	if (!rid)   /* a workbook of someone else's: its first sheet */
		rid = json_string_value(json_object_get(json_array_get(x->sheets, 0), "rid"));
	if (!rid) {
		*why = "工作簿中没有工作表";
		return YW_E_BAD_IMPORT;
	}
	json_t *grid;
	yw_err e = sheet_load(x, z, rid, &grid, why);
	if (e)
		return e;
	int *cols;
	size_t ncols, first;
	if (!columns(x->a, grid, yw_cat_tx_item_fields, yw_cat_tx_item_nfields, false, &cols, &ncols,
	             &first)) {
		*why = "事项表第 1 行应为表头（字段名或中文列名），第 2 行可为字段名";
		return YW_E_BAD_IMPORT;
	}
	json_t *items = json_object_get(doc, "items"), *index = yw_arena_json(x->a, json_object());
	for (size_t r = first; r < json_array_size(grid); r++) {
		json_t *row = json_array_get(grid, r);
		if (row_empty(row))
			continue;
		if (json_array_size(items) >= YW_CAT_TX_MAX_ITEMS) {
			*why = yw_sprintf(x->a, "一次至多导入 %d 个事项", YW_CAT_TX_MAX_ITEMS);
			return YW_E_BAD_IMPORT;
		}
		json_t *it = json_object();
		for (size_t c = 0; it && c < ncols; c++) {
			if (cols[c] < 0)
				continue;
			const yw_tx_field *f = &yw_cat_tx_item_fields[cols[c]];
			json_t *v = convert(f->kind, cell(grid, r, c));
			if (v)
				json_object_set_new(it, f->key, v);
		}
		if (!it || json_object_set_new(it, "materials", json_array()))
			return YW_E_NO_MEMORY;
		const char *code = json_string_value(json_object_get(it, "task_code"));
		if (code && !json_object_get(index, code))
			json_object_set_new(index, code, json_integer((json_int_t)json_array_size(items)));
		json_array_append_new(items, it);
		json_array_append_new(rows, json_integer((json_int_t)r + 1));
	}
	rid = sheet_rid(x->sheets, SHEET_MATERIALS);
	if (!rid)
		return YW_E_OK;
	if ((e = sheet_load(x, z, rid, &grid, why)))
		return e;
	if (!json_array_size(grid))
		return YW_E_OK;
	if (!columns(x->a, grid, yw_cat_tx_material_fields, yw_cat_tx_material_nfields, true, &cols,
	             &ncols, &first)) {
		*why = "材料表第 1 行应为表头（字段名或中文列名）";
		return YW_E_BAD_IMPORT;
	}
	for (size_t r = first; r < json_array_size(grid); r++) {
		json_t *row = json_array_get(grid, r);
		if (row_empty(row))
			continue;
		json_t *m = yw_arena_json(x->a, json_object());
		const char *code = NULL;
		for (size_t c = 0; m && c < ncols; c++) {
			if (cols[c] == -2)
				code = cell(grid, r, c);
			if (cols[c] < 0)
				continue;
			const yw_tx_field *f = &yw_cat_tx_material_fields[cols[c]];
			json_t *v = convert(f->kind, cell(grid, r, c));
			if (v)
				json_object_set_new(m, f->key, v);
		}
		json_t *at = code ? json_object_get(index, code) : NULL;
		if (!at) {
			json_array_append_new(orphans, json_pack("{s:I, s:s?}", "row", (json_int_t)r + 1,
			                                         "task_code", code));
			continue;
		}
		json_t *it = json_array_get(items, (size_t)json_integer_value(at));
		json_array_append(json_object_get(it, "materials"), m);
	}
	return YW_E_OK;
}

static void zip_free_source(zip_source_t *src)
{
	if (src)
		zip_source_free(src);
}

yw_err yw_cat_xlsx_read(yw_arena *a, const void *data, size_t len, json_t **doc, json_t **rows,
                        json_t **orphans, const char **why)
{
	*why = NULL;
	*doc = yw_arena_json(a, json_pack("{s:s, s:[]}", "format", YW_CAT_TX_FORMAT, "items"));
	*rows = yw_arena_json(a, json_array());
	*orphans = yw_arena_json(a, json_array());
	if (!*doc || !*rows || !*orphans)
		return YW_E_NO_MEMORY;
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
	zip_error_fini(&ze);
	if (!z) {
		zip_free_source(src);
		*why = "不是有效的 xlsx 文件（无法按 zip 读取）";
		return YW_E_BAD_IMPORT;
	}
	xml_ctx x = { .a = a };
	x.sheets = yw_arena_json(a, json_array());
	x.rels = yw_arena_json(a, json_object());
	x.sst = yw_arena_json(a, json_array());
	char *part;
	size_t plen;
	bool found;
	yw_err e = part_read(a, z, "xl/workbook.xml", &x.unpacked, &part, &plen, &found, why);
	if (!e && !found) {
		*why = "不是 xlsx 工作簿：缺少 xl/workbook.xml";
		e = YW_E_BAD_IMPORT;
	}
	if (!e && (e = xml_parse(&x, part, plen, wb_start, NULL, "xl/workbook.xml")))
		*why = x.why;
	if (!e && !(e = part_read(a, z, "xl/_rels/workbook.xml.rels", &x.unpacked, &part, &plen, &found, why)) &&
	    found && (e = xml_parse(&x, part, plen, wb_start, NULL, "xl/_rels/workbook.xml.rels")))
		*why = x.why;
	if (!e && !(e = part_read(a, z, "xl/sharedStrings.xml", &x.unpacked, &part, &plen, &found, why)) && found &&
	    (e = xml_parse(&x, part, plen, sst_start, sst_end, "xl/sharedStrings.xml")))
		*why = x.why;
	if (!e)
		e = build_doc(&x, z, *doc, *rows, *orphans, why);
	/* The format the workbook says it is in, when it says (the 说明 sheet). */
	const char *rid = e ? NULL : sheet_rid(x.sheets, SHEET_ABOUT);
	json_t *grid;
	if (rid && !sheet_load(&x, z, rid, &grid, why) && yw_str_eq(cell(grid, 0, 0), "format") &&
	    cell(grid, 0, 1))
		json_object_set_new(*doc, "format", json_string(cell(grid, 0, 1)));
	zip_discard(z);
	yw_buf_free(&x.text);
	return e;
}
