/*
 * Import and export of catalog items (transfer.c, transfer_xlsx.c): the layout of the file, the
 * same for JSON and for xlsx, and the workbook's writer and reader. Only the files of transfer
 * and their unit test include this.
 *
 * The layout is a document {format: "yiwang-catalog/1", exported_at, items: [...]}; each item
 * is flat, with the national sync field names (STANDARDS.md §5, up_task_general_basic/extend)
 * where one exists and ours for the rest (docs/catalog.md "Import and export"). In a workbook,
 * the sheet 事项 has one row per item in the order of yw_cat_tx_item_fields (Chinese headers on
 * row 1, the keys on hidden row 2), the sheet 材料 one row per material (task_code first), and the
 * JSON members are JSON text in their cells.
 */
#ifndef YW_CATALOG_TRANSFER_H
#define YW_CATALOG_TRANSFER_H

#include "catalog/internal.h"

#define YW_CAT_TX_FORMAT "yiwang-catalog/1"
#define YW_CAT_TX_MAX_BYTES (20u << 20)      /* the largest upload the import reads */
/* One import is one write, and the store has one writer: a few seconds of it at most. */
#define YW_CAT_TX_MAX_ITEMS 1000

typedef enum {
	YW_TX_TEXT,         /* a string, required */
	YW_TX_TEXT_NULL,    /* a string or null */
	YW_TX_INT,          /* an integer, required */
	YW_TX_INT_NULL,     /* an integer or null */
	YW_TX_JSON,         /* an array or object (JSON text in a cell), or null */
} yw_tx_kind;

typedef struct {
	const char *key;    /* the member's name: "task_code" */
	const char *zh;     /* the column header: "实施编码" */
	yw_tx_kind kind;
} yw_tx_field;

/* The item's members in the layout's order ("materials" last, not a column of 事项) and a
 * material's (task_code first in the 材料 sheet, not a member of the material). */
extern const yw_tx_field yw_cat_tx_item_fields[];
extern const int yw_cat_tx_item_nfields;
extern const yw_tx_field yw_cat_tx_material_fields[];
extern const int yw_cat_tx_material_nfields;

/* The document as an xlsx workbook, written through a temporary file in tmpdir (libxlsxwriter
 * writes only to files); *out is in a. BAD_REQUEST with *why when a value does not fit a cell
 * (Excel holds at most 32,767 characters), IO when the file cannot be written. */
yw_err yw_cat_xlsx_write(yw_arena *a, json_t *doc, const char *tmpdir, const char **out,
                         size_t *len, const char **why);

/* A workbook back into a document (Excel's shared strings and inline strings both read). Cells
 * are converted by the column's kind; a cell that does not convert is kept as its text so that
 * the import names it in its report. *rows gets, per item, its row in the sheet; *orphans the
 * material rows whose task_code is no item's: [{row, task_code}]. BAD_IMPORT with *why when
 * the file is not a workbook or has no sheet of items with a header, BODY_TOO_LARGE when the parts
 * unpack to more than 32 MiB together. */
yw_err yw_cat_xlsx_read(yw_arena *a, const void *data, size_t len, json_t **doc, json_t **rows,
                        json_t **orphans, const char **why);

#endif
