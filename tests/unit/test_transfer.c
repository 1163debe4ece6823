/* The catalog's workbook writer and reader (src/catalog/transfer_xlsx.c): a document written as
 * xlsx reads back the same, text that XML cannot carry survives, and what is not a workbook is
 * refused with BAD_IMPORT rather than read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>
#include <zip.h>
#include "catalog/transfer.h"

static json_t *sample(void)
{
	json_error_t err;
	json_t *doc = json_loads(
		"{\"format\": \"yiwang-catalog/1\", \"exported_at\": 1764400000000, \"items\": ["
		" {\"task_code\": \"1134130224220710024000104002000\", \"catalog_code\": \"000104002000\","
		"  \"task_name\": \"食品经营许可证核发 <新办> & \\\"延续\\\" a_x0041_b\", \"task_type\": \"01\","
		"  \"dept_name\": \"埇桥区市场监督管理局\", \"dept_code\": \"113413022422071002\", \"use_level\": \"4\","
		"  \"anticipate_day\": 20, \"anticipate_type\": \"1\", \"promise_day\": 0, \"promise_type\": \"1\","
		"  \"online_handle_depth\": \"4\", \"limit_scene_num\": 0, \"limit_scene_explain\": null,"
		"  \"project_type\": \"2\", \"handle_type\": \"1,2,3\", \"server_type\": \"2\", \"is_fee\": \"0\","
		"  \"is_entry_center\": \"1\", \"aliases\": [\"食品经营许可\"], \"topics\": [\"startup\"],"
		"  \"business_items\": [{\"seq\": 1, \"name\": \"新办\"}],"
		"  \"guide\": {\"place\": \"2 楼\\n3 号窗口\\t\", \"fee\": 0}, \"form\": null,"
		"  \"process\": {\"start\": \"s1\", \"steps\": []},"
		"  \"materials\": [{\"material_name\": \"申请书\", \"source_type\": \"applicant\","
		"   \"source_explain\": null, \"original_num\": 1, \"copy_num\": 0, \"is_need\": \"1\","
		"   \"need_condition\": null, \"reuse\": \"never\"}]},"
		" {\"task_code\": \"1134130224220710024002000201000\", \"catalog_code\": \"002000201000\","
		"  \"task_name\": \"个体工商户登记\", \"task_type\": \"20\", \"dept_name\": null,"
		"  \"dept_code\": \"113413022422071002\", \"use_level\": \"4\", \"anticipate_day\": null,"
		"  \"anticipate_type\": null, \"promise_day\": null, \"promise_type\": null,"
		"  \"online_handle_depth\": \"1\", \"limit_scene_num\": 2, \"limit_scene_explain\": \"核验原件\","
		"  \"project_type\": \"1\", \"handle_type\": \"1\", \"server_type\": null, \"is_fee\": \"1\","
		"  \"is_entry_center\": \"0\", \"aliases\": [], \"topics\": [], \"business_items\": [],"
		"  \"guide\": {}, \"form\": {\"fields\": []}, \"process\": null, \"materials\": []}]}",
		0, &err);
	assert_non_null(doc);
	return doc;
}

static void round_trip(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(4096);
	json_t *doc = sample();
	const char *bytes = NULL, *why = NULL;
	size_t len = 0;
	assert_int_equal(yw_cat_xlsx_write(a, doc, "/tmp", &bytes, &len, &why), YW_E_OK);
	assert_true(len > 100);
	assert_memory_equal(bytes, "PK", 2);
	json_t *back, *rows, *orphans;
	assert_int_equal(yw_cat_xlsx_read(a, bytes, len, &back, &rows, &orphans, &why), YW_E_OK);
	/* exported_at is not read back: the import does not need it */
	json_object_del(doc, "exported_at");
	if (!json_equal(doc, back)) {
		char *x = json_dumps(doc, JSON_INDENT(1)), *y = json_dumps(back, JSON_INDENT(1));
		fprintf(stderr, "want %s\ngot %s\n", x, y);
		free(x);
		free(y);
	}
	assert_true(json_equal(doc, back));
	assert_int_equal(json_array_size(rows), 2);
	assert_int_equal(json_integer_value(json_array_get(rows, 0)), 3);   /* headers on 1 and 2 */
	assert_int_equal(json_array_size(orphans), 0);
	json_decref(doc);
	yw_arena_free(a);
}

static void too_long_for_a_cell(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(4096);
	json_t *doc = sample();
	char *big = malloc(40000);
	memset(big, 'x', 39999);
	big[39999] = '\0';
	json_object_set_new(json_object_get(json_array_get(json_object_get(doc, "items"), 0), "guide"),
	                    "long", json_string(big));
	free(big);
	const char *bytes = NULL, *why = NULL;
	size_t len = 0;
	assert_int_equal(yw_cat_xlsx_write(a, doc, "/tmp", &bytes, &len, &why), YW_E_BAD_REQUEST);
	assert_non_null(strstr(why, "guide"));
	json_decref(doc);
	yw_arena_free(a);
}

static void not_a_workbook(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(4096);
	json_t *doc, *rows, *orphans;
	const char *why = NULL;
	assert_int_equal(yw_cat_xlsx_read(a, "hello", 5, &doc, &rows, &orphans, &why), YW_E_BAD_IMPORT);
	assert_non_null(why);
	assert_int_equal(yw_cat_xlsx_read(a, "", 0, &doc, &rows, &orphans, &why), YW_E_BAD_IMPORT);
	/* an empty zip: the end-of-central-directory record alone */
	static const unsigned char empty_zip[22] = { 0x50, 0x4b, 0x05, 0x06 };
	assert_int_equal(yw_cat_xlsx_read(a, empty_zip, sizeof empty_zip, &doc, &rows, &orphans, &why),
	                 YW_E_BAD_IMPORT);
	assert_non_null(strstr(why, "workbook.xml"));
	yw_arena_free(a);
}

/* A zip of the given parts, written by libzip through a temporary file. */
static char *make_zip(yw_arena *a, const char *const *parts, size_t *len)
{
	char path[] = "/tmp/yw-test-zip-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	int err = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
	assert_non_null(z);
	for (int i = 0; parts[i]; i += 2) {
		zip_source_t *src = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
		assert_non_null(src);
		assert_true(zip_file_add(z, parts[i], src, ZIP_FL_ENC_UTF_8) >= 0);
	}
	assert_int_equal(zip_close(z), 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = yw_alloc(a, *len + 1);
	assert_int_equal(fread(buf, 1, *len, f), *len);
	fclose(f);
	unlink(path);
	return buf;
}

#define WB "<workbook xmlns:r=\"r\"><sheets><sheet name=\"事项\" r:id=\"s\"/></sheets></workbook>"
#define RELS "<Relationships><Relationship Id=\"s\" Target=\"worksheets/s.xml\"/></Relationships>"

static yw_err read_sheet(yw_arena *a, const char *sheet, json_t **doc, const char **why)
{
	const char *parts[] = { "xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS,
		                "xl/sharedStrings.xml", "<sst><si><t>实施编码</t></si></sst>",
		                "xl/worksheets/s.xml", sheet, NULL };
	size_t len;
	char *zip = make_zip(a, parts, &len);
	json_t *rows, *orphans;
	return yw_cat_xlsx_read(a, zip, len, doc, &rows, &orphans, why);
}

static void other_writers(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(4096);
	json_t *doc;
	const char *why = NULL;
	/* a column past Z, a header from the shared strings, a shared string index that is not there,
	 * a namespace prefix on every element */
	assert_int_equal(read_sheet(a,
	                            "<x:worksheet xmlns:x=\"m\"><x:sheetData>"
	                            "<x:row r=\"1\"><x:c r=\"AB1\" t=\"s\"><x:v>0</x:v></x:c>"
	                            "<x:c r=\"AC1\" t=\"inlineStr\"><x:is><x:t>limit_scene_num</x:t></x:is></x:c></x:row>"
	                            "<x:row r=\"4\"><x:c r=\"AB4\" t=\"inlineStr\"><x:is><x:t>a&amp;b_x005F_x0041_</x:t></x:is></x:c>"
	                            "<x:c r=\"AC4\"><x:v>2.0</x:v></x:c><x:c r=\"AD4\" t=\"s\"><x:v>7</x:v></x:c></x:row>"
	                            "</x:sheetData></x:worksheet>",
	                            &doc, &why),
	                 YW_E_OK);
	json_t *it = json_array_get(json_object_get(doc, "items"), 0);
	assert_non_null(it);
	assert_string_equal(json_string_value(json_object_get(it, "task_code")), "a&b_x0041_");
	assert_int_equal(json_integer_value(json_object_get(it, "limit_scene_num")), 2);
	assert_int_equal(json_array_size(json_object_get(doc, "items")), 1);
	yw_arena_free(a);
}

static void bad_workbooks(void **state)
{
	(void)state;
	yw_arena *a = yw_arena_new(4096);
	json_t *doc;
	const char *why = NULL;
	/* not XML */
	assert_int_equal(read_sheet(a, "<worksheet><sheetData><row>", &doc, &why), YW_E_BAD_IMPORT);
	assert_non_null(strstr(why, "XML"));
	/* a row far down the sheet */
	assert_int_equal(read_sheet(a, "<worksheet><sheetData><row r=\"1048576\"/></sheetData></worksheet>",
	                            &doc, &why),
	                 YW_E_BAD_IMPORT);
	/* entity expansion (billion laughs): refused by expat, not expanded */
	assert_int_equal(read_sheet(a,
	                            "<!DOCTYPE l [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">"
	                            "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	                            "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">"
	                            "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	                            "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">"
	                            "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">]>"
	                            "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>&f;&f;&f;&f;</t></is></c>"
	                            "</row></sheetData></worksheet>",
	                            &doc, &why),
	                 YW_E_BAD_IMPORT);
	assert_non_null(strstr(why, "XML"));
	/* a small entity too: OOXML has no DTD, so any is refused rather than expanded */
	assert_int_equal(read_sheet(a,
	                            "<!DOCTYPE w [<!ENTITY e \"EXPANDED\">]><worksheet><sheetData><row r=\"1\">"
	                            "<c t=\"inlineStr\"><is><t>&e;</t></is></c></row></sheetData></worksheet>",
	                            &doc, &why),
	                 YW_E_BAD_IMPORT);
	assert_non_null(strstr(why, "DTD"));
	/* no header of ours */
	assert_int_equal(read_sheet(a, "<worksheet><sheetData><row r=\"1\"><c t=\"inlineStr\"><is><t>其他</t></is></c>"
	                               "</row></sheetData></worksheet>", &doc, &why),
	                 YW_E_BAD_IMPORT);
	/* the sheet the workbook names is not in the package */
	const char *parts[] = { "xl/workbook.xml", WB, "xl/_rels/workbook.xml.rels", RELS, NULL };
	size_t len;
	char *zip = make_zip(a, parts, &len);
	json_t *rows, *orphans;
	assert_int_equal(yw_cat_xlsx_read(a, zip, len, &doc, &rows, &orphans, &why), YW_E_BAD_IMPORT);
	assert_non_null(strstr(why, "worksheets/s.xml"));
	yw_arena_free(a);
}

static void layout_tables(void **state)
{
	(void)state;
	/* materials is the last member (a sheet of its own); keys are unique */
	assert_string_equal(yw_cat_tx_item_fields[yw_cat_tx_item_nfields - 1].key, "materials");
	for (int i = 0; i < yw_cat_tx_item_nfields; i++)
		for (int k = 0; k < i; k++) {
			assert_string_not_equal(yw_cat_tx_item_fields[i].key, yw_cat_tx_item_fields[k].key);
			assert_string_not_equal(yw_cat_tx_item_fields[i].zh, yw_cat_tx_item_fields[k].zh);
		}
	assert_string_equal(yw_cat_tx_item_fields[0].key, "task_code");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(too_long_for_a_cell),
		cmocka_unit_test(not_a_workbook),
		cmocka_unit_test(other_writers),
		cmocka_unit_test(bad_workbooks),
		cmocka_unit_test(layout_tables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
