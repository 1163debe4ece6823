/*
 * Fuzz the reader of uploaded workbooks (src/catalog/transfer_xlsx.c): a zip of XML parts that
 * any client with catalog.manage can send. Invariant: no crash, no leak, and either a document
 * with an items array or a refusal with a reason.
 *
 * A mutated zip rarely gets past its own CRCs, so most inputs are not zips but the workbook's
 * XML parts, separated by "\n@@\n" (workbook, its relations, the shared strings, the sheet of
 * items, the sheet of materials), which the harness packs into a valid zip first: that is how
 * the XML parsing is reached. An input starting with "PK" is read as a zip as it is.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "catalog/transfer.h"

static const char *const parts[] = {
	"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/sharedStrings.xml",
	"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml",
};

/* The parts packed as a zip (stored, not deflated) into a malloc'd buffer; NULL on failure. */
static unsigned char *pack(const uint8_t *data, size_t size, size_t *len)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	unsigned char *out = NULL;
	if (!src)
		return NULL;
	zip_source_keep(src);
	zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	const uint8_t *p = data, *end = data + size;
	for (size_t k = 0; z && k < sizeof parts / sizeof parts[0] && p <= end; k++) {
		const uint8_t *sep = memmem(p, (size_t)(end - p), "\n@@\n", 4);
		const uint8_t *stop = sep ? sep : end;
		zip_source_t *s = zip_source_buffer(z, p, (zip_uint64_t)(stop - p), 0);
		zip_int64_t i = s ? zip_file_add(z, parts[k], s, ZIP_FL_ENC_UTF_8) : -1;
		if (i < 0)
			zip_source_free(s);
		else
			zip_set_file_compression(z, (zip_uint64_t)i, ZIP_CM_STORE, 0);
		if (!sep)
			break;
		p = sep + 4;
	}
	if (z && zip_close(z) == 0 && zip_source_open(src) == 0) {
		zip_source_seek(src, 0, SEEK_END);
		zip_int64_t n = zip_source_tell(src);
		zip_source_seek(src, 0, SEEK_SET);
		if (n > 0 && (out = malloc((size_t)n)) && zip_source_read(src, out, (zip_uint64_t)n) == n) {
			*len = (size_t)n;
		} else {
			free(out);
			out = NULL;
		}
		zip_source_close(src);
	} else if (z) {
		zip_discard(z);
	}
	zip_source_free(src);
	zip_error_fini(&ze);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *zip = NULL;
	size_t len = size;
	const void *in = data;
	if (size < 2 || memcmp(data, "PK", 2)) {
		if (!(zip = pack(data, size, &len)))
			return 0;
		in = zip;
	}
	yw_arena *a = yw_arena_new(4096);
	json_t *doc = NULL, *rows = NULL, *orphans = NULL;
	const char *why = NULL;
	yw_err e = yw_cat_xlsx_read(a, in, len, &doc, &rows, &orphans, &why);
	if (e == YW_E_OK && !json_is_array(json_object_get(doc, "items")))
		abort();
	if (e != YW_E_OK && !why && e != YW_E_NO_MEMORY)
		abort();
	yw_arena_free(a);
	free(zip);
	return 0;
}
